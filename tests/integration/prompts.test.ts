// The proactive side end to end: commands through the real receiver, a scheduler tick, the
// workers posting through the fake Slack Web API, and the buttons on what they post.
import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUEUES } from '../../src/jobs/queues.js';
import { SlackSender } from '../../src/jobs/slack-sender.js';
import { startWorkers, type Workers } from '../../src/jobs/worker.js';
import { createLogger } from '../../src/logger.js';
import { eventually, REDIS_URL, startKept, type Kept } from '../helpers/kept.js';
import { blockAction, viewSubmission } from '../helpers/slack-requests.js';

let kept: Kept;
let workers: Workers;
const prefix = `kept-test-${randomBytes(4).toString('hex')}`;

beforeAll(async () => {
  // Monday 23 Nov 2026, 09:00 in New York.
  kept = await startKept({ now: '2026-11-23T14:00:00Z' });
  kept.slack.setUser('U0001', { name: 'ana', tz: 'America/New_York' });
  const logger = createLogger('warn', 'test', (l) => kept.logs.push(l));
  const sender = new SlackSender(kept.db, kept.clock, logger, { token: 'xoxb-test', apiUrl: kept.slack.apiUrl, redis: kept.redis, prefix });
  workers = await startWorkers({ db: kept.db, clock: kept.clock, logger, sender, redisUrl: REDIS_URL, prefix, schedule: false, retryDelayMs: 200 });
  await kept.command({ command: '/kept', text: 'account add Acme', channel_id: 'CACME' });
  await eventually(() => kept.db.accountChannel.findFirst({ where: { channelId: 'CACME' } }));
  await workers.tick(); // the first tick starts the scan's clock
});
afterAll(async () => {
  await workers?.close();
  const q = new Queue(QUEUES.deliveries, { connection: kept.redis, prefix });
  await q.obliterate({ force: true });
  await q.close();
  await kept?.close();
});

const dms = () => kept.slack.callsTo('chat.postMessage').filter((a) => a.channel === 'DU0001');
const channelPosts = () => kept.slack.callsTo('chat.postMessage').filter((a) => a.channel === 'CACME' && a.metadata);

describe('prompts', () => {
  it('reminds the owner by DM the working day before, and the reminder’s “Need more time…” reschedules', async () => {
    await kept.command({ text: 'acme: Send revised pricing by Friday', channel_id: 'CACME' });
    const c = await eventually(() => kept.db.commitment.findFirst({ where: { title: 'Send revised pricing' } }));
    // Thursday 09:01 New York: the first tick after the 09:00 reminder moment.
    kept.clock.set('2026-11-26T14:01:00Z');
    await workers.tick();
    const dm = await kept.slack.waitFor('chat.postMessage', (a) => a.channel === 'DU0001', 8000);
    expect(dm.text).toContain('Send revised pricing');
    const moreTime = dm.blocks.flatMap((b: any) => b.elements ?? []).find((e: any) => e.action_id === 'commitment_more_time');
    await kept.interact(blockAction({ actionId: 'commitment_more_time', value: moreTime.value, userId: 'U0001', channelId: 'DU0001' }));
    const modal = await kept.slack.waitFor('views.open', (a) => a.view.callback_id === 'more_time_modal');
    await kept.interact(
      viewSubmission({
        callbackId: 'more_time_modal',
        privateMetadata: modal.view.private_metadata,
        values: {
          new_date: { value: { type: 'datepicker', selected_date: '2026-12-02' } },
          new_time: { value: { type: 'timepicker', selected_time: '12:00' } },
          reason: { value: { type: 'plain_text_input', value: 'Waiting on finance sign-off' } },
          announce: { value: { type: 'checkboxes', selected_options: [{ value: 'yes', text: { type: 'plain_text', text: 'x' } }] } },
        },
      }),
    );
    const update = await kept.slack.waitFor('chat.postMessage', (a) => a.channel === 'CACME' && String(a.text).includes('new date'));
    expect(JSON.stringify(update.blocks)).toContain('Waiting on finance sign-off');
    const moved = await kept.db.commitment.findUniqueOrThrow({ where: { id: c.id } });
    expect(moved.dueAt.toISOString()).toBe('2026-12-02T17:00:00.000Z');
    expect(moved.originalDueAt.toISOString()).toBe('2026-11-27T23:00:00.000Z');
    const history = await kept.db.commitmentEvent.findMany({ where: { commitmentId: c.id, kind: 'due_changed' } });
    expect(history).toHaveLength(1);
    expect(history[0]!.reason).toBe('Waiting on finance sign-off');
  });

  it('posts the overdue item in the account channel with its buttons, once', async () => {
    kept.clock.set('2026-12-02T17:30:00Z');
    await workers.tick();
    await workers.tick();
    const post = await kept.slack.waitFor('chat.postMessage', (a) => a.channel === 'CACME' && String(a.text).startsWith('Overdue'), 8000);
    const ids = post.blocks.filter((b: any) => b.type === 'actions').flatMap((b: any) => b.elements).map((e: any) => e.action_id);
    expect(ids).toEqual(['commitment_done', 'commitment_reschedule', 'commitment_reassign', 'commitment_drop', 'commitment_snooze']);
    expect(JSON.stringify(post.blocks)).toContain('<@U0001> owes *Acme*');
    await new Promise((r) => setTimeout(r, 300));
    expect(channelPosts().filter((a) => String(a.text).startsWith('Overdue'))).toHaveLength(1);
  });

  it('warns the channel at once about a touch that went badly', async () => {
    await kept.command({ command: '/touch', text: 'call: they are unhappy with support :-1:', channel_id: 'CACME' });
    await eventually(() => kept.db.touch.findFirst({ where: { sentiment: 'negative' } }));
    kept.clock.advance(60_000);
    await workers.tick();
    const warning = await kept.slack.waitFor('chat.postMessage', (a) => a.channel === 'CACME' && String(a.text).startsWith('Early warning'), 8000);
    expect(JSON.stringify(warning.blocks)).toContain('unhappy with support');
  });

  it('the cadence nudge’s “Log a touch” opens the /touch form for the account, and “Snooze 2 days” re-arms it', async () => {
    const account = await kept.db.account.findFirstOrThrow({ where: { name: 'Acme' } });
    // The negative call restarted a 30-day cadence; the nudge comes in its last 20%.
    kept.clock.set(new Date(account.cadenceWarnAt!.getTime() + 60_000).toISOString());
    await workers.tick();
    // The DM waits for working hours in New York: move the clock there and let the job run now.
    const planned = await kept.db.delivery.findFirstOrThrow({ where: { kind: 'due_soon_dm', status: 'pending' } });
    // Promote only once the worker has put it in the delayed set: promoting it while it is still
    // waiting or active fails, and it would then wait for the real hours until Ana's morning.
    const job = await eventually(async () => {
      const j = await workers.queues.deliveries.getJob(`deliver-${planned.id}`);
      return j && (await j.isDelayed()) && j;
    }, 8000);
    kept.clock.set(planned.notBefore);
    await job.promote();
    const dm = await kept.slack.waitFor('chat.postMessage', (a) => a.channel === 'DU0001' && String(a.text).includes('touch due'), 8000);
    const buttons = dm.blocks.flatMap((b: any) => b.elements ?? []);
    await kept.interact(blockAction({ actionId: 'log_touch', value: buttons.find((e: any) => e.action_id === 'log_touch').value, userId: 'U0001' }));
    const form = await kept.slack.waitFor('views.open', (a) => a.view.callback_id === 'touch_modal');
    expect(form.view.blocks.find((b: any) => b.block_id === 'account').element.initial_option.text.text).toBe('Acme');
    await kept.interact(blockAction({ actionId: 'snooze_cadence', value: account.id, userId: 'U0001', responseUrl: kept.slack.responseUrl('snooze') }));
    const r = await kept.slack.waitForResponse((x) => x.id === 'snooze');
    expect(JSON.stringify(r.body)).toContain('Snoozed');
    const after = await kept.db.account.findUniqueOrThrow({ where: { id: account.id } });
    expect(after.cadenceWarnAt!.getTime() - kept.clock.now().getTime()).toBe(2 * 24 * 3600 * 1000);
    expect(dms().length).toBeGreaterThanOrEqual(2);
  });
});
