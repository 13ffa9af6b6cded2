// /kept export accounts|contacts|commitments|touches [since 2026-11-01] [account Acme]: the CSV
// arrives in the person's DM (files.uploadV2). Kept admins export the whole workspace; anyone
// else, the accounts they own (with those accounts' contacts, commitments and touches).
import type { WebClient } from '@slack/web-api';
import { DateTime } from 'luxon';
import { requireAccount } from '../../../../services/accounts.js';
import { UserError } from '../../../../services/errors.js';
import { EXPORT_KINDS, exportCsv, type ExportKind } from '../../../../services/export.js';
import { exportAllPolicy, NotAllowed } from '../../../../services/permissions.js';
import { exportComment, exportScope, exportSentNote } from '../../../../messages/import.js';
import { dataClient, sendFileToDm } from '../../../slack-data.js';
import type { Actor } from '../../../people.js';
import { replyPrivately, type ReplyTarget } from '../../../reply.js';
import type { ListenerDeps } from '../../deps.js';

const USAGE = 'Write `/kept export accounts` (or `contacts`, `commitments`, `touches`), optionally with `since 2026-11-01` and `account Acme`.';

export function parseExport(text: string, zone: string): { kind: ExportKind; since?: Date; account?: string } {
  const m = /^(\S+)((?:\s+(?:--)?(?:since|account)\s+.+?)*)\s*$/i.exec(text.trim());
  const kind = m?.[1]?.toLowerCase();
  if (!m || !kind || !(EXPORT_KINDS as readonly string[]).includes(kind)) throw new UserError(USAGE);
  const options = [...(m[2] ?? '').matchAll(/(?:--)?(since|account)\s+(.+?)(?=\s+(?:--)?(?:since|account)\s|$)/gi)];
  const out: { kind: ExportKind; since?: Date; account?: string } = { kind: kind as ExportKind };
  for (const [, key, value] of options) {
    if (key!.toLowerCase() === 'account') out.account = value!.trim();
    else {
      const d = DateTime.fromISO(value!.trim(), { zone });
      if (!d.isValid) throw new UserError(`“${value!.trim()}” is not a date; write \`since 2026-11-01\`.`);
      out.since = d.toJSDate();
    }
  }
  return out;
}

export async function exportCommand(deps: ListenerDeps, client: WebClient, actor: Actor, text: string, replyTo: ReplyTarget): Promise<void> {
  const zone = actor.user.timeZone;
  const req = parseExport(text, zone);
  if (deps.slack.inProcess) throw new UserError(`The console cannot send files. Export from the command line: \`npm run kept -- export ${req.kind} > ${req.kind}.csv\`.`);
  // Kept admins export the whole workspace; anyone else, what they own (not a refusal).
  const everything = await deps.directory.authorize(actor, exportAllPolicy).then(
    () => true,
    (err: unknown) => {
      if (err instanceof NotAllowed) return false;
      throw err;
    },
  );
  const account = req.account ? await requireAccount(deps.db, actor.workspace.id, req.account) : undefined;
  const now = deps.clock.now();
  const { csv, rows } = await exportCsv(deps.db, {
    workspaceId: actor.workspace.id,
    kind: req.kind,
    since: req.since,
    accountId: account?.id,
    ...(everything ? {} : { ownerId: actor.user.id }),
    zone,
    now,
  });
  const scope = exportScope({ account: account?.name, ownOnly: !everything, since: req.since ? (DateTime.fromJSDate(req.since, { zone }).toISODate() ?? undefined) : undefined });
  const name = `kept-${req.kind}-${DateTime.fromJSDate(now, { zone }).toISODate()}.csv`;
  await sendFileToDm(dataClient(client.token ?? '', deps.slack.apiUrl), actor.user.slackUserId, { name, content: csv, comment: exportComment(req.kind, rows, zone, scope) });
  await replyPrivately(client, replyTo, exportSentNote(name, rows, scope));
}
