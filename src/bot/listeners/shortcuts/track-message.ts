// "Track as commitment" on a message: the existing commitment if the message has one, else the
// /commit form prefilled from the message; saving links it and replies in the message's thread.
import type { AllMiddlewareArgs, MessageShortcut, SlackShortcutMiddlewareArgs } from '@slack/bolt';
import { openCommitModal } from '../../commit-flow.js';
import { actedMessage } from './acted-message.js';
import { planTrack } from '../../message-flow.js';
import { replyPrivately } from '../../reply.js';
import { alreadyTracked } from '../../../messages/source.js';
import type { ListenerDeps } from '../deps.js';

type Args = SlackShortcutMiddlewareArgs<MessageShortcut> & AllMiddlewareArgs;

export function trackMessageShortcut(deps: ListenerDeps) {
  return async ({ shortcut, ack, client }: Args) => {
    await ack();
    const { actor, message, replyTo } = await actedMessage(deps, shortcut);
    const plan = await planTrack(deps, actor, message);
    if (plan.kind === 'tracked') return replyPrivately(client, replyTo, alreadyTracked(plan.commitment, deps.clock.now()));
    await openCommitModal(deps, client, shortcut.trigger_id, plan.prefill, plan.meta, replyTo);
  };
}
