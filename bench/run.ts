// npm run bench [-- --quick] [-- --only ack,scan,digest,delivery,delivery20,import,flood,match]
// Runs each scenario on its own fresh databases (dropped afterwards), prints a table and writes
// bench/results.json.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { benchAck } from './ack.js';
import { benchScan } from './scan.js';
import { benchDigest } from './digest.js';
import { benchDelivery } from './delivery.js';
import { benchImport } from './import.js';
import { benchFlood } from './flood.js';
import { benchMatch } from './match.js';
import { machine, printTable, startMemorySampler, stopMemorySampler, type Row } from './common.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const onlyArg = args.find((a) => a.startsWith('--only'));
const only = onlyArg ? (onlyArg.includes('=') ? onlyArg.split('=')[1]! : args[args.indexOf(onlyArg) + 1]!).split(',') : null;
const wanted = (name: string) => !only || only.includes(name);

const scenarios = [
  // The two memory phases (ack, delivery) run first, before the large seeds grow the heap.
  { name: 'ack', run: benchAck },
  { name: 'delivery', run: benchDelivery },
  // The same posts across 20 workspaces, each with its own token (OAuth mode).
  { name: 'delivery20', run: (o: { quick: boolean }) => benchDelivery({ ...o, workspaces: 20 }) },
  { name: 'scan', run: benchScan },
  { name: 'digest', run: benchDigest },
  { name: 'import', run: benchImport },
  { name: 'flood', run: benchFlood },
  { name: 'match', run: benchMatch },
] as const;

async function main() {
  const started = Date.now();
  startMemorySampler();
  const rows: Row[] = [];
  const details: Record<string, unknown> = {};
  const failures: string[] = [];
  for (const s of scenarios) {
    if (!wanted(s.name)) continue;
    process.stderr.write(`[bench] ${s.name}…\n`);
    const t = Date.now();
    try {
      const result = await s.run({ quick });
      rows.push(...result.rows);
      details[s.name] = result.details;
      process.stderr.write(`[bench] ${s.name} done in ${((Date.now() - t) / 1000).toFixed(1)} s\n`);
    } catch (err) {
      failures.push(`${s.name}: ${(err as Error).stack ?? err}`);
      process.stderr.write(`[bench] ${s.name} FAILED: ${(err as Error).stack ?? err}\n`);
    }
  }
  stopMemorySampler();

  const table = printTable(rows);
  process.stdout.write(`\nKept benchmarks (${quick ? 'quick' : 'full'}), ${new Date().toISOString()}\n`);
  const m = machine();
  process.stdout.write(`${m.cpu}, ${m.cores} cores, ${m.totalMemoryGb} GB, Node ${m.node}, ${m.platform}\n\n${table}\n`);
  const missed = rows.filter((r) => r.ok === false);
  if (missed.length) process.stdout.write(`\nMissed target: ${missed.map((r) => `${r.scenario} ${r.metric}`).join('; ')}\n`);

  const out = fileURLToPath(new URL('./results.json', import.meta.url));
  const mode = quick ? 'quick' : 'full';
  const at = new Date().toISOString();
  // A run of some scenarios (--only) replaces those scenarios' rows and keeps the others' from the
  // last run of the same mode, each row saying when it was measured.
  // By scenario and metric: scenario 5 (memory) reports a row from the ack run and one from delivery's.
  const ran = new Set(rows.map((r) => `${r.scenario}|${r.metric}`));
  const previous = only && existsSync(out) ? (JSON.parse(readFileSync(out, 'utf8')) as { mode?: string; at?: string; rows?: Array<{ scenario: string; metric: string; measuredAt?: string }>; details?: object }) : null;
  const kept = previous?.mode === mode ? (previous.rows ?? []).filter((r) => !ran.has(`${r.scenario}|${r.metric}`)).map((r) => ({ ...r, measuredAt: r.measuredAt ?? previous.at })) : [];
  writeFileSync(
    out,
    JSON.stringify(
      {
        mode,
        at,
        durationS: Math.round((Date.now() - started) / 1000),
        machine: m,
        rows: [...kept, ...rows.map((r) => ({ ...r, measuredAt: at }))],
        details: { ...(previous?.mode === mode ? previous.details : {}), ...details },
        failures,
      },
      null,
      2,
    ) + '\n',
  );
  process.stdout.write(`\nwrote ${out}\n`);
  if (failures.length) process.exitCode = 1;
}

main()
  .catch((err) => {
    process.stderr.write(`${(err as Error).stack ?? err}\n`);
    process.exitCode = 1;
  })
  .finally(() => {
    // BullMQ / ioredis handles can linger; the results are written, so leave.
    setTimeout(() => process.exit(), 200).unref();
  });
