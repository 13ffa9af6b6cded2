// Import: a CSV of accounts, contacts or commitments → Kept, in bulk. The file is read and checked,
// the people and channels it names are resolved in one batch, then, in one transaction per file
// (serialised per workspace), existing rows are matched by key, and the new and changed ones are
// written in a few chunked statements. A dry run does all of it but the writes.
import type { Clock } from '../../clock.js';
import type { Db } from '../../db/client.js';
import { isUniqueViolation } from '../errors.js';
import { readSettings } from '../settings.js';
import { applyAccounts, prepareAccounts } from './accounts.js';
import { FIELDS, mapColumns, type ImportKind } from './columns.js';
import { applyCommitments, prepareCommitments } from './commitments.js';
import { applyContacts, prepareContacts } from './contacts.js';
import type { ImportContext } from './context.js';
import { readCsv, UnreadableFile } from './csv.js';
import type { Person, SlackLookup } from './people.js';
import { Problems, type ImportReport, type PlanOutcome } from './report.js';

export { IMPORT_KINDS, type ImportKind } from './columns.js';
export type { ImportReport, RowProblem } from './report.js';
export type { SlackLookup, SlackPerson } from './people.js';

export interface ImportRequest {
  workspaceId: string;
  kind: ImportKind;
  fileName: string;
  bytes: Uint8Array;
  dryRun: boolean;
  /** The person importing (Slack); null from the command line. */
  actor: { userId: string; slackUserId: string; displayName: string; timeZone: string; isAdmin: boolean } | null;
  via: 'slack' | 'cli';
  /** Identifies the submission (a view id): the same one twice imports once. */
  requestKey?: string;
  /** Slack, for owners' emails and channel names; null where there is no token. */
  slack: SlackLookup | null;
}

/** The whole import takes one transaction; 40,000 rows take seconds, so this is a wide margin. */
const TRANSACTION_TIMEOUT_MS = 10 * 60_000;

/** Runs an import (or a dry run). Returns null when this submission was already imported. */
export async function runImport(db: Db, clock: Clock, req: ImportRequest): Promise<ImportReport | null> {
  const now = clock.now();
  const report: ImportReport = { kind: req.kind, fileName: req.fileName, dryRun: req.dryRun, status: 'done', rows: 0, created: [], updated: [], unchanged: 0, skipped: [], problems: [], notes: [] };
  const refuse = (why: string): ImportReport => ({ ...report, status: 'refused', refusal: why });

  let table;
  try {
    table = readCsv(req.bytes);
  } catch (err) {
    if (err instanceof UnreadableFile) return refuse(err.message);
    throw err;
  }
  report.rows = table.rows.length;
  report.notes.push(...table.notes);
  const map = mapColumns(req.kind, table.header);
  if (map.missing.length) {
    const need = map.missing.map((f) => `${f.help} (a column named ${f.names.slice(0, 3).join(', ')}…)`).join('; ');
    return refuse(`This does not look like a file of ${req.kind}: it has no column for ${need}. Its columns are: ${table.header.filter(Boolean).join(', ') || 'none'}. Check the kind of data you chose, or rename the column.`);
  }
  if (table.rows.length === 0) return refuse('The file has a header line but no rows under it.');
  if (map.ignored.length) report.notes.push(`Columns Kept does not use were left out: ${map.ignored.join(', ')}.`);

  const ws = await db.workspace.findUniqueOrThrow({ where: { id: req.workspaceId }, select: { settings: true } });
  let importId: string | null = null;
  if (!req.dryRun) {
    try {
      importId = (
        await db.import.create({
          data: { workspaceId: req.workspaceId, kind: req.kind, fileName: req.fileName, actorId: req.actor?.userId ?? null, via: req.via, requestKey: req.requestKey ?? null, createdAt: now },
        })
      ).id;
    } catch (err) {
      if (isUniqueViolation(err) && req.requestKey) return null;
      throw err;
    }
  }
  const problems = new Problems();
  const defaultOwner: Person | null = req.actor ? { slackUserId: req.actor.slackUserId, displayName: req.actor.displayName, timeZone: req.actor.timeZone, isAdmin: req.actor.isAdmin, fetched: true } : null;
  const ctx: ImportContext = {
    db,
    workspaceId: req.workspaceId,
    settings: readSettings(ws.settings),
    now,
    dryRun: req.dryRun,
    fileName: req.fileName,
    importId,
    actor: req.actor,
    defaultOwner,
    slack: req.slack,
    table,
    map,
    problems,
    notes: report.notes,
    columnOf: (field) => {
      const idx = map.columns.get(field)?.[0];
      return idx !== undefined ? map.header[idx]! : (FIELDS[req.kind].find((f) => f.field === field)?.names[0] ?? field);
    },
  };

  let outcome: PlanOutcome;
  try {
    outcome = await plan(ctx, req.kind);
  } catch (err) {
    if (importId) await db.import.update({ where: { id: importId }, data: { status: 'failed', finishedAt: clock.now() } });
    throw err;
  }
  const result: ImportReport = {
    ...report,
    created: outcome.created,
    updated: outcome.updated,
    unchanged: outcome.unchanged,
    skipped: outcome.skipped.sort((a, b) => a.line - b.line),
    problems: problems.sorted(),
    notes: [...report.notes, ...outcome.notes],
  };
  const usable = result.created.length + result.updated.length + result.unchanged;
  if (usable === 0) {
    result.status = 'refused';
    result.refusal = result.problems.length
      ? `Nothing in this file can be imported: ${result.problems.length === 1 ? 'its row has a problem' : `all ${report.rows} rows have problems`} (listed below). Fix them and import again.`
      : `Nothing in this file can be imported: every row was left out (listed below).`;
  }
  if (importId) {
    const counts = { rows: result.rows, created: result.created.length, updated: result.updated.length, unchanged: result.unchanged, skipped: result.skipped.length, bad: new Set(result.problems.map((p) => p.line)).size };
    await db.import.update({ where: { id: importId }, data: { status: result.status, counts, finishedAt: clock.now() } });
  }
  return result;
}

/** Reads, resolves (Slack), then matches and writes under a per-workspace lock, so two imports never interleave. */
async function plan(ctx: ImportContext, kind: ImportKind): Promise<PlanOutcome> {
  const inTransaction = <T>(prepared: T, apply: (tx: Parameters<Parameters<Db['$transaction']>[0]>[0], ctx: ImportContext, rows: T) => Promise<PlanOutcome>) =>
    ctx.db.$transaction(
      async (tx) => {
        if (!ctx.dryRun) await tx.$queryRaw`SELECT 1 AS locked FROM (SELECT pg_advisory_xact_lock(hashtext(${`kept-import:${ctx.workspaceId}`}))) l`;
        // Each apply writes only when its plan creates or updates something, so a file with
        // nothing usable leaves the database as it was.
        return apply(tx, ctx, prepared);
      },
      { timeout: TRANSACTION_TIMEOUT_MS, maxWait: 60_000 },
    );
  switch (kind) {
    case 'accounts':
      return inTransaction(await prepareAccounts(ctx), applyAccounts);
    case 'contacts':
      return inTransaction(prepareContacts(ctx), applyContacts);
    case 'commitments':
      return inTransaction(await prepareCommitments(ctx), applyCommitments);
  }
}
