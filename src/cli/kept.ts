// `npm run kept -- <command>`: operator tools.
//   scan --dry-run [--at 2026-12-01T09:00:00Z]   print what would go out at that moment, send nothing
//   scan [--at …]                                 record it and queue it for the workers
//   digest --channel C0123 --preview              print the channel's digest as it would be posted
//   digest --channel C0123 --send                 record this week's digest now and queue it
//   import accounts|contacts|commitments FILE.csv [--dry-run]   bring a CRM's or a sheet's rows in
//   export accounts|contacts|commitments|touches [--since DATE] [--account NAME] > FILE.csv
//   status [--json]                               is anything stuck? (exit 1 when so)
//   retry --delivery ID                           send a failed delivery again
//   rotate-key                                    re-encrypt the stored tokens under a new key
//   purge --workspace T0123                       delete a workspace's data at once
import { parseArgs } from 'node:util';
import { loadConfig, type Config } from '../config.js';
import { createDb, type Db } from '../db/client.js';
import { migrate } from '../db/migrate.js';
import { scan, type PlannedDelivery } from '../jobs/scan.js';
import { composePrompt } from '../jobs/compose.js';
import { digestFor, recordDigest } from '../jobs/digest.job.js';
import { render } from '../console/render.js';
import { enqueueDeliveries, openQueues } from '../jobs/queues.js';
import { DATA_USAGE, exportCommand, importCommand } from './data.js';
import { retryCommand, STATUS_USAGE, statusCommand } from './status.js';
import { INSTALLS_USAGE, purgeCommand, rotateKeyCommand } from './installs.js';
import { systemClock } from '../clock.js';

const USAGE = `Usage:
  npm run kept -- scan --dry-run [--at 2026-12-01T09:00:00Z]
  npm run kept -- scan [--at 2026-12-01T09:00:00Z]
  npm run kept -- digest --channel C0123 --preview | --send
${DATA_USAGE}
${STATUS_USAGE}
${INSTALLS_USAGE}`;

async function digest(values: { channel?: string; preview?: boolean; send?: boolean }, db: Db, redisUrl: string, prefix: string): Promise<number> {
  if (!values.channel || values.preview === values.send) {
    console.error(`digest needs --channel and one of --preview or --send.\n${USAGE}`);
    return 2;
  }
  const subs = await db.digestSubscription.findMany({ where: { channelId: values.channel } });
  if (subs.length !== 1) {
    console.error(`Channel ${values.channel} has ${subs.length ? 'several' : 'no'} digest subscription${subs.length ? 's' : ''}; subscribe it with /kept digest weekly.`);
    return 1;
  }
  const sub = subs[0]!;
  const now = new Date();
  if (values.preview) {
    const parts = await digestFor(db, sub, now);
    parts.forEach((p, i) => console.log(`${i ? `\n--- thread reply ${i + 1} of ${parts.length} ---\n` : ''}${render(p.blocks).text}`));
    return 0;
  }
  const created = await recordDigest(db, sub, now, now);
  if (!created.length) {
    console.log(`This week's digest for ${values.channel} was already recorded; nothing new.`);
    return 0;
  }
  const queues = openQueues(redisUrl, prefix);
  await enqueueDeliveries(queues, created);
  await queues.close();
  console.log(`Queued this week's digest for ${values.channel}; the workers build it from the state when they post it.`);
  return 0;
}

/** A planned delivery and, as the sender would render it from the state at `at`, its message. */
async function describe(db: Db, p: PlannedDelivery, at: Date): Promise<string> {
  const to = /^[UW]/.test(p.destination) ? `DM to ${p.destination}` : `#${p.destination}`;
  const items = p.items.map((i) => `      - ${i.key}`).join('\n');
  const now = await composePrompt(db, p, p.items.map((i) => i.ref), at);
  const text = now.kind === 'message' ? now.message.text.slice(0, 160) : `(would be skipped: ${now.reason})`;
  return `  ${p.kind.padEnd(20)} ${to.padEnd(18)} not before ${p.notBefore.toISOString()}\n    ${text}\n${items}`;
}

/** Every command: its settings, the database migrated, a client, and the client closed after. */
async function withDb(run: (db: Db, config: Config) => Promise<number>): Promise<number> {
  const config = loadConfig();
  await migrate(config.DATABASE_URL);
  const db = createDb(config.DATABASE_URL);
  try {
    return await run(db, config);
  } finally {
    await db.$disconnect();
  }
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'import':
      return withDb((db, config) => importCommand(rest, db, config));
    case 'export':
      return withDb((db) => exportCommand(rest, db));
    case 'rotate-key':
      return withDb((db, config) => rotateKeyCommand(db, config));
    case 'purge':
      return withDb((db) => purgeCommand(rest, db));
    case 'status':
      return withDb((db, config) => statusCommand(rest, db, config, systemClock));
    case 'retry':
      return withDb((db, config) => retryCommand(rest, db, config, systemClock));
    case 'digest': {
      const { values } = parseArgs({ args: rest, options: { channel: { type: 'string' }, preview: { type: 'boolean' }, send: { type: 'boolean' } } });
      return withDb((db, config) => digest(values, db, config.REDIS_URL, config.KEPT_QUEUE_PREFIX));
    }
    case 'scan':
      return scanCommand(rest);
    default:
      console.error(USAGE);
      return 2;
  }
}

async function scanCommand(rest: string[]): Promise<number> {
  const { values } = parseArgs({ args: rest, options: { 'dry-run': { type: 'boolean' }, at: { type: 'string' } } });
  const at = values.at ? new Date(values.at) : new Date();
  if (Number.isNaN(at.getTime())) {
    console.error(`--at: expected an ISO date-time such as 2026-12-01T09:00:00Z (got "${values.at}")\n${USAGE}`);
    return 2;
  }
  return withDb(async (db, config) => {
    const result = await scan(db, at, { dryRun: values['dry-run'] });
    if (!result.window) {
      console.log(`Nothing to scan: the scan has already covered up to ${at.toISOString()}.`);
      return 0;
    }
    const verb = values['dry-run'] ? 'would send' : 'queued';
    console.log(`Scan of ${result.window.from.toISOString()} → ${result.window.to.toISOString()}: ${verb} ${result.planned.length} message(s).`);
    for (const p of result.planned) console.log(await describe(db, p, at));
    if (!values['dry-run'] && result.created.length) {
      const queues = openQueues(config.REDIS_URL, config.KEPT_QUEUE_PREFIX);
      await enqueueDeliveries(queues, result.created);
      await queues.close();
    }
    return 0;
  });
}

process.exitCode = await main(process.argv.slice(2)).catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  return 1;
});
