// What Kept sends is true when it is sent (issue 13). A prompt is recorded when the scan finds it
// due and sent later (a DM waits for working hours, a channel for its turn); in between, the item
// may be done, received, dropped, reassigned, rescheduled or snoozed, the account touched, its
// renewal date changed. The sender reads each item again at its moment: it leaves out what is no
// longer true, renders the rest as it is now, and marks a delivery with nothing left `skipped`.
// Real Postgres and Redis, the real sender and workers against the fake Slack Web API, fixed clock.
import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.js';
import type { Db } from '../../src/db/client.js';
import { enqueueDeliveries, QUEUES, deliverJobId } from '../../src/jobs/queues.js';
import { recordDigest } from '../../src/jobs/digest.job.js';
import { scan, SETTLE_MS } from '../../src/jobs/scan.js';
import { SlackSender } from '../../src/jobs/slack-sender.js';
import { startWorkers, type Workers } from '../../src/jobs/worker.js';
import { createLogger } from '../../src/logger.js';
import { createAccount, linkChannel, updateAccount } from '../../src/services/accounts.js';
import { completeCommitment, createCommitment, dropCommitment, reassignCommitment, rescheduleCommitment, snoozeCommitment } from '../../src/services/commitments.js';
import { snoozeCadence } from '../../src/services/cadence.js';
import { recordTouch } from '../../src/services/touches.js';
import { createTestDatabase } from '../helpers/db.js';
import { FakeSlack } from '../helpers/fake-slack.js';
import { eventually, REDIS_URL } from '../helpers/kept.js';

let db: Db;
let drop: () => Promise<void>;
let slack: FakeSlack;
let workers: Workers;
let redis: Redis;
let sender: SlackSender;
const logs: string[] = [];
const prefix = `kept-test-${randomBytes(4).toString('hex')}`;
// Monday 30 November 2026, 10:00 in New York (UTC-5 all through these tests).
const clock = new FixedClock('2026-11-30T15:00:00Z');

beforeAll(async () => {
  ({ db, drop } = await createTestDatabase());
  slack = await FakeSlack.start();
  redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const logger = createLogger('info', 'test', (l) => logs.push(l));
  sender = new SlackSender(db, clock, logger, { token: 'xoxb-test', apiUrl: slack.apiUrl, redis, prefix, channelGapMs: 50 });
  workers = await startWorkers({ db, clock, logger, sender, redisUrl: REDIS_URL, prefix, schedule: false, retryDelayMs: 200 });
});
afterAll(async () => {
  await workers?.close();
  for (const name of Object.values(QUEUES)) {
    const q = new Queue(name, { connection: redis, prefix });
    await q.obliterate({ force: true });
    await q.close();
  }
  redis?.disconnect();
  await slack?.close();
  await drop?.();
});

const ZONE = 'America/New_York';
let n = 0;

/** A workspace with Ana (and Bo), an account linked to a channel with a 14-day cadence, all as of `start`. */
async function world(start = '2026-11-30T15:00:00Z') {
  n++;
  clock.set(start);
  // Each test scans its own stretch of time from scratch, over its own accounts only.
  await db.$executeRaw`DELETE FROM scan_state`;
  await db.account.deleteMany({});
  const ws = await db.workspace.create({ data: { slackTeamId: `TSTALE${n}` } });
  const user = (name: string) =>
    db.user.create({ data: { workspaceId: ws.id, slackUserId: `U${name.toUpperCase()}${n}`, displayName: name, timeZone: ZONE, fetchedAt: clock.now() } });
  const ana = await user('ana');
  const bo = await user('bo');
  const account = await createAccount(db, { workspaceId: ws.id, name: `Acme ${n}`, ownerId: ana.id, tier: 'key' });
  await db.account.update({ where: { id: account.id }, data: { createdAt: clock.now() } });
  await linkChannel(db, ws.id, account.id, `CACME${n}`);
  await updateAccount(db, account.id, { field: 'cadence', days: 14 });
  const commit = async (title: string, dueAt: string, direction: 'ours' | 'theirs' = 'ours') =>
    (await createCommitment(db, clock, { workspaceId: ws.id, accountId: account.id, ownerId: ana.id, createdById: ana.id, title, direction, dueAt: new Date(dueAt), dueTimeZone: ZONE, source: 'test', sourceKey: `c-${n}-${title}` })).commitment;
  const touch = (at: string) =>
    recordTouch(db, clock, { workspaceId: ws.id, accountId: account.id, kind: 'call', occurredAt: new Date(at), summary: 'talked', sentiment: 'neutral', participants: [], contactIds: [], newContacts: [], loggedById: ana.id, source: 'test', sourceKey: `t-${n}-${at}` });
  await scan(db, new Date(clock.now().getTime() + SETTLE_MS)); // starts the scan's clock here
  return { ws, ana, bo, account, commit, touch, channel: `CACME${n}`, dm: `D${ana.slackUserId}` };
}

/** The scan as of `at` (what it records, nothing queued yet): the deliveries it created. */
async function raise(at: string) {
  clock.set(at);
  const { created } = await scan(db, new Date(clock.now().getTime() + SETTLE_MS));
  return db.delivery.findMany({ where: { id: { in: created } }, include: { items: true }, orderBy: { key: 'asc' } });
}

/** The deliveries' moment comes at `at`: the workers take them, and each ends sent or skipped. */
async function deliverAt(ids: string[], at: string | Date) {
  clock.set(at);
  await enqueueDeliveries(workers.queues, ids, 200);
  return settled(ids);
}

async function settled(ids: string[]) {
  return eventually(async () => {
    const rows = await db.delivery.findMany({ where: { id: { in: ids } }, orderBy: { key: 'asc' } });
    return rows.length === ids.length && rows.every((r) => r.status === 'sent' || r.status === 'skipped' || r.status === 'failed') && rows;
  }, 10_000);
}

/** What Slack received for a delivery. */
const postsOf = (deliveryId: string) => slack.callsTo('chat.postMessage').filter((a) => (a.metadata as { event_payload?: { delivery_id?: string } } | undefined)?.event_payload?.delivery_id === deliveryId);
const unix = (iso: string) => String(Math.floor(Date.parse(iso) / 1000));

// Due Friday 4 December 18:00 in New York. Ours: reminded Thursday 09:00 (14:00Z) and Friday 09:00,
// overdue Friday 18:00 (23:00Z). Theirs: followed up from Friday 18:00, a DM that waits for Monday.
const FRIDAY_6PM = '2026-12-04T23:00:00Z';
const THURSDAY_9AM = '2026-12-03T14:01:00Z';

describe('a prompt that is no longer true is not sent', () => {
  it('customer follow-up: received on Friday evening, the Monday DM waiting in the delayed set is skipped', async () => {
    const w = await world('2026-12-02T19:00:00Z'); // Wednesday 14:00 in New York
    const order = await w.commit('customer sends the signed order form', FRIDAY_6PM, 'theirs');
    // The scheduler's tick just after 18:00 on Friday: the follow-up is recorded and its job waits
    // in BullMQ's delayed set for Monday 09:00, Ana's first working moment.
    clock.set('2026-12-04T23:01:00Z');
    const { created } = await workers.tick();
    expect(created).toHaveLength(1);
    const [row] = await db.delivery.findMany({ where: { id: { in: created } }, include: { items: true } });
    expect(row!.kind).toBe('customer_follow_up');
    expect(row!.notBefore.toISOString()).toBe('2026-12-07T14:00:00.000Z');
    expect(row!.message).toBeNull(); // what to send, by reference: rendered when it is sent
    expect(row!.items[0]!.payload).toMatchObject({ kind: 'customer_follow_up', commitmentId: order.id, followUp: 1 });
    const job = await eventually(async () => (await workers.queues.deliveries.getDelayed()).find((j) => j.id === deliverJobId(row!.id)));
    expect(job).toBeTruthy();

    // Received on Friday at 23:30 New York.
    clock.set('2026-12-05T04:30:00Z');
    await completeCommitment(db, clock, { commitmentId: order.id, actorId: w.ana.id });

    // Monday 09:00: the job comes out of the delayed set (promoted rather than waited for).
    clock.set('2026-12-07T14:00:00Z');
    await job!.promote();
    const [done] = await settled([row!.id]);
    expect(done!.status).toBe('skipped');
    expect(done!.skipReason).toBe(`C-${order.number} was received`);
    expect(done!.message).toBeNull();
    expect(postsOf(row!.id)).toHaveLength(0);
    expect(slack.callsTo('chat.postMessage').filter((a) => a.channel === w.dm)).toHaveLength(0);
    // A replayed job (Redis replaying, a second worker) finds it done: skipped stays skipped.
    expect(await sender.send(row!.id)).toEqual({ kind: 'done' });
    expect((await db.delivery.findUniqueOrThrow({ where: { id: row!.id } })).status).toBe('skipped');
  });

  it('customer follow-up still owed: sent, rendered at send time, and the ledger keeps what was posted', async () => {
    const w = await world('2026-12-02T19:00:00Z');
    const order = await w.commit('customer sends the signed order form', FRIDAY_6PM, 'theirs');
    const [row] = await raise('2026-12-04T23:01:00Z');
    const [sent] = await deliverAt([row!.id], '2026-12-07T14:00:00Z');
    expect(sent!.status).toBe('sent');
    const [post] = postsOf(row!.id);
    expect(post!.text).toBe(`Follow up: Acme ${n} owes C-${order.number} customer sends the signed order form`);
    expect(JSON.stringify(post!.blocks)).toContain('follow-up 1 of 3');
    expect(sent!.message).toEqual({ text: post!.text, blocks: post!.blocks });
  });

  it('due soon, then done: skipped', async () => {
    const w = await world();
    const c = await w.commit('Send revised pricing', FRIDAY_6PM);
    const [row] = await raise(THURSDAY_9AM);
    expect(row!.kind).toBe('due_soon_dm');
    clock.set('2026-12-03T14:05:00Z');
    await completeCommitment(db, clock, { commitmentId: c.id, actorId: w.ana.id });
    const [done] = await deliverAt([row!.id], '2026-12-03T14:06:00Z');
    expect(done!.status).toBe('skipped');
    expect(done!.skipReason).toBe(`C-${c.number} is done`);
    expect(postsOf(row!.id)).toHaveLength(0);
  });

  it('overdue, then done: skipped', async () => {
    const w = await world();
    const c = await w.commit('Send revised pricing', FRIDAY_6PM);
    const rows = await raise('2026-12-04T23:01:00Z');
    const overdue = rows.find((r) => r.kind === 'commitment_overdue')!;
    expect(overdue.destination).toBe(w.channel);
    await completeCommitment(db, clock, { commitmentId: c.id, actorId: w.ana.id });
    const [done] = await deliverAt([overdue.id], '2026-12-04T23:02:00Z');
    expect(done!.status).toBe('skipped');
    expect(done!.skipReason).toBe(`C-${c.number} is done`);
    expect(postsOf(overdue.id)).toHaveLength(0);
  });

  it('overdue, then dropped: skipped', async () => {
    const w = await world();
    const c = await w.commit('Send revised pricing', FRIDAY_6PM);
    const overdue = (await raise('2026-12-04T23:01:00Z')).find((r) => r.kind === 'commitment_overdue')!;
    await dropCommitment(db, clock, { commitmentId: c.id, actorId: w.ana.id, reason: 'customer cancelled the project' });
    const [done] = await deliverAt([overdue.id], '2026-12-04T23:02:00Z');
    expect(done!.status).toBe('skipped');
    expect(done!.skipReason).toBe(`C-${c.number} was dropped`);
  });

  it('due soon, then reassigned: Ana’s DM is skipped; an overdue post then names the new owner', async () => {
    const w = await world();
    const c = await w.commit('Send revised pricing', FRIDAY_6PM);
    const [dm] = await raise(THURSDAY_9AM);
    await reassignCommitment(db, clock, { commitmentId: c.id, actorId: w.ana.id, ownerId: w.bo.id });
    const [skipped] = await deliverAt([dm!.id], '2026-12-03T14:06:00Z');
    expect(skipped!.status).toBe('skipped');
    expect(skipped!.skipReason).toBe(`C-${c.number} was reassigned to someone else`);

    // The overdue post goes to the channel whoever owns it: still true, and it says who owes it now.
    const overdue = (await raise('2026-12-04T23:01:00Z')).find((r) => r.kind === 'commitment_overdue')!;
    const [sent] = await deliverAt([overdue.id], '2026-12-04T23:02:00Z');
    expect(sent!.status).toBe('sent');
    expect(JSON.stringify(postsOf(overdue.id)[0]!.blocks)).toContain(`<@${w.bo.slackUserId}> owes`);
  });

  it('due soon, then rescheduled but still due soon: sent, showing the new date', async () => {
    const w = await world();
    const c = await w.commit('Send revised pricing', FRIDAY_6PM);
    const [dm] = await raise(THURSDAY_9AM);
    const newDue = '2026-12-04T17:00:00Z'; // Friday 12:00: still due soon
    await rescheduleCommitment(db, clock, { commitmentId: c.id, actorId: w.ana.id, dueAt: new Date(newDue), reason: 'finance wants it earlier' });
    const [sent] = await deliverAt([dm!.id], '2026-12-03T14:06:00Z');
    expect(sent!.status).toBe('sent');
    const blocks = JSON.stringify(postsOf(dm!.id)[0]!.blocks);
    expect(blocks).toContain(`<!date^${unix(newDue)}^`);
    expect(blocks).not.toContain(unix(FRIDAY_6PM));
    expect(JSON.stringify(sent!.message)).toContain(unix(newDue));
  });

  it('overdue, then rescheduled to next week: skipped', async () => {
    const w = await world();
    const c = await w.commit('Send revised pricing', FRIDAY_6PM);
    const overdue = (await raise('2026-12-04T23:01:00Z')).find((r) => r.kind === 'commitment_overdue')!;
    await rescheduleCommitment(db, clock, { commitmentId: c.id, actorId: w.ana.id, dueAt: new Date('2026-12-09T23:00:00Z'), reason: 'waiting on legal' });
    const [done] = await deliverAt([overdue.id], '2026-12-04T23:02:00Z');
    expect(done!.status).toBe('skipped');
    expect(done!.skipReason).toBe(`C-${c.number} was rescheduled to 2026-12-09T23:00:00.000Z: not overdue any more`);
  });

  it('due soon and overdue, then snoozed: skipped while the snooze lasts', async () => {
    const w = await world();
    const c = await w.commit('Send revised pricing', FRIDAY_6PM);
    const [dm] = await raise(THURSDAY_9AM);
    await snoozeCommitment(db, { commitmentId: c.id, until: new Date('2026-12-04T14:05:00Z') });
    const [soon] = await deliverAt([dm!.id], '2026-12-03T14:06:00Z');
    expect(soon!.status).toBe('skipped');
    expect(soon!.skipReason).toBe(`C-${c.number} is snoozed until 2026-12-04T14:05:00.000Z`);

    const overdue = (await raise('2026-12-04T23:01:00Z')).find((r) => r.kind === 'commitment_overdue')!;
    await snoozeCommitment(db, { commitmentId: c.id, until: new Date('2026-12-05T23:01:00Z') });
    const [late] = await deliverAt([overdue.id], '2026-12-04T23:02:00Z');
    expect(late!.status).toBe('skipped');
    expect(late!.skipReason).toBe(`C-${c.number} is snoozed until 2026-12-05T23:01:00.000Z`);
  });

  it('cadence nudge and overdue post, then a touch: skipped; a snoozed nudge too', async () => {
    const w = await world();
    const account = await db.account.findUniqueOrThrow({ where: { id: w.account.id } });
    const warnAt = account.cadenceWarnAt!;
    const [nudge] = await raise(new Date(warnAt.getTime() + 60_000).toISOString());
    expect(nudge!.items.map((i) => i.kind)).toEqual(['cadence_due_soon']);
    await snoozeCadence(db, w.account.id, clock.now(), 2);
    const [snoozed] = await deliverAt([nudge!.id], new Date(Math.max(nudge!.notBefore.getTime(), clock.now().getTime())));
    expect(snoozed!.status).toBe('skipped');
    expect(snoozed!.skipReason).toMatch(new RegExp(`^Acme ${n}'s nudge was snoozed`));

    const overdue = (await raise(new Date(account.cadenceDueAt!.getTime() + 60_000).toISOString())).find((r) => r.kind === 'cadence_overdue')!;
    const touchedAt = clock.now().toISOString();
    await w.touch(touchedAt);
    const [done] = await deliverAt([overdue.id], new Date(clock.now().getTime() + 60_000));
    expect(done!.status).toBe('skipped');
    expect(done!.skipReason).toBe(`Acme ${n} was touched since (${touchedAt})`);
    expect(postsOf(overdue.id)).toHaveLength(0);
  });

  it('going dark, then a touch: skipped', async () => {
    const w = await world();
    const account = await db.account.findUniqueOrThrow({ where: { id: w.account.id } });
    const rows = await raise(new Date(account.cadenceDarkAt!.getTime() + 60_000).toISOString());
    const dark = rows.find((r) => r.kind === 'going_dark')!;
    expect(dark.destination).toBe(w.channel);
    const touchedAt = clock.now().toISOString();
    await w.touch(touchedAt);
    // The whole stretch was scanned at once: the nudge and the overdue post are no longer true either.
    const done = await deliverAt(rows.map((r) => r.id), new Date(clock.now().getTime() + 60_000));
    expect(done.map((r) => r.status)).toEqual(rows.map(() => 'skipped'));
    expect(done.find((r) => r.id === dark.id)!.skipReason).toBe(`Acme ${n} was touched since (${touchedAt})`);
    expect(postsOf(dark.id)).toHaveLength(0);
  });

  it('renewal warning, then the renewal date changed: skipped', async () => {
    const w = await world();
    // Renews 1 March 2027: the 90-day warning is due on 1 December 2026 (no touch yet: contact is thin).
    await updateAccount(db, w.account.id, { field: 'renewal', date: new Date('2027-03-01') });
    const [renewal] = await raise('2026-12-01T00:01:00Z');
    expect(renewal!.kind).toBe('renewal');
    await updateAccount(db, w.account.id, { field: 'renewal', date: new Date('2027-06-30') });
    const [done] = await deliverAt([renewal!.id], '2026-12-01T00:02:00Z');
    expect(done!.status).toBe('skipped');
    expect(done!.skipReason).toBe(`Acme ${n}'s renewal date changed from 2027-03-01 to 2027-06-30`);
  });

  it('a combined DM with one stale and one live item sends only the live one', async () => {
    const w = await world();
    const stale = await w.commit('Send revised pricing', FRIDAY_6PM);
    const live = await w.commit('Share the roadmap', FRIDAY_6PM);
    const [dm] = await raise(THURSDAY_9AM);
    expect(dm!.items).toHaveLength(2);
    await completeCommitment(db, clock, { commitmentId: stale.id, actorId: w.ana.id });
    const [sent] = await deliverAt([dm!.id], '2026-12-03T14:06:00Z');
    expect(sent!.status).toBe('sent');
    const [post] = postsOf(dm!.id);
    expect(post!.text).toBe(`Coming up: C-${live.number} Share the roadmap`);
    const blocks = JSON.stringify(post!.blocks);
    expect(blocks).toContain('one thing needs');
    expect(blocks).not.toContain('Send revised pricing');
    expect(logs.some((l) => l.includes(`left out C-${stale.number} is done`))).toBe(true);
  });
});

describe('a weekly digest', () => {
  it('is built from the state at the moment it is posted, not when it was recorded', async () => {
    const w = await world();
    const late = await w.commit('Send revised pricing', '2026-12-01T23:00:00Z'); // overdue from Tuesday
    const sub = await db.digestSubscription.create({
      data: { workspaceId: w.ws.id, channelId: w.channel, weekday: 1, time: '09:00', timeZone: ZONE, scope: 'account', accountId: w.account.id, createdById: w.ana.id },
    });
    // Monday 7 December 09:00: recorded, by reference.
    clock.set('2026-12-07T14:00:00Z');
    const [id] = await recordDigest(db, sub, clock.now(), clock.now());
    expect((await db.delivery.findUniqueOrThrow({ where: { id: id! } })).message).toBeNull();
    // Done before the post goes out (say Slack was down for a while).
    clock.set('2026-12-07T14:20:00Z');
    await completeCommitment(db, clock, { commitmentId: late.id, actorId: w.ana.id });
    const [sent] = await deliverAt([id!], '2026-12-07T14:21:00Z');
    expect(sent!.status).toBe('sent');
    const [post] = postsOf(id!);
    const blocks = JSON.stringify(post!.blocks);
    expect(blocks).toContain('30 Nov – 6 Dec');
    expect(blocks).toContain('Delivered this week: 1');
    expect(blocks).not.toContain(':warning: Overdue');
    expect(blocks).not.toContain('Late: this was due'); // 21 minutes after its moment is not late
    expect(sent!.message).toEqual({ text: post!.text, blocks: post!.blocks });
  });

  it('is skipped when the channel’s digest was turned off before it went out', async () => {
    const w = await world();
    const sub = await db.digestSubscription.create({
      data: { workspaceId: w.ws.id, channelId: w.channel, weekday: 1, time: '09:00', timeZone: ZONE, scope: 'account', accountId: w.account.id, createdById: w.ana.id },
    });
    clock.set('2026-12-07T14:00:00Z');
    const [id] = await recordDigest(db, sub, clock.now(), clock.now());
    await db.digestSubscription.delete({ where: { id: sub.id } });
    const [done] = await deliverAt([id!], '2026-12-07T14:01:00Z');
    expect(done!.status).toBe('skipped');
    expect(done!.skipReason).toBe("the channel's digest was turned off");
    expect(postsOf(id!)).toHaveLength(0);
  });
});
