// Kept's Prometheus metrics, in one place. Each process (and each app a test starts) has its own
// Registry, so several can live side by side; GET /metrics serves it (src/ops/http.ts).
import type { Queue } from 'bullmq';
import type { FetchFunction } from '@slack/web-api';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** What a Slack request was, as Bolt sees it: the label of the acknowledgement histogram. */
export type RequestKind = 'command' | 'action' | 'view' | 'event' | 'options' | 'shortcut' | 'other';
export type PromptOutcome = 'recorded' | 'sent' | 'skipped' | 'failed';

/** States of a BullMQ queue shown as kept_queue_jobs. */
const QUEUE_STATES = ['waiting', 'delayed', 'active', 'failed'] as const;

export class Metrics {
  readonly registry = new Registry();
  private readonly queues = new Set<Queue>();

  readonly ackSeconds = new Histogram({
    name: 'kept_ack_seconds',
    help: 'Time from a Slack request arriving to its acknowledgement being sent (Slack allows 3 s), by kind of request.',
    labelNames: ['kind'] as const,
    buckets: [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5],
    registers: [this.registry],
  });

  readonly prompts = new Counter({
    name: 'kept_prompts_total',
    help: 'Background messages (prompts and digests) by kind and outcome: recorded in the ledger, sent, skipped, failed for good.',
    labelNames: ['kind', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly promptDelay = new Histogram({
    name: 'kept_prompt_delay_seconds',
    help: "Time from a message's moment (its not-before time in the ledger) to its post in Slack.",
    labelNames: ['kind'] as const,
    buckets: [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 4 * 3600],
    registers: [this.registry],
  });

  readonly slackCalls = new Counter({
    name: 'kept_slack_api_calls_total',
    help: 'Slack Web API calls by method and outcome: ok, the Slack error code, ratelimited (429), http_<status>, timeout or request_error.',
    labelNames: ['method', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly retryAfter = new Counter({
    name: 'kept_slack_retry_after_seconds_total',
    help: 'Seconds Slack asked Kept to wait (Retry-After of 429 answers), summed.',
    registers: [this.registry],
  });

  readonly scanTick = new Histogram({
    name: 'kept_scan_tick_seconds',
    help: "Duration of one scheduler tick: the scan, queueing what it found, recovering stalled deliveries.",
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [this.registry],
  });

  readonly scanRows = new Histogram({
    name: 'kept_scan_rows',
    help: 'Ledger rows (messages to send) written by one scheduler tick.',
    buckets: [0, 1, 5, 10, 50, 100, 500, 1000, 5000, 20000],
    registers: [this.registry],
  });

  readonly digestBuild = new Histogram({
    name: 'kept_digest_build_seconds',
    help: 'Time to build one weekly digest (when its first message is sent) and record its thread replies.',
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });

  constructor(opts: { defaults?: boolean } = {}) {
    const queues = this.queues;
    new Gauge({
      name: 'kept_queue_jobs',
      help: 'Jobs in each BullMQ queue by state (waiting, delayed, active, failed).',
      labelNames: ['queue', 'state'] as const,
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const q of queues) {
          const counts = await q.getJobCounts(...QUEUE_STATES).catch(() => null);
          if (counts) for (const state of QUEUE_STATES) this.set({ queue: q.name, state }, counts[state] ?? 0);
        }
      },
    });
    new Gauge({
      name: 'kept_queue_oldest_waiting_seconds',
      help: 'Age of the oldest job waiting for a worker in each queue (0 when none waits).',
      labelNames: ['queue'] as const,
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const q of queues) {
          const [oldest] = await q.getJobs(['wait'], 0, 0, true).catch(() => []);
          const since = oldest ? oldest.timestamp + (oldest.delay ?? 0) : Date.now();
          this.set({ queue: q.name }, Math.max(0, (Date.now() - since) / 1000));
        }
      },
    });
    // Event-loop lag, heap, GC, CPU, file descriptors.
    if (opts.defaults !== false) collectDefaultMetrics({ register: this.registry, prefix: 'kept_' });
  }

  /** Adds queues to the kept_queue_* gauges (read when /metrics is scraped). */
  watchQueues(...queues: Queue[]): void {
    for (const q of queues) this.queues.add(q);
  }

  /** The Prometheus text exposition of every metric. */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /**
   * A `fetch` for a WebClient (its `fetch` option) that counts every HTTP call to Slack, retries
   * included, by method and outcome, and adds up the Retry-After of each 429.
   */
  slackFetch(base: FetchFunction = globalThis.fetch as unknown as FetchFunction): FetchFunction {
    return async (url, init) => {
      const method = slackMethod(url);
      let res: Awaited<ReturnType<FetchFunction>>;
      try {
        res = await base(url, init);
      } catch (err) {
        const name = (err as Error).name;
        this.slackCalls.inc({ method, outcome: name === 'AbortError' || name === 'TimeoutError' ? 'timeout' : 'request_error' });
        throw err;
      }
      let outcome = 'ok';
      if (res.status === 429) {
        outcome = 'ratelimited';
        const seconds = Number(res.headers.get('retry-after'));
        if (Number.isFinite(seconds) && seconds > 0) this.retryAfter.inc(seconds);
      } else if (res.status >= 300) {
        outcome = `http_${res.status}`;
      } else if ((res.headers.get('content-type') ?? '').includes('json') && 'clone' in res) {
        const body = (await (res as unknown as Response).clone().json().catch(() => null)) as { ok?: boolean; error?: string } | null;
        if (body && body.ok === false) outcome = String(body.error ?? 'error').slice(0, 64);
      }
      this.slackCalls.inc({ method, outcome });
      return res;
    };
  }
}

/** chat.postMessage from https://slack.com/api/chat.postMessage; file uploads go to other URLs. */
export function slackMethod(url: string | URL): string {
  const path = typeof url === 'string' ? url.split('?')[0]! : url.pathname;
  const m = /\/api\/([A-Za-z0-9_.]+)$/.exec(path);
  return m ? m[1]! : 'upload';
}
