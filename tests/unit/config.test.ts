import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, redactSecrets } from '../../src/config.js';

const KEY = Buffer.alloc(32, 1).toString('base64');
const STATE = 'state-secret-0123456789';
const OAUTH_ENV = { SLACK_CLIENT_ID: '1.2', SLACK_CLIENT_SECRET: 'client-secret-value', SLACK_STATE_SECRET: STATE, SLACK_SIGNING_SECRET: 's', KEPT_ENCRYPTION_KEY: KEY };

describe('loadConfig', () => {
  it('chooses OAuth mode with a client id, secret, state secret, signing secret and encryption key', () => {
    const c = loadConfig({ ...OAUTH_ENV, KEPT_ENCRYPTION_KEY_OLD: Buffer.alloc(32, 2).toString('hex') });
    expect(c.slack).toMatchObject({ kind: 'oauth', clientId: '1.2', clientSecret: 'client-secret-value', stateSecret: STATE, encryptionKey: KEY });
    expect(c.KEPT_RETENTION_DAYS).toBe(30);
  });

  it('never prints the value of a secret it refuses', () => {
    for (const env of [{ ...OAUTH_ENV, KEPT_ENCRYPTION_KEY: 'short-secret-key-value' }, { ...OAUTH_ENV, SLACK_STATE_SECRET: 'short-secretval' }, { ...OAUTH_ENV, SLACK_BOT_TOKEN: 'xoxb-1-secret' }]) {
      const message = (() => { try { loadConfig(env); return ''; } catch (err) { return (err as Error).message; } })();
      expect(message).toMatch(/cannot start/);
      for (const v of Object.values(env)) if (v.length > 4) expect(message).not.toContain(v);
    }
  });

  it('uses defaults and HTTP mode with a bot token and signing secret', () => {
    const c = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' });
    expect(c.slack).toEqual({ kind: 'http', botToken: 'xoxb-1', signingSecret: 's' });
    expect(c.PORT).toBe(3000);
    expect(c.DATABASE_URL).toBe('postgresql://postgres@127.0.0.1:5432/kept');
    expect(c.REDIS_URL).toBe('redis://127.0.0.1:6379');
    expect(c.SLACK_API_URL).toBe('https://slack.com/api/');
    expect(c.KEPT_ROLES).toEqual(['bot', 'worker']);
  });

  it('chooses Socket Mode when an app token is set', () => {
    const c = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' });
    expect(c.slack.kind).toBe('socket');
  });

  it('knows when there are no Slack credentials at all', () => {
    expect(loadConfig({}).slack.kind).toBe('none');
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ REDIS_URL: 'localhost:6379' }, 'REDIS_URL'],
    [{ SLACK_BOT_TOKEN: 'xoxp-user', SLACK_SIGNING_SECRET: 's' }, 'SLACK_BOT_TOKEN'],
    [{ SLACK_APP_TOKEN: 'nope', SLACK_BOT_TOKEN: 'xoxb-1' }, 'SLACK_APP_TOKEN'],
    [{ SLACK_API_URL: 'not a url' }, 'SLACK_API_URL'],
    [{ KEPT_ROLES: 'bot,chef' }, 'KEPT_ROLES'],
    [{ SLACK_BOT_TOKEN: 'xoxb-1' }, 'SLACK_SIGNING_SECRET'],
    [{ SLACK_SIGNING_SECRET: 's' }, 'SLACK_BOT_TOKEN'],
    [{ SLACK_APP_TOKEN: 'xapp-1' }, 'SLACK_BOT_TOKEN'],
    // OAuth mode: every setting it needs, named; a secret's value is never printed.
    [{ SLACK_CLIENT_ID: '1.2', SLACK_CLIENT_SECRET: 'cs', SLACK_SIGNING_SECRET: 's', KEPT_ENCRYPTION_KEY: KEY }, 'SLACK_STATE_SECRET'],
    [{ SLACK_CLIENT_ID: '1.2', SLACK_STATE_SECRET: STATE, SLACK_SIGNING_SECRET: 's', KEPT_ENCRYPTION_KEY: KEY }, 'SLACK_CLIENT_SECRET'],
    [{ SLACK_CLIENT_SECRET: 'cs', SLACK_STATE_SECRET: STATE, SLACK_SIGNING_SECRET: 's', KEPT_ENCRYPTION_KEY: KEY }, 'SLACK_CLIENT_ID'],
    [{ SLACK_CLIENT_ID: '1.2', SLACK_CLIENT_SECRET: 'cs', SLACK_STATE_SECRET: STATE, KEPT_ENCRYPTION_KEY: KEY }, 'SLACK_SIGNING_SECRET'],
    [{ SLACK_CLIENT_ID: '1.2', SLACK_CLIENT_SECRET: 'cs', SLACK_STATE_SECRET: STATE, SLACK_SIGNING_SECRET: 's' }, 'KEPT_ENCRYPTION_KEY'],
    [{ ...OAUTH_ENV, KEPT_ENCRYPTION_KEY: 'short-secret-key-value' }, 'KEPT_ENCRYPTION_KEY'],
    [{ ...OAUTH_ENV, KEPT_ENCRYPTION_KEY_OLD: 'not-a-key-secret-value' }, 'KEPT_ENCRYPTION_KEY_OLD'],
    [{ ...OAUTH_ENV, SLACK_STATE_SECRET: 'short-secretval' }, 'SLACK_STATE_SECRET'],
    [{ ...OAUTH_ENV, SLACK_BOT_TOKEN: 'xoxb-1' }, 'SLACK_BOT_TOKEN'],
    [{ ...OAUTH_ENV, KEPT_RETENTION_DAYS: '-1' }, 'KEPT_RETENTION_DAYS'],
  ])('names the bad variable in %j', (env, name) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(new RegExp(`\\n  ${name} (must be|is missing)`));
  });

  // Issue 12, item 8: start-up errors end up in terminals, CI logs and crash reports.
  const message = (env: Record<string, string>) => {
    try {
      loadConfig(env);
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      return (err as Error).message;
    }
    throw new Error('loadConfig accepted a bad setting');
  };

  it.each([
    [{ SLACK_BOT_TOKEN: 'xoxp-1234-secret-user-token', SLACK_SIGNING_SECRET: 'sig-secret-value' }, 'SLACK_BOT_TOKEN must be a bot token starting with xoxb-', ['xoxp-1234-secret-user-token', 'sig-secret-value']],
    [{ SLACK_APP_TOKEN: 'xoxb-looks-like-bot-secret', SLACK_BOT_TOKEN: 'xoxb-real-secret' }, 'SLACK_APP_TOKEN must be an app-level token starting with xapp-', ['xoxb-looks-like-bot-secret', 'xoxb-real-secret']],
    [{ DATABASE_URL: 'mysql://kept:hunter2-db@db.internal/kept' }, 'DATABASE_URL must be a postgresql:// connection URL', ['hunter2-db', 'db.internal']],
    [{ DATABASE_URL: 'postgresql://kept:hun ter2@db.internal:notaport/kept' }, 'DATABASE_URL must be a valid URL', ['hun ter2', 'db.internal']],
    [{ REDIS_URL: 'localhost:6379?password=hunter2-redis' }, 'REDIS_URL must be a redis:// connection URL', ['hunter2-redis']],
    [{ REDIS_URL: 'redis://:hunter2-redis@[bad' }, 'REDIS_URL must be a valid URL', ['hunter2-redis']],
    [{ PORT: 'secret-port-9' }, 'PORT must be a port number', ['secret-port-9']],
    [{ SLACK_BOT_TOKEN: 'xoxb-only-bot-secret' }, 'SLACK_SIGNING_SECRET is missing', ['xoxb-only-bot-secret']],
    [{ SLACK_SIGNING_SECRET: 'lonely-signing-secret' }, 'SLACK_BOT_TOKEN is missing', ['lonely-signing-secret']],
  ])('names the variable and what it expects, never the value (%j)', (env, expected, secrets) => {
    const text = message(env);
    expect(text).toContain(expected);
    for (const s of secrets) expect(text).not.toContain(s);
  });

  it('redacts tokens and URL passwords from other start-up errors', () => {
    const config = loadConfig({
      SLACK_BOT_TOKEN: 'xoxb-the-bot-token',
      SLACK_SIGNING_SECRET: 'the-signing-secret',
      DATABASE_URL: 'postgresql://kept:p%40ss-db@db.internal:5432/kept',
      REDIS_URL: 'redis://:redis-pass@cache:6379',
    });
    const error = 'Error: connect to postgresql://kept:p%40ss-db@db.internal:5432/kept failed (password p@ss-db); token xoxb-the-bot-token; the-signing-secret; redis://:redis-pass@cache:6379; https://u:other@x.example/';
    const out = redactSecrets(error, config);
    for (const s of ['p%40ss-db', 'p@ss-db', 'xoxb-the-bot-token', 'the-signing-secret', 'redis-pass', 'other@']) expect(out).not.toContain(s);
    expect(out).toContain('db.internal:5432/kept');
    expect(redactSecrets('redis://:pw-without-config@h', undefined)).toBe('redis://:***@h');
  });
});
