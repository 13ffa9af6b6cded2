// `npm run kept -- import/export` as an operator runs it: a separate process on a real database,
// with a 10,000-row file, no Slack token (Slack ids taken as given).
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/client.js';
import { createTestDatabase } from '../helpers/db.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ROWS = 10_000;
let db: Db;
let url: string;
let drop: () => Promise<void>;
let dir: string;

beforeAll(async () => {
  ({ db, url, drop } = await createTestDatabase());
  await db.workspace.create({ data: { slackTeamId: 'T0001' } });
  dir = await mkdtemp(join(tmpdir(), 'kept-cli-'));
  const lines = ['Account ID,Account Name,Owner,Tier,Cadence,Renewal Date,Slack Channel,Industry'];
  for (let i = 0; i < ROWS; i++) {
    lines.push(`0X${i},"Customer ${i}, Ltd",U${String(i % 40).padStart(4, '0')}A,${['strategic', 'key', 'standard'][i % 3]},${i % 2 ? 14 : ''},2027-0${1 + (i % 9)}-15,C${String(i).padStart(8, '0')},Retail`);
  }
  await writeFile(join(dir, 'accounts.csv'), lines.join('\n'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await drop?.();
});

function kept(...args: string[]) {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DATABASE_URL: url, LOG_LEVEL: 'warn' };
  return run(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/kept.ts'), ...args], { cwd: ROOT, env, maxBuffer: 64 * 1024 * 1024 });
}

describe('npm run kept -- import / export', () => {
  it('imports a 10,000-row file, then finds nothing to change in it, then exports it', { timeout: 180_000 }, async () => {
    const file = join(dir, 'accounts.csv');
    const first = await kept('import', 'accounts', file, '--workspace', 'T0001');
    expect(first.stdout.split('\n')[0]).toBe('Imported accounts.csv: 10,000 accounts created, 0 updated, 0 unchanged.');
    expect(first.stdout).toContain('Columns Kept does not use were left out: Industry.');
    expect(await db.account.count()).toBe(ROWS);
    expect(await db.account.count({ where: { cadenceDueAt: null } })).toBe(0);
    expect(await db.accountChannel.count()).toBe(ROWS);
    expect(await db.user.count()).toBe(40);

    const again = await kept('import', 'accounts', file, '--dry-run');
    expect(again.stdout.split('\n')[0]).toBe('Checked accounts.csv (nothing was written): 0 accounts to create, 0 to update, 10,000 unchanged.');

    const out = await kept('export', 'accounts');
    const rows = parse(out.stdout, { bom: true, columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(ROWS);
    expect(out.stderr).toContain(`Exported ${ROWS} accounts`);
    const c7 = rows.find((r) => r['External ID'] === '0X7')!;
    expect(c7).toMatchObject({ 'Account Name': 'Customer 7, Ltd', Owner: 'U0007A', Tier: 'key', 'Cadence Days': '14', 'Renewal Date': '2027-08-15', 'Slack Channel': 'C00000007' });
  });

  it('says what is wrong with the command, and exits non-zero', { timeout: 120_000 }, async () => {
    await expect(kept('import', 'widgets', 'x.csv')).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('import needs the kind of data') });
    await expect(kept('import', 'accounts', join(dir, 'missing.csv'))).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('no such file') });
    await writeFile(join(dir, 'bad.csv'), 'Account Name,Tier\nFoo,gold\n');
    await expect(kept('import', 'accounts', join(dir, 'bad.csv'))).rejects.toMatchObject({ code: 1, stdout: expect.stringContaining('Line 2, Tier “gold”: “gold” is not a tier') });
  });
});
