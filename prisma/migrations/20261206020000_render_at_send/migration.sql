-- A prompt's message is rendered when it is sent, from the state of its items at that moment
-- (prompt_items.payload holds references: what to send, not how it looked when it was raised).
-- Until then a prompt delivery has no message; once sent, the column keeps what was posted.
ALTER TABLE "deliveries" ALTER COLUMN "message" DROP NOT NULL;

-- Why a delivery was skipped: nothing it carried was still true when its moment came.
ALTER TABLE "deliveries" ADD COLUMN "skip_reason" TEXT;
