// Starts Kept's real bot (Bolt HTTP receiver) on a fresh database, real Redis and the fake Slack Web API.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { createBot, type Bot } from '../../src/bot/app.js';
import type { FairUseOptions } from '../../src/bot/fair-use.js';
import { FixedClock, type Clock } from '../../src/clock.js';
import type { Db } from '../../src/db/client.js';
import { createLogger } from '../../src/logger.js';
import { openQueues, type Queues } from '../../src/jobs/queues.js';
import { createTestDatabase } from './db.js';
import { keyring } from '../../src/services/secrets.js';
import { FakeSlack, type RecordedResponse } from './fake-slack.js';
import { sendCommand, sendInteraction, type SendOptions, type SlashCommandFields, type SlackPayload } from './slack-requests.js';

export const SIGNING_SECRET = 'test-signing-secret';
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface Kept {
  baseUrl: string;
  db: Db;
  dbUrl: string;
  redis: Redis;
  slack: FakeSlack;
  bot: Bot;
  clock: FixedClock;
  logs: string[];
  /** Every error a listener ended with (a UserError is an answer saying what was wrong). */
  errors: Error[];
  queues: Queues | undefined;
  command(fields: Partial<SlashCommandFields>, opts?: SendOptions): ReturnType<typeof sendCommand>;
  /** The reply to the last command sent (each command gets its own response_url, so a late reply to an earlier one never counts). */
  lastResponse(timeoutMs?: number): Promise<RecordedResponse>;
  interact(payload: SlackPayload, opts?: SendOptions): ReturnType<typeof sendInteraction>;
  close(): Promise<void>;
}

const TEST_LIMITS = { personWritesPerMinute: 1_000, workspaceWritesPerMinute: 10_000, personReadsPerMinute: 10_000 };

/** A Redis prefix of its own for each bot a test starts, so test files running at once never share fair-use counts. */
export const testPrefix = () => `kept-test-${randomBytes(4).toString('hex')}`;

/** OAuth mode's settings in tests: the fake Slack knows the same client id and secret. */
export const OAUTH = { clientId: 'test-client-id', clientSecret: 'test-client-secret', stateSecret: 'test-state-secret-0123456789' } as const;
export const ENCRYPTION_KEY = Buffer.alloc(32, 7);

export async function startKept(opts: { now?: string; clock?: Clock; queuePrefix?: string; fairUse?: Partial<FairUseOptions>; adminPassword?: string; logLevel?: 'debug' | 'info' | 'warn'; oauth?: boolean } = {}): Promise<Kept> {
  const [database, slack] = await Promise.all([createTestDatabase(), FakeSlack.start()]);
  if (opts.oauth) slack.setOAuthClient(OAUTH.clientId, OAUTH.clientSecret);
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  const clock = new FixedClock(opts.now ?? '2026-11-23T14:00:00Z');
  const logs: string[] = [];
  const errors: Error[] = [];
  const queues = opts.queuePrefix ? openQueues(REDIS_URL, opts.queuePrefix) : undefined;
  const bot = createBot({
    db: database.db,
    redis,
    ...(queues ? { queues } : {}),
    clock: opts.clock ?? clock,
    logger: createLogger(opts.logLevel ?? 'warn', 'test', (l) => logs.push(l)),
    ...(opts.adminPassword ? { adminPassword: opts.adminPassword } : {}),
    // Tests act quickly as one person; fair use's own tests (fair-use.test.ts) set the limits they test.
    fairUse: { prefix: testPrefix(), ...TEST_LIMITS, ...opts.fairUse },
    slack: {
      apiUrl: slack.apiUrl,
      signingSecret: SIGNING_SECRET,
      ...(opts.oauth ? { oauth: { ...OAUTH, keyring: keyring(ENCRYPTION_KEY) } } : { botToken: 'xoxb-test' }),
    },
    onListenerError: (err) => errors.push(err),
  });
  const port = await bot.start(0);
  const baseUrl = `http://127.0.0.1:${port}`;
  let commands = 0;
  let lastCommand = '';
  return {
    baseUrl,
    db: database.db,
    dbUrl: database.url,
    redis,
    slack,
    bot,
    clock,
    logs,
    errors,
    command: (fields, o) => {
      lastCommand = `command-${++commands}`;
      return sendCommand(baseUrl, SIGNING_SECRET, { response_url: slack.responseUrl(lastCommand), ...fields }, o);
    },
    lastResponse: (timeoutMs = 5000) => {
      const id = lastCommand;
      return slack.waitForResponse((r) => r.id === id, timeoutMs);
    },
    interact: (payload, o) => sendInteraction(baseUrl, SIGNING_SECRET, payload, o),
    queues,
    async close() {
      await bot.stop();
      await queues?.close();
      await slack.close();
      redis.disconnect();
      await database.drop();
    },
  };
}

/** Resolves when `check` returns a truthy value (polling); for work that continues after Slack's ack. */
export async function eventually<T>(check: () => Promise<T | null | undefined | false> | T | null | undefined | false, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
