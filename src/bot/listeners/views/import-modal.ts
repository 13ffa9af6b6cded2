// Submission of the /kept import form: field errors inside Slack's 3 s; then, after the ack, the
// file is downloaded with the bot token, imported (or only checked), and the result DMed.
import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { runImport } from '../../../services/import/index.js';
import { importReportMessage, problemsComment, problemsCsv, readImportModal } from '../../../messages/import.js';
import type { StateValues } from '../../../messages/format.js';
import { dataClient, downloadFile, sendFileToDm, slackLookup } from '../../slack-data.js';
import { requireImporter } from '../commands/kept/import.js';
import type { ListenerDeps } from '../deps.js';

type Args = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

export function importModalSubmit(deps: ListenerDeps) {
  return async ({ ack, body, view, client: bolt }: Args) => {
    const form = readImportModal(view.state.values as unknown as Parameters<typeof readImportModal>[0] & StateValues);
    if (!form.ok) return ack({ response_action: 'errors', errors: form.errors });
    await ack();

    const actor = await deps.directory.actor(body.team?.id ?? body.user.team_id ?? '', body.user.id);
    // Checked again here: the form may have been opened before the person stopped being an admin.
    await requireImporter(deps, actor);
    // The workspace's own token (Bolt's authorize gave it to this request's client).
    const token = bolt.token ?? '';
    const client = dataClient(token, deps.slack.apiUrl);
    const file = await downloadFile(client, token, form.fileId);
    const u = actor.user;
    const report = await runImport(deps.db, deps.clock, {
      workspaceId: actor.workspace.id,
      kind: form.kind,
      fileName: file.name,
      bytes: file.bytes,
      dryRun: form.dryRun,
      actor: { userId: u.id, slackUserId: u.slackUserId, displayName: u.displayName, timeZone: u.timeZone, isAdmin: u.isAdmin },
      via: 'slack',
      // The same form submitted twice (a double click, a retry) imports once.
      requestKey: `view:${view.id}`,
      slack: slackLookup(client),
    });
    if (!report) return;
    const { message, attachProblems } = importReportMessage(report);
    await client.chat.postMessage({ channel: body.user.id, text: message.text, blocks: message.blocks });
    if (attachProblems) {
      const name = `${file.name.replace(/\.[^.]*$/, '')}-problems.csv`;
      await sendFileToDm(client, body.user.id, { name, content: problemsCsv(report), comment: problemsComment(file.name) });
    }
  };
}
