// Background posts through BullMQ on real Redis, the ledger on real Postgres, and the fake Slack
// Web API: each message lands once, whatever fails along the way.
import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/clock.js';
import type { Db } from '../../src/db/client.js';
import { enqueueDeliveries, QUEUES } from '../../src/jobs/queues.js';
import { SlackSender } from '../../src/jobs/slack-sender.js';
import { startWorkers, type Workers } from '../../src/jobs/worker.js';
import { createLogger } from '../../src/logger.js';
import { createTestDatabase } from '../helpers/db.js';
import { FakeSlack } from '../helpers/fake-slack.js';
import { eventually, REDIS_URL } from '../helpers/kept.js';

let db: Db;
let drop: () => Promise<void>;
let slack: FakeSlack;
let redis: Redis;
let workspaceId: string;
let prefix: string;
const running: Workers[] = [];
const logs: string[] = [];
const logger = createLogger('warn', 'test', (l) => logs.push(l));

beforeAll(async () => {
  ({ db, drop } = await createTestDatabase());
  slack = await FakeSlack.start();
  redis = new Redis(REDIS_URL);
  workspaceId = (await db.workspace.create({ data: { slackTeamId: 'T0001' } })).id;
});
afterAll(async () => {
  await slack?.close();
  redis?.disconnect();
  await drop?.();
});
beforeEach(() => {
  prefix = `kept-test-${randomBytes(4).toString('hex')}`;
  slack.reset();
  slack.limitPostsPerChannel(1);
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((w) => w.close()));
  for (const name of Object.values(QUEUES)) {
    const q = new Queue(name, { connection: redis, prefix });
    await q.obliterate({ force: true });
    await q.close();
  }
});

function sender() {
  return new SlackSender(db, systemClock, logger, { token: 'xoxb-test', apiUrl: slack.apiUrl, redis, prefix, timeoutMs: 2000 });
}
async function workers(opts: { concurrency?: number } = {}) {
  const w = await startWorkers({ db, clock: systemClock, logger, sender: sender(), redisUrl: REDIS_URL, prefix, schedule: false, retryDelayMs: 200, ...opts });
  running.push(w);
  return w;
}
let seq = 0;
async function deliveries(count: number, channel: (i: number) => string, notBefore = new Date()) {
  const rows = await Promise.all(
    Array.from({ length: count }, (_, i) =>
      db.delivery.create({ data: { workspaceId, key: `test:${++seq}`, kind: 'test', destination: channel(i), message: { text: `message ${seq}` }, notBefore } }),
    ),
  );
  return rows.map((r) => r.id);
}
const posts = (id?: string) =>
  slack.callsTo('chat.postMessage').filter((a) => !id || a.metadata?.event_payload?.delivery_id === id);
const sent = async (ids: string[]) => (await db.delivery.count({ where: { id: { in: ids }, status: 'sent' } })) === ids.length;

describe('delivery', () => {
  it('posts each row once, even when its job is queued twice and replayed', async () => {
    const ids = await deliveries(3, (i) => `CONE${i}`);
    const w = await workers();
    await enqueueDeliveries(w.queues, ids);
    await enqueueDeliveries(w.queues, ids);
    // A replay under another job id, as after Redis lost track of the first.
    await w.queues.deliveries.add('deliver', { deliveryId: ids[0] }, { jobId: `replay-${ids[0]}` });
    await eventually(() => sent(ids), 10_000);
    await new Promise((r) => setTimeout(r, 500));
    for (const id of ids) expect(posts(id)).toHaveLength(1);
    const row = await db.delivery.findUniqueOrThrow({ where: { id: ids[0] } });
    expect(row.messageTs).toBe(slack.calls.find((c) => c.method === 'chat.postMessage' && c.outcome === 'ok' && c.args.metadata?.event_payload?.delivery_id === ids[0])?.ts);
  });

  it('waits for Retry-After on a 429 and then posts once', async () => {
    const [id] = await deliveries(1, () => 'C429');
    slack.rateLimitNext('chat.postMessage', 1);
    const w = await workers();
    await enqueueDeliveries(w.queues, [id!]);
    await eventually(() => sent([id!]), 10_000);
    const attempts = slack.calls.filter((c) => c.method === 'chat.postMessage');
    expect(attempts.map((c) => c.outcome)).toEqual(['ratelimited', 'ok']);
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(1000);
  });

  it('does not post a second copy when Slack answers 5xx after the post landed', async () => {
    const [id] = await deliveries(1, () => 'C5XX');
    slack.serverErrorNext('chat.postMessage', { status: 503, afterRecording: true });
    const w = await workers();
    await enqueueDeliveries(w.queues, [id!]);
    await eventually(() => sent([id!]), 10_000);
    expect(posts(id)).toHaveLength(1);
    expect(slack.callsTo('conversations.history').length).toBeGreaterThan(0);
    const row = await db.delivery.findUniqueOrThrow({ where: { id: id! } });
    expect(row.messageTs).toBe(slack.calls.find((c) => c.method === 'chat.postMessage')!.ts);
  });

  it('a thread reply that landed behind a 5xx is found in its thread, not posted twice', async () => {
    const [parent] = await deliveries(1, () => 'CTHREAD');
    const first = await db.delivery.findUniqueOrThrow({ where: { id: parent! } });
    const reply = await db.delivery.create({ data: { workspaceId, key: `test:${++seq}`, kind: 'test', destination: 'CTHREAD', message: { text: 'part 2', thread_of: first.key }, notBefore: new Date() } });
    const w = await workers();
    await enqueueDeliveries(w.queues, [parent!]);
    await eventually(() => sent([parent!]), 10_000);
    slack.serverErrorNext('chat.postMessage', { status: 502, afterRecording: true });
    await enqueueDeliveries(w.queues, [reply.id]);
    await eventually(() => sent([reply.id]), 10_000);
    expect(posts(reply.id)).toHaveLength(1);
    expect(posts(reply.id)[0]!.thread_ts).toBe((await db.delivery.findUniqueOrThrow({ where: { id: parent! } })).messageTs);
    expect(slack.callsTo('conversations.replies').length).toBeGreaterThan(0);
  });

  it('treats Slack’s internal_error as a post that may have landed', async () => {
    const [id] = await deliveries(1, () => 'CINTERNAL');
    slack.answerWith('chat.postMessage', () => ({ ok: false, error: 'internal_error' }));
    const w = await workers();
    await enqueueDeliveries(w.queues, [id!]);
    await eventually(async () => (await db.delivery.findUnique({ where: { id: id! } }))?.lastError?.startsWith('uncertain') ?? false, 10_000);
    slack.reset();
    slack.limitPostsPerChannel(1);
    await eventually(() => sent([id!]), 10_000);
    expect(slack.callsTo('conversations.history').length).toBeGreaterThan(0);
    expect(posts(id)).toHaveLength(1);
  });

  it('looks back to the first uncertain attempt, however many attempts followed', async () => {
    const [id] = await deliveries(1, () => 'CLOOK', new Date(Date.now() - 15 * 60_000));
    const { claim, markUncertain } = await import('../../src/services/ledger.js');
    const first = new Date(Date.now() - 10 * 60_000);
    await claim(db, id!, first);
    await markUncertain(db, id!, 'HTTP 503');
    await claim(db, id!, new Date(Date.now() - 5 * 60_000));
    await markUncertain(db, id!, 'timeout');
    expect((await db.delivery.findUniqueOrThrow({ where: { id: id! } })).attemptedAt).toEqual(first);
  });

  it('posts again after a 5xx that did not land, once', async () => {
    const [id] = await deliveries(1, () => 'C5XXB');
    slack.serverErrorNext('chat.postMessage', { status: 500, afterRecording: false });
    const w = await workers();
    await enqueueDeliveries(w.queues, [id!]);
    await eventually(() => sent([id!]), 10_000);
    expect(posts(id)).toHaveLength(1);
  });

  it('a worker killed mid-post loses nothing and doubles nothing', async () => {
    const [landed, lost] = await deliveries(2, (i) => `CKILL${i}`);
    const longAgo = new Date(Date.now() - 5 * 60_000);
    // The killed worker had claimed both; one post reached Slack, the other did not.
    await db.delivery.updateMany({ where: { id: { in: [landed!, lost!] } }, data: { status: 'sending', attempts: 1, attemptedAt: longAgo, updatedAt: longAgo } });
    const { WebClient } = await import('@slack/web-api');
    await new WebClient('xoxb-test', { slackApiUrl: slack.apiUrl }).chat.postMessage({
      channel: 'CKILL0',
      text: 'message',
      metadata: { event_type: 'kept_delivery', event_payload: { delivery_id: landed! } },
    });
    // Redis lost the jobs too: the next tick finds the stalled rows.
    const w = await workers();
    await w.tick();
    await eventually(() => sent([landed!, lost!]), 10_000);
    expect(posts(landed)).toHaveLength(1);
    expect(posts(lost)).toHaveLength(1);
  });

  it('two workers on one Redis post each of 50 messages exactly once, a second apart per channel', async () => {
    const ids = await deliveries(50, (i) => `CTWO${i % 10}`);
    const a = await workers({ concurrency: 10 });
    await workers({ concurrency: 10 });
    await enqueueDeliveries(a.queues, ids);
    await eventually(() => sent(ids), 20_000);
    for (const id of ids) expect(posts(id)).toHaveLength(1);
    expect(slack.calls.filter((c) => c.outcome === 'ratelimited')).toHaveLength(0);
    for (let ch = 0; ch < 10; ch++) {
      const times = slack.calls.filter((c) => c.method === 'chat.postMessage' && c.args.channel === `CTWO${ch}`).map((c) => c.at);
      for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(1000);
    }
  });

  it('gives up at once on a permanent error', async () => {
    const [id] = await deliveries(1, () => 'CGONE');
    slack.failNext('chat.postMessage', 'channel_not_found', 5);
    const w = await workers();
    await enqueueDeliveries(w.queues, [id!]);
    await eventually(async () => (await db.delivery.findUnique({ where: { id: id! } }))?.status === 'failed', 10_000);
    expect(slack.calls.filter((c) => c.method === 'chat.postMessage')).toHaveLength(1);
    expect((await db.delivery.findUniqueOrThrow({ where: { id: id! } })).lastError).toBe('channel_not_found');
  });

  it('holds a message until its moment', async () => {
    const [id] = await deliveries(1, () => 'CLATER', new Date(Date.now() + 1500));
    const w = await workers();
    const queued = Date.now();
    await enqueueDeliveries(w.queues, [id!]);
    await eventually(() => sent([id!]), 10_000);
    expect(slack.calls.find((c) => c.method === 'chat.postMessage')!.at - queued).toBeGreaterThanOrEqual(1400);
  });

  it('sends a DM to the person’s IM channel', async () => {
    const [id] = await deliveries(1, () => 'U0DM');
    const w = await workers();
    await enqueueDeliveries(w.queues, [id!]);
    await eventually(() => sent([id!]), 10_000);
    expect(posts(id)[0]!.channel).toBe('DU0DM');
  });
});
