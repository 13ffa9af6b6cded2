// The delivery ledger's state machine. Slack's chat.postMessage has no idempotency key, so the
// ledger is what makes a background post happen once: a row is claimed before posting, and a
// post whose outcome is unknown (5xx, timeout, a worker killed mid-call) is looked for before
// it is ever posted again.
import type { DbOrTx } from '../db/client.js';
import type { Delivery } from '../../generated/prisma/client.js';

/** How long a claim holds a row against other workers: longer than one post can take. */
export const CLAIM_LEASE_MS = 30_000;
/** last_error prefix marking an attempt whose post may have landed. */
export const UNCERTAIN = 'uncertain:';

export type Claim =
  | { kind: 'claimed'; delivery: Delivery; mayHaveLanded: boolean; previousAttemptAt: Date | null }
  | { kind: 'done'; delivery: Delivery }
  | { kind: 'wait'; until: Date }
  | { kind: 'missing' };

/**
 * Takes a row for sending: pending, or left 'sending' by an attempt that ended uncertain or whose
 * lease ran out (its worker died). One statement, so two workers cannot both take it. The lease
 * runs on updated_at; attempted_at keeps the start of the first attempt that may have landed, so
 * the look-up before posting again always reaches back far enough.
 */
export async function claim(db: DbOrTx, id: string, now: Date): Promise<Claim> {
  const leaseStart = new Date(now.getTime() - CLAIM_LEASE_MS);
  const rows = await db.$queryRaw<(Delivery & { prev_status: string; prev_attempted_at: Date | null })[]>`
    WITH prev AS (SELECT id, status, attempted_at FROM deliveries WHERE id = ${id}::uuid FOR UPDATE)
    UPDATE deliveries d SET status = 'sending', attempts = d.attempts + 1, last_error = NULL, updated_at = ${now},
      attempted_at = CASE WHEN prev.status = 'sending' THEN COALESCE(d.attempted_at, ${now}) ELSE ${now} END
    FROM prev
    WHERE d.id = prev.id AND d.not_before <= ${now}
      AND (d.status = 'pending' OR (d.status = 'sending' AND (d.last_error LIKE ${UNCERTAIN + '%'} OR d.updated_at < ${leaseStart})))
    RETURNING d.id, prev.status AS prev_status, prev.attempted_at AS prev_attempted_at`;
  const row = rows[0];
  const delivery = await db.delivery.findUnique({ where: { id } });
  if (!delivery) return { kind: 'missing' };
  if (row) return { kind: 'claimed', delivery, mayHaveLanded: row.prev_status === 'sending', previousAttemptAt: row.prev_attempted_at };
  if (delivery.status === 'sent' || delivery.status === 'failed' || delivery.status === 'skipped') return { kind: 'done', delivery };
  if (delivery.notBefore > now) return { kind: 'wait', until: delivery.notBefore };
  // Another worker holds it: look again when its lease ends.
  return { kind: 'wait', until: new Date(delivery.updatedAt.getTime() + CLAIM_LEASE_MS) };
}

export async function markSent(db: DbOrTx, id: string, sent: { channelId: string; ts: string; at: Date }): Promise<void> {
  await db.delivery.update({ where: { id }, data: { status: 'sent', channelId: sent.channelId, messageTs: sent.ts, sentAt: sent.at, lastError: null } });
}

/**
 * Nothing the claimed row carried is still true: it is done, with the reason, and never posted.
 * Only while the claim holds (status 'sending'), so a row another worker took over is left alone.
 */
export async function markSkipped(db: DbOrTx, id: string, reason: string): Promise<void> {
  await db.delivery.updateMany({ where: { id, status: 'sending' }, data: { status: 'skipped', skipReason: reason, lastError: null } });
}

/** The message rendered for this attempt, kept before posting: the ledger holds what was (or may have been) posted. */
export async function setMessage(db: DbOrTx, id: string, message: object): Promise<void> {
  await db.delivery.updateMany({ where: { id, status: 'sending' }, data: { message } });
}

export async function markFailed(db: DbOrTx, id: string, error: string): Promise<void> {
  await db.delivery.update({ where: { id }, data: { status: 'failed', lastError: error } });
}

/** The post certainly did not land (429, an ok:false answer): back to pending. */
export async function release(db: DbOrTx, id: string, error: string): Promise<void> {
  await db.delivery.update({ where: { id }, data: { status: 'pending', lastError: error } });
}

/** The post may have landed (5xx, timeout): stays 'sending', and the next attempt looks first. */
export async function markUncertain(db: DbOrTx, id: string, error: string): Promise<void> {
  await db.delivery.update({ where: { id }, data: { lastError: `${UNCERTAIN} ${error}` } });
}

/**
 * Rows that should be moving but may have lost their job (Redis restarted, a job failed for good):
 * pending or uncertain, due, and untouched for a while. Indexed by (status, not_before).
 */
export async function stalled(db: DbOrTx, now: Date, olderThanMs: number, limit: number): Promise<string[]> {
  const rows = await db.delivery.findMany({
    where: { status: { in: ['pending', 'sending'] }, notBefore: { lte: now }, updatedAt: { lt: new Date(now.getTime() - olderThanMs) } },
    select: { id: true },
    orderBy: { notBefore: 'asc' },
    take: limit,
  });
  return rows.map((r) => r.id);
}

/**
 * An operator's replay of a delivery Slack refused for good (`npm run kept -- retry`): back to
 * pending, so the normal path (claim, look, post) sends it. Only a failed row moves, so a replay
 * run twice, or of a row already on its way, changes nothing.
 */
export async function retryFailed(db: DbOrTx, id: string, now: Date): Promise<'retried' | 'not_failed' | 'missing'> {
  const current = await db.delivery.findUnique({ where: { id }, select: { status: true, lastError: true } });
  if (!current) return 'missing';
  const moved = await db.delivery.updateMany({
    where: { id, status: 'failed' },
    data: { status: 'pending', lastError: `retried by an operator after: ${current.lastError ?? 'unknown error'}`, updatedAt: now },
  });
  return moved.count ? 'retried' : 'not_failed';
}
