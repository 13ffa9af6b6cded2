// The weekly digest: one per channel per local week, recorded in the delivery ledger (so a second
// scheduler firing, a restart or a daylight-saving repeat cannot send it twice), then posted by
// the deliver jobs. Like a prompt, it is recorded by reference (which subscription, which week)
// and built when its first message is sent, from the state at that moment; its continuation
// (thread replies) is recorded then, from the same build.
import { DateTime } from 'luxon';
import type { Db } from '../db/client.js';
import { Prisma, type Delivery, type DigestSubscription } from '../../generated/prisma/client.js';
import { setMessage } from '../services/ledger.js';
import { buildDigest, type DigestScope } from '../services/digest.js';
import { isValidTimeZone } from '../services/time.js';
import { digestMessages } from '../messages/digest.js';
import type { Message } from '../messages/format.js';
import { enqueueDeliveries, JOBS, type Queues } from './queues.js';

export const digestSchedulerId = (subscriptionId: string) => `digest-${subscriptionId}`;
/** A digest more than this late says so. */
const LATE_AFTER_MS = 30 * 60_000;

export function scopeOf(sub: DigestSubscription): DigestScope {
  const workspaceId = sub.workspaceId;
  if (sub.scope === 'account' && sub.accountId) return { kind: 'account', workspaceId, accountId: sub.accountId };
  if (sub.scope === 'owners') return { kind: 'owners', workspaceId, ownerIds: sub.ownerIds };
  if (sub.scope === 'tier' && sub.tier) return { kind: 'tier', workspaceId, tier: sub.tier };
  return { kind: 'all', workspaceId };
}

/** The local week a digest belongs to, e.g. 2026-W48, in the subscription's zone. */
export function weekKey(at: Date, zone: string): string {
  return DateTime.fromJSDate(at, { zone: isValidTimeZone(zone) ? zone : 'UTC' }).toFormat("kkkk-'W'WW");
}

/** This week's scheduled moment for a subscription (in its zone), which may be ahead of `now`. */
export function scheduledThisWeek(sub: Pick<DigestSubscription, 'weekday' | 'time' | 'timeZone'>, now: Date): Date {
  const [hour, minute] = sub.time.split(':').map(Number);
  const local = DateTime.fromJSDate(now, { zone: sub.timeZone }).set({ weekday: sub.weekday as 1, hour, minute, second: 0, millisecond: 0 });
  return local.toJSDate();
}

export async function digestFor(db: Db, sub: DigestSubscription, now: Date, lateSince?: Date): Promise<Message[]> {
  const digest = await buildDigest(db, scopeOf(sub), now);
  const account = sub.accountId ? await db.account.findUnique({ where: { id: sub.accountId }, select: { name: true } }) : null;
  const title = account ? `Weekly review: ${account.name}` : 'Weekly portfolio review';
  return digestMessages(digest, { title, portfolio: sub.scope !== 'account', zone: sub.timeZone, ...(lateSince ? { lateSince } : {}) });
}

/** What a digest delivery sends, by reference (its prompt item's payload). */
export interface DigestRef {
  kind: 'digest';
  subscriptionId: string;
  /** When it was due: its week, and whether it goes out late. */
  scheduledFor: string;
}

/**
 * Records this week's digest for a subscription, unless it already was: the first message's
 * ledger row, by reference (built when it is sent). `scheduledFor` is when it was due. Returns the
 * ledger rows created.
 */
export async function recordDigest(db: Db, sub: DigestSubscription, now: Date, scheduledFor: Date): Promise<string[]> {
  const first = `digest:${sub.channelId}:${weekKey(scheduledFor, sub.timeZone)}:1`;
  const ref: DigestRef = { kind: 'digest', subscriptionId: sub.id, scheduledFor: scheduledFor.toISOString() };
  const created = await db.$queryRaw<{ delivery_id: string }[]>`
    WITH d AS (
      INSERT INTO deliveries (workspace_id, key, kind, destination, not_before, created_at)
      VALUES (${sub.workspaceId}::uuid, ${first}, 'digest', ${sub.channelId}, ${now}::timestamptz, ${now}::timestamptz)
      ON CONFLICT (workspace_id, key) DO NOTHING
      RETURNING id, workspace_id, key)
    INSERT INTO prompt_items (workspace_id, key, kind, delivery_id, payload, created_at)
    SELECT workspace_id, key, 'digest', id, ${JSON.stringify(ref)}::jsonb, ${now}::timestamptz FROM d
    RETURNING delivery_id`;
  return created.map((r) => r.delivery_id);
}

/** A digest as it would be posted now: its messages, late if `now` is well past its moment. null: the subscription is gone. */
export async function renderDigest(db: Db, ref: DigestRef, now: Date): Promise<Message[] | null> {
  const sub = await db.digestSubscription.findUnique({ where: { id: ref.subscriptionId } });
  if (!sub) return null;
  const scheduledFor = new Date(ref.scheduledFor);
  return digestFor(db, sub, now, now.getTime() - scheduledFor.getTime() > LATE_AFTER_MS ? scheduledFor : undefined);
}

/**
 * The first message of a recorded digest, built now, and its continuation recorded as thread
 * replies (they wait for the first message's ts). Called by the sender holding the row's claim,
 * once: a later attempt posts what was built.
 */
export async function composeDigest(db: Db, d: Pick<Delivery, 'id' | 'workspaceId' | 'key' | 'destination'>, now: Date): Promise<{ kind: 'message'; message: Message; follow: string[] } | { kind: 'skip'; reason: string }> {
  const item = await db.promptItem.findFirst({ where: { deliveryId: d.id }, select: { payload: true } });
  const messages = item ? await renderDigest(db, item.payload as unknown as DigestRef, now) : null;
  if (!messages) return { kind: 'skip', reason: "the channel's digest was turned off" };
  const [first, ...rest] = messages;
  const follow = await db.$transaction(async (tx) => {
    await setMessage(tx, d.id, first!);
    if (!rest.length) return [];
    const base = d.key.replace(/:1$/, '');
    const rows = rest.map((m, i) => {
      const message = { ...m, thread_of: d.key };
      return Prisma.sql`(${d.workspaceId}::uuid, ${`${base}:${i + 2}`}, 'digest', ${d.destination}, ${JSON.stringify(message)}::jsonb, ${now}::timestamptz)`;
    });
    const created = await tx.$queryRaw<{ id: string; key: string }[]>`
      INSERT INTO deliveries (workspace_id, key, kind, destination, message, not_before)
      VALUES ${Prisma.join(rows)}
      ON CONFLICT (workspace_id, key) DO NOTHING
      RETURNING id, key`;
    return created.sort((a, b) => Number(a.key.split(':').at(-1)) - Number(b.key.split(':').at(-1))).map((r) => r.id);
  });
  return { kind: 'message', message: first!, follow };
}

/** One BullMQ job scheduler per subscription, firing at its weekday and time in its own zone. */
export async function upsertDigestScheduler(queues: Pick<Queues, 'ticks'>, sub: DigestSubscription): Promise<void> {
  const [hour, minute] = sub.time.split(':').map(Number);
  await queues.ticks.upsertJobScheduler(
    digestSchedulerId(sub.id),
    { pattern: `${minute} ${hour} * * ${sub.weekday % 7}`, tz: sub.timeZone },
    { name: JOBS.digest, data: { subscriptionId: sub.id }, opts: { removeOnComplete: 100, removeOnFail: 100 } },
  );
}

export async function removeDigestScheduler(queues: Pick<Queues, 'ticks'>, subscriptionId: string): Promise<void> {
  await queues.ticks.removeJobScheduler(digestSchedulerId(subscriptionId));
}

/** Runs a digest job: the moment it was scheduled for decides its week. */
export async function runDigestJob(db: Db, queues: Queues, subscriptionId: string, now: Date, scheduledFor: Date): Promise<string[]> {
  const sub = await db.digestSubscription.findUnique({ where: { id: subscriptionId }, include: { workspace: { select: { inactiveSince: true } } } });
  // A workspace Kept was removed from gets nothing (its scheduler is removed; this is a straggler).
  if (!sub || sub.workspace.inactiveSince) return [];
  const created = await recordDigest(db, sub, now, scheduledFor);
  await enqueueDeliveries(queues, created);
  return created;
}

/**
 * On worker start: make sure every subscription has its scheduler (Redis may have lost them),
 * and send, late and once, any digest whose moment this week passed while no worker was running.
 */
export async function reconcileDigests(db: Db, queues: Queues, now: Date): Promise<string[]> {
  const subs = await db.digestSubscription.findMany({ where: { workspace: { inactiveSince: null } } });
  const created: string[] = [];
  for (const sub of subs) {
    await upsertDigestScheduler(queues, sub);
    const due = scheduledThisWeek(sub, now);
    if (due <= now && sub.createdAt < due) created.push(...(await recordDigest(db, sub, now, due)));
  }
  await enqueueDeliveries(queues, created);
  return created;
}
