// The App Home: app_home_opened publishes the dashboard; Show more and Log a touch, end to end.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Directory } from '../../src/bot/people.js';
import type { ListenerDeps } from '../../src/bot/listeners/deps.js';
import { ACTIONS, EVENTS } from '../../src/messages/ids.js';
import { FixedClock } from '../../src/clock.js';
import { createLogger } from '../../src/logger.js';
import { createAccount } from '../../src/services/accounts.js';
import { completeCommitment, createCommitment } from '../../src/services/commitments.js';
import { SIGNING_SECRET, startKept, type Kept } from '../helpers/kept.js';
import { blockAction, sendEvent } from '../helpers/slack-requests.js';

// Monday 23 Nov 2026, 15:00 in Berlin.
const NOW = '2026-11-23T14:00:00Z';
const DAY = 24 * 3600 * 1000;
const at = (iso: string) => new Date(iso);

let kept: Kept;
let deps: ListenerDeps;

const texts = (view: any): string => view.blocks.map((b: any) => b.text?.text ?? b.elements?.map((e: any) => e.text?.text ?? e.text ?? '').join(' ') ?? '').join('\n');
const openHome = (tab = 'home') => sendEvent(kept.baseUrl, SIGNING_SECRET, { type: EVENTS.appHomeOpened, user: 'U0001', channel: 'D0001', tab, event_ts: '1795000000.000100' });

beforeAll(async () => {
  kept = await startKept({ now: NOW });
  kept.slack.setUser('U0001', { name: 'ana', tz: 'Europe/Berlin' });
  kept.slack.setUser('U0002', { name: 'maria', tz: 'Europe/Berlin' });
  deps = {
    db: kept.db,
    redis: kept.redis,
    clock: kept.clock,
    logger: createLogger('warn', 'test'),
    slack: { botToken: 'xoxb-test', apiUrl: kept.slack.apiUrl, signingSecret: SIGNING_SECRET },
    directory: new Directory(kept.db, kept.clock, async () => kept.bot.app.client),
  };

  const { workspace, user: ana } = await deps.directory.actor('T0001', 'U0001');
  const { user: maria } = await deps.directory.actor('T0001', 'U0002');
  const ws = workspace.id;

  // Accounts in each cadence state (moments set directly: the dashboard reads them as stored).
  const account = async (name: string, ownerId: string, moments: { warn: string; due: string; dark: string; last?: string }, archived = false) => {
    const a = await createAccount(kept.db, { workspaceId: ws, name, ownerId, now: at('2026-11-01T00:00:00Z') });
    return kept.db.account.update({
      where: { id: a.id },
      data: { cadenceWarnAt: at(moments.warn), cadenceDueAt: at(moments.due), cadenceDarkAt: at(moments.dark), lastTouchAt: moments.last ? at(moments.last) : null, archived },
    });
  };
  const onTrack = await account('Initech', ana.id, { warn: '2026-12-01T00:00:00Z', due: '2026-12-03T00:00:00Z', dark: '2026-12-17T00:00:00Z', last: '2026-11-19T00:00:00Z' });
  await account('Globex', ana.id, { warn: '2026-11-10T00:00:00Z', due: '2026-11-12T00:00:00Z', dark: '2026-11-19T00:00:00Z' });
  await account('Umbrella', ana.id, { warn: '2026-11-18T00:00:00Z', due: '2026-11-20T00:00:00Z', dark: '2026-11-27T00:00:00Z', last: '2026-11-13T00:00:00Z' });
  await account('Hooli', ana.id, { warn: '2026-11-22T00:00:00Z', due: '2026-11-25T00:00:00Z', dark: '2026-12-02T00:00:00Z', last: '2026-11-18T00:00:00Z' });
  await account('Stark', maria.id, { warn: '2026-11-10T00:00:00Z', due: '2026-11-12T00:00:00Z', dark: '2026-11-19T00:00:00Z' });
  await account('Wayne', ana.id, { warn: '2026-11-10T00:00:00Z', due: '2026-11-12T00:00:00Z', dark: '2026-11-19T00:00:00Z' }, true);

  let key = 0;
  const commit = async (title: string, dueAt: string, o: { owner?: string; direction?: 'ours' | 'theirs'; createdAt?: string } = {}) => {
    const clock = new FixedClock(o.createdAt ?? '2026-10-01T00:00:00Z');
    const { commitment } = await createCommitment(kept.db, clock, {
      workspaceId: ws, accountId: onTrack.id, ownerId: o.owner ?? ana.id, createdById: ana.id, title, direction: o.direction ?? 'ours',
      dueAt: at(dueAt), dueTimeZone: 'Europe/Berlin', source: 'test', sourceKey: `seed-${++key}`,
    });
    return commitment;
  };
  // Open, ours: 2 overdue, 2 this week, 10 later.
  await commit('Send the SOC2 answers', '2026-11-20T17:00:00Z');
  await commit('Fix the invoice', '2026-11-22T17:00:00Z');
  await commit('Share the roadmap', '2026-11-25T17:00:00Z');
  await commit('Book the QBR', '2026-11-29T17:00:00Z');
  for (let i = 1; i <= 10; i++) await commit(`Later thing ${i}`, new Date(at('2026-12-10T17:00:00Z').getTime() + i * DAY).toISOString());
  // Customers owe: one overdue, one upcoming.
  await commit('Signed DPA', '2026-11-21T17:00:00Z', { direction: 'theirs' });
  await commit('Usage data export', '2026-11-27T17:00:00Z', { direction: 'theirs' });
  // Someone else's.
  await commit('Maria’s promise', '2026-11-24T17:00:00Z', { owner: maria.id });

  // Delivered: last 4 weeks 3 on time + 1 late; 6–10 weeks ago 2 on time → 4 weeks 75% (3/4), 12 weeks 83% (5/6).
  const done = async (title: string, dueAt: string, completedAt: string) => {
    const c = await commit(title, dueAt, { createdAt: '2026-08-01T00:00:00Z' });
    await completeCommitment(kept.db, new FixedClock(completedAt), { commitmentId: c.id, actorId: ana.id });
  };
  await done('On time 1', '2026-11-20T17:00:00Z', '2026-11-19T10:00:00Z');
  await done('On time 2', '2026-11-15T17:00:00Z', '2026-11-15T10:00:00Z');
  await done('On time 3', '2026-11-06T17:00:00Z', '2026-11-02T10:00:00Z');
  await done('Late 1', '2026-11-10T17:00:00Z', '2026-11-12T10:00:00Z');
  await done('Old on time 1', '2026-10-10T17:00:00Z', '2026-10-09T10:00:00Z');
  await done('Old on time 2', '2026-09-20T17:00:00Z', '2026-09-18T10:00:00Z');
});
afterAll(() => kept?.close());
beforeEach(() => kept.slack.reset());

describe('opening the App Home', () => {
  it('publishes the dashboard to the person who opened it', async () => {
    const res = await openHome();
    expect(res.status).toBe(200);
    const publish = await kept.slack.waitFor('views.publish');
    expect(publish.user_id).toBe('U0001');
    expect(publish.view.type).toBe('home');
    expect(publish.view.blocks.length).toBeLessThanOrEqual(100);
    const t = texts(publish.view);

    expect(t).toContain('*What you owe* · 14 open · 2 overdue');
    expect(t).toContain(':warning: *Overdue* (2)');
    expect(t).toContain('*Due this week* (2)');
    expect(t).toContain('*Later* (10)');
    expect(t).toContain('Send the SOC2 answers');
    expect(t).toContain('Later thing 6');
    expect(t).not.toContain('Later thing 7');
    expect(t).toContain('…and 4 more: 4 due later.');
    expect(t).not.toContain('Maria’s promise');

    expect(t).toContain('*What customers owe you* · 2 open · 1 overdue');
    expect(t.indexOf('Signed DPA')).toBeLessThan(t.indexOf('Usage data export'));

    expect(t).toContain('*Your accounts* · 4 · 1 dark · 1 overdue · 1 due soon');
    const accounts = t.slice(t.indexOf('*Your accounts*'));
    const order = ['Globex', 'Umbrella', 'Hooli', 'Initech'].map((n) => accounts.indexOf(`*${n}*`));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(t).toContain(':black_circle: dark · *Globex*');
    expect(t).not.toContain('Stark');
    expect(t).not.toContain('Wayne');

    expect(t).toContain('On time: 4 weeks 75% (3/4) · 12 weeks 83% (5/6)');

    const more = publish.view.blocks.filter((b: any) => b.type === 'actions').flatMap((b: any) => b.elements).filter((e: any) => e.action_id === ACTIONS.homeShowMore);
    expect(more.map((e: any) => e.value)).toEqual(['commitments:2']);
  });

  it('publishes nothing for the Messages tab', async () => {
    await openHome('messages');
    await openHome();
    await kept.slack.waitFor('views.publish');
    expect(kept.slack.callsTo('views.publish')).toHaveLength(1);
  });

  it('Show more publishes the home again with more of that list', async () => {
    await openHome();
    const first = await kept.slack.waitFor('views.publish');
    kept.slack.reset();
    const res = await kept.interact(
      blockAction({ actionId: ACTIONS.homeShowMore, value: 'commitments:2', userId: 'U0001', view: { type: 'home', private_metadata: first.view.private_metadata, blocks: [] } }),
    );
    expect(res.status).toBe(200);
    const second = await kept.slack.waitFor('views.publish');
    expect(second.user_id).toBe('U0001');
    const t = texts(second.view);
    for (let i = 1; i <= 10; i++) expect(t).toContain(`Later thing ${i}`);
    expect(t).not.toContain('…and');
    expect(JSON.parse(second.view.private_metadata)).toEqual({ commitments: 2, theirs: 1, accounts: 1 });
    expect(second.view.blocks.length).toBeGreaterThan(first.view.blocks.length);
  });

  it('Log a touch opens the touch modal with today in the person’s zone', async () => {
    await kept.interact(blockAction({ actionId: ACTIONS.homeLogTouch, value: 'home', userId: 'U0001', triggerId: 'trig.home-touch', view: { type: 'home', blocks: [] } }));
    const open = await kept.slack.waitFor('views.open');
    expect(open.trigger_id).toBe('trig.home-touch');
    expect(open.view.callback_id).toBe('touch_modal');
    expect(open.view.blocks.find((b: any) => b.block_id === 'when_date').element.initial_date).toBe('2026-11-23');
    expect(open.view.blocks.find((b: any) => b.block_id === 'when_time').element.initial_time).toBe('15:00');
    expect(JSON.parse(open.view.private_metadata)).toEqual({ channelId: null, timeZone: 'Europe/Berlin', accountId: null });
  });
});
