// "Track as commitment" on a message: the existing commitment if the message has one, else the
// /commit form prefilled from the message; saving links it and replies in the message's thread.
import type { AllMiddlewareArgs, MessageShortcut, SlackShortcutMiddlewareArgs } from '@slack/bolt';
import { openCommitModal } from '../../commit-flow.js';
import { actedMessage } from './acted-message.js';
import { planTrack, privateWithoutKept } from '../../message-flow.js';
import { commitModal } from '../../../messages/commit-modal.js';
import { replyPrivately } from '../../reply.js';
import { alreadyTracked, unreachableNote } from '../../../messages/source.js';
import type { ListenerDeps } from '../deps.js';

type Args = SlackShortcutMiddlewareArgs<MessageShortcut> & AllMiddlewareArgs;

export function trackMessageShortcut(deps: ListenerDeps) {
  return async ({ shortcut, ack, client }: Args) => {
    await ack();
    const { actor, message, replyTo } = await actedMessage(deps, shortcut);
    const plan = await planTrack(deps, actor, message);
    if (plan.kind === 'tracked') return replyPrivately(client, replyTo, alreadyTracked(plan.commitment, deps.clock.now()));
    const view = await openCommitModal(deps, client, shortcut.trigger_id, plan.prefill, plan.meta, replyTo);
    // Said in the form before anything is saved (what was typed meanwhile stays: same block ids).
    if (view && (await privateWithoutKept(client, message.channelId))) {
      const prefill = { ...plan.prefill, problems: [...(plan.prefill.problems ?? []), unreachableNote('private')] };
      await client.views.update({ view_id: view.id, hash: view.hash, view: commitModal(prefill, plan.meta) }).catch((err) => deps.logger.info('could not add the private-channel note:', err.message));
    }
  };
}
