// "Log a touch" from Slack's shortcut menu: the /touch form, dated now.
import type { AllMiddlewareArgs, GlobalShortcut, SlackShortcutMiddlewareArgs } from '@slack/bolt';
import { openTouchModal } from '../../touch-flow.js';
import { planNewTouch } from '../../message-flow.js';
import type { ListenerDeps } from '../deps.js';

type Args = SlackShortcutMiddlewareArgs<GlobalShortcut> & AllMiddlewareArgs;

export function logTouchShortcut(deps: ListenerDeps) {
  return async ({ shortcut, ack, client }: Args) => {
    await ack();
    const actor = await deps.directory.actor(shortcut.team?.id ?? shortcut.user.team_id ?? '', shortcut.user.id);
    const { prefill, meta } = planNewTouch(actor, deps.clock.now());
    await openTouchModal(deps, client, shortcut.trigger_id, prefill, meta, { userId: shortcut.user.id });
  };
}
