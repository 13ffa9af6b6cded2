// What an operator sees: GET /metrics (Prometheus text) moving with real requests and deliveries,
// log lines with the request's and the job's context, and the password-protected queue view.
import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/clock.js';
import { enqueueDeliveries, JOBS, QUEUES } from '../../src/jobs/queues.js';
import { SlackSender } from '../../src/jobs/slack-sender.js';
import { startWorkers } from '../../src/jobs/worker.js';
import { createLogger } from '../../src/logger.js';
import { EVENTS } from '../../src/messages/ids.js';
import { Metrics } from '../../src/ops/metrics.js';
import { eventually, REDIS_URL, SIGNING_SECRET, startKept, type Kept } from '../helpers/kept.js';
import { parsePrometheus, sampleValue, scrape } from '../helpers/prometheus.js';
import { sendEvent } from '../helpers/slack-requests.js';

const json = (lines: string[]) => lines.map((l) => JSON.parse(l) as Record<string, unknown>);

describe('a bot: /metrics and request logs', () => {
  let kept: Kept;
  beforeAll(async () => {
    kept = await startKept({ logLevel: 'debug' });
    kept.slack.setUser('U0001', { name: 'ana', tz: 'Europe/Berlin' });
  });
  afterAll(() => kept?.close());

  it('serves Prometheus text whose acknowledgement histogram counts a handled command', async () => {
    const before = await scrape(kept.baseUrl);
    expect(sampleValue(before, 'kept_ack_seconds_count', { kind: 'command' })).toBe(0);
    // Node's default metrics are there too.
    expect(before.some((s) => s.name === 'kept_nodejs_eventloop_lag_seconds')).toBe(true);
    const res = await kept.command({ command: '/commit', text: 'list' });
    expect(res.status).toBe(200);
    await kept.lastResponse();
    const after = await scrape(kept.baseUrl);
    expect(sampleValue(after, 'kept_ack_seconds_count', { kind: 'command' })).toBe(1);
    expect(sampleValue(after, 'kept_ack_seconds_bucket', { kind: 'command', le: '+Inf' })).toBe(1);
    const seconds = sampleValue(after, 'kept_ack_seconds_sum', { kind: 'command' });
    expect(seconds).toBeGreaterThan(0);
    expect(seconds).toBeLessThan(3);
  });

  it('writes JSON log lines carrying the workspace, the user and the kind of request', async () => {
    const before = kept.logs.length;
    await kept.command({ command: '/commit', text: 'list', team_id: 'T0001', user_id: 'U0001' });
    await kept.lastResponse();
    const lines = await eventually(() => {
      const l = json(kept.logs.slice(before)).filter((x) => x.kind === 'command');
      return l.length ? l : null;
    });
    expect(lines[0]).toMatchObject({ workspace: 'T0001', user: 'U0001', kind: 'command', command: '/commit', level: 'debug' });
    expect(JSON.stringify(kept.logs)).not.toContain('xoxb-test');
  });

  it('counts Slack Web API calls by method and outcome, 429s and the Retry-After waited', async () => {
    kept.slack.rateLimitNext('views.publish', 7);
    const openHome = () => sendEvent(kept.baseUrl, SIGNING_SECRET, { type: EVENTS.appHomeOpened, user: 'U0001', channel: 'D0001', tab: 'home', event_ts: '1795000000.000100' });
    expect((await openHome()).status).toBe(200);
    await eventually(() => kept.slack.calls.some((c) => c.method === 'views.publish' && c.outcome === 'ratelimited'));
    expect((await openHome()).status).toBe(200);
    await kept.slack.waitFor('views.publish');
    const samples = await eventually(async () => {
      const s = await scrape(kept.baseUrl);
      return sampleValue(s, 'kept_slack_api_calls_total', { method: 'views.publish', outcome: 'ok' }) === 1 ? s : null;
    });
    expect(sampleValue(samples, 'kept_slack_api_calls_total', { method: 'views.publish', outcome: 'ratelimited' })).toBe(1);
    expect(sampleValue(samples, 'kept_slack_retry_after_seconds_total')).toBe(7);
    expect(sampleValue(samples, 'kept_ack_seconds_count', { kind: 'event' })).toBe(2);
    // Bolt's error handler logged the rate-limited call with the request's context.
    const failure = json(kept.logs).find((l) => l.level === 'error' && String(l.msg).includes('listener failed'));
    expect(failure).toMatchObject({ workspace: 'T0001', user: 'U0001', kind: 'event', event: EVENTS.appHomeOpened });
  });

  it('keeps the queue view off (404) when no admin password is set', async () => {
    expect((await fetch(`${kept.baseUrl}/admin/queues`)).status).toBe(404);
    expect((await fetch(`${kept.baseUrl}/admin/queues/api/queues`, { headers: { authorization: basic('admin', '') } })).status).toBe(404);
  });
});

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('the queue view', () => {
  let kept: Kept;
  const password = 'correct horse battery staple';
  beforeAll(async () => {
    kept = await startKept({ adminPassword: password, queuePrefix: `kept-test-${randomBytes(4).toString('hex')}` });
  });
  afterAll(() => kept?.close());

  it('refuses without the password, or with a wrong one', async () => {
    const none = await fetch(`${kept.baseUrl}/admin/queues`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Basic /);
    for (const auth of [basic('admin', 'wrong'), basic('root', password), 'Bearer x', basic('admin', `${password}x`)]) {
      expect((await fetch(`${kept.baseUrl}/admin/queues`, { headers: { authorization: auth } })).status).toBe(401);
      expect((await fetch(`${kept.baseUrl}/admin/queues/api/queues`, { headers: { authorization: auth } })).status).toBe(401);
    }
  });

  it('shows the queues, read-only, with the password', async () => {
    const auth = { authorization: basic('admin', password) };
    const page = await fetch(`${kept.baseUrl}/admin/queues`, { headers: auth });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<base href="/admin/queues/"');
    // The page's own script loads from under the same path, with the same password.
    const script = /src="(static\/js\/main[^"]+)"/.exec(html)![1];
    expect((await fetch(`${kept.baseUrl}/admin/queues/${script}`, { headers: auth })).status).toBe(200);
    expect((await fetch(`${kept.baseUrl}/admin/queues/${script}`)).status).toBe(401);
    const api = await fetch(`${kept.baseUrl}/admin/queues/api/queues`, { headers: auth });
    expect(api.status).toBe(200);
    const body = (await api.json()) as { queues: Array<{ name: string; readOnlyMode: boolean }> };
    expect(body.queues.map((q) => q.name).sort()).toEqual([QUEUES.deliveries, QUEUES.ticks]);
    expect(body.queues.every((q) => q.readOnlyMode)).toBe(true);
    // Nothing can be retried, emptied or cleaned from the browser: the ledger decides what is sent.
    for (const action of ['retry/failed', 'empty', 'clean/completed']) {
      expect((await fetch(`${kept.baseUrl}/admin/queues/api/queues/${QUEUES.deliveries}/${action}`, { method: 'PUT', headers: auth })).status).toBe(405);
    }
  });
});

describe('a worker: prompts, queues and job logs in /metrics', () => {
  let kept: Kept;
  let redis: Redis;
  const prefix = `kept-test-${randomBytes(4).toString('hex')}`;
  beforeAll(async () => {
    kept = await startKept();
    redis = new Redis(REDIS_URL);
  });
  afterAll(async () => {
    for (const name of Object.values(QUEUES)) {
      const q = new Queue(name, { connection: redis, prefix });
      await q.obliterate({ force: true });
      await q.close();
    }
    redis?.disconnect();
    await kept?.close();
  });

  it('counts a prompt sent and one failed for good, with the delay, and logs with the job id', async () => {
    const metrics = new Metrics({ defaults: false });
    const lines: string[] = [];
    const logger = createLogger('info', 'worker', (l) => lines.push(l));
    const sender = new SlackSender(kept.db, systemClock, logger, { token: 'xoxb-secret-worker-token', apiUrl: kept.slack.apiUrl, redis, prefix, timeoutMs: 2000, fetch: metrics.slackFetch() });
    const workers = await startWorkers({ db: kept.db, clock: systemClock, logger, sender, redisUrl: REDIS_URL, prefix, schedule: false, retryDelayMs: 200, metrics });
    try {
      const ws = await kept.db.workspace.create({ data: { slackTeamId: 'TWORK' } });
      const notBefore = new Date(Date.now() - 5_000);
      const ok = await kept.db.delivery.create({ data: { workspaceId: ws.id, key: 'ops:1', kind: 'cadence_overdue', destination: 'COPS1', message: { text: 'hello' }, notBefore } });
      const bad = await kept.db.delivery.create({ data: { workspaceId: ws.id, key: 'ops:2', kind: 'cadence_overdue', destination: 'COPS2', message: { text: 'hello' }, notBefore } });
      kept.slack.answerWith('chat.postMessage', (args) => (args.channel === 'COPS2' ? { ok: false, error: 'channel_not_found' } : { ok: true, channel: args.channel, ts: '1700000001.000100' }));
      await enqueueDeliveries(workers.queues, [ok.id, bad.id]);
      await eventually(async () => (await kept.db.delivery.count({ where: { id: { in: [ok.id, bad.id] }, status: { in: ['sent', 'failed'] } } })) === 2, 10_000);

      const samples = await eventually(async () => {
        const s = parsePrometheus(await metrics.text());
        return sampleValue(s, 'kept_prompts_total', { outcome: 'failed' }) === 1 && sampleValue(s, 'kept_prompts_total', { outcome: 'sent' }) === 1 ? s : null;
      });
      expect(sampleValue(samples, 'kept_prompts_total', { kind: 'cadence_overdue', outcome: 'sent' })).toBe(1);
      expect(sampleValue(samples, 'kept_prompts_total', { kind: 'cadence_overdue', outcome: 'failed' })).toBe(1);
      expect(sampleValue(samples, 'kept_prompt_delay_seconds_count', { kind: 'cadence_overdue' })).toBe(1);
      expect(sampleValue(samples, 'kept_prompt_delay_seconds_sum', { kind: 'cadence_overdue' })).toBeGreaterThanOrEqual(5);
      expect(sampleValue(samples, 'kept_slack_api_calls_total', { method: 'chat.postMessage', outcome: 'ok' })).toBe(1);
      expect(sampleValue(samples, 'kept_slack_api_calls_total', { method: 'chat.postMessage', outcome: 'channel_not_found' })).toBe(1);
      for (const state of ['waiting', 'delayed', 'active', 'failed']) {
        expect(samples.some((s) => s.name === 'kept_queue_jobs' && s.labels.queue === QUEUES.deliveries && s.labels.state === state)).toBe(true);
      }
      expect(sampleValue(samples, 'kept_queue_oldest_waiting_seconds', { queue: QUEUES.deliveries })).toBeGreaterThanOrEqual(0);

      // The sender's warning about the refused post carries the job's context.
      const failed = json(lines).find((l) => String(l.msg).includes('failed for good'));
      expect(failed).toMatchObject({ level: 'warn', queue: QUEUES.deliveries, jobId: `deliver-${bad.id}`, deliveryId: bad.id });
      expect(lines.join('\n')).not.toContain('secret-worker-token');

      // A tick records what it finds and is timed.
      await workers.tick();
      const ticked = parsePrometheus(await metrics.text());
      expect(sampleValue(ticked, 'kept_scan_tick_seconds_count')).toBe(1);
      expect(sampleValue(ticked, 'kept_scan_rows_count')).toBe(1);

      // A digest job is timed, and its messages counted as recorded.
      const user = await kept.db.user.create({ data: { workspaceId: ws.id, slackUserId: 'UWORK', displayName: 'ana' } });
      const sub = await kept.db.digestSubscription.create({ data: { workspaceId: ws.id, channelId: 'CDIGEST', weekday: 1, time: '09:00', timeZone: 'UTC', scope: 'all', createdById: user.id } });
      await workers.queues.ticks.add(JOBS.digest, { subscriptionId: sub.id });
      const digested = await eventually(async () => {
        const s = parsePrometheus(await metrics.text());
        return sampleValue(s, 'kept_digest_build_seconds_count') === 1 ? s : null;
      }, 10_000);
      const rows = await kept.db.delivery.count({ where: { workspaceId: ws.id, kind: 'digest' } });
      expect(rows).toBeGreaterThan(0);
      expect(sampleValue(digested, 'kept_prompts_total', { kind: 'digest', outcome: 'recorded' })).toBe(rows);
    } finally {
      await workers.close();
    }
  });
});
