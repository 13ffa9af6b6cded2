// "Log as touch" on a message (a pasted email, a call recap): the /touch form prefilled from it.
import type { AllMiddlewareArgs, MessageShortcut, SlackShortcutMiddlewareArgs } from '@slack/bolt';
import { openTouchModal } from '../../touch-flow.js';
import { actedMessage } from './acted-message.js';
import { planTouch } from '../../message-flow.js';
import type { ListenerDeps } from '../deps.js';

type Args = SlackShortcutMiddlewareArgs<MessageShortcut> & AllMiddlewareArgs;

export function logMessageTouchShortcut(deps: ListenerDeps) {
  return async ({ shortcut, ack, client }: Args) => {
    await ack();
    const { actor, message, replyTo } = await actedMessage(deps, shortcut);
    const { prefill, meta } = await planTouch(deps, actor, message);
    await openTouchModal(deps, client, shortcut.trigger_id, prefill, meta, replyTo);
  };
}
