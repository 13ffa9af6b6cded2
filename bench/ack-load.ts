// Open-loop load generator for the acknowledgement benchmark, run as a child process so the sender
// does not share an event loop with the receiver it measures. Requests fire on a fixed schedule,
// whether or not earlier ones have been answered; latency is counted from the scheduled moment
// (so a late sender or a queue in the server both show up), and also from the actual send.
// Input: BENCH_LOAD env (JSON). Output: one JSON line on stdout.
import { sign, slashCommand } from '../tests/helpers/slack-requests.js';

interface LoadConfig {
  url: string;
  signingSecret: string;
  ratePerSecond: number;
  durationMs: number;
  /** response_url base (the fake Slack's /response/ path). */
  responseBase: string;
  users: string[];
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
}

const config = JSON.parse(process.env.BENCH_LOAD ?? '{}') as LoadConfig;

async function main() {
  const total = Math.round((config.ratePerSecond * config.durationMs) / 1000);
  const period = 1000 / config.ratePerSecond;
  const latencies: number[] = [];
  const byRequest: { atMs: number; ms: number }[] = [];
  const serviceTimes: number[] = [];
  const lags: number[] = [];
  const statuses: Record<string, number> = {};
  let errors = 0;
  let answered = 0;
  let next = 0;
  const inflight: Promise<void>[] = [];
  const t0 = performance.now() + 50;

  const fire = (i: number) => {
    const scheduled = t0 + i * period;
    const userId = config.users[i % config.users.length]!;
    // Alternate /kept help and /commit with empty text (which opens the modal).
    const fields = i % 2 === 0 ? { command: '/kept', text: 'help' } : { command: '/commit', text: '' };
    const body = new URLSearchParams({ ...slashCommand({ ...fields, user_id: userId, response_url: `${config.responseBase}load-${i}` }) }).toString();
    const ts = Math.floor(Date.now() / 1000);
    const sent = performance.now();
    lags.push(sent - scheduled);
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
        await res.text();
        const done = performance.now();
        latencies.push(done - scheduled);
        byRequest.push({ atMs: Math.round(scheduled - t0), ms: Math.round(done - scheduled) });
        serviceTimes.push(done - sent);
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
        answered++;
      })
      .catch(() => {
        errors++;
      });
  };

  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const now = performance.now();
      while (next < total && t0 + next * period <= now) inflight.push(fire(next++));
      if (next >= total) {
        clearInterval(timer);
        resolve();
      }
    }, 1);
  });
  await Promise.all(inflight);
  lags.sort((a, b) => a - b);
  const result: LoadResult = {
    sent: total,
    answered,
    errors,
    statuses,
    latencies,
    serviceTimes,
    senderLagP99: lags[Math.max(0, Math.ceil(lags.length * 0.99) - 1)] ?? 0,
    slowest: byRequest.sort((a, b) => b.ms - a.ms).slice(0, 10),
  };
  process.stdout.write(JSON.stringify(result) + '\n');
}

main().catch((err) => {
  process.stderr.write(String(err?.stack ?? err) + '\n');
  process.exit(1);
});
