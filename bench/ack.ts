// Scenario 1 — acknowledgement latency. Signed `/kept help` and `/commit` (empty text: opens the
// modal) requests at a fixed rate to Kept's real HTTP receiver (createBot with the fake Slack Web
// API, real Postgres and Redis), beside a bare Bolt App with an HTTPReceiver that only acks, under
// the same open-loop load in the same run.
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, HTTPReceiver } from '@slack/bolt';
import { Redis } from 'ioredis';
import { createBot } from '../src/bot/app.js';
import { systemClock } from '../src/clock.js';
import { createTestDatabase } from '../tests/helpers/db.js';
import { REDIS_URL, SIGNING_SECRET } from '../tests/helpers/kept.js';
import { FakeSlack } from '../tests/helpers/fake-slack.js';
import type { LoadResult } from './ack-load.js';
import { memoryPhase, peakRssMb, startRssMb, percentile, quietLogger, row, runLoadChild, startChildSlack, type Row } from './common.js';

const USERS = Array.from({ length: 20 }, (_, i) => `UB${String(i).padStart(4, '0')}`);

function runLoad(url: string, responseBase: string, ratePerSecond: number, durationMs: number): Promise<LoadResult> {
  return runLoadChild({ url, signingSecret: SIGNING_SECRET, ratePerSecond, durationMs, responseBase, users: USERS });
}

/** A Bolt app that acknowledges every slash command and does nothing else. */
async function startBareBolt(apiUrl: string): Promise<{ url: string; close(): Promise<void> }> {
  const { logger } = quietLogger('bare');
  const receiver = new HTTPReceiver({ signingSecret: SIGNING_SECRET, endpoints: '/slack/events', processBeforeResponse: false, logger });
  // Bolt looks up the bot's identity (auth.test) once; it goes to the fake Slack, as Kept's does.
  const app = new App({ token: 'xoxb-bare', receiver, logger, logLevel: logger.getLevel(), tokenVerificationEnabled: false, clientOptions: { slackApiUrl: apiUrl } });
  for (const name of ['/kept', '/commit']) {
    app.command(name, async ({ ack }) => {
      await ack();
    });
  }
  const server: Server = createServer((req, res) => receiver.requestListener(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/slack/events`,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}

export interface AckResult {
  rows: Row[];
  details: Record<string, unknown>;
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 3_000));

export async function benchAck(opts: { quick: boolean }): Promise<AckResult> {
  const rate = opts.quick ? 100 : 200;
  const durationMs = opts.quick ? 5_000 : 20_000;
  // Each app first takes the same load for a while from a cold start (reported as such), then the
  // measured run: the target is about serving a steady load, not about a process's first second.
  const warmMs = 2_000;

  // Reference first, on its own fake Slack (only for Bolt's auth.test).
  const refFake = await FakeSlack.start();
  const bare = await startBareBolt(refFake.apiUrl);
  let ref: LoadResult;
  let refCold: LoadResult;
  try {
    refCold = await runLoad(bare.url, `${refFake.baseUrl}/response/`, rate, warmMs);
    await settle();
    ref = await runLoad(bare.url, `${refFake.baseUrl}/response/`, rate, durationMs);
  } finally {
    await bare.close();
    await refFake.close();
  }
  // Kept's real bot (real Postgres and Redis), its Slack a fake in another process, as Slack is.
  const slack = await startChildSlack({ BENCH_USERS: JSON.stringify(Object.fromEntries(USERS.map((u) => [u, 'Europe/London']))) });
  const database = await createTestDatabase();
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  const { logger, lines } = quietLogger('bench-bot');
  // 200 requests a second from 20 people is far beyond fair use (scenario 7 measures that): the
  // limits are lifted so this run measures the acknowledgement of the same work as before them.
  const unlimited = { personWritesPerMinute: 1e9, workspaceWritesPerMinute: 1e9, personReadsPerMinute: 1e9, perPersonQueued: 1e9 };
  const fairUse = { prefix: `kept-bench-${randomBytes(4).toString('hex')}`, ...unlimited };
  const bot = createBot({ db: database.db, redis, clock: systemClock, logger, fairUse, slack: { botToken: 'xoxb-bench', apiUrl: slack.apiUrl, signingSecret: SIGNING_SECRET } });
  let load: LoadResult;
  let cold: LoadResult;
  let followUps = 0;
  try {
    const port = await bot.start(0);
    memoryPhase('ack: Kept bot under load');
    cold = await runLoad(`http://127.0.0.1:${port}/slack/events`, `${slack.baseUrl}/response/`, rate, warmMs);
    // The work after the cold run's acks (replies, views.open) finishes before the measured run.
    await settle();
    load = await runLoad(`http://127.0.0.1:${port}/slack/events`, `${slack.baseUrl}/response/`, rate, durationMs);
    // Let the work after the acks (replies, views.open) finish before counting it.
    await new Promise((r) => setTimeout(r, 1000));
    memoryPhase(null);
    const seen = await slack.report();
    followUps = seen.responses + seen.viewsOpened;
  } finally {
    memoryPhase(null);
    await bot.stop();
    await slack.report().catch(() => {});
    redis.disconnect();
    await database.drop();
  }

  const stats = (r: LoadResult) => ({
    p50: percentile(r.latencies, 50),
    p99: percentile(r.latencies, 99),
    max: percentile(r.latencies, 100),
  });
  const k = stats(load);
  const b = stats(ref);
  const non200 = (r: LoadResult) => r.errors + Object.entries(r.statuses).filter(([s]) => s !== '200').reduce((n, [, c]) => n + c, 0);
  const label = 'bare Bolt';
  const rows = [
    row({ scenario: '1 ack', metric: `p50 (${rate}/s × ${durationMs / 1000}s)`, value: k.p50, unit: 'ms', reference: b.p50, referenceLabel: label }),
    row({ scenario: '1 ack', metric: 'p99', value: k.p99, unit: 'ms', reference: b.p99, referenceLabel: label, target: '≤ 2× bare', ok: k.p99 <= 2 * b.p99 }),
    row({ scenario: '1 ack', metric: 'max', value: k.max, unit: 'ms', reference: b.max, referenceLabel: label, target: '< 3000 ms (Slack)', ok: k.max < 3000 }),
    row({ scenario: '1 ack', metric: 'non-200 or failed', value: non200(load), unit: 'req', reference: non200(ref), referenceLabel: label, target: '0', ok: non200(load) === 0 }),
    row({ scenario: '1 ack', metric: `p99, first ${warmMs / 1000} s after start (cold)`, value: stats(cold).p99, unit: 'ms', reference: stats(refCold).p99, referenceLabel: label }),
    row({ scenario: '5 memory', metric: 'peak RSS, bot under load', value: peakRssMb('ack: Kept bot under load'), unit: 'MB', reference: startRssMb('ack: Kept bot under load'), referenceLabel: 'at phase start' }),
  ];
  return {
    rows,
    details: {
      rate,
      durationMs,
      cold: { kept: { ...stats(cold), slowest: cold.slowest }, bare: { ...stats(refCold), slowest: refCold.slowest } },
      kept: { ...k, sent: load.sent, answered: load.answered, errors: load.errors, statuses: load.statuses, serviceP99: percentile(load.serviceTimes, 99), senderLagP99: load.senderLagP99, slowest: load.slowest, followUpsCompleted: followUps, followUpsExpected: cold.sent + load.sent, warnings: lines.length, lastWarnings: lines.slice(-3) },
      bare: { ...b, sent: ref.sent, answered: ref.answered, errors: ref.errors, statuses: ref.statuses, serviceP99: percentile(ref.serviceTimes, 99), senderLagP99: ref.senderLagP99, slowest: ref.slowest },
    },
  };
}
