// Queue names, Redis connections and typed enqueueing, in one place.
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';

export const QUEUES = { deliveries: 'deliveries', ticks: 'ticks' } as const;
export const JOBS = { deliver: 'deliver', scan: 'scan', digest: 'digest', retention: 'retention' } as const;
/** Daily: deletes the data of workspaces Kept was removed from more than KEPT_RETENTION_DAYS ago. */
export const RETENTION_SCHEDULER_ID = 'retention-daily';
/** The scheduler that ticks the scan every minute. */
export const SCAN_SCHEDULER_ID = 'scan-every-minute';
export const SCAN_EVERY_MS = 60_000;

/** Workers block on Redis: they must retry forever rather than give up on a request. */
export function workerConnection(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null });
}

/** Producers fail fast when Redis is away instead of queueing commands in memory. */
export function producerConnection(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: false });
}

export const deliverJobId = (deliveryId: string) => `deliver-${deliveryId}`;

export const DELIVER_JOB_OPTIONS = {
  attempts: 10,
  backoff: { type: 'exponential' as const, delay: 2_000 },
  removeOnComplete: { age: 3600, count: 10_000 },
  removeOnFail: { age: 24 * 3600 },
};

export interface Queues {
  deliveries: Queue;
  ticks: Queue;
  close(): Promise<void>;
}

export function openQueues(redisUrl: string, prefix: string): Queues {
  const connection = producerConnection(redisUrl);
  connection.on('error', () => {});
  const deliveries = new Queue(QUEUES.deliveries, { connection, prefix });
  const ticks = new Queue(QUEUES.ticks, { connection, prefix });
  return {
    deliveries,
    ticks,
    async close() {
      await Promise.all([deliveries.close(), ticks.close()]);
      connection.disconnect();
    },
  };
}

/** One deliver job per ledger row; the job id collapses duplicates while a job is queued. */
export async function enqueueDeliveries(queues: Pick<Queues, 'deliveries'>, deliveryIds: string[], backoffMs?: number): Promise<void> {
  if (deliveryIds.length === 0) return;
  await queues.deliveries.addBulk(
    deliveryIds.map((deliveryId) => ({
      name: JOBS.deliver,
      data: { deliveryId },
      opts: { ...DELIVER_JOB_OPTIONS, jobId: deliverJobId(deliveryId), ...(backoffMs ? { backoff: { type: 'exponential' as const, delay: backoffMs } } : {}) },
    })),
  );
}

/**
 * Queues a delivery again after its job finished (an operator's replay): the finished job still
 * holds the job id, which would swallow the new one, so it goes first.
 */
export async function requeueDelivery(queues: Pick<Queues, 'deliveries'>, deliveryId: string): Promise<void> {
  const old = await queues.deliveries.getJob(deliverJobId(deliveryId));
  const state = old ? await old.getState() : undefined;
  if (old && (state === 'completed' || state === 'failed')) await old.remove();
  await enqueueDeliveries(queues, [deliveryId]);
}
