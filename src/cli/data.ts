// `npm run kept -- import …` and `npm run kept -- export …`: the operator's side of import and export.
// The report goes to stdout for an import; for an export the CSV does (and the summary to stderr).
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { DateTime } from 'luxon';
import { systemClock } from '../clock.js';
import { slackTokens, type Config } from '../config.js';
import type { Db } from '../db/client.js';
import { dataClient, slackLookup } from '../bot/slack-data.js';
import { requireAccount } from '../services/accounts.js';
import { UserError } from '../services/errors.js';
import { EXPORT_KINDS, exportCsv, type ExportKind } from '../services/export.js';
import { IMPORT_KINDS, runImport, type ImportKind } from '../services/import/index.js';
import { isValidTimeZone } from '../services/time.js';
import { importReportText } from '../messages/import.js';

export const DATA_USAGE = `  npm run kept -- import accounts|contacts|commitments FILE.csv [--dry-run] [--workspace T0123]
  npm run kept -- export accounts|contacts|commitments|touches [--since 2026-11-01] [--account NAME] [--zone Europe/Berlin] [--workspace T0123] > FILE.csv`;

/** The workspace to work on: the one named, or the only one there is. */
async function pickWorkspace(db: Db, teamId: string | undefined): Promise<{ id: string; slackTeamId: string }> {
  const all = await db.workspace.findMany({ select: { id: true, slackTeamId: true }, orderBy: { createdAt: 'asc' } });
  if (teamId) {
    const ws = all.find((w) => w.slackTeamId === teamId);
    if (!ws) throw new UserError(`Kept knows no workspace ${teamId}${all.length ? `; it knows ${all.map((w) => w.slackTeamId).join(', ')}` : ' yet: it learns a workspace when someone there first uses Kept'}.`);
    return ws;
  }
  if (all.length === 1) return all[0]!;
  throw new UserError(all.length ? `Say which workspace with --workspace (${all.map((w) => w.slackTeamId).join(', ')}).` : 'Kept knows no workspace yet: it learns one when someone there first uses Kept (in Slack or the console).');
}

export async function importCommand(args: string[], db: Db, config: Config): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { 'dry-run': { type: 'boolean' }, workspace: { type: 'string' } } });
  const [kind, file] = positionals;
  if (!kind || !(IMPORT_KINDS as readonly string[]).includes(kind) || !file || positionals.length > 2) {
    console.error(`import needs the kind of data and a CSV file.\nUsage:\n${DATA_USAGE}`);
    return 2;
  }
  const bytes = await readFile(file).catch((err: NodeJS.ErrnoException) => {
    throw new UserError(`Cannot read ${file}: ${err.code === 'ENOENT' ? 'no such file' : err.message}.`);
  });
  const ws = await pickWorkspace(db, values.workspace);
  const token = await slackTokens(config, db)?.tokenFor(ws.id);
  const slack = token ? slackLookup(dataClient(token, config.SLACK_API_URL)) : null;
  const report = await runImport(db, systemClock, {
    workspaceId: ws.id,
    kind: kind as ImportKind,
    fileName: basename(file),
    bytes,
    dryRun: values['dry-run'] === true,
    actor: null,
    via: 'cli',
    slack,
  });
  console.log(importReportText(report!));
  return report!.status === 'refused' ? 1 : 0;
}

export async function exportCommand(args: string[], db: Db): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { since: { type: 'string' }, account: { type: 'string' }, zone: { type: 'string' }, workspace: { type: 'string' } } });
  const [kind] = positionals;
  if (!kind || !(EXPORT_KINDS as readonly string[]).includes(kind) || positionals.length > 1) {
    console.error(`export needs the kind of data.\nUsage:\n${DATA_USAGE}`);
    return 2;
  }
  const zone = values.zone ?? 'UTC';
  if (!isValidTimeZone(zone)) throw new UserError(`--zone: “${zone}” is not a time zone; use an IANA name such as Europe/Berlin.`);
  let since: Date | undefined;
  if (values.since) {
    const d = DateTime.fromISO(values.since, { zone });
    if (!d.isValid) throw new UserError(`--since: “${values.since}” is not a date; write 2026-11-01.`);
    since = d.toJSDate();
  }
  const ws = await pickWorkspace(db, values.workspace);
  const account = values.account ? await requireAccount(db, ws.id, values.account) : undefined;
  const { csv, rows } = await exportCsv(db, { workspaceId: ws.id, kind: kind as ExportKind, since, accountId: account?.id, zone, now: systemClock.now() });
  process.stdout.write(csv);
  console.error(`Exported ${rows} ${kind}${account ? ` of ${account.name}` : ''}; times in ${zone}.`);
  return 0;
}
