-- AlterTable
ALTER TABLE "commitments" ADD COLUMN "next_prompt_at" TIMESTAMPTZ(3),
ADD COLUMN "prompt_count" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "prompt_items" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "workspace_id" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "delivery_id" UUID NOT NULL,
    "payload" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "prompt_items_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "scan_state" (
    "id" TEXT NOT NULL,
    "scanned_until" TIMESTAMPTZ(3) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "scan_state_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "commitments_next_prompt_at_idx" ON "commitments"("next_prompt_at");

-- CreateIndex
CREATE INDEX "touches_sentiment_created_at_idx" ON "touches"("sentiment", "created_at");

-- CreateIndex
CREATE INDEX "accounts_renewal_date_idx" ON "accounts"("renewal_date");

-- CreateIndex
CREATE INDEX "prompt_items_delivery_id_idx" ON "prompt_items"("delivery_id");

-- CreateIndex
CREATE UNIQUE INDEX "prompt_items_workspace_id_key_key" ON "prompt_items"("workspace_id", "key");

-- AddForeignKey
ALTER TABLE "prompt_items" ADD CONSTRAINT "prompt_items_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "prompt_items" ADD CONSTRAINT "prompt_items_delivery_id_fkey" FOREIGN KEY ("delivery_id") REFERENCES "deliveries"("id") ON DELETE CASCADE ON UPDATE CASCADE;
