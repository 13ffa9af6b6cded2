// /kept import [accounts|contacts|commitments]: opens the import form (Kept admins only); the
// submission is handled in views/import-modal.ts.
import type { WebClient } from '@slack/web-api';
import { UserError } from '../../../../services/errors.js';
import { IMPORT_KINDS, type ImportKind } from '../../../../services/import/index.js';
import { importPolicy } from '../../../../services/permissions.js';
import { importModal } from '../../../../messages/import.js';
import type { Actor } from '../../../people.js';
import type { ListenerDeps } from '../../deps.js';

/** Who may import: the permission model's answer (Kept admins), refusing with who may. */
export function requireImporter(deps: ListenerDeps, actor: Actor): Promise<void> {
  return deps.directory.authorize(actor, importPolicy);
}

export async function importCommand(deps: ListenerDeps, client: WebClient, actor: Actor, command: { trigger_id: string; channel_id: string }, text: string): Promise<void> {
  const kind = text.trim().toLowerCase();
  if (kind && !(IMPORT_KINDS as readonly string[]).includes(kind)) {
    throw new UserError(`Write \`/kept import\`, or \`/kept import accounts\` (or \`contacts\`, \`commitments\`) to preselect the kind of data.`);
  }
  // The console has no file uploads; the command line imports the same way.
  if (deps.slack.inProcess) throw new UserError(`The console cannot take a file upload. Import from the command line: \`npm run kept -- import ${kind || 'accounts'} FILE.csv --dry-run\`, then without --dry-run.`);
  await requireImporter(deps, actor);
  try {
    await client.views.open({ trigger_id: command.trigger_id, view: importModal({ channelId: command.channel_id }, (kind || undefined) as ImportKind | undefined) });
  } catch (err) {
    deps.logger.warn('views.open failed for /kept import:', (err as Error).message);
    throw new UserError('Slack did not open the import form in time; run `/kept import` again.');
  }
}
