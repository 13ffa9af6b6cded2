// /kept import [accounts|contacts|commitments]: opens the import form (Kept admins only); the
// submission is handled in views/import-modal.ts.
import type { WebClient } from '@slack/web-api';
import { UserError } from '../../../../services/errors.js';
import { IMPORT_KINDS, isKeptAdmin, type ImportKind } from '../../../../services/import/index.js';
import { readSettings } from '../../../../services/settings.js';
import { importModal } from '../../../../messages/import.js';
import { mention } from '../../../../messages/format.js';
import type { Actor } from '../../../people.js';
import type { ListenerDeps } from '../../deps.js';

/** Who may import, checked against fresh settings (another process may have just changed the admins). */
export async function requireKeptAdmin(deps: ListenerDeps, actor: Actor, what: string): Promise<void> {
  const settings = readSettings((await deps.db.workspace.findUniqueOrThrow({ where: { id: actor.workspace.id }, select: { settings: true } })).settings);
  if (isKeptAdmin(settings, actor.user)) return;
  const who = settings.adminSlackIds.length ? `the Kept admins (${settings.adminSlackIds.map(mention).join(' ')})` : 'Slack admins and owners, until Kept admins are named with `/kept settings admins @li @sam`';
  throw new UserError(`Only Kept admins may ${what}: ${who}. Ask one of them.`);
}

export async function importCommand(deps: ListenerDeps, client: WebClient, actor: Actor, command: { trigger_id: string; channel_id: string }, text: string): Promise<void> {
  const kind = text.trim().toLowerCase();
  if (kind && !(IMPORT_KINDS as readonly string[]).includes(kind)) {
    throw new UserError(`Write \`/kept import\`, or \`/kept import accounts\` (or \`contacts\`, \`commitments\`) to preselect the kind of data.`);
  }
  // The console has no file uploads; the command line imports the same way.
  if (deps.slack.inProcess) throw new UserError(`The console cannot take a file upload. Import from the command line: \`npm run kept -- import ${kind || 'accounts'} FILE.csv --dry-run\`, then without --dry-run.`);
  await requireKeptAdmin(deps, actor, 'import');
  try {
    await client.views.open({ trigger_id: command.trigger_id, view: importModal({ channelId: command.channel_id }, (kind || undefined) as ImportKind | undefined) });
  } catch (err) {
    deps.logger.warn('views.open failed for /kept import:', (err as Error).message);
    throw new UserError('Slack did not open the import form in time; run `/kept import` again.');
  }
}
