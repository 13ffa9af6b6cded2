// "Log as touch" on a message (a pasted email, a call recap): the /touch form prefilled from it.
import type { AllMiddlewareArgs, MessageShortcut, SlackShortcutMiddlewareArgs } from '@slack/bolt';
import { openTouchModal } from '../../touch-flow.js';
import { actedMessage } from './acted-message.js';
import { planTouch, privateWithoutKept } from '../../message-flow.js';
import { touchModal } from '../../../messages/touch.js';
import { unreachableNote } from '../../../messages/source.js';
import type { ListenerDeps } from '../deps.js';

type Args = SlackShortcutMiddlewareArgs<MessageShortcut> & AllMiddlewareArgs;

export function logMessageTouchShortcut(deps: ListenerDeps) {
  return async ({ shortcut, ack, client }: Args) => {
    await ack();
    const { actor, message, replyTo } = await actedMessage(deps, shortcut);
    const { prefill, meta } = await planTouch(deps, actor, message);
    const view = await openTouchModal(deps, client, shortcut.trigger_id, prefill, meta, replyTo);
    if (view && (await privateWithoutKept(client, message.channelId))) {
      const noted = { ...prefill, problems: [...(prefill.problems ?? []), unreachableNote('private')] };
      await client.views.update({ view_id: view.id, hash: view.hash, view: touchModal(noted, meta) }).catch((err) => deps.logger.info('could not add the private-channel note:', err.message));
    }
  };
}
