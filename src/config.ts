// All settings come from the environment, parsed once here. Nothing else reads process.env.
import { z } from 'zod';

const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

const schema = z.object({
  SLACK_BOT_TOKEN: optionalString.pipe(
    z.string().startsWith('xoxb-', 'a bot token starting with xoxb-').optional(),
  ),
  SLACK_SIGNING_SECRET: optionalString,
  SLACK_APP_TOKEN: optionalString.pipe(
    z.string().startsWith('xapp-', 'an app-level token starting with xapp-').optional(),
  ),
  SLACK_API_URL: z.url('an http(s) URL such as https://slack.com/api/').default('https://slack.com/api/'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'a postgresql:// connection URL')
    .refine((v) => URL.canParse(v), 'a valid URL such as postgresql://user:password@host:5432/kept (percent-encode special characters in the password)')
    .default('postgresql://postgres@127.0.0.1:5432/kept'),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'a redis:// connection URL')
    .refine((v) => URL.canParse(v), 'a valid URL such as redis://:password@host:6379 (percent-encode special characters in the password)')
    .default('redis://127.0.0.1:6379'),
  PORT: z.coerce.number('a port number').int('a whole port number').min(0, 'a port number from 0 to 65535').max(65535, 'a port number from 0 to 65535').default(3000),
  /** Which parts this process runs: bot (Slack listeners), worker (BullMQ), or both. */
  KEPT_ROLES: z
    .string()
    .default('bot,worker')
    .transform((v) => v.split(',').map((r) => r.trim()).filter(Boolean))
    .pipe(z.array(z.enum(['bot', 'worker'], 'a comma-separated list of bot and worker')).min(1)),
  /** Prefix for Kept's BullMQ keys in Redis, so several deployments (or tests) can share one Redis. */
  KEPT_QUEUE_PREFIX: z.string().regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, - and _').default('kept'),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error'], 'one of debug, info, warn, error').default('info'),
  /** json (one JSON object a line) or pretty (readable); unset: pretty in a terminal, json otherwise. */
  LOG_FORMAT: optionalString.pipe(z.enum(['json', 'pretty'], 'json or pretty').optional()),
  /** Turns on the queue view at /admin/queues, behind HTTP basic auth with this password (user: admin). */
  KEPT_ADMIN_PASSWORD: optionalString,
  /** Fair use: changes (commands, clicks, forms) one person may send in a minute, across every bot process. */
  KEPT_PERSON_WRITES_PER_MINUTE: z.coerce.number('a whole number').int('a whole number').min(1, 'at least 1').default(30),
  /** The same for a whole workspace together. */
  KEPT_WORKSPACE_WRITES_PER_MINUTE: z.coerce.number('a whole number').int('a whole number').min(1, 'at least 1').default(300),
});

export type Env = z.infer<typeof schema>;

export type SlackMode =
  | { kind: 'http'; botToken: string; signingSecret: string }
  | { kind: 'socket'; botToken: string; appToken: string; signingSecret?: string }
  | { kind: 'none' };

export interface Config extends Env {
  slack: SlackMode;
}

export class ConfigError extends Error {}

/** Parses the environment; throws ConfigError with one line per bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    // The variable and what it should hold, never its value: tokens, secrets and connection URLs
    // with passwords end up in terminals, CI logs and crash reports.
    const lines = parsed.error.issues.map((i) => {
      const name = String(i.path[0] ?? 'environment');
      const said = i.message.replace(/^Invalid input: /, '');
      return `${name} must be ${said.replace(/^expected /, '')}`;
    });
    throw new ConfigError(`Kept cannot start, a setting is wrong:\n  ${lines.join('\n  ')}`);
  }
  const e = parsed.data;
  return { ...e, slack: slackMode(e) };
}

function slackMode(e: Env): SlackMode {
  if (e.SLACK_APP_TOKEN) {
    if (!e.SLACK_BOT_TOKEN) throw missing('SLACK_BOT_TOKEN', 'Socket Mode (SLACK_APP_TOKEN is set) also needs the bot token (xoxb-…)');
    return { kind: 'socket', botToken: e.SLACK_BOT_TOKEN, appToken: e.SLACK_APP_TOKEN, signingSecret: e.SLACK_SIGNING_SECRET };
  }
  if (e.SLACK_BOT_TOKEN && !e.SLACK_SIGNING_SECRET) {
    throw missing('SLACK_SIGNING_SECRET', 'HTTP mode needs the signing secret from the app\'s Basic Information page (or set SLACK_APP_TOKEN for Socket Mode)');
  }
  if (!e.SLACK_BOT_TOKEN && e.SLACK_SIGNING_SECRET) {
    throw missing('SLACK_BOT_TOKEN', 'HTTP mode needs the bot token (xoxb-…) from the app\'s OAuth & Permissions page');
  }
  if (e.SLACK_BOT_TOKEN && e.SLACK_SIGNING_SECRET) {
    return { kind: 'http', botToken: e.SLACK_BOT_TOKEN, signingSecret: e.SLACK_SIGNING_SECRET };
  }
  return { kind: 'none' };
}

function missing(name: string, why: string): ConfigError {
  return new ConfigError(`Kept cannot start, a setting is wrong:\n  ${name} is missing: ${why}`);
}

/**
 * `text` (an error being printed) without the secrets in `config`: the Slack tokens, the signing
 * secret, and the passwords in the connection URLs. For errors that are not Kept's own messages
 * (a driver's, a library's), which may quote what they were given.
 */
export function redactSecrets(text: string, config: Config | undefined): string {
  const secrets = new Set<string>();
  if (config) {
    for (const v of [config.SLACK_BOT_TOKEN, config.SLACK_SIGNING_SECRET, config.SLACK_APP_TOKEN, config.KEPT_ADMIN_PASSWORD]) if (v) secrets.add(v);
    for (const u of [config.DATABASE_URL, config.REDIS_URL]) {
      const password = URL.canParse(u) ? new URL(u).password : '';
      if (password) {
        secrets.add(password);
        secrets.add(decodeURIComponent(password));
      }
    }
  }
  let out = text;
  for (const s of [...secrets].filter((s) => s.length >= 4).sort((a, b) => b.length - a.length)) out = out.split(s).join('***');
  // Any other URL's password, too.
  return out.replace(/([a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:)[^\s@/]+@/gi, '$1***@');
}
