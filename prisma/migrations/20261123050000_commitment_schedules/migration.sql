-- A commitment's next reminder moves to a narrow table of its own: advancing it every tick no
-- longer rewrites the commitment row and every one of its indexes.

-- CreateTable
CREATE TABLE "commitment_schedules" (
    "commitment_id" UUID NOT NULL,
    "next_prompt_at" TIMESTAMPTZ(3) NOT NULL,
    "prompt_count" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "commitment_schedules_pkey" PRIMARY KEY ("commitment_id")
);

-- CreateIndex
CREATE INDEX "commitment_schedules_next_prompt_at_idx" ON "commitment_schedules"("next_prompt_at");

-- AddForeignKey
ALTER TABLE "commitment_schedules" ADD CONSTRAINT "commitment_schedules_commitment_id_fkey" FOREIGN KEY ("commitment_id") REFERENCES "commitments"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Move the pending reminders over
INSERT INTO "commitment_schedules" ("commitment_id", "next_prompt_at", "prompt_count")
SELECT "id", "next_prompt_at", "prompt_count" FROM "commitments" WHERE "status" = 'open' AND "next_prompt_at" IS NOT NULL;

-- DropIndex
DROP INDEX "commitments_next_prompt_at_idx";

-- AlterTable
ALTER TABLE "commitments" DROP COLUMN "next_prompt_at",
DROP COLUMN "prompt_count";
