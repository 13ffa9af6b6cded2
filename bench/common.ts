// Shared helpers for the benchmarks: timing, percentiles, peak-RSS sampling per phase, machine facts.
import { spawn } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from '../generated/prisma/client.js';
import type { Db } from '../src/db/client.js';
import { createLogger, type Logger } from '../src/logger.js';
import type { LoadResult } from './ack-load.js';
import type { ChildReport } from './fake-slack-child.js';

export const ms = (start: number) => performance.now() - start;

export async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await fn();
  return { ms: ms(start), value };
}

/** Nearest-rank percentile of unsorted values (p in 0..100). */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export const median = (values: number[]) => percentile(values, 50);

export const round = (n: number, digits = 1) => (Number.isFinite(n) ? Math.round(n * 10 ** digits) / 10 ** digits : n);

/** Quiet logger for the code under test: warnings are counted and the last few kept, not printed. */
export function quietLogger(name: string): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const logger = createLogger('warn', name, (l) => {
    lines.push(l);
    if (lines.length > 50) lines.shift();
  });
  return { logger, lines };
}

/** Raw node-pg client for seeding and reference queries (outside Prisma). */
export async function rawClient(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return client;
}

/** A Prisma client that counts the SQL statements it sends (Prisma's query log). */
export function countingClient(url: string): { db: Db; count(): number; reset(): void } {
  const adapter = new PrismaPg({ connectionString: url, max: 10 });
  const client = new PrismaClient({ adapter, log: [{ emit: 'event', level: 'query' }] });
  let n = 0;
  client.$on('query', () => {
    n++;
  });
  return { db: client as unknown as Db, count: () => n, reset: () => (n = 0) };
}

// ---- memory --------------------------------------------------------------------------------------------------------

const peaks = new Map<string, number>();
const starts = new Map<string, number>();
let phase: string | null = null;
let sampler: NodeJS.Timeout | undefined;

function sample() {
  if (!phase) return;
  const rss = process.memoryUsage().rss;
  if (rss > (peaks.get(phase) ?? 0)) peaks.set(phase, rss);
}

/** Samples RSS every 100 ms and attributes the peak to the current phase (null: not recorded). */
export function startMemorySampler(): void {
  sampler = setInterval(sample, 100);
  sampler.unref();
}

export function stopMemorySampler(): void {
  clearInterval(sampler);
}

export function memoryPhase(name: string | null): void {
  sample();
  phase = name;
  if (name && !starts.has(name)) starts.set(name, process.memoryUsage().rss);
  sample();
}

/** RSS when the phase began: the peak minus this is what the phase itself added. */
export function startRssMb(name: string): number {
  return round((starts.get(name) ?? 0) / 1024 / 1024);
}

export function peakRssMb(name: string): number {
  return round((peaks.get(name) ?? 0) / 1024 / 1024);
}

// ---- machine -------------------------------------------------------------------------------------------------------

export function machine() {
  return {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    totalMemoryGb: round(os.totalmem() / 1024 ** 3),
    node: process.version,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
  };
}

// ---- results -------------------------------------------------------------------------------------------------------

export interface Row {
  scenario: string;
  metric: string;
  value: number;
  unit: string;
  reference?: number;
  referenceLabel?: string;
  /** value / reference */
  ratio?: number;
  target?: string;
  ok?: boolean;
}

export function row(r: Omit<Row, 'ratio'>): Row {
  const ratio = r.reference !== undefined && r.reference > 0 ? round(r.value / r.reference, 2) : undefined;
  return { ...r, value: round(r.value, 2), ...(r.reference !== undefined ? { reference: round(r.reference, 2) } : {}), ...(ratio !== undefined ? { ratio } : {}) };
}

export function printTable(rows: Row[]): string {
  const head = ['scenario', 'metric', 'value', 'reference', 'ratio', 'target', 'ok'];
  const body = rows.map((r) => [
    r.scenario,
    r.metric,
    `${r.value} ${r.unit}`,
    r.reference !== undefined ? `${r.reference} ${r.unit}${r.referenceLabel ? ` (${r.referenceLabel})` : ''}` : '',
    r.ratio !== undefined ? `${r.ratio}×` : '',
    r.target ?? '',
    r.ok === undefined ? '' : r.ok ? 'yes' : 'NO',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line)].join('\n');
}

/** Runs the open-loop load generator (bench/ack-load.ts) in a child process with this BENCH_LOAD config. */
export function runLoadChild(config: Record<string, unknown>): Promise<LoadResult> {
  const script = fileURLToPath(new URL('./ack-load.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script], { env: { ...process.env, BENCH_LOAD: JSON.stringify(config) }, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`load generator exited with ${code}`));
      resolve(JSON.parse(out.trim().split('\n').pop()!) as LoadResult);
    });
  });
}

/**
 * The fake Slack Web API in a child process (bench/fake-slack-child.ts); `snapshot()` says what it
 * has seen so far, `report()` says it and stops it.
 */
export async function startChildSlack(env: Record<string, string> = {}): Promise<{ apiUrl: string; baseUrl: string; snapshot(): Promise<ChildReport>; report(): Promise<ChildReport> }> {
  const script = fileURLToPath(new URL('./fake-slack-child.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, ...env } });
  const lines: string[] = [];
  let buffer = '';
  let waiting: (() => void) | undefined;
  child.stdout.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    let i;
    while ((i = buffer.indexOf('\n')) >= 0) {
      lines.push(buffer.slice(0, i));
      buffer = buffer.slice(i + 1);
      waiting?.();
    }
  });
  // The end of its output, not its exit: 'exit' can come before the last lines are read, and a
  // report printed just before exiting was then taken for a crash.
  let ended = false;
  const nextLine = async () => {
    while (lines.length === 0) {
      if (ended) throw new Error(`fake Slack exited with ${child.exitCode}`);
      await new Promise<void>((resolve) => (waiting = resolve));
    }
    return lines.shift()!;
  };
  child.stdout.on('close', () => {
    ended = true;
    waiting?.();
  });
  const { apiUrl, baseUrl } = JSON.parse(await nextLine()) as { apiUrl: string; baseUrl: string };
  let reported: Promise<ChildReport> | undefined;
  let asking = Promise.resolve();
  return {
    apiUrl,
    baseUrl,
    snapshot() {
      // One question at a time: answers come back in order on one pipe.
      const answer = asking.then(async () => {
        child.stdin.write('snapshot\n');
        return JSON.parse(await nextLine()) as ChildReport;
      });
      asking = answer.then(() => undefined, () => undefined);
      return answer;
    },
    report() {
      // Once: the child exits after answering.
      // After any snapshot still waiting for its answer, so each reader takes its own line.
      reported ??= asking.then(async () => {
        child.stdin.write('report\n');
        return JSON.parse(await nextLine()) as ChildReport;
      });
      return reported;
    },
  };
}
