// Kept's logger: pino behind the small interface Bolt and the Web API client take (@slack/logger's
// Logger), so every call site keeps `logger.warn('what:', detail)`.
//   - JSON lines by default; readable lines (pino-pretty, written synchronously) when stdout is a
//     terminal or LOG_FORMAT=pretty.
//   - Every line written while a request or a job is handled carries its context (workspace, user,
//     request kind; queue, job id, delivery id), kept in an AsyncLocalStorage store (withLogContext).
//   - Secrets never reach the output: pino's `redact` blanks fields by name, and each finished line is
//     scrubbed of Slack tokens, URL passwords and `token=…`-style pairs that travelled inside a message.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { LogLevel } from '@slack/bolt';
import { pino, stdTimeFunctions, type DestinationStream } from 'pino';
import pretty from 'pino-pretty';

type Level = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  debug(...msg: unknown[]): void;
  info(...msg: unknown[]): void;
  warn(...msg: unknown[]): void;
  error(...msg: unknown[]): void;
  setLevel(level: LogLevel): void;
  getLevel(): LogLevel;
  setName(name: string): void;
}

export type LogFormat = 'json' | 'pretty';

export interface LoggerOptions {
  /** json (default) or pretty; default: pretty when stdout is a terminal. Ignored with a sink. */
  format?: LogFormat;
  /** Where lines go without a sink: stdout (default) or stderr (the console keeps stdout for itself). */
  to?: 'stdout' | 'stderr';
}

/** Fields every line inside a request or a job carries. */
export type LogContext = Record<string, string | number | undefined>;

const context = new AsyncLocalStorage<LogContext>();

/** Runs `fn` with these fields added to every log line it (and whatever it awaits) writes. */
export function withLogContext<T>(fields: LogContext, fn: () => T): T {
  const defined = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined && v !== ''));
  return context.run({ ...context.getStore(), ...defined }, fn);
}

const SECRET_KEYS = ['token', 'botToken', 'appToken', 'bot_token', 'access_token', 'secret', 'signingSecret', 'client_secret', 'password', 'authorization', 'Authorization', 'cookie'];

/** Field names blanked wherever they appear at the top level, one or two levels down, and in headers. */
export const REDACT_PATHS = [
  ...SECRET_KEYS,
  ...SECRET_KEYS.map((k) => `*.${k}`),
  ...SECRET_KEYS.map((k) => `*.*.${k}`),
  'headers.authorization',
  '*.headers.authorization',
  '*.headers.Authorization',
  '*.headers.cookie',
];

const SCRUBBERS: Array<[RegExp, string]> = [
  // Slack tokens: bot, user, app-level, refresh, configuration.
  [/\bx(ox[abpesr]|app)-[A-Za-z0-9-]+/g, 'x$1-[redacted]'],
  // user:password@ in any URL (database, Redis).
  [/\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@"]*:)[^\s@/"]+@/gi, '$1[redacted]@'],
  // token=…, "password": "…", Authorization: Bearer … inside a message (quotes may be JSON-escaped).
  [/\b(token|secret|password|passwd|authorization)((?:\\?["'])?\s*[:=]\s*(?:\\?["'])?)(?:(?:Bearer|Basic)\s+)?[^\s"'&,;}\\]+/gi, '$1$2[redacted]'],
];

/** Removes secrets from a line of text (a finished log line, or anything else shown to an operator). */
export function scrubSecrets(text: string): string {
  return SCRUBBERS.reduce((t, [re, to]) => t.replace(re, to), text);
}

/** A pino destination that scrubs each line before handing it on. */
function scrubbing(write: (line: string) => void): DestinationStream {
  return { write: (line: string) => write(scrubSecrets(line)) };
}

function destination(sink: ((line: string) => void) | undefined, opts: LoggerOptions): DestinationStream {
  if (sink) return scrubbing((l) => sink(l.replace(/\n$/, '')));
  const [fd, tty] = opts.to === 'stderr' ? [2, process.stderr.isTTY] : [1, process.stdout.isTTY];
  const format = opts.format ?? (tty ? 'pretty' : 'json');
  if (format === 'pretty') {
    // In-process and synchronous: no worker thread, and nothing lost when the process exits.
    const out = pretty({ sync: true, destination: fd, colorize: Boolean(tty), translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' });
    return scrubbing((l) => out.write(l));
  }
  const out = pino.destination({ dest: fd, sync: true });
  return scrubbing((l) => out.write(l));
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/**
 * `sink` receives each JSON line (tests, benchmarks); without one, lines go to stdout as JSON or,
 * in a terminal, as readable text.
 */
export function createLogger(level: Level = 'info', name = 'kept', sink?: (line: string) => void, opts: LoggerOptions = {}): Logger {
  let label = name;
  const p = pino(
    {
      level,
      base: undefined,
      timestamp: stdTimeFunctions.isoTime,
      formatters: { level: (l) => ({ level: l }) },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      mixin: () => ({ name: label, ...context.getStore() }),
    },
    destination(sink, opts),
  );
  const emit = (at: Level, args: unknown[]) => {
    if (!p.isLevelEnabled(at)) return;
    const fields: Record<string, unknown> = {};
    const words: string[] = [];
    for (const a of args) {
      if (a instanceof Error) fields.err = a;
      else if (isPlainObject(a)) Object.assign(fields, a);
      else if (typeof a === 'string') words.push(a);
      else {
        try {
          words.push(JSON.stringify(a) ?? String(a));
        } catch {
          words.push(String(a));
        }
      }
    }
    const msg = words.length ? words.join(' ') : fields.err instanceof Error ? fields.err.message : '';
    p[at](fields, msg);
  };
  return {
    debug: (...m) => emit('debug', m),
    info: (...m) => emit('info', m),
    warn: (...m) => emit('warn', m),
    error: (...m) => emit('error', m),
    setLevel: (l) => {
      p.level = l;
    },
    getLevel: () => p.level as LogLevel,
    setName: (n) => {
      label = n;
    },
  };
}
