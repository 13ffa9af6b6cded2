// Broadcasts, group mentions and links a person types never reach Slack live: the exact line from
// issue 12 through the real receiver, the workers and the fake Slack's recorded calls.
import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { QUEUES } from '../../src/jobs/queues.js';
import { SlackSender } from '../../src/jobs/slack-sender.js';
import { startWorkers, type Workers } from '../../src/jobs/worker.js';
import { createLogger } from '../../src/logger.js';
import { eventually, REDIS_URL, startKept, type Kept } from '../helpers/kept.js';
import { liveMarkupIn } from '../helpers/slack-markup.js';
import { blockAction, option, viewSubmission } from '../helpers/slack-requests.js';

/** Generous: the machine may be busy, and the first requests are the slowest. */
const WAIT_MS = 10_000;
const LINE = 'Acme: Ship <!channel> <!here> <!everyone> <@U123> <https://evil.example|click> by Friday';
const BROADCASTS = ['<!channel>', '<!here>', '<!everyone>', '<https://evil.example|click>', '<!subteam'];
/** The people Kept parsed in this scenario (ana runs the commands; U123 is the owner named with @; maria gets it reassigned). */
const KNOWN = { people: ['U0001', 'U123', 'U0002'], channels: ['CACME'] };

let kept: Kept;
let workers: Workers;
const prefix = `kept-test-${randomBytes(4).toString('hex')}`;

beforeAll(async () => {
  // Monday 23 Nov 2026, 09:00 in New York.
  kept = await startKept({ now: '2026-11-23T14:00:00Z' });
  kept.slack.setUser('U0001', { name: 'ana', tz: 'America/New_York' });
  kept.slack.setUser('U123', { name: 'lee', tz: 'America/New_York' });
  kept.slack.setUser('U0002', { name: 'maria', tz: 'America/New_York' });
  const logger = createLogger('warn', 'test', (l) => kept.logs.push(l));
  const sender = new SlackSender(kept.db, kept.clock, logger, { token: 'xoxb-test', apiUrl: kept.slack.apiUrl, redis: kept.redis, prefix });
  workers = await startWorkers({ db: kept.db, clock: kept.clock, logger, sender, redisUrl: REDIS_URL, prefix, schedule: false, retryDelayMs: 200 });
  await kept.command({ command: '/kept', text: 'account add Acme', channel_id: 'CACME' });
  await eventually(() => kept.db.accountChannel.findFirst({ where: { channelId: 'CACME' } }), WAIT_MS);
  await workers.tick();
});
afterAll(async () => {
  await workers?.close();
  const q = new Queue(QUEUES.deliveries, { connection: kept.redis, prefix });
  await q.obliterate({ force: true });
  await q.close();
  await kept?.close();
});
beforeEach(() => kept.slack.reset());

/** Nothing live but Kept's own mentions of parsed people, its dates and its channels; and no raw broadcast text at all. */
function expectInert(payload: unknown) {
  expect(liveMarkupIn(payload, KNOWN)).toEqual([]);
  const json = JSON.stringify(payload);
  for (const b of BROADCASTS) expect(json).not.toContain(b);
}

describe(`/commit ${LINE}`, () => {
  it('posts, prompts, confirms, updates and DMs without a live broadcast, group, link or stray mention', async () => {
    await kept.command({ text: LINE, channel_id: 'CACME', user_id: 'U0001' });
    const c = await eventually(() => kept.db.commitment.findFirst({ include: { owner: true } }), WAIT_MS);
    expect(c.title).toBe('Ship <!channel> <!here> <!everyone> <https://evil.example|click>');
    expect(c.owner.slackUserId).toBe('U123');

    // The channel post: its text (the notification) and its blocks.
    const post = await kept.slack.waitFor('chat.postMessage', (a) => a.channel === 'CACME', WAIT_MS);
    expectInert({ text: post.text, blocks: post.blocks });
    expect(post.text).toContain('Ship &lt;!channel&gt; &lt;!here&gt; &lt;!everyone&gt; &lt;https://evil.example|click&gt;');
    expect(JSON.stringify(post.blocks)).toContain('<@U123> owes *Acme*'); // the owner Kept parsed stays a mention

    // Reassign: chat.update of the post and the new owner's DM.
    const ts = post.ts ?? kept.slack.calls.find((x) => x.method === 'chat.postMessage')!.ts!;
    await kept.interact(blockAction({ actionId: 'commitment_reassign', value: c.id, userId: 'U0001', channelId: 'CACME', messageTs: ts }));
    const modal = await kept.slack.waitFor('views.open', () => true, WAIT_MS);
    expectInert(modal.view);
    await kept.interact(viewSubmission({ callbackId: 'reassign_modal', privateMetadata: modal.view.private_metadata, userId: 'U0001', values: { owner: { value: { type: 'users_select', selected_user: 'U0002' } } } }));
    const dm = await kept.slack.waitFor('chat.postMessage', (a) => a.channel === 'U0002', WAIT_MS);
    expectInert({ text: dm.text, blocks: dm.blocks });
    expect(dm.text).toContain('&lt;!channel&gt;');
    const reassigned = await kept.slack.waitFor('chat.update', () => true, WAIT_MS);
    expectInert({ text: reassigned.text, blocks: reassigned.blocks });

    // The overdue prompt in the channel (Friday 18:00 New York has passed).
    kept.slack.reset();
    kept.clock.set('2026-11-28T15:00:00Z');
    await workers.tick();
    await workers.tick();
    const overdue = await kept.slack.waitFor('chat.postMessage', (a) => a.channel === 'CACME' && String(a.text).startsWith('Overdue'), WAIT_MS);
    expectInert({ text: overdue.text, blocks: overdue.blocks });
    expect(overdue.text).toContain('&lt;https://evil.example|click&gt;');

    // Done from the overdue post: chat.update.
    kept.slack.reset();
    await kept.interact(blockAction({ actionId: 'commitment_done', value: c.id, userId: 'U0002', channelId: 'CACME', messageTs: '1795000000.000200' }));
    const done = await kept.slack.waitFor('chat.update', () => true, WAIT_MS);
    expectInert({ text: done.text, blocks: done.blocks });
    expect(done.text).toContain('done');

    // /commit done C-1 again: the ephemeral answer quotes the title.
    kept.slack.reset();
    await kept.command({ text: `done C-${c.number}`, channel_id: 'CACME', user_id: 'U0002' });
    expectInert((await kept.lastResponse(WAIT_MS)).body);
  });

  it('the touch confirmation and the early warning it raises stay inert', async () => {
    await kept.command({ command: '/touch', text: 'acme call: Ship <!channel> <!here> <!everyone> <@U123> <https://evil.example|click> :-1:', channel_id: 'CACME', user_id: 'U0001' });
    const confirmation = await kept.slack.waitFor('chat.postMessage', (a) => a.channel === 'CACME' && String(a.text).startsWith('Call with Acme'), WAIT_MS);
    expectInert({ text: confirmation.text, blocks: confirmation.blocks });
    // The mention typed inside the summary was not parsed as a person: it is text.
    expect(JSON.stringify(confirmation.blocks)).toContain('&lt;@U123&gt;');
    kept.clock.advance(60_000);
    await workers.tick();
    const warning = await kept.slack.waitFor('chat.postMessage', (a) => a.channel === 'CACME' && String(a.text).startsWith('Early warning'), WAIT_MS);
    expectInert({ text: warning.text, blocks: warning.blocks });
  });

  it('the touch form’s Others field does not turn a typed <@U999> into a mention', async () => {
    await kept.command({ command: '/touch', text: '', channel_id: 'CACME', user_id: 'U0001' });
    const modal = await kept.slack.waitFor('views.open', () => true, WAIT_MS);
    const account = await kept.db.account.findFirstOrThrow();
    const values = (others: string) => ({
      account: { account_select: { type: 'external_select', selected_option: option({ value: account.id, text: 'Acme' }) } },
      kind: { value: { type: 'static_select', selected_option: option({ value: 'meeting' }) } },
      when_date: { value: { type: 'datepicker', selected_date: '2026-11-27' } },
      when_time: { value: { type: 'timepicker', selected_time: '10:00' } },
      others: { value: { type: 'plain_text_input', value: others } },
      colleagues: { value: { type: 'multi_users_select', selected_users: ['U0002'] } },
      summary: { value: { type: 'plain_text_input', value: 'Pricing <!here>' } },
      sentiment: { value: { type: 'radio_buttons', selected_option: option({ value: 'neutral' }) } },
    });
    const refused = await kept.interact(viewSubmission({ callbackId: 'touch_modal', privateMetadata: modal.view.private_metadata, userId: 'U0001', values: values('Dana, <@U999>') }));
    expect(JSON.parse(refused.body)).toMatchObject({ response_action: 'errors', errors: { others: expect.stringContaining('Colleagues who took part') } });
    expect(await kept.db.touch.count({ where: { kind: 'meeting' } })).toBe(0);

    await kept.interact(viewSubmission({ callbackId: 'touch_modal', privateMetadata: modal.view.private_metadata, userId: 'U0001', values: values('Dana (CFO)') }));
    const post = await kept.slack.waitFor('chat.postMessage', (a) => a.channel === 'CACME' && String(a.text).startsWith('Meeting'), WAIT_MS);
    expectInert({ text: post.text, blocks: post.blocks });
    expect(JSON.stringify(post.blocks)).toContain('with Dana (CFO), <@U0002>'); // the colleague picked in the form stays a mention
  });

  it('answers that quote what was typed (response_url, postEphemeral) stay inert', async () => {
    for (const text of ['list <!channel>', 'done <!here>']) {
      await kept.command({ text, channel_id: 'CACME', user_id: 'U0001' });
      const reply = (await kept.lastResponse(WAIT_MS)).body as { text: string };
      expectInert(reply);
      expect(reply.text).toMatch(/&lt;!(channel|here)&gt;/);
    }
    await kept.command({ command: '/kept', text: 'account <https://evil.example|click>', channel_id: 'CACME', user_id: 'U0001' });
    expectInert((await kept.lastResponse(WAIT_MS)).body);
    await kept.command({ command: '/kept', text: 'frobnicate <!everyone>', channel_id: 'CACME', user_id: 'U0001' });
    expectInert((await kept.lastResponse(WAIT_MS)).body);
    // Without a response_url the answer goes through chat.postEphemeral.
    kept.slack.reset();
    await kept.command({ text: 'list <!subteam^S1|@sales>', channel_id: 'CACME', user_id: 'U0001', response_url: '' });
    const eph = await kept.slack.waitFor('chat.postEphemeral', () => true, WAIT_MS);
    expectInert({ text: eph.text, blocks: eph.blocks });
  });
});
