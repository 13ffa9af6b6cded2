// `npm run kept -- <command>`: operator tools.
//   scan --dry-run [--at 2026-12-01T09:00:00Z]   print what would go out at that moment, send nothing
//   scan [--at …]                                 record it and queue it for the workers
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { createDb } from '../db/client.js';
import { migrate } from '../db/migrate.js';
import { scan, type PlannedDelivery } from '../jobs/scan.js';
import { enqueueDeliveries, openQueues } from '../jobs/queues.js';

const USAGE = `Usage:
  npm run kept -- scan --dry-run [--at 2026-12-01T09:00:00Z]
  npm run kept -- scan [--at 2026-12-01T09:00:00Z]`;

function describe(p: PlannedDelivery): string {
  const to = /^[UW]/.test(p.destination) ? `DM to ${p.destination}` : `#${p.destination}`;
  const items = p.items.map((i) => `      - ${i.key}`).join('\n');
  return `  ${p.kind.padEnd(20)} ${to.padEnd(18)} not before ${p.notBefore.toISOString()}\n    ${p.message.text.slice(0, 160)}\n${items}`;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command !== 'scan') {
    console.error(USAGE);
    return 2;
  }
  const { values } = parseArgs({ args: rest, options: { 'dry-run': { type: 'boolean' }, at: { type: 'string' } } });
  const at = values.at ? new Date(values.at) : new Date();
  if (Number.isNaN(at.getTime())) {
    console.error(`--at: expected an ISO date-time such as 2026-12-01T09:00:00Z (got "${values.at}")\n${USAGE}`);
    return 2;
  }
  const config = loadConfig();
  await migrate(config.DATABASE_URL);
  const db = createDb(config.DATABASE_URL);
  try {
    const result = await scan(db, at, { dryRun: values['dry-run'] });
    if (!result.window) {
      console.log(`Nothing to scan: the scan has already covered up to ${at.toISOString()}.`);
      return 0;
    }
    const verb = values['dry-run'] ? 'would send' : 'queued';
    console.log(`Scan of ${result.window.from.toISOString()} → ${result.window.to.toISOString()}: ${verb} ${result.planned.length} message(s).`);
    for (const p of result.planned) console.log(describe(p));
    if (!values['dry-run'] && result.created.length) {
      const queues = openQueues(config.REDIS_URL, config.KEPT_QUEUE_PREFIX);
      await enqueueDeliveries(queues, result.created);
      await queues.close();
    }
    return 0;
  } finally {
    await db.$disconnect();
  }
}

process.exitCode = await main(process.argv.slice(2)).catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  return 1;
});
