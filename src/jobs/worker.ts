// The worker role: a BullMQ worker per queue, dispatching on job.name, plus the every-minute
// scheduler that ticks the scan. Several worker processes can share one Redis: the scan is
// serialised in Postgres and every post goes through the ledger.
import { DelayedError, type Job, Worker } from 'bullmq';
import type { Clock } from '../clock.js';
import type { Db } from '../db/client.js';
import { withLogContext, type Logger } from '../logger.js';
import type { Metrics } from '../ops/metrics.js';
import { stalled } from '../services/ledger.js';
import { deliverJobId, enqueueDeliveries, JOBS, openQueues, QUEUES, RETENTION_SCHEDULER_ID, SCAN_EVERY_MS, SCAN_SCHEDULER_ID, workerConnection, type Queues } from './queues.js';
import { purgeExpired } from '../services/installations.js';
import { reconcileDigests, removeDigestScheduler, runDigestJob } from './digest.job.js';
import { scan } from './scan.js';
import type { SendOutcome, SlackSender } from './slack-sender.js';

export interface WorkerDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  sender: SlackSender;
  redisUrl: string;
  prefix: string;
  /** Parallel deliveries per process (pacing per channel still holds across them). */
  concurrency?: number;
  /** Register the every-minute scan scheduler (off in tests that drive ticks themselves). */
  schedule?: boolean;
  /** Backoff base for retried deliveries. */
  retryDelayMs?: number;
  /** Days a removed workspace's data is kept (KEPT_RETENTION_DAYS); the daily job deletes it after. */
  retentionDays?: number;
  /** Counts prompts, times ticks and digests, and watches the queues. */
  metrics?: Metrics;
}

export interface Workers {
  queues: Queues;
  /** One scheduler tick, as the scheduler would run it: scan, queue what it found, recover stalled rows. */
  tick(): Promise<{ created: string[]; recovered: string[] }>;
  close(): Promise<void>;
}

/** Rows untouched this long while due are assumed to have lost their job. */
const STALLED_AFTER_MS = 2 * 60_000;

export async function startWorkers(deps: WorkerDeps): Promise<Workers> {
  const { db, clock, logger, sender } = deps;
  const queues = openQueues(deps.redisUrl, deps.prefix);
  const connection = workerConnection(deps.redisUrl);
  connection.on('error', (err) => logger.warn('redis (worker):', err.message));
  const { metrics } = deps;
  metrics?.watchQueues(queues.deliveries, queues.ticks);

  const tick = async () => {
    const started = performance.now();
    const now = clock.now();
    const { created, planned } = await scan(db, now);
    await enqueueDeliveries(queues, created, deps.retryDelayMs);
    const recovered = await recover(now);
    if (created.length || recovered.length) logger.info(`scan: ${created.length} new prompt(s), ${recovered.length} recovered`);
    if (metrics) {
      const fresh = new Set(created);
      for (const p of planned) if (p.id && fresh.has(p.id)) metrics.prompts.inc({ kind: p.kind, outcome: 'recorded' });
      metrics.scanRows.observe(created.length);
      metrics.scanTick.observe((performance.now() - started) / 1000);
    }
    return { created, recovered };
  };

  /** kept_prompts_total and kept_prompt_delay_seconds for a delivery job's outcome. */
  const count = async (deliveryId: string, outcome: SendOutcome) => {
    if (!metrics || outcome.kind === 'later') return;
    const row = await db.delivery.findUnique({ where: { id: deliveryId }, select: { kind: true, status: true, notBefore: true, sentAt: true } });
    if (!row) return;
    if (outcome.kind === 'failed') metrics.prompts.inc({ kind: row.kind, outcome: 'failed' });
    // Counted when it is skipped (nothing it carried was still true), not again on a replayed job.
    else if (outcome.kind === 'skipped') metrics.prompts.inc({ kind: row.kind, outcome: 'skipped' });
    else if ((outcome.kind === 'sent' || outcome.kind === 'found') && row.sentAt) {
      metrics.prompts.inc({ kind: row.kind, outcome: 'sent' });
      metrics.promptDelay.observe({ kind: row.kind }, Math.max(0, (row.sentAt.getTime() - row.notBefore.getTime()) / 1000));
    }
  };

  /** Re-queues ledger rows whose jobs were lost (Redis restarted) or gave up. */
  const recover = async (now: Date) => {
    const ids = await stalled(db, now, STALLED_AFTER_MS, 500);
    for (const id of ids) {
      const job = await queues.deliveries.getJob(deliverJobId(id));
      if (job && (await job.isFailed())) await job.retry();
    }
    await enqueueDeliveries(queues, ids, deps.retryDelayMs);
    return ids;
  };

  const deliveries = new Worker(
    QUEUES.deliveries,
    async (job: Job<{ deliveryId: string; slot?: number }>, token?: string) => withLogContext({ queue: job.queueName, jobId: job.id, deliveryId: job.data.deliveryId }, async () => {
      // A digest's thread replies are recorded as its first message is built: they wait for its ts.
      const follow = (ids?: string[]) => (ids?.length ? enqueueDeliveries(queues, ids, deps.retryDelayMs) : undefined);
      const outcome = await sender.send(job.data.deliveryId, job.data.slot).catch(async (err: Error & { follow?: string[] }) => {
        await follow(err.follow);
        throw err;
      });
      await follow(outcome.follow);
      // The workspace's token is gone: its digests stop too (a reinstall registers them again).
      if (outcome.kind === 'skipped' && outcome.inactive) for (const id of outcome.inactive.digestIds) await removeDigestScheduler(queues, id);
      if (outcome.digestBuildMs !== undefined) metrics?.digestBuild.observe(outcome.digestBuildMs / 1000);
      if (outcome.follow?.length) metrics?.prompts.inc({ kind: 'digest', outcome: 'recorded' }, outcome.follow.length);
      await count(job.data.deliveryId, outcome).catch((err: Error) => logger.warn('metrics:', err.message));
      if (outcome.kind === 'later') {
        // The job keeps the channel turn it was given and comes back for it.
        if (outcome.slot !== job.data.slot) await job.updateData({ deliveryId: job.data.deliveryId, ...(outcome.slot ? { slot: outcome.slot } : {}) });
        await job.moveToDelayed(Date.now() + outcome.delayMs, token);
        throw new DelayedError();
      }
      return outcome;
    }),
    { connection, prefix: deps.prefix, concurrency: deps.concurrency ?? 20 },
  );
  const ticks = new Worker(
    QUEUES.ticks,
    async (job) => withLogContext({ queue: job.queueName, jobId: job.id, job: job.name }, async () => {
      if (job.name === JOBS.scan) return tick();
      if (job.name === JOBS.retention) {
        const purged = await purgeExpired(db, clock.now(), deps.retentionDays ?? 30);
        if (purged.length) logger.info(`retention: deleted the data of ${purged.join(', ')}`);
        return purged;
      }
      if (job.name === JOBS.digest) {
        // A scheduler job is created ahead with a delay: its intended moment decides the week.
        const scheduledFor = new Date(job.timestamp + (job.opts.delay ?? 0));
        // Recorded here; built (and timed) when its first message is sent.
        const created = await runDigestJob(db, queues, (job.data as { subscriptionId: string }).subscriptionId, clock.now(), scheduledFor);
        if (created.length) metrics?.prompts.inc({ kind: 'digest', outcome: 'recorded' }, created.length);
        return created;
      }
    }),
    { connection, prefix: deps.prefix, concurrency: 1 },
  );
  for (const w of [deliveries, ticks]) {
    w.on('failed', (job, err) => logger.warn(`${w.name} job ${job?.id} failed (attempt ${job?.attemptsMade}):`, err.message));
    w.on('error', (err) => logger.error(`${w.name} worker:`, err));
  }
  if (deps.schedule !== false) {
    // Upserting is idempotent; several processes doing it at once may briefly queue a second
    // tick, which the scan's lock and window make harmless.
    await queues.ticks.upsertJobScheduler(SCAN_SCHEDULER_ID, { every: SCAN_EVERY_MS }, { name: JOBS.scan, opts: { removeOnComplete: 100, removeOnFail: 100 } });
    await queues.ticks.upsertJobScheduler(RETENTION_SCHEDULER_ID, { every: 24 * 60 * 60_000 }, { name: JOBS.retention, opts: { removeOnComplete: 10, removeOnFail: 10 } });
  }
  await recover(clock.now()).catch((err) => logger.warn('recovering stalled deliveries:', err.message));
  if (deps.schedule !== false) await reconcileDigests(db, queues, clock.now()).catch((err) => logger.warn('reconciling digests:', err.message));

  return {
    queues,
    tick,
    async close() {
      // Stop taking jobs; let the ones in flight finish (BullMQ hands back what it cannot finish).
      await Promise.all([deliveries.close(), ticks.close()]);
      await queues.close();
      connection.disconnect();
    },
  };
}
