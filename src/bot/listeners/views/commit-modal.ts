// Submission of the /commit modal: field errors inside Slack's 3 s, then save and announce.
import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { findOrCreateAccount } from '../../../services/accounts.js';
import { UserError } from '../../../services/errors.js';
import { saveAndAnnounce } from '../../commit-flow.js';
import { commitModalMeta, readCommitModal } from '../../../messages/commit-modal.js';
import { refuseForm } from '../../guard.js';
import { readJson } from '../../../messages/slack-values.js';
import type { ListenerDeps } from '../deps.js';

type Args = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

export function commitModalSubmit(deps: ListenerDeps) {
  return async ({ ack, body, view, client }: Args) => {
    const meta = readJson(view.private_metadata, commitModalMeta);
    if (!meta) return refuseForm(ack, body, client, deps.logger, 'commit form metadata');
    const read = readCommitModal(view.state.values, meta, deps.clock.now());
    if (!read.ok) return ack({ response_action: 'errors', errors: read.errors });
    await ack();

    const { input } = read;
    const actor = await deps.directory.actor(body.team?.id ?? body.user.team_id ?? '', body.user.id);
    const owner = await deps.directory.user(actor.workspace.id, input.ownerSlackId);
    let accountId = input.accountId;
    if (input.newAccountName) {
      const by = { actorId: actor.user.id, at: deps.clock.now() };
      accountId = (await findOrCreateAccount(deps.db, { workspaceId: actor.workspace.id, name: input.newAccountName, ownerId: actor.user.id, now: by.at }, by)).account.id;
    } else {
      const account = await deps.db.account.findFirst({ where: { id: accountId!, workspaceId: actor.workspace.id } });
      if (!account) throw new UserError('The account you picked no longer exists; nothing was saved. Run `/commit` again.');
    }
    await saveAndAnnounce(
      deps,
      client,
      {
        workspaceId: actor.workspace.id,
        accountId: accountId!,
        ownerId: owner.id,
        createdById: actor.user.id,
        title: input.title,
        notes: input.notes,
        direction: input.direction,
        dueAt: input.dueAt,
        dueTimeZone: meta.timeZone,
        source: 'modal',
        // A double submit or a retried payload carries the same view id: one commitment.
        sourceKey: `view:${view.id}`,
        channelId: meta.channelId,
      },
      { userId: body.user.id, channelId: meta.channelId },
    );
  };
}
