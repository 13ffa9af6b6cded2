-- OAuth installs (issue 17): one row per workspace or org-wide install, the bot token encrypted;
-- a workspace that lost its token is marked inactive.
ALTER TABLE "workspaces" ADD COLUMN "inactive_since" TIMESTAMPTZ(3), ADD COLUMN "inactive_reason" TEXT;

CREATE TABLE "installations" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "install_key" TEXT NOT NULL,
    "team_id" TEXT,
    "team_name" TEXT,
    "enterprise_id" TEXT,
    "is_enterprise_install" BOOLEAN NOT NULL DEFAULT false,
    "app_id" TEXT,
    "bot_id" TEXT,
    "bot_user_id" TEXT NOT NULL,
    "scopes" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "installer_user_id" TEXT,
    "bot_token_encrypted" TEXT NOT NULL,
    "key_id" TEXT NOT NULL,
    "installed_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "installations_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "installations_install_key_key" ON "installations"("install_key");
CREATE INDEX "installations_key_id_idx" ON "installations"("key_id");
