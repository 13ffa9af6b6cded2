-- Import and export (issue 15). A CRM's record id is the key for re-importing accounts and
-- commitments (NULLs are distinct, so rows without one never collide); each import run is recorded;
-- a commitment's title, notes or direction changed by an import lands in its history as 'edited'.

-- AlterEnum
ALTER TYPE "CommitmentEventKind" ADD VALUE 'edited';

-- AlterTable
ALTER TABLE "accounts" ADD COLUMN "external_id" TEXT;
ALTER TABLE "commitments" ADD COLUMN "external_id" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "accounts_workspace_id_external_id_key" ON "accounts"("workspace_id", "external_id");
CREATE UNIQUE INDEX "commitments_workspace_id_external_id_key" ON "commitments"("workspace_id", "external_id");

-- CreateTable
CREATE TABLE "imports" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "workspace_id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "file_name" TEXT NOT NULL,
    "actor_id" UUID,
    "via" TEXT NOT NULL,
    "request_key" TEXT,
    "status" TEXT NOT NULL DEFAULT 'running',
    "counts" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "imports_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "imports_workspace_id_request_key_key" ON "imports"("workspace_id", "request_key");
CREATE INDEX "imports_workspace_id_created_at_idx" ON "imports"("workspace_id", "created_at");

-- AddForeignKey
ALTER TABLE "imports" ADD CONSTRAINT "imports_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "imports" ADD CONSTRAINT "imports_actor_id_fkey" FOREIGN KEY ("actor_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;
