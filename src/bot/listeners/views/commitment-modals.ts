// Submissions of Reassign… and Drop…: change once, update the message, tell whoever needs to know.
import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { dropCommitment, reassignCommitment, reference } from '../../../services/commitments.js';
import { actorOf, commitmentFor, refreshMessage } from '../../commitment-actions.js';
import { replyPrivately } from '../../reply.js';
import { commitmentLine, alreadyChanged } from '../../../messages/commitment.js';
import { actionMeta } from '../../../messages/commitment-modals.js';
import { context, md, mention, message, note, section } from '../../../messages/format.js';
import { refuseForm } from '../../guard.js';
import { isSlackUserId, readJson } from '../../../messages/slack-values.js';
import type { ListenerDeps } from '../deps.js';

type Args = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

export function reassignSubmit(deps: ListenerDeps) {
  return async ({ ack, body, view, client }: Args) => {
    const meta = readJson(view.private_metadata, actionMeta);
    if (!meta) return refuseForm(ack, body, client, deps.logger, 'reassign form metadata');
    const to = view.state.values.owner?.value?.selected_user;
    if (!to) return ack({ response_action: 'errors', errors: { owner: 'Choose the new owner.' } });
    // A person, never a channel, a group or text that would become a mention.
    if (!isSlackUserId(to)) return ack({ response_action: 'errors', errors: { owner: 'Choose a person from the list as the new owner (not a channel or a group).' } });
    await ack();
    const actor = await actorOf(deps, body);
    const existing = await commitmentFor(deps, actor, meta.commitmentId);
    const owner = await deps.directory.user(actor.workspace.id, to);
    const result = await reassignCommitment(deps.db, deps.clock, { commitmentId: existing.id, actorId: actor.user.id, ownerId: owner.id });
    const c = result.commitment;
    if (result.kind === 'unchanged') {
      if (c.status !== 'open') await replyPrivately(client, { userId: body.user.id }, note(alreadyChanged(c, result.last)));
      return;
    }
    await refreshMessage(deps, client, meta.message, c, md`:bust_in_silhouette: Reassigned to ${mention(to)} by ${mention(actor.user.slackUserId)}.`);
    // The new owner hears it from Kept, with the buttons.
    await client.chat.postMessage({
      channel: to,
      ...message(`${actor.user.displayName} gave you ${reference(c)}: ${c.title}`, [
        section(md`${mention(actor.user.slackUserId)} gave you *${reference(c)}*:\n${commitmentLine(c, deps.clock.now())}`),
        context('It is yours now: Kept will remind you before it is due.'),
      ]),
    });
  };
}

export function dropSubmit(deps: ListenerDeps) {
  return async ({ ack, body, view, client }: Args) => {
    const meta = readJson(view.private_metadata, actionMeta);
    if (!meta) return refuseForm(ack, body, client, deps.logger, 'drop form metadata');
    const reason = view.state.values.reason?.value?.value?.trim();
    if (!reason) return ack({ response_action: 'errors', errors: { reason: 'Say why, in a sentence: it goes into the history.' } });
    await ack();
    const actor = await actorOf(deps, body);
    const existing = await commitmentFor(deps, actor, meta.commitmentId);
    const result = await dropCommitment(deps.db, deps.clock, { commitmentId: existing.id, actorId: actor.user.id, reason });
    if (result.kind === 'unchanged') return replyPrivately(client, { userId: body.user.id }, note(alreadyChanged(result.commitment, result.last)));
    await refreshMessage(deps, client, meta.message, result.commitment, md`:wastebasket: Dropped by ${mention(actor.user.slackUserId)}: ${reason}`);
  };
}
