// Fails when prisma/schema.prisma and prisma/migrations disagree: edit one, forget the other.
import { readFile } from 'node:fs/promises';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../src/db/migrate.js';
import { dropDatabase, uniqueDatabaseUrl } from '../helpers/db.js';
import { diffSchema, parsePrismaSchema, readDatabaseSchema, type SchemaShape } from '../helpers/prisma-schema.js';

const url = uniqueDatabaseUrl();
let actual: SchemaShape;
let expected: SchemaShape;

beforeAll(async () => {
  expected = parsePrismaSchema(await readFile(new URL('../../prisma/schema.prisma', import.meta.url), 'utf8'));
  await migrate(url);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    actual = await readDatabaseSchema(client);
  } finally {
    await client.end();
  }
});

afterAll(async () => {
  await dropDatabase(url);
});

describe('schema.prisma vs migrations', () => {
  it('reads a non-trivial schema (guards against a parser that finds nothing)', () => {
    expect(Object.keys(expected).length).toBeGreaterThan(0);
    expect(Object.keys(expected).sort()).toContain('workspaces');
  });

  it('declares exactly the tables, columns, nullability and indexes the migrations create', () => {
    const diffs = diffSchema(expected, actual);
    expect(diffs, `schema.prisma and the migrations disagree:\n  ${diffs.join('\n  ')}`).toEqual([]);
  });
});
