-- CreateEnum
CREATE TYPE "Tier" AS ENUM ('strategic', 'key', 'standard');

-- CreateEnum
CREATE TYPE "Direction" AS ENUM ('ours', 'theirs');

-- CreateEnum
CREATE TYPE "CommitmentStatus" AS ENUM ('open', 'done', 'dropped');

-- CreateEnum
CREATE TYPE "CommitmentEventKind" AS ENUM ('created', 'due_changed', 'reassigned', 'done', 'reopened', 'dropped');

-- CreateTable
CREATE TABLE "workspaces" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "slack_team_id" TEXT NOT NULL,
    "name" TEXT,
    "next_commitment_number" INTEGER NOT NULL DEFAULT 1,
    "settings" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "workspaces_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "users" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "workspace_id" UUID NOT NULL,
    "slack_user_id" TEXT NOT NULL,
    "display_name" TEXT NOT NULL,
    "time_zone" TEXT NOT NULL DEFAULT 'UTC',
    "is_admin" BOOLEAN NOT NULL DEFAULT false,
    "fetched_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "accounts" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "workspace_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "normalized_name" TEXT NOT NULL,
    "aliases" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "owner_id" UUID,
    "tier" "Tier" NOT NULL DEFAULT 'standard',
    "cadence_days" INTEGER,
    "renewal_date" DATE,
    "archived" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "accounts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "account_channels" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "workspace_id" UUID NOT NULL,
    "account_id" UUID NOT NULL,
    "channel_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "account_channels_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "commitments" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "workspace_id" UUID NOT NULL,
    "number" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "notes" TEXT,
    "account_id" UUID NOT NULL,
    "owner_id" UUID NOT NULL,
    "direction" "Direction" NOT NULL DEFAULT 'ours',
    "due_at" TIMESTAMPTZ(3) NOT NULL,
    "due_time_zone" TEXT NOT NULL,
    "original_due_at" TIMESTAMPTZ(3) NOT NULL,
    "status" "CommitmentStatus" NOT NULL DEFAULT 'open',
    "created_by_id" UUID NOT NULL,
    "source" TEXT NOT NULL,
    "source_key" TEXT NOT NULL,
    "channel_id" TEXT,
    "message_ts" TEXT,
    "completed_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "commitments_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "commitment_events" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "commitment_id" UUID NOT NULL,
    "kind" "CommitmentEventKind" NOT NULL,
    "actor_id" UUID,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "before" JSONB,
    "after" JSONB,
    "reason" TEXT,

    CONSTRAINT "commitment_events_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "workspaces_slack_team_id_key" ON "workspaces"("slack_team_id");

-- CreateIndex
CREATE UNIQUE INDEX "users_workspace_id_slack_user_id_key" ON "users"("workspace_id", "slack_user_id");

-- CreateIndex
CREATE INDEX "accounts_owner_id_idx" ON "accounts"("owner_id");

-- CreateIndex
CREATE UNIQUE INDEX "accounts_workspace_id_normalized_name_key" ON "accounts"("workspace_id", "normalized_name");

-- CreateIndex
CREATE INDEX "account_channels_account_id_idx" ON "account_channels"("account_id");

-- CreateIndex
CREATE UNIQUE INDEX "account_channels_workspace_id_channel_id_key" ON "account_channels"("workspace_id", "channel_id");

-- CreateIndex
CREATE INDEX "commitments_workspace_id_status_due_at_idx" ON "commitments"("workspace_id", "status", "due_at");

-- CreateIndex
CREATE INDEX "commitments_owner_id_status_due_at_idx" ON "commitments"("owner_id", "status", "due_at");

-- CreateIndex
CREATE INDEX "commitments_account_id_status_due_at_idx" ON "commitments"("account_id", "status", "due_at");

-- CreateIndex
CREATE UNIQUE INDEX "commitments_workspace_id_number_key" ON "commitments"("workspace_id", "number");

-- CreateIndex
CREATE UNIQUE INDEX "commitments_workspace_id_source_key_key" ON "commitments"("workspace_id", "source_key");

-- CreateIndex
CREATE INDEX "commitment_events_commitment_id_at_idx" ON "commitment_events"("commitment_id", "at");

-- AddForeignKey
ALTER TABLE "users" ADD CONSTRAINT "users_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_owner_id_fkey" FOREIGN KEY ("owner_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "account_channels" ADD CONSTRAINT "account_channels_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "account_channels" ADD CONSTRAINT "account_channels_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "commitments" ADD CONSTRAINT "commitments_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "commitments" ADD CONSTRAINT "commitments_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "commitments" ADD CONSTRAINT "commitments_owner_id_fkey" FOREIGN KEY ("owner_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "commitments" ADD CONSTRAINT "commitments_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "commitment_events" ADD CONSTRAINT "commitment_events_commitment_id_fkey" FOREIGN KEY ("commitment_id") REFERENCES "commitments"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "commitment_events" ADD CONSTRAINT "commitment_events_actor_id_fkey" FOREIGN KEY ("actor_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- History is append-only: refuse edits (deletes cascade from the commitment only).
CREATE FUNCTION "kept_refuse_history_update"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'commitment_events is append-only';
END;
$$;

CREATE TRIGGER "commitment_events_append_only" BEFORE UPDATE ON "commitment_events"
  FOR EACH ROW EXECUTE FUNCTION "kept_refuse_history_update"();
