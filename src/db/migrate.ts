// Applies prisma/migrations/*/migration.sql the way `prisma migrate deploy` would, recording them in
// Prisma's own _prisma_migrations table, because the Prisma CLI cannot fetch its schema engine here.
import { createHash, randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const DEFAULT_MIGRATIONS_DIR = fileURLToPath(new URL('../../prisma/migrations', import.meta.url));

// The same key Prisma's migrate engine locks on, so this and the Prisma CLI also exclude each other.
const ADVISORY_LOCK_KEY = '72707369';

const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

export interface MigrateOptions {
  migrationsDir?: string;
  log?: (line: string) => void;
}

interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

interface MigrationRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

/** Creates the database if needed and applies every migration not yet recorded as finished. */
export async function migrate(databaseUrl: string, opts: MigrateOptions = {}): Promise<{ applied: string[] }> {
  const log = opts.log ?? (() => {});
  const migrations = await readMigrations(opts.migrationsDir ?? DEFAULT_MIGRATIONS_DIR);

  const client = await connectCreatingDatabase(databaseUrl);
  try {
    await client.query('SELECT pg_advisory_lock($1)', [ADVISORY_LOCK_KEY]);
    try {
      await client.query(CREATE_MIGRATIONS_TABLE);
      const { rows } = await client.query<MigrationRow>(
        'SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" ORDER BY started_at',
      );
      const done = checkRecorded(rows, migrations);

      const applied: string[] = [];
      for (const m of migrations) {
        if (done.has(m.name)) continue;
        await applyOne(client, m);
        applied.push(m.name);
        log(`applied ${m.name}`);
      }
      return { applied };
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [ADVISORY_LOCK_KEY]).catch(() => {});
    }
  } finally {
    await client.end().catch(() => {});
  }
}

async function readMigrations(dir: string): Promise<MigrationFile[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  const files: MigrationFile[] = [];
  for (const name of names) {
    let bytes: Buffer;
    try {
      bytes = await readFile(join(dir, name, 'migration.sql'));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue; // not a migration folder
      throw err;
    }
    files.push({ name, sql: bytes.toString('utf8'), checksum: createHash('sha256').update(bytes).digest('hex') });
  }
  return files;
}

/** Returns the names already applied; throws on failed or edited migrations, as Prisma's deploy would. */
function checkRecorded(rows: MigrationRow[], migrations: MigrationFile[]): Set<string> {
  const live = rows.filter((r) => r.rolled_back_at === null);
  const failed = live.filter((r) => r.finished_at === null);
  if (failed.length > 0) {
    const names = failed.map((r) => r.migration_name).join(', ');
    throw new Error(
      `migration ${names} failed earlier and was not rolled back; fix the database by hand, then mark it rolled back (set rolled_back_at) or finished in _prisma_migrations`,
    );
  }
  const done = new Set<string>();
  for (const row of live) {
    const file = migrations.find((m) => m.name === row.migration_name);
    if (file && file.checksum !== row.checksum) {
      throw new Error(
        `migration ${row.migration_name} was edited after it was applied (checksum ${row.checksum} in the database, ${file.checksum} on disk); restore the file and add a new migration instead`,
      );
    }
    done.add(row.migration_name);
  }
  return done;
}

async function applyOne(client: pg.Client, m: MigrationFile): Promise<void> {
  await client.query('BEGIN');
  try {
    const id = randomUUID();
    await client.query(
      'INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at) VALUES ($1, $2, $3, now())',
      [id, m.checksum, m.name],
    );
    // No parameters: the simple-query protocol accepts many statements (and $$ bodies) in one string.
    await client.query(m.sql);
    // clock_timestamp(), not now(): now() is frozen at the transaction start, i.e. equal to started_at.
    await client.query(
      'UPDATE "_prisma_migrations" SET finished_at = clock_timestamp(), applied_steps_count = 1 WHERE id = $1',
      [id],
    );
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw new Error(`migration ${m.name} failed: ${describePgError(err)}`, { cause: err });
  }
}

function describePgError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const e = err as Error & { code?: string; detail?: string; hint?: string };
  let text = e.message;
  if (e.code) text += ` (SQLSTATE ${e.code})`;
  if (e.detail) text += `; ${e.detail}`;
  if (e.hint) text += `; hint: ${e.hint}`;
  return text;
}

/** Connects to the target database, creating it first (via the `postgres` database) if it does not exist. */
async function connectCreatingDatabase(databaseUrl: string): Promise<pg.Client> {
  try {
    return await connect(databaseUrl);
  } catch (err) {
    if ((err as { code?: string }).code !== '3D000') throw err; // 3D000: invalid_catalog_name
  }
  const url = new URL(databaseUrl);
  const dbName = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!dbName) throw new Error('DATABASE_URL names no database');
  url.pathname = '/postgres';
  const admin = await connect(url.toString());
  try {
    await admin.query(`CREATE DATABASE ${quoteIdent(dbName)}`);
  } catch (err) {
    // Another process created it at the same moment: 42P04 duplicate_database, or 23505 when both
    // inserts reach pg_database's unique index together.
    const code = (err as { code?: string }).code;
    if (code !== '42P04' && code !== '23505') throw err;
  } finally {
    await admin.end().catch(() => {});
  }
  return connect(databaseUrl);
}

async function connect(connectionString: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString });
  try {
    await client.connect();
  } catch (err) {
    await client.end().catch(() => {});
    throw err;
  }
  return client;
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
