// A job is plain data: { name, queue, schema, handler }. Enqueueing validates the payload, and the
// worker validates it again before running, since Redis may hold jobs written by an older release.
import { UnrecoverableError, type Job, type JobsOptions, type Queue } from 'bullmq';
import { z } from 'zod';
import type { Clock } from '../clock.js';
import type { Db } from '../db/client.js';
import type { Logger } from '../logger.js';
import type { QUEUES } from './queues.js';
import type { SlackSender } from './sender.js';

export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

/** What handlers get to work with. */
export interface JobDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  sender: SlackSender;
}

export interface JobContext {
  job: Job;
  /** The worker's lock token, needed to move the job (e.g. moveToDelayed). */
  token: string | undefined;
  deps: JobDeps;
}

export interface JobDefinition<S extends z.ZodType = z.ZodType> {
  name: string;
  queue: QueueName;
  schema: S;
  /** A job id derived from the data, so the same work queued twice collapses into one job. */
  jobId?(data: z.output<S>): string;
  /** Defaults for attempts, backoff, retention; callers may override per enqueue. */
  options?: JobsOptions;
  handler(data: z.output<S>, ctx: JobContext): Promise<unknown>;
}

export function defineJob<S extends z.ZodType>(def: JobDefinition<S>): JobDefinition<S> {
  return def;
}

/** BullMQ rejects or misreads ids with ':' (its key separator) and all-digit ids (its own counter). */
export function checkJobId(id: string): string {
  if (id.includes(':') || /^\d+$/.test(id)) throw new Error(`invalid job id "${id}": no ':' and not all digits`);
  return id;
}

/** Adds jobs of one kind in one round trip, after validating every payload. */
export async function enqueueMany<S extends z.ZodType>(
  queue: Queue,
  def: JobDefinition<S>,
  items: z.input<S>[],
  opts: JobsOptions = {},
): Promise<void> {
  if (queue.name !== def.queue) throw new Error(`job ${def.name} belongs on queue ${def.queue}, not ${queue.name}`);
  if (items.length === 0) return;
  await queue.addBulk(
    items.map((item) => {
      const data = def.schema.parse(item);
      const jobId = def.jobId ? checkJobId(def.jobId(data)) : undefined;
      return { name: def.name, data, opts: { ...def.options, ...opts, ...(jobId ? { jobId } : {}) } };
    }),
  );
}

export function enqueue<S extends z.ZodType>(queue: Queue, def: JobDefinition<S>, data: z.input<S>, opts?: JobsOptions): Promise<void> {
  return enqueueMany(queue, def, [data], opts);
}

/** The processor for one queue: find the job by name, re-validate its data, run it. */
export function processorFor(jobs: JobDefinition[], deps: JobDeps) {
  const byName = new Map(jobs.map((j) => [j.name, j]));
  return async (job: Job, token?: string): Promise<unknown> => {
    const def = byName.get(job.name);
    if (!def) throw new UnrecoverableError(`no job named "${job.name}" on queue ${job.queueName}`);
    const parsed = def.schema.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`invalid data for ${job.name}: ${z.prettifyError(parsed.error)}`);
    return def.handler(parsed.data, { job, token, deps });
  };
}
