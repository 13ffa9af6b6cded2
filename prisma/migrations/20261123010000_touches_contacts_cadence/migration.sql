-- CreateEnum
CREATE TYPE "TouchKind" AS ENUM ('call', 'meeting', 'email', 'review', 'visit', 'chat', 'note');

-- CreateEnum
CREATE TYPE "Sentiment" AS ENUM ('positive', 'neutral', 'negative');

-- CreateEnum
CREATE TYPE "ContactRole" AS ENUM ('decision_maker', 'champion', 'influencer', 'executive_sponsor', 'user');

-- AlterTable
ALTER TABLE "accounts" ADD COLUMN "last_touch_at" TIMESTAMPTZ(3),
ADD COLUMN "cadence_warn_at" TIMESTAMPTZ(3),
ADD COLUMN "cadence_due_at" TIMESTAMPTZ(3),
ADD COLUMN "cadence_dark_at" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "touches" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "workspace_id" UUID NOT NULL,
    "account_id" UUID NOT NULL,
    "kind" "TouchKind" NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,
    "summary" TEXT NOT NULL,
    "sentiment" "Sentiment" NOT NULL DEFAULT 'neutral',
    "participants" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "logged_by_id" UUID NOT NULL,
    "source" TEXT NOT NULL,
    "source_key" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "touches_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "contacts" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "workspace_id" UUID NOT NULL,
    "account_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "normalized_name" TEXT NOT NULL,
    "role" "ContactRole",
    "title" TEXT,
    "email" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "contacts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "touch_contacts" (
    "touch_id" UUID NOT NULL,
    "contact_id" UUID NOT NULL,

    CONSTRAINT "touch_contacts_pkey" PRIMARY KEY ("touch_id","contact_id")
);

-- CreateIndex
CREATE INDEX "accounts_cadence_warn_at_idx" ON "accounts"("cadence_warn_at");

-- CreateIndex
CREATE INDEX "accounts_cadence_due_at_idx" ON "accounts"("cadence_due_at");

-- CreateIndex
CREATE INDEX "accounts_cadence_dark_at_idx" ON "accounts"("cadence_dark_at");

-- CreateIndex
CREATE INDEX "touches_account_id_occurred_at_idx" ON "touches"("account_id", "occurred_at");

-- CreateIndex
CREATE INDEX "touches_workspace_id_sentiment_created_at_idx" ON "touches"("workspace_id", "sentiment", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "touches_workspace_id_source_key_key" ON "touches"("workspace_id", "source_key");

-- CreateIndex
CREATE INDEX "contacts_workspace_id_idx" ON "contacts"("workspace_id");

-- CreateIndex
CREATE UNIQUE INDEX "contacts_account_id_normalized_name_key" ON "contacts"("account_id", "normalized_name");

-- CreateIndex
CREATE INDEX "touch_contacts_contact_id_idx" ON "touch_contacts"("contact_id");

-- AddForeignKey
ALTER TABLE "touches" ADD CONSTRAINT "touches_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "touches" ADD CONSTRAINT "touches_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "touches" ADD CONSTRAINT "touches_logged_by_id_fkey" FOREIGN KEY ("logged_by_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "contacts" ADD CONSTRAINT "contacts_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "contacts" ADD CONSTRAINT "contacts_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "touch_contacts" ADD CONSTRAINT "touch_contacts_touch_id_fkey" FOREIGN KEY ("touch_id") REFERENCES "touches"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "touch_contacts" ADD CONSTRAINT "touch_contacts_contact_id_fkey" FOREIGN KEY ("contact_id") REFERENCES "contacts"("id") ON DELETE CASCADE ON UPDATE CASCADE;
