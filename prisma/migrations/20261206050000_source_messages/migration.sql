-- Commitments and touches recorded from a Slack message ("Track as commitment", "Log as touch")
-- keep where that message is: its channel and ts (the thread Kept replies in) and its permalink
-- (shown wherever the commitment is shown). channel_id/message_ts stay where Kept announced it.
ALTER TABLE "commitments" ADD COLUMN "source_channel_id" TEXT;
ALTER TABLE "commitments" ADD COLUMN "source_message_ts" TEXT;
ALTER TABLE "commitments" ADD COLUMN "source_thread_ts" TEXT;
ALTER TABLE "commitments" ADD COLUMN "source_permalink" TEXT;
-- Tracking the same message twice finds the first commitment (NULLs do not collide).
CREATE UNIQUE INDEX "commitments_workspace_id_source_channel_id_source_message_ts_key" ON "commitments"("workspace_id", "source_channel_id", "source_message_ts");

ALTER TABLE "touches" ADD COLUMN "source_channel_id" TEXT;
ALTER TABLE "touches" ADD COLUMN "source_message_ts" TEXT;
ALTER TABLE "touches" ADD COLUMN "source_permalink" TEXT;

-- One reply in the source message's thread per change of a commitment (done, received,
-- rescheduled, dropped): the row is claimed before posting, so a retried click posts once.
CREATE TABLE "thread_replies" (
    "event_id" UUID NOT NULL,
    "commitment_id" UUID NOT NULL,
    "channel_id" TEXT NOT NULL,
    "thread_ts" TEXT NOT NULL,
    "ts" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "thread_replies_pkey" PRIMARY KEY ("event_id")
);
CREATE INDEX "thread_replies_commitment_id_idx" ON "thread_replies"("commitment_id");
ALTER TABLE "thread_replies" ADD CONSTRAINT "thread_replies_event_id_fkey" FOREIGN KEY ("event_id") REFERENCES "commitment_events"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "thread_replies" ADD CONSTRAINT "thread_replies_commitment_id_fkey" FOREIGN KEY ("commitment_id") REFERENCES "commitments"("id") ON DELETE CASCADE ON UPDATE CASCADE;
