// The weekly review: its figures on fixed data, splitting, exactly once per local week, and the
// /kept digest commands through the real receiver.
import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digestMessages } from '../../src/messages/digest.js';
import { FixedClock } from '../../src/clock.js';
import type { Db } from '../../src/db/client.js';
import { recordDigest, renderDigest, scheduledThisWeek, upsertDigestScheduler, weekKey, type DigestRef } from '../../src/jobs/digest.job.js';
import { QUEUES, openQueues } from '../../src/jobs/queues.js';
import { SlackSender } from '../../src/jobs/slack-sender.js';
import { startWorkers } from '../../src/jobs/worker.js';
import { createLogger } from '../../src/logger.js';
import { createAccount, linkChannel, updateAccount } from '../../src/services/accounts.js';
import { completeCommitment, createCommitment, dropCommitment, rescheduleCommitment } from '../../src/services/commitments.js';
import { addContact } from '../../src/services/contacts.js';
import { buildDigest } from '../../src/services/digest.js';
import { recordTouch } from '../../src/services/touches.js';
import { createTestDatabase } from '../helpers/db.js';
import { eventually, REDIS_URL, startKept, type Kept } from '../helpers/kept.js';

let db: Db;
let drop: () => Promise<void>;
beforeAll(async () => {
  ({ db, drop } = await createTestDatabase());
});
afterAll(() => drop?.());

let n = 0;
async function workspace() {
  n++;
  const ws = await db.workspace.create({ data: { slackTeamId: `TD${n}` } });
  const ana = await db.user.create({ data: { workspaceId: ws.id, slackUserId: `UANA${n}`, displayName: 'ana', timeZone: 'Europe/Berlin' } });
  return { ws, ana };
}

describe('digest content on fixed data', () => {
  // The digest runs Monday 30 Nov 2026 08:00Z; "this week" is the 7 days before.
  const now = new Date('2026-11-30T08:00:00Z');
  const at = (s: string) => new Date(s);

  it('counts each section’s figures', async () => {
    const { ws, ana } = await workspace();
    const clock = new FixedClock('2026-11-01T08:00:00Z');
    const acme = await createAccount(db, { workspaceId: ws.id, name: 'Acme', ownerId: ana.id, tier: 'strategic' });
    await updateAccount(db, acme.id, { field: 'renewal', date: at('2027-01-15T00:00:00Z') });
    const calm = await createAccount(db, { workspaceId: ws.id, name: 'Calm Co', ownerId: ana.id });
    const dana = await addContact(db, { workspaceId: ws.id, accountId: acme.id, name: 'Dana', role: 'decision_maker' });
    await addContact(db, { workspaceId: ws.id, accountId: acme.id, name: 'Li', role: 'champion' });
    let k = 0;
    const touch = (accountId: string, when: string, extra: Partial<Parameters<typeof recordTouch>[2]> = {}) => {
      clock.set(when);
      return recordTouch(db, clock, { workspaceId: ws.id, accountId, kind: 'call', occurredAt: at(when), summary: 'talked', sentiment: 'neutral', participants: [], contactIds: [], newContacts: [], loggedById: ana.id, source: 't', sourceKey: `t${n}-${k++}`, ...extra });
    };
    const commit = (accountId: string, title: string, dueAt: string, direction: 'ours' | 'theirs' = 'ours') =>
      createCommitment(db, clock, { workspaceId: ws.id, accountId, ownerId: ana.id, createdById: ana.id, title, direction, dueAt: at(dueAt), dueTimeZone: 'Europe/Berlin', source: 't', sourceKey: `c${n}-${k++}` }).then((r) => r.commitment);
    const done = (id: string, when: string) => {
      clock.set(when);
      return completeCommitment(db, clock, { commitmentId: id, actorId: ana.id });
    };

    clock.set('2026-11-01T08:00:00Z');
    const early = await commit(acme.id, 'Early', '2026-11-27T17:00:00Z');
    const renegotiated = await commit(acme.id, 'Renegotiated', '2026-11-24T17:00:00Z');
    const dropped = await commit(acme.id, 'Dropped', '2026-11-25T17:00:00Z');
    const overdueOurs = await commit(acme.id, 'Overdue ours', '2026-11-26T17:00:00Z');
    await commit(acme.id, 'Overdue theirs', '2026-11-27T17:00:00Z', 'theirs');
    await commit(acme.id, 'Next week', '2026-12-03T17:00:00Z');
    await commit(acme.id, 'Later', '2026-12-20T17:00:00Z');
    const lastMonth = await commit(acme.id, 'Last month', '2026-11-10T17:00:00Z');

    await touch(acme.id, '2026-11-05T10:00:00Z', { contactIds: [dana.id] }); // Dana: touched, but 25 days ago
    await done(lastMonth.id, '2026-11-12T10:00:00Z'); // late, 3 weeks ago
    await touch(acme.id, '2026-11-24T10:00:00Z', { sentiment: 'negative', summary: 'pricing pushback' });
    await touch(acme.id, '2026-11-26T10:00:00Z');
    await touch(acme.id, '2026-11-27T10:00:00Z', { kind: 'note', summary: 'a note' });
    await touch(acme.id, '2026-11-10T10:00:00Z'); // before the week
    await done(early.id, '2026-11-25T10:00:00Z'); // early: on time
    clock.set('2026-11-23T10:00:00Z');
    await rescheduleCommitment(db, clock, { commitmentId: renegotiated.id, actorId: ana.id, dueAt: at('2026-11-28T17:00:00Z'), reason: 'Legal review' });
    await done(renegotiated.id, '2026-11-27T10:00:00Z'); // after its original date: late
    clock.set('2026-11-24T10:00:00Z');
    await dropCommitment(db, clock, { commitmentId: dropped.id, actorId: ana.id, reason: 'Not needed' });
    await touch(calm.id, '2026-11-28T10:00:00Z');

    const d = await buildDigest(db, { kind: 'all', workspaceId: ws.id }, now);
    const a = d.accounts.find((x) => x.name === 'Acme')!;
    expect(a.touchesThisWeek).toBe(2); // not the note, not the one before the week
    expect(a.delivered).toEqual({ thisWeek: 2, onTimeThisWeek: 1 });
    expect(a.onTime4).toEqual({ delivered: 3, onTime: 1, rate: 1 / 3 });
    expect(a.onTime12).toEqual({ delivered: 3, onTime: 1, rate: 1 / 3 });
    expect(a.overdue.map((i) => `${i.title}/${i.direction}`)).toEqual(['Overdue ours/ours', 'Overdue theirs/theirs']);
    expect(a.overdue[0]!.id).toBe(overdueOurs.id);
    expect(a.dueNext7.map((i) => i.title)).toEqual(['Next week']);
    expect(a.renegotiated).toEqual([{ number: renegotiated.number, title: 'Renegotiated', reason: 'Legal review', from: at('2026-11-24T17:00:00Z'), to: at('2026-11-28T17:00:00Z') }]);
    expect(a.negativeTouches.map((t) => t.summary)).toEqual(['pricing pushback']);
    expect(a.renewalInDays).toBe(46);
    // Strategic: 7-day cadence; Dana last touched 25 days ago (> 14), Li never.
    expect(a.quietContacts.map((c) => c.name)).toEqual(['Dana', 'Li']);
    expect(d.summary).toMatchObject({ accounts: 2, overdueItems: 2, onTime4: { delivered: 3, onTime: 1 } });
    // The messages carry the same figures and the buttons on overdue items.
    const [msg] = digestMessages(d, { title: 'Weekly portfolio review', portfolio: true, zone: 'Europe/Berlin' });
    const json = JSON.stringify(msg!.blocks);
    expect(json).toContain('2 accounts:');
    expect(json).toContain('on time 4 weeks 33% (1/3)');
    expect(json).toContain('Legal review');
    expect(json).toContain('Renews in 46 days');
    expect(json).toContain('commitment_reschedule');
    expect(json).toContain('remind_customer');
  });

  it('puts the riskiest accounts first', async () => {
    const { ws, ana } = await workspace();
    for (const [name, touched] of [['Fresh', '2026-11-29T08:00:00Z'], ['Dark', '2026-09-01T08:00:00Z'], ['Overdue', '2026-10-25T08:00:00Z']] as const) {
      const a = await createAccount(db, { workspaceId: ws.id, name, ownerId: ana.id });
      await db.account.update({ where: { id: a.id }, data: { lastTouchAt: at(touched) } });
      await updateAccount(db, a.id, { field: 'cadence', days: 30 });
    }
    const d = await buildDigest(db, { kind: 'owners', workspaceId: ws.id, ownerIds: [ana.id] }, now);
    expect(d.accounts.map((a) => `${a.name}:${a.status}`)).toEqual(['Dark:dark', 'Overdue:overdue', 'Fresh:on_track']);
    expect(d.summary).toMatchObject({ onTrack: 1, overdue: 1, dark: 1 });
  });

  it('splits 500 accounts into messages within Slack’s limits, leaving nothing out', async () => {
    const { ws, ana } = await workspace();
    const rows = Array.from({ length: 500 }, (_, i) => ({ workspaceId: ws.id, name: `Account ${String(i).padStart(3, '0')}`, normalizedName: `account ${i}`, ownerId: ana.id }));
    await db.account.createMany({ data: rows });
    const accounts = await db.account.findMany({ where: { workspaceId: ws.id }, select: { id: true } });
    // An overdue item on every fifth account.
    await db.commitment.createMany({
      data: accounts.filter((_, i) => i % 5 === 0).map((a, i) => ({
        workspaceId: ws.id, number: i + 1, title: `Overdue thing ${i}`, accountId: a.id, ownerId: ana.id, dueAt: at('2026-11-20T10:00:00Z'),
        dueTimeZone: 'UTC', originalDueAt: at('2026-11-20T10:00:00Z'), createdById: ana.id, source: 't', sourceKey: `bulk-${i}`,
      })),
    });
    const d = await buildDigest(db, { kind: 'all', workspaceId: ws.id }, now);
    const messages = digestMessages(d, { title: 'Weekly portfolio review', portfolio: true, zone: 'UTC' });
    expect(messages.length).toBeGreaterThan(5);
    for (const m of messages) {
      expect(m.blocks.length).toBeLessThanOrEqual(50);
      expect(JSON.stringify(m.blocks).length).toBeLessThan(12_000);
      expect(m.text.length).toBeLessThanOrEqual(4000);
      for (const b of m.blocks) if (b.type === 'section' && 'text' in b && b.text) expect(b.text.text.length).toBeLessThanOrEqual(3000);
    }
    const all = messages.map((m) => JSON.stringify(m.blocks)).join('');
    for (let i = 0; i < 500; i++) expect(all).toContain(`Account ${String(i).padStart(3, '0')}`);
    expect(all.match(/Overdue thing/g)).toHaveLength(100);
    expect(messages[1]!.text).toContain('continued (2 of');
  });
});

describe('exactly once per local week', () => {
  it('records one digest per channel per week, whatever fires twice, and its parts in order', async () => {
    const { ws, ana } = await workspace();
    const a = await createAccount(db, { workspaceId: ws.id, name: 'Acme', ownerId: ana.id });
    await linkChannel(db, ws.id, a.id, 'CDIG');
    const sub = await db.digestSubscription.create({ data: { workspaceId: ws.id, channelId: 'CDIG', weekday: 1, time: '09:00', timeZone: 'America/New_York', scope: 'account', accountId: a.id, createdById: ana.id, createdAt: new Date('2026-10-01T00:00:00Z') } });
    // Monday 2 Nov 2026 is the first Monday after New York leaves daylight time: 09:00 EST = 14:00Z.
    const due = scheduledThisWeek(sub, new Date('2026-11-04T12:00:00Z'));
    expect(due.toISOString()).toBe('2026-11-02T14:00:00.000Z');
    expect(scheduledThisWeek(sub, new Date('2026-10-28T12:00:00Z')).toISOString()).toBe('2026-10-26T13:00:00.000Z'); // 09:00 EDT
    const first = await recordDigest(db, sub, due, due);
    expect(first.length).toBeGreaterThanOrEqual(1);
    expect(await recordDigest(db, sub, due, due)).toEqual([]);
    // The scheduler re-registered and fired again an hour later (the repeated hour): same week.
    expect(await recordDigest(db, sub, new Date(due.getTime() + 3600_000), new Date(due.getTime() + 3600_000))).toEqual([]);
    const rows = await db.delivery.findMany({ where: { workspaceId: ws.id, kind: 'digest' } });
    expect(rows.map((r) => r.key)).toEqual([`digest:CDIG:${weekKey(due, 'America/New_York')}:1`]);
    // The next week is another digest.
    const next = new Date(due.getTime() + 7 * 24 * 3600_000);
    expect((await recordDigest(db, sub, next, next)).length).toBeGreaterThanOrEqual(1);
    // Late: a digest recorded long after its moment says so.
    const later = new Date(due.getTime() + 14 * 24 * 3600_000);
    await recordDigest(db, sub, new Date(later.getTime() + 5 * 3600_000), later);
    const lateRow = await db.delivery.findFirstOrThrow({ where: { key: `digest:CDIG:${weekKey(later, 'America/New_York')}:1` }, include: { items: true } });
    // Recorded by reference, built when it is posted: five hours after its moment, it says it is late.
    expect(lateRow.message).toBeNull();
    const ref = lateRow.items[0]!.payload as unknown as DigestRef;
    expect(ref).toEqual({ kind: 'digest', subscriptionId: sub.id, scheduledFor: later.toISOString() });
    expect(JSON.stringify(await renderDigest(db, ref, new Date(later.getTime() + 5 * 3600_000)))).toContain('Late: this was due');
    expect(JSON.stringify(await renderDigest(db, ref, new Date(later.getTime() + 60_000)))).not.toContain('Late: this was due');
  });

  it('keeps one BullMQ scheduler per subscription, at its local time', async () => {
    const prefix = `kept-test-${randomBytes(4).toString('hex')}`;
    const queues = openQueues(REDIS_URL, prefix);
    const sub = { id: '00000000-0000-4000-8000-000000000001', weekday: 1, time: '09:00', timeZone: 'Europe/Berlin' } as never;
    await upsertDigestScheduler(queues, sub);
    await upsertDigestScheduler(queues, sub);
    const schedulers = await queues.ticks.getJobSchedulers();
    expect(schedulers).toHaveLength(1);
    expect(schedulers[0]).toMatchObject({ pattern: '0 9 * * 1', tz: 'Europe/Berlin' });
    const next = DateTime.fromMillis(Number(schedulers[0]!.next), { zone: 'Europe/Berlin' });
    expect(next.toFormat('ccc HH:mm')).toBe('Mon 09:00');
    const q = new Queue(QUEUES.ticks, { connection: queues.ticks.opts.connection as never, prefix });
    await q.obliterate({ force: true });
    await q.close();
    await queues.close();
  });
});

describe('/kept digest', () => {
  let kept: Kept;
  const prefix = `kept-test-${randomBytes(4).toString('hex')}`;
  beforeAll(async () => {
    kept = await startKept({ now: '2026-11-23T09:00:00Z', queuePrefix: prefix });
    kept.slack.setUser('U0001', { name: 'ana', tz: 'Europe/Berlin' });
    kept.slack.setUser('U0002', { name: 'maria', tz: 'Europe/Berlin' });
    await kept.command({ command: '/kept', text: 'account add Acme', channel_id: 'CACME' });
    await kept.lastResponse();
  });
  afterAll(async () => {
    await kept.queues?.ticks.obliterate({ force: true });
    await kept?.close();
  });
  const reply = async () => JSON.stringify((await kept.lastResponse()).body);

  it('subscribes an account channel to its review, with a scheduler in its zone', async () => {
    kept.slack.reset();
    await kept.command({ command: '/kept', text: 'digest weekly fri 16:30 America/New_York', channel_id: 'CACME' });
    expect(await reply()).toContain('Every Friday at 16:30 (America/New_York), this channel gets the review of this channel’s account');
    const sub = await kept.db.digestSubscription.findFirstOrThrow({ where: { channelId: 'CACME' } });
    expect(sub).toMatchObject({ weekday: 5, time: '16:30', timeZone: 'America/New_York', scope: 'account' });
    const schedulers = await kept.queues!.ticks.getJobSchedulers();
    expect(schedulers.find((s) => s.key === `digest-${sub.id}`)).toMatchObject({ pattern: '30 16 * * 5', tz: 'America/New_York' });
  });

  it('subscribes another channel to a portfolio review by owner, defaulting to Monday 09:00 in the user’s zone', async () => {
    kept.slack.reset();
    await kept.command({ command: '/kept', text: 'digest weekly for <@U0001|ana> <@U0002|maria>', channel_id: 'CTEAM' });
    expect(await reply()).toContain('Every Monday at 09:00 (Europe/Berlin), this channel gets a portfolio review of the accounts of 2 owner(s)');
  });

  it('previews the digest only to the caller', async () => {
    kept.slack.reset();
    await kept.command({ command: '/kept', text: 'digest preview', channel_id: 'CTEAM' });
    const r = await reply();
    expect(r).toContain('Weekly portfolio review');
    expect(r).toContain('Acme');
    expect(kept.slack.callsTo('chat.postMessage')).toHaveLength(0);
  });

  it('a digest missed while workers were down goes out once, late, continued in its thread', async () => {
    const ws = await kept.db.workspace.findFirstOrThrow();
    const owner = await kept.db.user.findFirstOrThrow({ where: { slackUserId: 'U0001' } });
    await kept.db.account.createMany({ data: Array.from({ length: 150 }, (_, i) => ({ workspaceId: ws.id, name: `Bulk ${i}`, normalizedName: `bulk ${i}`, ownerId: owner.id })) });
    kept.slack.reset();
    await kept.command({ command: '/kept', text: 'digest weekly mon 08:00 UTC for all', channel_id: 'CALL' });
    await kept.lastResponse();
    await kept.db.digestSubscription.updateMany({ where: { channelId: 'CALL' }, data: { createdAt: new Date('2026-11-01T00:00:00Z') } });
    const logger = createLogger('warn', 'test', (l) => kept.logs.push(l));
    const sender = new SlackSender(kept.db, kept.clock, logger, { token: 'xoxb-test', apiUrl: kept.slack.apiUrl, redis: kept.redis, prefix, channelGapMs: 200 });
    // Workers come back at 09:00, an hour after Monday's 08:00 digest was due.
    const workers = await startWorkers({ db: kept.db, clock: kept.clock, logger, sender, redisUrl: REDIS_URL, prefix, schedule: true, retryDelayMs: 200 });
    try {
      // The first message is built when it is posted; its thread replies are recorded then.
      const rows = await eventually(async () => {
        const all = await kept.db.delivery.findMany({ where: { kind: 'digest', destination: 'CALL' } });
        return all.length > 1 && all.every((r) => r.status === 'sent') && all;
      }, 20_000);
      const posts = kept.slack.callsTo('chat.postMessage').filter((a) => a.channel === 'CALL');
      expect(posts).toHaveLength(rows.length);
      const first = await kept.db.delivery.findFirstOrThrow({ where: { kind: 'digest', destination: 'CALL', key: { endsWith: ':1' } } });
      expect(JSON.stringify(posts[0]!.blocks)).toContain('Late: this was due');
      for (const reply of posts.slice(1)) expect(reply.thread_ts).toBe(first.messageTs);
      // Restarting the workers does not send it again.
      await workers.close();
      const again = await startWorkers({ db: kept.db, clock: kept.clock, logger, sender, redisUrl: REDIS_URL, prefix, schedule: true, retryDelayMs: 200 });
      await again.close();
      expect(await kept.db.delivery.count({ where: { kind: 'digest', destination: 'CALL' } })).toBe(rows.length);
    } finally {
      await workers.close().catch(() => {});
      await kept.queues?.deliveries.obliterate({ force: true });
    }
  });

  it('explains bad input and stops', async () => {
    kept.slack.reset();
    await kept.command({ command: '/kept', text: 'digest weekly mon 25:00', channel_id: 'CTEAM' });
    expect(await reply()).toContain('not a time of day');
    kept.slack.reset();
    await kept.command({ command: '/kept', text: 'digest weekly mon 09:00 Mars/Olympus', channel_id: 'CTEAM' });
    expect(await reply()).toContain('not a time zone I know');
    kept.slack.reset();
    await kept.command({ command: '/kept', text: 'digest off', channel_id: 'CTEAM' });
    expect(await reply()).toContain('Stopped');
    expect(await kept.db.digestSubscription.count({ where: { channelId: 'CTEAM' } })).toBe(0);
  });
});
