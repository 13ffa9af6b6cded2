// "New commitment" from Slack's shortcut menu: the /commit form, as `/commit` with nothing typed.
import type { AllMiddlewareArgs, GlobalShortcut, SlackShortcutMiddlewareArgs } from '@slack/bolt';
import { openCommitModal } from '../../commit-flow.js';
import { planNewCommitment } from '../../message-flow.js';
import type { ListenerDeps } from '../deps.js';

type Args = SlackShortcutMiddlewareArgs<GlobalShortcut> & AllMiddlewareArgs;

export function newCommitmentShortcut(deps: ListenerDeps) {
  return async ({ shortcut, ack, client }: Args) => {
    await ack();
    const actor = await deps.directory.actor(shortcut.team?.id ?? shortcut.user.team_id ?? '', shortcut.user.id);
    const { prefill, meta } = planNewCommitment(actor);
    // No channel and no response_url: anything private goes to the person's DM.
    await openCommitModal(deps, client, shortcut.trigger_id, prefill, meta, { userId: shortcut.user.id });
  };
}
