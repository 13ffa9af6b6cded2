// The one place a Prisma client is built. Data access takes the client (or a transaction) as a parameter.
import { PrismaPg } from '@prisma/adapter-pg';
import pRetry from 'p-retry';
import pg from 'pg';
import { PrismaClient } from '../../generated/prisma/client.js';

export type Db = PrismaClient;
export type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];
/** Either the client or an open transaction. */
export type DbOrTx = Db | Tx;

/** Connections in one process's pool; the bot keeps its work in flight below this (src/bot/fair-use.ts). */
export const POOL_SIZE = 10;

/** How often a transaction that could not start is tried again, and the first pause (doubling, randomised). */
export interface TxStartRetry {
  retries: number;
  minDelayMs: number;
  /** Told of each failed start before the pause (tests count attempts with it). */
  onRetry?: (attempt: number, err: Error) => void;
}

export const TX_START_RETRY: TxStartRetry = { retries: 3, minDelayMs: 100 };

/**
 * How long an interactive transaction may run (Prisma's default is 5 s). Kept's take milliseconds;
 * on a starved machine, new commitments queued on a workspace's counter row ran past 5 s and failed
 * (benchmark scenario 6). Rolled back, but failed: 10 s lets a slow moment be slow instead.
 */
export const TX_TIMEOUT_MS = 10_000;

export function createDb(databaseUrl: string, opts: { max?: number; txStartRetry?: Partial<TxStartRetry> } = {}): Db {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: opts.max ?? POOL_SIZE });
  pool.on('connect', serializeQueries);
  const adapter = new PrismaPg(pool, { disposeExternalPool: true });
  const base = new PrismaClient({ adapter, transactionOptions: { timeout: TX_TIMEOUT_MS } });
  const retry = { ...TX_START_RETRY, ...opts.txStartRetry };
  // Every $transaction, whichever service opens it, is retried here when it could not start: the
  // pool gave no connection within maxWait, so none of the callback ran and trying again is safe.
  // The extension keeps $transaction's signature, so the client keeps the plain PrismaClient type.
  const client = base.$extends({
    client: {
      $transaction(...args: unknown[]) {
        return pRetry(() => (base.$transaction as (...a: unknown[]) => Promise<unknown>).apply(base, args), {
          retries: retry.retries,
          minTimeout: retry.minDelayMs,
          factor: 2,
          randomize: true,
          shouldRetry: ({ error }) => isTxStartTimeout(error),
          onFailedAttempt: ({ error, attemptNumber, retriesLeft }) => {
            if (retriesLeft > 0 && isTxStartTimeout(error)) retry.onRetry?.(attemptNumber, error);
          },
        });
      },
    },
  });
  return client as unknown as Db;
}

/**
 * Inside an interactive transaction Prisma's adapter holds one pooled client, and Prisma's query
 * interpreter runs the parts of one operation concurrently (a create with an include, a nested
 * read), so several client.query() calls reach that client at once. pg queues them itself, but
 * warns at every start that doing so is deprecated (pg 9 drops it): "Calling client.query() when
 * the client is already executing a query". Each client therefore runs its queries one after the
 * other here, in the order they were asked, which is what pg's own queue did: same results, no
 * warning, and ready for pg 9. Callback and submittable (cursor, stream) calls pass through as they are.
 */
function serializeQueries(client: pg.PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  let tail: Promise<unknown> = Promise.resolve();
  client.query = ((...args: unknown[]) => {
    const first = args[0] as { submit?: unknown } | undefined;
    if (typeof args.at(-1) === 'function' || typeof first?.submit === 'function') return query(...args);
    const result = tail.then(() => query(...args));
    tail = result.catch(() => undefined);
    return result;
  }) as typeof client.query;
}

/** Prisma's P2028 "Unable to start a transaction in the given time": no connection came within maxWait. */
export function isTxStartTimeout(err: unknown): err is Error {
  const e = err as { code?: unknown; message?: unknown } | null;
  return e?.code === 'P2028' && typeof e.message === 'string' && e.message.includes('Unable to start a transaction');
}
