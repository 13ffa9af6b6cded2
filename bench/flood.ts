// Scenario 6 — one person floods. Signed `/commit <title> by next Tuesday` (quick add: a real write)
// from one person at 100 a second, while five other people in the same workspace each send one a
// second, open loop from a child process, to Kept's real HTTP receiver (createBot, real Postgres
// and Redis, the fake Slack in another process). Reference, same run: the same five-a-second from
// five other people with no flood. Then the same flood against a second bot on the same database
// with the rate limits lifted: what the bound on work in flight does on its own. Every command's
// outcome is read from what Kept told its sender (the acknowledgement's own message, the
// announcement in the channel, or the private reply), then checked against the database.
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import { createBot } from '../src/bot/app.js';
import type { FairUseOptions } from '../src/bot/fair-use.js';
import { systemClock } from '../src/clock.js';
import { createTestDatabase } from '../tests/helpers/db.js';
import { REDIS_URL, SIGNING_SECRET } from '../tests/helpers/kept.js';
import { sendCommand } from '../tests/helpers/slack-requests.js';
import type { LoadRecord, LoadResult, LoadStream } from './ack-load.js';
import type { ChildReport } from './fake-slack-child.js';
import { percentile, quietLogger, rawClient, row, runLoadChild, startChildSlack, type Row } from './common.js';

const FLOOD_RATE = 100;
const OTHERS = 5;
const CHANNEL = 'C0001';

type Outcome = 'saved' | 'slowed' | 'failed' | 'other' | 'none';

interface Told {
  record: LoadRecord;
  outcome: Outcome;
  /** When Kept's answer reached Slack (wall clock), for the announcement or the reply. */
  answeredAt: number | null;
}

const stream = (name: string, user: string, ratePerSecond: number, durationMs: number, offsetMs = 0): LoadStream => ({
  name,
  user,
  ratePerSecond,
  durationMs,
  offsetMs,
  command: '/commit',
  // The title carries the request's id, so the announcement and the database row can be matched to it.
  text: `Item ${name}-{n} by next Tuesday`,
});

const othersStreams = (prefix: string, durationMs: number) =>
  Array.from({ length: OTHERS }, (_, i) => stream(`${prefix}${i}`, `U${prefix.toUpperCase()}${i}`, 1, durationMs, 37 + (i * 1000) / OTHERS));

const toldBy = (text: string): Outcome =>
  /Already saved as/.test(text) ? 'saved' : /slow down/i.test(text) ? 'slowed' : /Sorry, that failed/.test(text) ? 'failed' : 'other';

/** What Kept told the sender of each request: the acknowledgement's own message, the announcement, or the response_url answer. */
function outcomes(records: LoadRecord[], seen: ChildReport): Told[] {
  const announced = new Map<string, number>();
  for (const p of seen.posts) {
    const m = /“Item (\S+)”/.exec(p.text);
    if (m && p.channel === CHANNEL && p.outcome === 'ok') announced.set(m[1]!, p.at);
  }
  const replies = new Map<string, { text: string; at: number }>();
  for (const r of seen.replies) if (!replies.has(r.id)) replies.set(r.id, r);
  return records.map((record) => {
    if (record.answer) return { record, outcome: toldBy(record.answer), answeredAt: record.scheduledAt + (record.ms ?? 0) };
    const postedAt = announced.get(record.id);
    if (postedAt !== undefined) return { record, outcome: 'saved', answeredAt: postedAt };
    const reply = replies.get(record.id);
    if (!reply) return { record, outcome: 'none', answeredAt: null };
    return { record, outcome: toldBy(reply.text), answeredAt: reply.at };
  });
}

const count = (told: Told[], outcome: Outcome) => told.filter((t) => t.outcome === outcome).length;

const acks = (told: Told[]) => told.map((t) => t.record.ms ?? Infinity);
const savedIn = (told: Told[]) => told.filter((t) => t.outcome === 'saved' && t.answeredAt !== null).map((t) => t.answeredAt! - t.record.scheduledAt);
const notAcked = (told: Told[]) => told.filter((t) => t.record.status !== 200).length;
const lost = (told: Told[]) => told.filter((t) => t.outcome !== 'saved' || t.record.status !== 200).length;
const troubles = (told: Told[]) => count(told, 'failed') + count(told, 'other') + count(told, 'none');

interface Phase {
  load: LoadResult;
  told: Told[];
  cpuMs: number;
  loopDelayMaxMs: number;
}

export async function benchFlood(opts: { quick: boolean }): Promise<{ rows: Row[]; details: Record<string, unknown> }> {
  const durationMs = opts.quick ? 5_000 : 20_000;
  const users = ['UADMIN', 'UFLOOD', 'UFLOODX', ...['ref', 'oth', 'lif'].flatMap((p) => othersStreams(p, 0).map((s) => s.user)), ...['warm', 'warmx'].flatMap((p) => Array.from({ length: 10 }, (_, i) => `U${p.toUpperCase()}H${i}`))];
  const slack = await startChildSlack({ BENCH_USERS: JSON.stringify(Object.fromEntries(users.map((u) => [u, 'Europe/London']))) });
  const database = await createTestDatabase();
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  const { logger, lines } = quietLogger('bench-flood');
  const prefix = () => `kept-bench-${randomBytes(4).toString('hex')}`;
  const start = async (fairUse: Partial<FairUseOptions>) => {
    const bot = createBot({ db: database.db, redis, clock: systemClock, logger, fairUse, slack: { botToken: 'xoxb-bench', apiUrl: slack.apiUrl, signingSecret: SIGNING_SECRET } });
    return { bot, url: `http://127.0.0.1:${await bot.start(0)}` };
  };
  // Fair use as it ships (FAIR_USE_DEFAULTS), with counters of its own in Redis; and a second bot on
  // the same database with the rate limits lifted, to see what the bound on work in flight does alone.
  const kept = await start({ prefix: prefix() });
  const lifted = await start({ prefix: prefix(), personWritesPerMinute: 1e9, workspaceWritesPerMinute: 1e9 });
  const sql = await rawClient(database.url);

  /** Runs the streams, then waits until every request has been answered (or a minute has passed). */
  const phase = async (url: string, streams: LoadStream[]): Promise<Phase> => {
    // The bots' own CPU time and event-loop stalls while the load runs (they are alone in this process then).
    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    const cpu = process.cpuUsage();
    const load = await runLoadChild({ url: `${url}/slack/events`, signingSecret: SIGNING_SECRET, responseBase: `${slack.baseUrl}/response/`, streams });
    const used = process.cpuUsage(cpu);
    loop.disable();
    const deadline = Date.now() + 60_000;
    for (;;) {
      const told = outcomes(load.records!, await slack.snapshot());
      if (told.every((t) => t.outcome !== 'none') || Date.now() > deadline) return { load, told, cpuMs: (used.user + used.system) / 1000, loopDelayMaxMs: loop.max / 1e6 };
      await new Promise((r) => setTimeout(r, 500));
    }
  };
  const pause = () => new Promise((r) => setTimeout(r, 2_000));

  let cold: Phase;
  let reference: Phase;
  let flood: Phase;
  let unlimited: Phase;
  let titles: Set<string>;
  try {
    // The account, linked to the channel every command is sent from.
    await sendCommand(kept.url, SIGNING_SECRET, { command: '/kept', text: 'account add Acme', user_id: 'UADMIN', channel_id: CHANNEL, response_url: `${slack.baseUrl}/response/seed` });
    for (let i = 0; ; i++) {
      const { rowCount } = await sql.query('SELECT 1 FROM account_channels WHERE channel_id = $1', [CHANNEL]);
      if (rowCount) break;
      if (i > 100) throw new Error('the account was not created');
      await new Promise((r) => setTimeout(r, 100));
    }
    // A warm-up, so no phase pays for the process's start: the write path (cold pool, first query
    // plans) and the acknowledgement at 100 a second (the first burst a process ever takes is slow,
    // as in scenario 1; reported on its own row). Then the same for the second bot.
    const warm = (url: string, p: string) =>
      phase(url, [stream(`${p}w`, 'UADMIN', 5, 2_000), ...Array.from({ length: 10 }, (_, i) => ({ ...stream(`${p}h${i}`, `U${p.toUpperCase()}H${i}`, 10, 2_000, i * 10), command: '/kept', text: 'help' }))]);
    cold = await warm(kept.url, 'warm');
    await warm(lifted.url, 'warmx');
    reference = await phase(kept.url, othersStreams('ref', durationMs));
    await pause();
    flood = await phase(kept.url, [stream('flood', 'UFLOOD', FLOOD_RATE, durationMs), ...othersStreams('oth', durationMs)]);
    await pause();
    unlimited = await phase(lifted.url, [stream('floodx', 'UFLOODX', FLOOD_RATE, durationMs), ...othersStreams('lif', durationMs)]);
    const { rows } = await sql.query<{ title: string }>('SELECT title FROM commitments');
    titles = new Set(rows.map((r) => r.title.replace(/^Item /, '')));
  } finally {
    await sql.end();
    await kept.bot.stop();
    await lifted.bot.stop();
    await slack.report().catch(() => {});
    redis.disconnect();
    await database.drop();
  }

  const split = (p: Phase, flooder: string) => ({ flooder: p.told.filter((t) => t.record.stream === flooder), others: p.told.filter((t) => t.record.stream !== flooder) });
  const f = split(flood, 'flood');
  const u = split(unlimited, 'floodx');
  const everyone = [...cold.told, ...reference.told, ...flood.told, ...unlimited.told];
  const savedWithoutRow = everyone.filter((t) => t.outcome === 'saved' && !titles.has(t.record.id)).length;
  const refusedWithRow = everyone.filter((t) => (t.outcome === 'slowed' || t.outcome === 'failed') && titles.has(t.record.id)).length;
  const silentWithRow = everyone.filter((t) => (t.outcome === 'none' || t.outcome === 'other') && titles.has(t.record.id)).length;

  const S = '7 flood';
  const ref = `no flood, ${OTHERS} people at 1/s`;
  const a = acks(f.others);
  const r = acks(reference.told);
  const max = (v: number[]) => percentile(v, 100);
  const rows: Row[] = [
    row({ scenario: S, metric: `others' ack p50 (${OTHERS} people at 1/s, one at ${FLOOD_RATE}/s, ${durationMs / 1000} s)`, value: percentile(a, 50), unit: 'ms', reference: percentile(r, 50), referenceLabel: ref }),
    row({ scenario: S, metric: "others' ack p99", value: percentile(a, 99), unit: 'ms', reference: percentile(r, 99), referenceLabel: ref }),
    row({ scenario: S, metric: "others' ack max", value: max(a), unit: 'ms', reference: max(r), referenceLabel: ref, target: '≤ 3000 ms', ok: max(a) <= 3000 }),
    row({ scenario: S, metric: "others' commands not saved (or not acked)", value: lost(f.others), unit: 'cmds', reference: lost(reference.told), referenceLabel: ref, target: '0', ok: lost(f.others) === 0 }),
    row({ scenario: S, metric: "others' time to saved, p99", value: percentile(savedIn(f.others), 99), unit: 'ms', reference: percentile(savedIn(reference.told), 99), referenceLabel: ref }),
    row({ scenario: S, metric: `flooder: saved of ${f.flooder.length}`, value: count(f.flooder, 'saved'), unit: 'cmds' }),
    row({ scenario: S, metric: 'flooder: told to slow down', value: count(f.flooder, 'slowed'), unit: 'cmds' }),
    row({ scenario: S, metric: 'flooder: failed, other or no answer', value: troubles(f.flooder), unit: 'cmds', target: '0', ok: troubles(f.flooder) === 0 }),
    row({ scenario: S, metric: 'flooder: ack max', value: max(acks(f.flooder)), unit: 'ms', target: '≤ 3000 ms', ok: max(acks(f.flooder)) <= 3000 }),
    row({ scenario: S, metric: "rate limits lifted: others' ack max", value: max(acks(u.others)), unit: 'ms', reference: max(r), referenceLabel: ref, target: '≤ 3000 ms', ok: max(acks(u.others)) <= 3000 }),
    row({ scenario: S, metric: "rate limits lifted: others' not saved", value: lost(u.others), unit: 'cmds', reference: lost(reference.told), referenceLabel: ref, target: '0', ok: lost(u.others) === 0 }),
    row({ scenario: S, metric: "rate limits lifted: others' time to saved, p99", value: percentile(savedIn(u.others), 99), unit: 'ms', reference: percentile(savedIn(reference.told), 99), referenceLabel: ref }),
    row({ scenario: S, metric: `rate limits lifted: flooder saved / shed of ${u.flooder.length}`, value: count(u.flooder, 'saved'), unit: `saved / ${count(u.flooder, 'slowed')} shed` }),
    row({ scenario: S, metric: 'rate limits lifted: flooder failed, other or no answer', value: troubles(u.flooder), unit: 'cmds', target: '0', ok: troubles(u.flooder) === 0 }),
    row({ scenario: S, metric: 'ack max, first 2 s at 100/s after start (cold)', value: max(acks(cold.told)), unit: 'ms' }),
    row({ scenario: S, metric: 'told "saved", no row in the database', value: savedWithoutRow, unit: 'cmds', target: '0', ok: savedWithoutRow === 0 }),
    row({ scenario: S, metric: 'told "slow down" or "failed", row in the database', value: refusedWithRow, unit: 'cmds', target: '0', ok: refusedWithRow === 0 }),
  ];
  const summary = (told: Told[]) => {
    const k = acks(told);
    const s = savedIn(told);
    return { sent: told.length, saved: count(told, 'saved'), slowed: count(told, 'slowed'), failed: count(told, 'failed'), other: count(told, 'other'), none: count(told, 'none'), notAcked: notAcked(told), ackP50: percentile(k, 50), ackP99: percentile(k, 99), ackMax: max(k), savedP50: percentile(s, 50), savedP99: percentile(s, 99), savedMax: max(s) };
  };
  // Ten slowest acknowledgements of the others: ms into the phase, and how long.
  const slowest = (p: Phase, told: Told[]) =>
    told
      .map((t) => ({ atMs: t.record.scheduledAt - p.told[0]!.record.scheduledAt, ms: Math.round(t.record.ms ?? Infinity) }))
      .sort((x, y) => y.ms - x.ms)
      .slice(0, 10);
  const machineState = (p: Phase) => ({ botCpuMs: Math.round(p.cpuMs), eventLoopDelayMaxMs: Math.round(p.loopDelayMaxMs), senderLagP99: Math.round(p.load.senderLagP99) });
  return {
    rows,
    details: {
      durationMs,
      floodRate: FLOOD_RATE,
      cold: { ackP50: percentile(acks(cold.told), 50), ackP99: percentile(acks(cold.told), 99), ackMax: max(acks(cold.told)), ...machineState(cold) },
      reference: { others: summary(reference.told), ...machineState(reference) },
      flood: { flooder: summary(f.flooder), others: summary(f.others), othersSlowest: slowest(flood, f.others), ...machineState(flood) },
      limitsLifted: { flooder: summary(u.flooder), others: summary(u.others), othersSlowest: slowest(unlimited, u.others), ...machineState(unlimited) },
      check: { savedWithoutRow, refusedWithRow, unansweredOrOtherWithRow: silentWithRow, rows: titles.size },
      loadAverage: os.loadavg().map((l) => Math.round(l * 10) / 10),
      warnings: lines.length,
      lastWarnings: lines.slice(-5),
    },
  };
}
