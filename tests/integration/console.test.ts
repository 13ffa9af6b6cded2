// Console mode end to end: a scripted session piped in, asserting on what is printed.
import { randomBytes } from 'node:crypto';
import { PassThrough, Readable } from 'node:stream';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { runConsole, type ConsoleFailure } from '../../src/console/console.js';
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

async function run(lines: string[], env: Record<string, string> = {}): Promise<{ out: string; failures: ConsoleFailure[] }> {
  const output = new PassThrough();
  let printed = '';
  output.on('data', (c) => (printed += c));
  const config = loadConfig({ DATABASE_URL: database.url, REDIS_URL, KEPT_QUEUE_PREFIX: prefix, ...env });
  const failures = await runConsole(config, { input: Readable.from(lines.map((l) => `${l}\n`)), output, interactive: false });
  return { out: printed, failures };
}
const session = async (lines: string[], env: Record<string, string> = {}) => (await run(lines, env)).out;

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

describe('console scripts and forms (issue 14)', () => {
  it('a touch naming someone new is saved at once, with one click to add them; the lines after it run as commands', async () => {
    const { out, failures } = await run([
      ':as @lea Europe/London',
      ':clock 2026-12-02 19:54', // a Wednesday evening
      ':in #globex',
      '/kept account add Globex',
      '/kept account set globex cadence 14',
      '/touch call with Bill: migration worries :-1:',
      '/commit list',
      ':clock +9d',
    ]);
    expect(failures).toEqual([]);
    expect(out).not.toContain('[form] Log a touch');
    expect(out).toMatch(/Call with Bill · Globex/);
    // Cadence moments are days: the next touch is due by the end of Wed 16 Dec, shown as that day.
    expect(out).toContain('Next touch due Wed 16 Dec');
    expect(out).not.toMatch(/Next touch due[^\n]*19:54/);
    expect(out).toMatch(/\[\d+ Add Bill as a key contact\]/);
    expect(out).toContain('Open commitments for Globex');
    expect(out).toContain('(the clock is now Fri 11 Dec 2026 19:54 Europe/London');
  });

  it('Add … as a key contact: a small form with the name filled in and a role', async () => {
    const { out, failures } = await run([
      ':as @lea Europe/London',
      ':clock 2026-12-03 10:00',
      ':in #globex',
      '/touch call with Carla: pricing :+1:',
      ':click 1',
      '', // name: keep Carla
      'Champion', // role
      'CFO', // title
      '/kept contact list globex',
    ]);
    expect(failures).toEqual([]);
    expect(out).toContain('[form] Add a key contact');
    expect(out).toContain('Added Carla (champion) as a key contact of Globex');
    expect(out).toMatch(/\[#globex, message updated\] Kept:\n[^\n]*Call with Carla · Globex/);
    expect(out).toMatch(/Carla[^\n]*CFO/);
  });

  it(':shortcut track / touch act on a message posted here by you: prefilled forms, replies in its thread', async () => {
    const { out, failures } = await run([
      ':as @ana America/New_York',
      ':clock 2026-12-02 14:00', // a Wednesday
      ':in #hooli',
      '/kept account add Hooli',
      ":shortcut track I'll send the security questionnaire by Friday",
      ...Array(8).fill(''), // keep every prefilled field
      ':click 1', // Done, on the announcement in the thread
      ':shortcut touch Call with Peter: renewal on track :+1:',
      ...Array(10).fill(''),
      ':shortcut',
    ]);
    expect(out).toContain("[#hooli] @ana: I'll send the security questionnaire by Friday");
    expect(out).toContain('[form] Track as commitment');
    expect(out).toContain('[Send the security questionnaire]');
    expect(out).toMatch(/\[#hooli, in thread\] Kept:\n[^\n]*C-\d+[^\n]*Send the security questionnaire/);
    expect(out).toContain('from a message');
    expect(out).toMatch(/\[#hooli, in thread\] Kept:\n[^\n]*Done/);
    expect(out).toContain('[form] Log a touch');
    expect(out).toMatch(/\[#hooli, in thread\] Kept:[\s\S]*Call with Peter · Hooli/);
    expect(failures.map((f) => f.text)).toEqual([':shortcut']);
  });

  it('a command typed while a form is open closes the form (nothing saved) and runs', async () => {
    const { out, failures } = await run([
      ':in #globex',
      '/commit', // opens the form
      '/kept help',
      ':tick',
    ]);
    expect(out).toContain('[form] New commitment');
    expect(out).toContain('(form closed, nothing saved: running /kept instead)');
    expect(out).toMatch(/\[only you\] Kept:\n[\s\S]*\/kept account/);
    // The form was left unfinished: the script says which line opened it.
    expect(failures).toEqual([{ line: 2, text: '/commit', why: expect.stringContaining('“New commitment” was left unfinished (closed by line 3)') }]);
    expect(out).toMatch(/Kept could not act on one line of this script:\n\s+line 2: \/commit/);
  });

  it('a script that ends inside a form, or has a line Kept answers with an error, names the line', async () => {
    const { out, failures } = await run([
      ':in #globex',
      '/kept account nosuch-account',
      '',
      '/touch', // opens the form; the input ends in it
      'Globex',
    ]);
    expect(failures.map((f) => [f.line, f.text])).toEqual([
      [2, '/kept account nosuch-account'],
      [4, '/touch'],
    ]);
    expect(failures[0]!.why).toContain('There is no account called “nosuch-account”');
    expect(failures[1]!.why).toContain('the input ended inside the form “Log a touch”');
    expect(out).toContain('(end of input: form closed, nothing saved)');
    expect(out).toMatch(/Kept could not act on 2 lines of this script:\n\s+line 2: \/kept account nosuch-account\n[^\n]*\n\s+line 4: \/touch/);
  });
});
