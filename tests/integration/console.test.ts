// Console mode end to end: a scripted session piped in, asserting on what is printed.
import { randomBytes } from 'node:crypto';
import { PassThrough, Readable } from 'node:stream';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { runConsole } from '../../src/console/console.js';
import { QUEUES } from '../../src/jobs/queues.js';
import { createTestDatabase } from '../helpers/db.js';
import { REDIS_URL } from '../helpers/kept.js';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
const prefix = `kept-test-${randomBytes(4).toString('hex')}`;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  const redis = new Redis(REDIS_URL);
  for (const p of [prefix, `${prefix}-fair`, `${prefix}-stale`]) {
    for (const name of Object.values(QUEUES)) {
      const q = new Queue(name, { connection: redis, prefix: `${p}-console` });
      await q.obliterate({ force: true });
      await q.close();
    }
  }
  redis.disconnect();
  await database?.drop();
});

async function session(lines: string[], env: Record<string, string> = {}): Promise<string> {
  const output = new PassThrough();
  let printed = '';
  output.on('data', (c) => (printed += c));
  const config = loadConfig({ DATABASE_URL: database.url, REDIS_URL, KEPT_QUEUE_PREFIX: prefix, ...env });
  await runConsole(config, { input: Readable.from(lines.map((l) => `${l}\n`)), output, interactive: false });
  return printed;
}

describe('console mode', () => {
  it('runs a scripted scenario: accounts, commitments, touches, the clock, a nudge, an overdue prompt, Done, a digest', async () => {
    // A fixed start (Wednesday 2 December 2026, 14:00 in New York): the scenario means the same on any day it runs.
    const out = await session([
      ':as @ana America/New_York',
      ':clock 2026-12-02 14:00',
      ':in #acme',
      '/kept account add Acme',
      '/kept account set acme tier strategic',
      '/kept contact add acme "Dana Smith" cfo decision-maker',
      '/commit Send revised pricing by Friday',
      '/touch call with Dana: renewal on track :+1:',
      '/commit',
      'Acme', // account
      '', // new account
      'Share the roadmap', // what
      '', // who owes it: keep "We owe the customer"
      '', // owner: keep @ana
      '2026-12-14', // due date
      '', // due time: end of the working day
      '', // notes
      '/kept digest weekly',
      ':clock +1d', // Thursday 14:00: C-1 is due tomorrow
      ':clock +2d', // Saturday 14:00: C-1 was due Friday 18:00
      ':click 1',
      ':clock +7d',
      ':quit',
    ]);
    expect(out).toContain('Created Acme, owned by you, and linked #acme to it.');
    expect(out).toMatch(/\[#acme\] Kept:\n\s+C-1 · @ana owes Acme: Send revised pricing/);
    expect(out).toContain('Call with Dana Smith · Acme');
    expect(out).toContain('[form] New commitment');
    expect(out).toMatch(/C-2 · @ana owes Acme: Share the roadmap/);
    expect(out).toContain('Every Monday at 09:00 (America/New_York)');
    expect(out).toContain('(the clock is now Thu 3 Dec 2026 14:00 America/New_York, 2026-12-03 19:00 UTC)');
    // The nudge came the day before it was due; on Saturday it is overdue, and Done closes it.
    const nudge = out.search(/\[DM to @ana\] Kept:\n\s+Coming up[^\n]*\n[^\n]*C-1/);
    const overdue = out.search(/\[#acme\] Kept:\n\s+:warning: Overdue: C-1[\s\S]*?\[\d+ Done\]/);
    expect(nudge).toBeGreaterThan(out.indexOf('Thu 3 Dec 2026 14:00'));
    expect(overdue).toBeGreaterThan(out.indexOf('Sat 5 Dec 2026 14:00'));
    expect(out).toContain('Done by @ana');
    // A week on: the weekly review for the account channel.
    expect(out).toMatch(/\[#acme\] Kept:\n\s+== Weekly review: Acme/);
  });

  it('shows fair use’s slow-down to the person who sent one change too many', async () => {
    const out = await session(['/kept account add Initech', '/kept account add Umbrella', ':quit'], { KEPT_PERSON_WRITES_PER_MINUTE: '1', KEPT_QUEUE_PREFIX: `${prefix}-fair` });
    expect(out).toContain('Created Initech');
    expect(out).toMatch(/\[only you\] Kept:\n\s+:hourglass: Slow down: that is more than 1 change from you in a minute/);
    expect(out).not.toContain('Created Umbrella');
  });

  it('does not chase the customer on Monday for what was received on Friday (issue 13)', async () => {
    // The reproduction, from a fixed Wednesday afternoon, on a database of its own.
    const own = await createTestDatabase();
    try {
      const out = await session(
        [
          ':as @ana America/New_York',
          ':clock 2026-12-02 14:00',
          ':in #acme',
          '/kept account add Acme',
          '/commit acme: customer sends the signed order form by Friday',
          ':clock +2d',
          ':clock +5h', // Friday 19:00: the follow-up is due, and waits for Monday 09:00
          ':click 1', // Received, on Friday evening
          ':clock +1d',
          ':clock +1d',
          ':clock +1d', // Monday 19:00
          ':quit',
        ],
        { DATABASE_URL: own.url, KEPT_QUEUE_PREFIX: `${prefix}-stale` },
      );
      expect(out).toContain('(the clock is now Mon 7 Dec 2026 19:00 America/New_York');
      expect(out).toMatch(/Received by @ana/i);
      expect(out).not.toContain('still owes');
      expect(out).not.toContain('friendly nudge');
      const row = await own.db.delivery.findFirstOrThrow({ where: { kind: 'customer_follow_up' } });
      expect(row.status).toBe('skipped');
      expect(row.skipReason).toBe('C-1 was received');
    } finally {
      await own.drop();
    }
  });
});
