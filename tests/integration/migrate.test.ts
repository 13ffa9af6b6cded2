import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/db/migrate.js';
import { dropDatabase, uniqueDatabaseUrl } from '../helpers/db.js';

const MIGRATIONS_DIR = fileURLToPath(new URL('../../prisma/migrations', import.meta.url));

const databases: string[] = [];
const tempDirs: string[] = [];

function newDatabaseUrl(): string {
  const url = uniqueDatabaseUrl();
  databases.push(url);
  return url;
}

async function tempMigrations(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'kept-migrations-'));
  tempDirs.push(dir);
  for (const [name, sql] of Object.entries(files)) {
    await mkdir(join(dir, name));
    await writeFile(join(dir, name, 'migration.sql'), sql);
  }
  return dir;
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

async function tableExists(url: string, table: string): Promise<boolean> {
  const [row] = await query<{ exists: boolean }>(url, 'SELECT to_regclass($1) IS NOT NULL AS exists', [`public."${table}"`]);
  return row?.exists ?? false;
}

async function realMigrationNames(): Promise<string[]> {
  const entries = await readdir(MIGRATIONS_DIR, { withFileTypes: true });
  return entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
}

afterEach(async () => {
  await Promise.all(tempDirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

afterAll(async () => {
  await Promise.all(databases.map((url) => dropDatabase(url)));
});

describe('migrate', () => {
  it('applies every migration to a fresh database and records it like Prisma', async () => {
    const url = newDatabaseUrl();
    const names = await realMigrationNames();
    expect(names.length).toBeGreaterThan(0);
    const logged: string[] = [];

    const { applied } = await migrate(url, { log: (l) => logged.push(l) });

    expect(applied).toEqual(names);
    expect(logged).toEqual(names.map((n) => `applied ${n}`));
    const rows = await query<{
      migration_name: string;
      checksum: string;
      finished_at: Date | null;
      rolled_back_at: Date | null;
      applied_steps_count: number;
    }>(url, 'SELECT migration_name, checksum, finished_at, rolled_back_at, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name');
    expect(rows.map((r) => r.migration_name)).toEqual(names);
    for (const row of rows) {
      const bytes = await readFile(join(MIGRATIONS_DIR, row.migration_name, 'migration.sql'));
      expect(row.checksum).toBe(createHash('sha256').update(bytes).digest('hex'));
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.rolled_back_at).toBeNull();
      expect(row.applied_steps_count).toBe(1);
    }
    expect(await tableExists(url, 'workspaces')).toBe(true);

    expect(await migrate(url)).toEqual({ applied: [] });
    const [count] = await query<{ n: number }>(url, 'SELECT count(*)::int AS n FROM "_prisma_migrations"');
    expect(count?.n).toBe(names.length);
  });

  it('lets two processes migrate a not-yet-existing database at the same time', async () => {
    const url = newDatabaseUrl();
    const names = await realMigrationNames();

    const [a, b] = await Promise.all([migrate(url), migrate(url)]);

    // One of them did the work, the other found it done.
    expect([...a.applied, ...b.applied].sort()).toEqual(names);
    const rows = await query<{ migration_name: string; n: number }>(
      url,
      'SELECT migration_name, count(*)::int AS n FROM "_prisma_migrations" GROUP BY migration_name ORDER BY migration_name',
    );
    expect(rows).toEqual(names.map((migration_name) => ({ migration_name, n: 1 })));
  });

  it('rolls back a failing migration completely and names it', async () => {
    const url = newDatabaseUrl();
    const dir = await tempMigrations({
      '001_good': 'CREATE TABLE good_table (id int PRIMARY KEY);',
      '002_bad': 'CREATE TABLE half_table (id int PRIMARY KEY);\nINSERT INTO no_such_table VALUES (1);',
    });

    await expect(migrate(url, { migrationsDir: dir })).rejects.toThrow(
      /migration 002_bad failed: relation "no_such_table" does not exist/,
    );

    expect(await tableExists(url, 'good_table')).toBe(true);
    expect(await tableExists(url, 'half_table')).toBe(false);
    const rows = await query<{ migration_name: string }>(url, 'SELECT migration_name FROM "_prisma_migrations"');
    expect(rows.map((r) => r.migration_name)).toEqual(['001_good']);

    // Once fixed, it applies.
    await writeFile(join(dir, '002_bad', 'migration.sql'), 'CREATE TABLE half_table (id int PRIMARY KEY);');
    expect(await migrate(url, { migrationsDir: dir })).toEqual({ applied: ['002_bad'] });
  });

  it('accepts plpgsql bodies and many statements in one file', async () => {
    const url = newDatabaseUrl();
    const dir = await tempMigrations({
      '001_fn': `CREATE TABLE t (x int);
CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'no; really';
END;
$$;
CREATE TRIGGER t_no_insert BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION f();`,
    });

    await migrate(url, { migrationsDir: dir });

    await expect(query(url, 'INSERT INTO t VALUES (1)')).rejects.toThrow(/no; really/);
  });

  it('refuses a migration edited after it was applied', async () => {
    const url = newDatabaseUrl();
    const dir = await tempMigrations({ '001_first': 'CREATE TABLE first_table (id int);' });
    await migrate(url, { migrationsDir: dir });

    await writeFile(join(dir, '001_first', 'migration.sql'), 'CREATE TABLE first_table (id bigint);');

    await expect(migrate(url, { migrationsDir: dir })).rejects.toThrow(/migration 001_first was edited after it was applied/);
  });

  it('refuses to continue past a migration recorded as failed', async () => {
    const url = newDatabaseUrl();
    const dir = await tempMigrations({ '001_first': 'CREATE TABLE first_table (id int);' });
    await migrate(url, { migrationsDir: dir });
    await query(
      url,
      `INSERT INTO "_prisma_migrations" (id, checksum, migration_name) VALUES ('00000000-0000-0000-0000-000000000000', 'x', '002_failed')`,
    );

    await expect(migrate(url, { migrationsDir: dir })).rejects.toThrow(/migration 002_failed failed earlier/);
  });
});
