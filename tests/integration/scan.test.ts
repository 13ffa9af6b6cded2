// The scheduler's scan: what becomes due, when, to whom; once; in working hours; across DST.
import { DateTime } from 'luxon';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.js';
import type { Db } from '../../src/db/client.js';
import { scan, SETTLE_MS } from '../../src/jobs/scan.js';
import { composeDelivery } from '../../src/jobs/compose.js';
import { createAccount, linkChannel, updateAccount } from '../../src/services/accounts.js';
import { createCommitment } from '../../src/services/commitments.js';
import { recordTouch } from '../../src/services/touches.js';
import { createTestDatabase } from '../helpers/db.js';

let db: Db;
let drop: () => Promise<void>;
beforeAll(async () => {
  ({ db, drop } = await createTestDatabase());
});
afterAll(() => drop?.());

let n = 0;
async function world(start: string, zone = 'America/New_York') {
  n++;
  await db.$executeRaw`DELETE FROM scan_state`;
  const clock = new FixedClock(start);
  const ws = await db.workspace.create({ data: { slackTeamId: `T${n}` } });
  const owner = await db.user.create({ data: { workspaceId: ws.id, slackUserId: `UOWN${n}`, displayName: 'ana', timeZone: zone, fetchedAt: clock.now() } });
  await db.account.deleteMany({});
  const account = await createAccount(db, { workspaceId: ws.id, name: `Acme ${n}`, ownerId: owner.id, tier: 'key' });
  await db.account.update({ where: { id: account.id }, data: { createdAt: clock.now() } });
  await linkChannel(db, ws.id, account.id, `CACME${n}`);
  await updateAccount(db, account.id, { field: 'cadence', days: 14 }); // recompute from the new createdAt
  const touch = (at: string, sentiment: 'positive' | 'neutral' | 'negative' = 'neutral') =>
    recordTouch(db, clock, { workspaceId: ws.id, accountId: account.id, kind: 'call', occurredAt: new Date(at), summary: 'talked', sentiment, participants: [], contactIds: [], newContacts: [], loggedById: owner.id, source: 'test', sourceKey: `t-${at}-${Math.random()}` });
  const commit = (title: string, dueAt: string, direction: 'ours' | 'theirs' = 'ours') =>
    createCommitment(db, clock, { workspaceId: ws.id, accountId: account.id, ownerId: owner.id, createdById: owner.id, title, direction, dueAt: new Date(dueAt), dueTimeZone: zone, source: 'test', sourceKey: `c-${title}` });
  return { clock, ws, owner, account, touch, commit };
}

/**
 * Scans every `stepHours` from the clock's time until `until`, moving the clock along. Each tick
 * runs just after the step (as the every-minute scheduler would), so that a moment on the step
 * itself is inside the scan's settled window.
 */
async function runUntil(clock: FixedClock, until: string, stepHours = 1) {
  const end = new Date(until).getTime();
  while (clock.now().getTime() < end) {
    clock.advance(stepHours * 3600_000);
    await scan(db, new Date(clock.now().getTime() + SETTLE_MS));
  }
}

const deliveries = (workspaceId: string) => db.delivery.findMany({ where: { workspaceId }, orderBy: [{ notBefore: 'asc' }, { key: 'asc' }], include: { items: true } });
/** What the sender would post for a recorded delivery at `at` (it renders at send time). */
const rendered = async (d: { id: string; kind: string; destination: string }, at: Date) => {
  const c = await composeDelivery(db, d, at);
  return JSON.stringify(c?.kind === 'message' ? c.message : c);
};
const local = (d: Date, zone: string) => DateTime.fromJSDate(d, { zone }).toFormat('ccc yyyy-MM-dd HH:mm');

describe('cadence prompts', () => {
  it('nudges the owner before, posts in the channel when missed, and warns when dark, each once', async () => {
    // Mon 2 Nov 2026 10:00 New York; a touch now; cadence 14 days.
    const w = await world('2026-11-02T15:00:00Z');
    await w.touch('2026-11-02T15:00:00Z');
    await scan(db, w.clock.now());
    await runUntil(w.clock, '2026-12-02T00:00:00Z', 6);
    const rows = await deliveries(w.ws.id);
    expect(rows.map((r) => r.kind)).toEqual(['due_soon_dm', 'cadence_overdue', 'going_dark']);
    const [soon, overdue, dark] = rows;
    // Due Mon 16 Nov 15:00Z; 20% of 14 days is 2.8 days, but the window is at least one working
    // day, which reaches back to Fri 13 Nov 15:00Z (10:00 in New York, inside working hours).
    expect(soon!.destination).toBe(w.owner.slackUserId);
    expect(local(soon!.notBefore, 'America/New_York')).toBe('Fri 2026-11-13 10:00');
    expect(overdue!.destination).toBe(`CACME${n}`);
    expect(overdue!.message).toBeNull(); // rendered when it is sent
    expect(await rendered(overdue!, overdue!.notBefore)).toContain(`<@${w.owner.slackUserId}>`);
    expect(dark!.notBefore.toISOString()).toBe('2026-11-30T15:00:15.000Z'); // the first tick after the moment
    // Rescanning the past changes nothing.
    await scan(db, w.clock.now());
    expect(await db.delivery.count({ where: { workspaceId: w.ws.id } })).toBe(3);
  });

  it('a touch restarts the clock: no overdue post if the owner got in touch in time', async () => {
    const w = await world('2026-11-02T15:00:00Z');
    await w.touch('2026-11-02T15:00:00Z');
    await runUntil(w.clock, '2026-11-14T00:00:00Z', 6);
    await w.touch('2026-11-14T00:00:00Z');
    await runUntil(w.clock, '2026-11-20T00:00:00Z', 6);
    expect((await deliveries(w.ws.id)).map((r) => r.kind)).toEqual(['due_soon_dm']);
  });
});

describe('commitment prompts', () => {
  it('reminds the owner the working day before and on the morning, then posts the overdue item with buttons', async () => {
    // Created Mon 23 Nov; due Fri 27 Nov 18:00 New York.
    const w = await world('2026-11-23T15:00:00Z');
    await w.touch('2026-11-23T15:00:00Z');
    const { commitment } = await w.commit('Send pricing', '2026-11-27T23:00:00Z');
    await runUntil(w.clock, '2026-11-28T12:00:00Z');
    const rows = (await deliveries(w.ws.id)).filter((r) => r.items.some((i) => i.kind.startsWith('commitment')));
    expect(rows.map((r) => `${r.kind} ${local(r.notBefore, 'America/New_York')}`)).toEqual([
      'due_soon_dm Thu 2026-11-26 09:00',
      'due_soon_dm Fri 2026-11-27 09:00',
      'commitment_overdue Fri 2026-11-27 18:00',
    ]);
    const buttons = await rendered(rows[2]!, rows[2]!.notBefore);
    for (const id of ['commitment_done', 'commitment_snooze', 'commitment_reschedule', 'commitment_reassign', 'commitment_drop']) expect(buttons).toContain(id);
    expect(await rendered(rows[0]!, rows[0]!.notBefore)).toContain('commitment_more_time');
    // Nothing is left to say about it: its schedule has ended.
    expect(await db.commitmentSchedule.findUnique({ where: { commitmentId: commitment.id } })).toBeNull();
  });

  it('combines one person’s due-soon items into one DM a day', async () => {
    const w = await world('2026-11-23T15:00:00Z');
    await w.touch('2026-11-15T14:00:00Z'); // 14-day cadence: due Sun 29 Nov 14:00Z, warned 2.8 days before, Thu 26 Nov 18:48Z
    await w.commit('Send pricing', '2026-11-27T23:00:00Z');
    await w.commit('Share roadmap', '2026-11-27T20:00:00Z');
    await runUntil(w.clock, '2026-11-26T23:30:00Z', 1);
    const dms = (await deliveries(w.ws.id)).filter((r) => r.kind === 'due_soon_dm');
    // Thursday's DM, planned for 09:00 with both commitments, had not gone out (no sender here)
    // when the cadence warning came at 13:48 New York: it joins the same DM.
    expect(dms).toHaveLength(1);
    expect(dms[0]!.items.map((i) => i.kind).sort()).toEqual(['cadence_due_soon', 'commitment_due_soon', 'commitment_due_soon']);
    expect(await rendered(dms[0]!, w.clock.now())).toContain('3 things need');
  });

  it('a DM that already went out leaves later items for the next working morning', async () => {
    const w = await world('2026-11-23T15:00:00Z');
    await w.touch('2026-11-15T14:00:00Z');
    await w.commit('Send pricing', '2026-11-27T23:00:00Z');
    await runUntil(w.clock, '2026-11-26T15:00:00Z', 1);
    await db.delivery.updateMany({ where: { workspaceId: w.ws.id }, data: { status: 'sent', sentAt: w.clock.now() } });
    await runUntil(w.clock, '2026-11-26T23:30:00Z', 1);
    const dms = (await deliveries(w.ws.id)).filter((r) => r.kind === 'due_soon_dm');
    expect(dms.map((d) => `${local(d.notBefore, 'America/New_York')} ${d.items.map((i) => i.kind).join(',')}`)).toEqual([
      'Thu 2026-11-26 09:00 commitment_due_soon',
      'Fri 2026-11-27 09:00 cadence_due_soon',
    ]);
  });

  it('follows up on what the customer owes every 3 working days, 3 times at most', async () => {
    const w = await world('2026-11-23T15:00:00Z');
    await w.touch('2026-11-23T15:00:00Z');
    await w.commit('Signed order form', '2026-11-24T23:00:00Z', 'theirs');
    await runUntil(w.clock, '2026-12-15T00:00:00Z', 6);
    const rows = (await deliveries(w.ws.id)).filter((r) => r.kind === 'customer_follow_up');
    expect(rows.map((r) => local(r.notBefore, 'America/New_York'))).toEqual(['Wed 2026-11-25 09:00', 'Mon 2026-11-30 09:00', 'Thu 2026-12-03 09:00']);
    expect(rows.every((r) => r.destination === w.owner.slackUserId)).toBe(true);
  });
});

describe('early warnings', () => {
  it('a negative touch warns the account channel at once', async () => {
    const w = await world('2026-11-23T15:00:00Z');
    await w.touch('2026-11-23T14:00:00Z', 'negative');
    w.clock.advance(60_000);
    await scan(db, w.clock.now());
    const [row] = await deliveries(w.ws.id);
    expect(row!.kind).toBe('negative_touch');
    expect(row!.destination).toBe(`CACME${n}`);
    expect(row!.notBefore).toEqual(w.clock.now()); // a channel post goes at once
  });

  it('a renewal 90, 60 and 30 days out warns only when recent contact is thin', async () => {
    const w = await world('2026-11-23T15:00:00Z');
    await w.touch('2026-11-20T15:00:00Z');
    await updateAccount(db, w.account.id, { field: 'renewal', date: new Date('2027-03-31T00:00:00Z') });
    // 90 days before 31 Mar is 31 Dec; the last touch (20 Nov) is then older than the 14-day cadence.
    await runUntil(w.clock, '2027-03-05T00:00:00Z', 24);
    const rows = (await deliveries(w.ws.id)).filter((r) => r.kind === 'renewal');
    expect(rows.map((r) => r.notBefore.toISOString().slice(0, 10))).toEqual(['2026-12-31', '2027-01-30', '2027-03-01']);
    expect(rows.map((r) => r.key.split(':')[0])).toEqual(['renewal_90', 'renewal_60', 'renewal_30']);
  });
});

describe('time', () => {
  it('holds DMs until the recipient’s working hours', async () => {
    // A 30-day cadence from 4 Nov is due Fri 4 Dec; 20% (6 days) before is Sat 28 Nov 10:00Z.
    // The DM waits for Monday 09:00 Berlin.
    const w = await world('2026-11-27T15:00:00Z', 'Europe/Berlin');
    await updateAccount(db, w.account.id, { field: 'cadence', days: 30 });
    await w.touch('2026-11-04T10:00:00Z');
    w.clock.set('2026-11-28T10:30:00Z');
    await scan(db, w.clock.now());
    const dms = (await deliveries(w.ws.id)).filter((r) => r.kind === 'due_soon_dm');
    expect(dms.map((d) => local(d.notBefore, 'Europe/Berlin'))).toEqual(['Mon 2026-11-30 09:00']);
  });

  it.each([
    // zone, a Monday after the autumn change, due that Monday 17:00 local
    ['America/New_York', '2026-11-02', 'Fri 2026-10-30 09:00', 'Mon 2026-11-02 09:00'],
    ['Europe/Berlin', '2026-10-26', 'Fri 2026-10-23 09:00', 'Mon 2026-10-26 09:00'],
    ['Australia/Sydney', '2026-10-05', 'Fri 2026-10-02 09:00', 'Mon 2026-10-05 09:00'],
  ])('reminds at 09:00 local across a daylight-saving change in %s', async (zone, monday, dayBefore, morning) => {
    const dueAt = DateTime.fromISO(`${monday}T17:00`, { zone }).toJSDate();
    const start = DateTime.fromISO(`${monday}T12:00`, { zone }).minus({ days: 8 }).toJSDate();
    const w = await world(start.toISOString(), zone);
    await w.touch(start.toISOString());
    await w.commit('Send pricing', dueAt.toISOString());
    // Tick every 20 minutes through the weekend of the change.
    await runUntil(w.clock, new Date(dueAt.getTime() + 3600_000).toISOString(), 1 / 3);
    const rows = (await deliveries(w.ws.id)).filter((r) => r.items.some((i) => i.kind === 'commitment_due_soon'));
    expect(rows.map((r) => local(r.notBefore, zone))).toEqual([dayBefore, morning]);
    expect(await db.delivery.count({ where: { workspaceId: w.ws.id, kind: 'commitment_overdue' } })).toBe(1);
    // ~650 scans: 10–20 s alone on a busy 2-core machine, past the default 30 s in a full parallel run.
  }, 90_000);
});

describe('catching up and dry runs', () => {
  it('a missed stretch is caught up once by the next tick', async () => {
    const w = await world('2026-11-23T15:00:00Z');
    await w.touch('2026-11-23T15:00:00Z', 'negative');
    await w.commit('Send pricing', '2026-11-24T23:00:00Z');
    await scan(db, new Date('2026-11-23T15:01:00Z'));
    // Workers down for three days.
    await scan(db, new Date('2026-11-27T15:00:00Z'));
    await scan(db, new Date('2026-11-27T15:00:00Z'));
    await scan(db, new Date('2026-11-27T15:01:00Z'));
    // The reminder moments passed while nobody was there: the overdue post speaks for them, once.
    const kinds = (await deliveries(w.ws.id)).map((r) => r.kind).sort();
    expect(kinds).toEqual(['commitment_overdue', 'negative_touch']);
  });

  it('a dry run shows what would go out and keeps nothing', async () => {
    const w = await world('2026-11-23T15:00:00Z');
    await w.touch('2026-11-23T14:00:00Z', 'negative');
    const result = await scan(db, new Date('2026-11-23T15:05:00Z'), { dryRun: true });
    expect(result.planned.map((p) => p.kind)).toEqual(['negative_touch']);
    expect(await db.delivery.count({ where: { workspaceId: w.ws.id } })).toBe(0);
    expect(await db.scanState.count()).toBe(0);
  });
});
