// Submission of the /touch modal: field errors inside Slack's 3 s, then save once and confirm.
import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { matchContacts } from '../../../services/contacts.js';
import { UserError } from '../../../services/errors.js';
import { normalizeName } from '../../../services/match.js';
import { saveTouch } from '../../touch-flow.js';
import { readTouchModal, touchModalMeta } from '../../../messages/touch.js';
import { refuseForm } from '../../guard.js';
import { readJson } from '../../../messages/slack-values.js';
import type { ListenerDeps } from '../deps.js';

type Args = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

export function touchModalSubmit(deps: ListenerDeps) {
  return async ({ ack, body, view, client }: Args) => {
    const meta = readJson(view.private_metadata, touchModalMeta);
    if (!meta) return refuseForm(ack, body, client, deps.logger, 'touch form metadata');
    const read = readTouchModal(view.state.values, meta, deps.clock.now());
    if (!read.ok) return ack({ response_action: 'errors', errors: read.errors });
    await ack();

    const { input } = read;
    const actor = await deps.directory.actor(body.team?.id ?? body.user.team_id ?? '', body.user.id);
    const account = await deps.db.account.findFirst({ where: { id: input.accountId, workspaceId: actor.workspace.id } });
    if (!account) throw new UserError('The account you picked no longer exists; nothing was saved. Run `/touch` again.');
    const contacts = await deps.db.contact.findMany({ where: { accountId: account.id } });
    const ticked = new Set(input.newContactNames.map(normalizeName));
    const toCreate = input.others.filter((n) => ticked.has(normalizeName(n)));
    const { matched, unknown } = matchContacts(contacts, input.others.filter((n) => !ticked.has(normalizeName(n))));
    const chosen = new Set([...input.contactIds.filter((id) => contacts.some((c) => c.id === id)), ...matched.map((c) => c.id)]);
    await saveTouch(
      deps,
      client,
      {
        workspaceId: actor.workspace.id,
        accountId: account.id,
        kind: input.kind,
        occurredAt: input.occurredAt,
        summary: input.summary,
        sentiment: input.sentiment,
        participants: [...unknown, ...input.colleagues.map((id) => `<@${id}>`)],
        contactIds: [...chosen],
        newContacts: toCreate.map((name) => ({ name })),
        loggedById: actor.user.id,
        source: 'modal',
        sourceKey: `view:${view.id}`,
      },
      meta.channelId,
      meta.timeZone,
      { userId: body.user.id, channelId: meta.channelId },
    );
  };
}
