// Fair use end to end: per-person and per-workspace limits on writes, counted in the real Redis and
// shared by every bot on it; reads under their own, higher limit; the work after ack() queued fairly
// below the pool. Windows are ended by deleting the limiter's own keys, never by waiting.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createBot } from '../../src/bot/app.js';
import { createLogger } from '../../src/logger.js';
import { eventually, REDIS_URL, SIGNING_SECRET, startKept, type Kept } from '../helpers/kept.js';
import { blockAction, sendCommand, viewSubmission } from '../helpers/slack-requests.js';

const NOW = '2026-11-23T14:00:00Z';
const LIMITS = { personWritesPerMinute: 3, workspaceWritesPerMinute: 6, personReadsPerMinute: 8 };

/** Ends every fair-use window of these people (as when the minute is over). */
async function newMinute(k: Kept): Promise<void> {
  for (const user of ['U0001', 'U0002', 'U0003', 'U0009']) await k.bot.fairUse.forget('T0001', user);
}

async function withAccount(k: Kept): Promise<void> {
  for (const id of ['U0001', 'U0002', 'U0003', 'U0009']) k.slack.setUser(id, { name: id.toLowerCase(), tz: 'America/New_York' });
  await k.command({ command: '/kept', text: 'account add Acme', channel_id: 'C0001', user_id: 'U0009' });
  await eventually(() => k.db.accountChannel.findFirst({ where: { channelId: 'C0001' } }));
}

const titles = async (k: Kept) => (await k.db.commitment.findMany({ orderBy: { number: 'asc' }, include: { createdBy: true } })).map((c) => c.title);

describe('rate limits', () => {
  let kept: Kept;
  beforeAll(async () => {
    kept = await startKept({ now: NOW, fairUse: LIMITS });
    await withAccount(kept);
  });
  afterAll(() => kept?.close());
  beforeEach(async () => {
    await newMinute(kept);
    kept.slack.reset();
  });

  /** A quick add that saves when admitted; resolves once it is announced (or with the private reply). */
  async function commit(title: string, user = 'U0001', via = kept.baseUrl): Promise<'saved' | string> {
    const id = `${title}-reply`;
    const res = await sendCommand(via, SIGNING_SECRET, { text: `${title} by next Tuesday`, channel_id: 'C0001', user_id: user, response_url: kept.slack.responseUrl(id) });
    expect(res.status).toBe(200);
    // A refusal comes in the acknowledgement itself.
    if (res.body) return (JSON.parse(res.body) as { text: string }).text;
    return Promise.race([
      kept.slack.waitFor('chat.postMessage', (a) => String(a.text).includes(`“${title}”`)).then(() => 'saved' as const),
      kept.slack.waitForResponse((r) => r.id === id).then((r) => (r.body as { text: string }).text),
    ]);
  }

  it('refuses the write after the limit with a slow-down that says when, saves nothing of it, and lets it through in the next minute', async () => {
    for (const t of ['First A', 'Second A', 'Third A']) expect(await commit(t)).toBe('saved');
    // "When" is the end of the limiter's own window: with 7 s of it left, it says 7 seconds.
    await kept.redis.pexpire(kept.bot.fairUse.keys('T0001', 'U0001').personWrites, 7_000);
    expect(await commit('Fourth A')).toMatch(/^:hourglass: Slow down: that is more than 3 changes from you in a minute, the most Kept takes from one person\. Nothing from this one was saved; try again in 7 seconds\.$/);
    // Refused again (from this process's memory now), with the time that is left.
    const again = await commit('Fifth A');
    const seconds = Number(/try again in (\d+) seconds?\.$/.exec(again)![1]);
    expect(seconds).toBeGreaterThan(0);
    expect(seconds).toBeLessThanOrEqual(7);

    // The minute is over.
    await kept.bot.fairUse.forget('T0001', 'U0001');
    expect(await commit('Sixth A')).toBe('saved');
    const saved = await titles(kept);
    expect(saved).toEqual(expect.arrayContaining(['First A', 'Second A', 'Third A', 'Sixth A']));
    expect(saved).not.toContain('Fourth A');
    expect(saved).not.toContain('Fifth A');
  });

  it('counts each person on their own', async () => {
    for (const t of ['One B', 'Two B', 'Three B']) expect(await commit(t, 'U0001')).toBe('saved');
    expect(await commit('Four B', 'U0001')).toMatch(/Slow down: that is more than 3 changes from you/);
    expect(await commit('Other B', 'U0002')).toBe('saved');
  });

  it('counts a workspace as a whole, and each workspace on its own', async () => {
    for (const [t, u] of [['W1', 'U0001'], ['W2', 'U0001'], ['W3', 'U0001'], ['W4', 'U0002'], ['W5', 'U0002'], ['W6', 'U0002']] as const) expect(await commit(t, u)).toBe('saved');
    expect(await commit('W7', 'U0003')).toMatch(/^:hourglass: Slow down: your workspace sent Kept more than 6 changes in the last minute, the most it takes from one workspace\. Nothing from this one was saved; try again in \d+ seconds?\.$/);
    expect(await titles(kept)).not.toContain('W7');

    // Another workspace is not held back.
    kept.slack.setUser('UX001', { name: 'other', tz: 'Europe/London' });
    await kept.command({ command: '/kept', text: 'account add Globex', channel_id: 'CX001', team_id: 'TX001', user_id: 'UX001' });
    expect(JSON.stringify((await kept.lastResponse()).body)).toContain('Created *Globex*');
  });

  it('does not count help and lists as writes, and gives them a much higher limit of their own', async () => {
    for (const t of ['R1', 'R2', 'R3']) expect(await commit(t)).toBe('saved');
    expect(await commit('R4')).toMatch(/Slow down/);
    const reads = ['help', 'list', 'list mine', 'list acme', 'help', 'list overdue', 'list', 'help'];
    for (const text of reads) {
      expect((await kept.command({ text, channel_id: 'C0001' })).body).toBe('');
      expect(JSON.stringify((await kept.lastResponse()).body)).not.toMatch(/Slow down/);
    }
    expect((await kept.command({ command: '/touch', text: 'list acme', channel_id: 'C0001', user_id: 'U0002' })).body).toBe('');
    expect(JSON.stringify((await kept.lastResponse()).body)).toMatch(/Acme/);
    // The ninth read in the minute is one too many.
    const ninth = await kept.command({ text: 'help', channel_id: 'C0001' });
    expect(JSON.parse(ninth.body)).toMatchObject({ response_type: 'ephemeral', text: expect.stringMatching(/Slow down: that is more than 8 requests from you in a minute\. Try again in \d+ seconds?\./) });
  });

  it('answers a click over the limit privately and keeps a form open with the message on its first field', async () => {
    for (const t of ['C1', 'C2', 'C3']) expect(await commit(t)).toBe('saved');
    const c = await kept.db.commitment.findFirstOrThrow({ where: { title: 'C1' } });
    kept.slack.reset();

    const click = await kept.interact(blockAction({ actionId: 'commitment_done', value: c.id, channelId: 'C0001', responseUrl: kept.slack.responseUrl('click') }));
    expect(click.status).toBe(200);
    const reply = await kept.slack.waitForResponse((r) => r.id === 'click');
    expect((reply.body as { text: string }).text).toMatch(/Slow down: that is more than 3 changes from you in a minute/);
    expect((await kept.db.commitment.findUniqueOrThrow({ where: { id: c.id } })).status).toBe('open');

    const form = viewSubmission({ callbackId: 'commit_modal', values: {}, privateMetadata: JSON.stringify({ channelId: 'C0001' }) });
    form.view.blocks = [
      { type: 'section', block_id: 'intro', text: { type: 'mrkdwn', text: 'New commitment' } },
      { type: 'input', block_id: 'title', label: { type: 'plain_text', text: 'What' }, element: { type: 'plain_text_input', action_id: 'title' } },
    ];
    const submitted = await kept.interact(form);
    expect(submitted.status).toBe(200);
    expect(JSON.parse(submitted.body)).toEqual({
      response_action: 'errors',
      errors: { title: expect.stringMatching(/^Slow down: that is more than 3 changes from you in a minute, the most Kept takes from one person\. Nothing was saved yet: submit the form again in \d+ seconds?\.$/) },
    });
  });

  it('shares the count between two bots on the same Redis', async () => {
    const second = createBot({
      db: kept.db,
      redis: kept.redis,
      clock: kept.clock,
      logger: createLogger('error', 'second', () => {}),
      fairUse: { ...LIMITS, prefix: kept.bot.fairUse.options.prefix },
      slack: { botToken: 'xoxb-test', apiUrl: kept.slack.apiUrl, signingSecret: SIGNING_SECRET },
    });
    const port = await second.start(0);
    try {
      const other = `http://127.0.0.1:${port}`;
      expect(await commit('S1', 'U0001', kept.baseUrl)).toBe('saved');
      expect(await commit('S2', 'U0001', other)).toBe('saved');
      expect(await commit('S3', 'U0001', kept.baseUrl)).toBe('saved');
      expect(await commit('S4', 'U0001', other)).toMatch(/Slow down: that is more than 3 changes from you/);
      expect(await titles(kept)).not.toContain('S4');
    } finally {
      await second.stop();
    }
  });

  it('counts in each process when Redis cannot be reached (fail open to local limits), and says so once', async () => {
    const dead = new Redis('redis://127.0.0.1:1', { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null });
    dead.on('error', () => {});
    const logs: string[] = [];
    const alone = createBot({
      db: kept.db,
      redis: dead,
      clock: kept.clock,
      logger: createLogger('warn', 'alone', (l) => logs.push(l)),
      fairUse: { ...LIMITS, prefix: kept.bot.fairUse.options.prefix },
      slack: { botToken: 'xoxb-test', apiUrl: kept.slack.apiUrl, signingSecret: SIGNING_SECRET },
    });
    const port = await alone.start(0);
    try {
      const via = `http://127.0.0.1:${port}`;
      for (const t of ['D1', 'D2', 'D3']) expect(await commit(t, 'U0002', via)).toBe('saved');
      expect(await commit('D4', 'U0002', via)).toMatch(/Slow down: that is more than 3 changes from you/);
      expect(await titles(kept)).not.toContain('D4');
      expect(logs.filter((l) => l.includes('fair use: Redis is'))).toHaveLength(1);
    } finally {
      await alone.stop();
      dead.disconnect();
    }
  });
});

describe('work in flight', () => {
  let kept: Kept;
  beforeAll(async () => {
    // One slot, so the order in which work runs is the order the gate chose.
    kept = await startKept({ now: NOW, fairUse: { inFlight: 1, perPersonInFlight: 1, perPersonQueued: 3, personWritesPerMinute: 100 } });
    await withAccount(kept);
  });
  afterAll(() => kept?.close());

  it('acknowledges at once, runs the work after ack() below the limit, and puts one person’s burst behind other people’s work', async () => {
    kept.slack.reset();
    const hog = await kept.bot.fairUse.gate.enter('T0001:UHOG');
    const send = (title: string, user: string) => kept.command({ text: `${title} by next Tuesday`, channel_id: 'C0001', user_id: user });
    for (const [t, u] of [['Burst 1', 'U0001'], ['Burst 2', 'U0001'], ['Burst 3', 'U0001'], ['Colleague', 'U0002']] as const) {
      // Answered while the only slot is taken: the acknowledgement never waits for the work.
      expect((await send(t, u)).status).toBe(200);
    }
    await eventually(() => kept.bot.fairUse.gate.count('T0001:U0001') === 3 && kept.bot.fairUse.gate.count('T0001:U0002') === 1);
    expect(kept.slack.callsTo('chat.postMessage')).toHaveLength(0);

    // A fourth while three are still waiting: refused, nothing saved.
    expect((await send('Burst 4', 'U0001')).body).toMatch(/Slow down: Kept is still working on 3 things you sent just before\. Nothing from this one was saved; try again in 5 seconds\./);

    hog();
    await eventually(() => kept.slack.callsTo('chat.postMessage').length === 4);
    expect(kept.slack.callsTo('chat.postMessage').map((a) => /“(.+)”/.exec(String(a.text))![1])).toEqual(['Burst 1', 'Colleague', 'Burst 2', 'Burst 3']);
    expect(await titles(kept)).not.toContain('Burst 4');
    await eventually(() => kept.bot.fairUse.gate.count('T0001:U0001') === 0);
  });
});
