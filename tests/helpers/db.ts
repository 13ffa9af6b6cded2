// Throwaway databases for integration tests, on the server in TEST_DATABASE_SERVER_URL.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createDb, type Db } from '../../src/db/client.js';
import { migrate } from '../../src/db/migrate.js';

const SERVER_URL = process.env.TEST_DATABASE_SERVER_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

/** A URL for a not-yet-existing, uniquely named database on the test server. */
export function uniqueDatabaseUrl(): string {
  const url = new URL(SERVER_URL);
  url.pathname = `/kept_test_${randomBytes(6).toString('hex')}`;
  return url.toString();
}

/** Drops the database named in `url` (if it exists), disconnecting anyone still using it. */
export async function dropDatabase(url: string): Promise<void> {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  const admin = new pg.Client({ connectionString: SERVER_URL });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name.replace(/"/g, '""')}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

/** A fresh, fully migrated database and a Prisma client for it. Call drop() when done. */
export async function createTestDatabase(): Promise<{ url: string; db: Db; drop(): Promise<void> }> {
  const url = uniqueDatabaseUrl();
  await migrate(url); // creates the database too
  const db = createDb(url);
  let dropped = false;
  return {
    url,
    db,
    async drop() {
      if (dropped) return;
      dropped = true;
      await db.$disconnect();
      await dropDatabase(url);
    },
  };
}
