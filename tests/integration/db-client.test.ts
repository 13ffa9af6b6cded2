// A transaction that cannot start (Prisma P2028: no pool connection within maxWait) is tried again
// a bounded number of times, for every $transaction of the client; provoked for real with a pool of
// one connection held by another transaction.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, isTxStartTimeout, type Db } from '../../src/db/client.js';
import { createTestDatabase } from '../helpers/db.js';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
const clients: Db[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.$disconnect()));
  await database.drop();
});

function tinyPool(retry: { retries: number; onRetry?: (attempt: number) => void }): Db {
  const db = createDb(database.url, { max: 1, txStartRetry: { minDelayMs: 10, ...retry } });
  clients.push(db);
  return db;
}

/** Opens a transaction that holds the pool's only connection until `release()`. */
async function holdTheConnection(db: Db): Promise<{ release(): void; done: Promise<void> }> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let holding!: () => void;
  const held = new Promise<void>((resolve) => (holding = resolve));
  const done = db.$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT 1`;
      holding();
      await released;
    },
    { timeout: 20_000 },
  );
  await held;
  return { release, done };
}

describe('transactions that could not start', () => {
  it('fail with P2028 when the pool stays busy and nothing retries them (the condition is real)', async () => {
    const db = tinyPool({ retries: 0 });
    const holder = await holdTheConnection(db);
    let ran = 0;
    const err = await db.$transaction(async () => void ran++, { maxWait: 50 }).catch((e: unknown) => e);
    holder.release();
    await holder.done;
    expect(isTxStartTimeout(err)).toBe(true);
    expect((err as { code: string }).code).toBe('P2028');
    expect(ran).toBe(0);
  });

  it('are tried again after a pause, and succeed once a connection is free; the work runs once', async () => {
    let holder: Awaited<ReturnType<typeof holdTheConnection>> | undefined;
    const attempts: number[] = [];
    // The holder lets go when the first attempt has failed (it cannot get the connection, however
    // long it waits), so a retry finds the connection free.
    const db = tinyPool({ retries: 3, onRetry: (n) => (attempts.push(n), holder?.release()) });
    holder = await holdTheConnection(db);
    let ran = 0;
    const result = await db.$transaction(
      async (tx) => {
        ran++;
        return tx.$queryRaw<{ two: number }[]>`SELECT 2 AS two`;
      },
      { maxWait: 500 },
    );
    await holder.done;
    expect(result).toEqual([{ two: 2 }]);
    expect(attempts[0]).toBe(1);
    expect(ran).toBe(1);
  });

  it('give up after the bounded number of retries with the original error', async () => {
    const attempts: number[] = [];
    const db = tinyPool({ retries: 2, onRetry: (n) => attempts.push(n) });
    const holder = await holdTheConnection(db);
    let ran = 0;
    const err = await db.$transaction(async () => void ran++, { maxWait: 50 }).catch((e: unknown) => e);
    holder.release();
    await holder.done;
    expect(isTxStartTimeout(err)).toBe(true);
    expect(attempts).toEqual([1, 2]);
    expect(ran).toBe(0);
  });

  it('are the only failures retried: an error inside the transaction is thrown at once', async () => {
    const attempts: number[] = [];
    const db = tinyPool({ retries: 3, onRetry: (n) => attempts.push(n) });
    let ran = 0;
    const err = await db
      .$transaction(async (tx) => {
        ran++;
        await tx.$executeRaw`SELECT 1 / 0`;
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(isTxStartTimeout(err)).toBe(false);
    expect(ran).toBe(1);
    expect(attempts).toEqual([]);
  });
});

describe('queries on a transaction’s client (issue 14)', () => {
  it('run one after the other: pg never warns that a client was asked while busy', async () => {
    const db = createDb(database.url);
    clients.push(db);
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.message);
    process.on('warning', onWarning);
    try {
      // Prisma's interpreter loads an operation's relations concurrently; in a transaction they
      // all go to the one client the adapter holds.
      const ws = await db.workspace.create({ data: { slackTeamId: 'TSERIAL' } });
      const owner = await db.user.create({ data: { workspaceId: ws.id, slackUserId: 'USERIAL', displayName: 'ana' } });
      for (let i = 0; i < 3; i++) {
        await db.account.create({ data: { workspaceId: ws.id, name: `Serial ${i}`, normalizedName: `serial ${i}`, ownerId: owner.id, channels: { create: { workspaceId: ws.id, channelId: `CSER${i}` } } } });
      }
      const rows = await db.$transaction(async (tx) => {
        const [accounts, users] = await Promise.all([
          tx.account.findMany({ where: { workspaceId: ws.id }, include: { owner: true, channels: true, contacts: true, workspace: true } }),
          tx.user.findMany({ where: { workspaceId: ws.id }, include: { workspace: true } }),
          tx.$queryRaw`SELECT pg_sleep(0.05)::text`,
        ]);
        return { accounts, users };
      });
      expect(rows.accounts.map((a) => a.channels.length)).toEqual([1, 1, 1]);
      expect(rows.users).toHaveLength(1);
      await new Promise((r) => setImmediate(r)); // warnings are emitted on the next tick
      expect(warnings.filter((w) => w.includes('already executing a query'))).toEqual([]);
    } finally {
      process.off('warning', onWarning);
    }
  });
});
