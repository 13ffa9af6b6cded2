// Open-loop load generator for the acknowledgement and flood benchmarks, run as a child process so
// the sender does not share an event loop with the receiver it measures. Requests fire on a fixed
// schedule, whether or not earlier ones have been answered; latency is counted from the scheduled
// moment (so a late sender or a queue in the server both show up), and also from the actual send.
// Input: BENCH_LOAD env (JSON): either a rate and users (alternating `/kept help` and `/commit` with
// empty text), or `streams` (each its own user, rate and command text). Output: one JSON line on stdout.
import { sign, slashCommand } from '../tests/helpers/slack-requests.js';

/** One person sending the same command at a fixed rate; `{n}` in the text becomes the request's number in the stream. */
export interface LoadStream {
  name: string;
  user: string;
  ratePerSecond: number;
  durationMs: number;
  /** Delay of the stream's first request, so streams of the same rate do not fire together. */
  offsetMs?: number;
  command: string;
  text: string;
}

interface LoadConfig {
  url: string;
  signingSecret: string;
  /** response_url base (the fake Slack's /response/ path). */
  responseBase: string;
  ratePerSecond?: number;
  durationMs?: number;
  users?: string[];
  streams?: LoadStream[];
}

/** One request sent from a stream: `id` is its response_url id, `text` what it asked. */
export interface LoadRecord {
  id: string;
  stream: string;
  text: string;
  /** Wall-clock ms (Date.now()) of the scheduled moment, to compare with what other processes saw. */
  scheduledAt: number;
  /** From the scheduled moment to the full response, ms; null when the request failed. */
  ms: number | null;
  status: number | null;
  /** The `text` of a message carried by the acknowledgement itself, if any. */
  answer?: string;
}

export interface LoadResult {
  sent: number;
  answered: number;
  errors: number;
  statuses: Record<string, number>;
  /** From the scheduled moment to the full response, ms. */
  latencies: number[];
  /** From the actual send to the full response, ms. */
  serviceTimes: number[];
  /** How late the sender fired compared to its schedule, ms (p99). */
  senderLagP99: number;
  /** The ten slowest requests: when they were sent (ms into the run) and how long they took. */
  slowest: { atMs: number; ms: number }[];
  /** Per request, in `streams` mode only. */
  records?: LoadRecord[];
}

interface Planned {
  atMs: number;
  id: string;
  stream: string;
  user: string;
  command: string;
  text: string;
}

const config = JSON.parse(process.env.BENCH_LOAD ?? '{}') as LoadConfig;

function plan(c: LoadConfig): Planned[] {
  if (c.streams) {
    const all = c.streams.flatMap((s) =>
      Array.from({ length: Math.round((s.ratePerSecond * s.durationMs) / 1000) }, (_, n) => ({
        atMs: (s.offsetMs ?? 0) + (n * 1000) / s.ratePerSecond,
        id: `${s.name}-${n}`,
        stream: s.name,
        user: s.user,
        command: s.command,
        text: s.text.replaceAll('{n}', String(n)),
      })),
    );
    return all.sort((a, b) => a.atMs - b.atMs);
  }
  const total = Math.round((c.ratePerSecond! * c.durationMs!) / 1000);
  const period = 1000 / c.ratePerSecond!;
  // Alternate /kept help and /commit with empty text (which opens the modal).
  return Array.from({ length: total }, (_, i) => ({
    atMs: i * period,
    id: `load-${i}`,
    stream: 'load',
    user: c.users![i % c.users!.length]!,
    ...(i % 2 === 0 ? { command: '/kept', text: 'help' } : { command: '/commit', text: '' }),
  }));
}

async function main() {
  const requests = plan(config);
  const latencies: number[] = [];
  const byRequest: { atMs: number; ms: number }[] = [];
  const serviceTimes: number[] = [];
  const lags: number[] = [];
  const statuses: Record<string, number> = {};
  const records: LoadRecord[] = [];
  let errors = 0;
  let answered = 0;
  let next = 0;
  const inflight: Promise<void>[] = [];
  const t0 = performance.now() + 50;
  const wallT0 = Date.now() + 50;

  const fire = (r: Planned) => {
    const scheduled = t0 + r.atMs;
    const body = new URLSearchParams({ ...slashCommand({ command: r.command, text: r.text, user_id: r.user, response_url: `${config.responseBase}${r.id}` }) }).toString();
    const ts = Math.floor(Date.now() / 1000);
    const sent = performance.now();
    lags.push(sent - scheduled);
    const record: LoadRecord = { id: r.id, stream: r.stream, text: r.text, scheduledAt: Math.round(wallT0 + r.atMs), ms: null, status: null };
    if (config.streams) records.push(record);
    return fetch(config.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-slack-request-timestamp': String(ts),
        'x-slack-signature': sign(config.signingSecret, ts, body),
      },
      body,
    })
      .then(async (res) => {
        const answer = await res.text();
        const done = performance.now();
        if (answer && config.streams) record.answer = String((JSON.parse(answer) as { text?: unknown }).text ?? '').slice(0, 300);
        latencies.push(done - scheduled);
        byRequest.push({ atMs: Math.round(r.atMs), ms: Math.round(done - scheduled) });
        serviceTimes.push(done - sent);
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
        record.ms = done - scheduled;
        record.status = res.status;
        answered++;
      })
      .catch(() => {
        errors++;
      });
  };

  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const now = performance.now();
      while (next < requests.length && t0 + requests[next]!.atMs <= now) inflight.push(fire(requests[next++]!));
      if (next >= requests.length) {
        clearInterval(timer);
        resolve();
      }
    }, 1);
  });
  await Promise.all(inflight);
  lags.sort((a, b) => a - b);
  const result: LoadResult = {
    sent: requests.length,
    answered,
    errors,
    statuses,
    latencies,
    serviceTimes,
    senderLagP99: lags[Math.max(0, Math.ceil(lags.length * 0.99) - 1)] ?? 0,
    slowest: byRequest.sort((a, b) => b.ms - a.ms).slice(0, 10),
    ...(config.streams ? { records } : {}),
  };
  process.stdout.write(JSON.stringify(result) + '\n');
}

main().catch((err) => {
  process.stderr.write(String(err?.stack ?? err) + '\n');
  process.exit(1);
});
