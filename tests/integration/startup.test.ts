// Kept as a person runs it: `npm start` (src/main.ts) in a child process. Start-up says nothing that
// reads as a fault, and a piped console scenario's exit code says whether every line worked (issue 14).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUEUES } from '../../src/jobs/queues.js';
import { createTestDatabase } from '../helpers/db.js';
import { FakeSlack } from '../helpers/fake-slack.js';
import { REDIS_URL, eventually } from '../helpers/kept.js';
import { sendCommand } from '../helpers/slack-requests.js';

const SECRET = 'startup-test-secret';
const prefix = `kept-test-${randomBytes(4).toString('hex')}`;
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let slack: FakeSlack;

beforeAll(async () => {
  [database, slack] = await Promise.all([createTestDatabase(), FakeSlack.start()]);
});
afterAll(async () => {
  const redis = new Redis(REDIS_URL);
  for (const p of [prefix, `${prefix}-console`, `${prefix}-oauth`]) {
    for (const name of Object.values(QUEUES)) {
      const q = new Queue(name, { connection: redis, prefix: p });
      await q.obliterate({ force: true });
      await q.close();
    }
  }
  redis.disconnect();
  await slack?.close();
  await database?.drop();
});

interface Run {
  output: () => string;
  exited: Promise<number | null>;
  kill: () => void;
}

function start(env: Record<string, string>, input?: string): Run {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SLACK_'))) as Record<string, string>;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { ...base, DATABASE_URL: database.url, REDIS_URL, KEPT_QUEUE_PREFIX: prefix, LOG_LEVEL: 'info', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (c) => (out += c));
  child.stderr.on('data', (c) => (out += c));
  child.stdin.end(input ?? '');
  return { output: () => out, exited: new Promise((resolve) => child.on('exit', (code) => resolve(code))), kill: () => child.kill('SIGTERM') };
}

const NOISE = [/Stream isn't writeable/, /enableOfflineQueue/, /already executing a query/, /DeprecationWarning/, /warm-up/];

describe('npm start (issue 14)', () => {
  it('starts, serves a command and a touch, and stops without a warning', async () => {
    const kept = start({ SLACK_BOT_TOKEN: 'xoxb-startup', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: slack.apiUrl, PORT: '0' });
    try {
      const port = await eventually(() => /bot listening on :(\d+)/.exec(kept.output())?.[1], 60_000);
      await eventually(() => kept.output().includes('workers started'), 30_000);
      const baseUrl = `http://127.0.0.1:${port}`;
      const fields = { team_id: 'T0START', user_id: 'U0START', channel_id: 'C0START' };
      await sendCommand(baseUrl, SECRET, { ...fields, command: '/kept', text: 'account add Acme', response_url: slack.responseUrl('add') });
      await slack.waitForResponse((r) => r.id === 'add', 20_000);
      // A touch saves in a transaction whose reads Prisma runs concurrently (the pg warning's cause).
      await sendCommand(baseUrl, SECRET, { ...fields, command: '/touch', text: 'call with Dana: renewal on track', response_url: slack.responseUrl('touch') });
      await slack.waitFor('chat.postMessage', (a) => a.channel === 'C0START', 20_000);
    } finally {
      kept.kill();
    }
    expect(await kept.exited).toBe(0);
    const out = kept.output();
    for (const noise of NOISE) expect(out).not.toMatch(noise);
    // JSON log lines (the default when stdout is not a terminal): nothing at warn or above.
    const lines = out.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { level: string; msg?: string });
    expect(lines.map((l) => l.level)).toContain('info');
    expect(lines.filter((l) => ['warn', 'error', 'fatal'].includes(l.level)).map((l) => l.msg)).toEqual([]);
  }, 120_000);

  it('in OAuth mode: serves the install pages, stores an install, and answers that workspace with its own token (issue 17)', async () => {
    slack.setOAuthClient('startup-client', 'startup-client-secret');
    const kept = start({
      SLACK_CLIENT_ID: 'startup-client', SLACK_CLIENT_SECRET: 'startup-client-secret', SLACK_STATE_SECRET: 'startup-state-secret-123',
      SLACK_SIGNING_SECRET: SECRET, KEPT_ENCRYPTION_KEY: randomBytes(32).toString('base64'), SLACK_API_URL: slack.apiUrl, PORT: '0',
      KEPT_QUEUE_PREFIX: `${prefix}-oauth`,
    });
    try {
      const port = await eventually(() => /bot listening on :(\d+)/.exec(kept.output())?.[1], 60_000);
      await eventually(() => kept.output().includes('workers started'), 30_000);
      const baseUrl = `http://127.0.0.1:${port}`;
      const page = await fetch(`${baseUrl}/slack/install`);
      const html = await page.text();
      expect(html).toContain('Add to Slack');
      const state = new URL((/href="([^"]+)"/.exec(html)?.[1] ?? '').replace(/&#38;/g, '&')).searchParams.get('state')!;
      slack.issueCode('startup-code', { teamId: 'T0OAUTH', teamName: 'OAuth Co', botToken: 'xoxb-startup-oauth' });
      const done = await fetch(`${baseUrl}/slack/oauth_redirect?code=startup-code&state=${encodeURIComponent(state)}`, { headers: { cookie: (page.headers.get('set-cookie') ?? '').split(';')[0]! } });
      expect(await done.text()).toContain('Kept is installed');
      const fields = { team_id: 'T0OAUTH', user_id: 'U0OAUTH', channel_id: 'C0OAUTH' };
      await sendCommand(baseUrl, SECRET, { ...fields, command: '/kept', text: 'account add Initech', response_url: slack.responseUrl('oauth-add') });
      await slack.waitForResponse((r) => r.id === 'oauth-add', 20_000);
      await sendCommand(baseUrl, SECRET, { ...fields, command: '/touch', text: 'call with Dana: went badly :-1:', response_url: slack.responseUrl('oauth-touch') });
      await slack.waitFor('chat.postMessage', (a) => a.channel === 'C0OAUTH', 20_000);
      expect(slack.calls.filter((c) => c.method === 'chat.postMessage' && c.args.channel === 'C0OAUTH').map((c) => c.token)).toContain('xoxb-startup-oauth');
      expect(slack.calls.find((c) => c.method === 'users.info' && c.args.user === 'U0OAUTH')?.token).toBe('xoxb-startup-oauth');
    } finally {
      kept.kill();
    }
    expect(await kept.exited).toBe(0);
  }, 120_000);

  it('a piped console scenario exits 1 naming the line Kept could not act on, and 0 when all worked', async () => {
    const bad = start({}, '/kept help\n/kept account nosuch-account\n');
    expect(await bad.exited).toBe(1);
    expect(bad.output()).toMatch(/Kept could not act on one line of this script:\n\s+line 2: \/kept account nosuch-account/);
    const good = start({}, '/kept help\n');
    expect(await good.exited).toBe(0);
    expect(good.output()).not.toContain('could not act on');
    for (const out of [bad.output(), good.output()]) for (const noise of NOISE) expect(out).not.toMatch(noise);
  }, 120_000);
});
