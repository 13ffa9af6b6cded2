// A small levelled logger that Bolt and the rest of Kept share (it satisfies @slack/logger's Logger).
import { LogLevel } from '@slack/bolt';

const order = { debug: 0, info: 1, warn: 2, error: 3 } as const;
type Level = keyof typeof order;

export interface Logger {
  debug(...msg: unknown[]): void;
  info(...msg: unknown[]): void;
  warn(...msg: unknown[]): void;
  error(...msg: unknown[]): void;
  setLevel(level: LogLevel): void;
  getLevel(): LogLevel;
  setName(name: string): void;
}

export function createLogger(level: Level = 'info', name = 'kept', sink: (line: string) => void = (l) => process.stderr.write(l + '\n')): Logger {
  let current: Level = level;
  let label = name;
  const emit = (at: Level, msg: unknown[]) => {
    if (order[at] < order[current]) return;
    const text = msg.map((m) => (m instanceof Error ? (m.stack ?? m.message) : typeof m === 'string' ? m : JSON.stringify(m))).join(' ');
    sink(`${new Date().toISOString()} ${at.toUpperCase()} [${label}] ${text}`);
  };
  return {
    debug: (...m) => emit('debug', m),
    info: (...m) => emit('info', m),
    warn: (...m) => emit('warn', m),
    error: (...m) => emit('error', m),
    setLevel: (l) => {
      current = l as Level;
    },
    getLevel: () => current as LogLevel,
    setName: (n) => {
      label = n;
    },
  };
}
