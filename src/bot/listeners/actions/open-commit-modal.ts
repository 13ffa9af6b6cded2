// "Open the form": a fresh trigger for the /commit modal, carrying what was already understood.
import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { z } from 'zod';
import { commitModal, commitModalMeta } from '../../../messages/commit-modal.js';
import { isSlackChannelId, keptId, readJson, slackUserId } from '../../../messages/slack-values.js';
import type { ListenerDeps } from '../deps.js';

type Args = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

const payload = z.object({
  prefill: z.object({
    account: z.object({ id: keptId, name: z.string() }).optional(),
    newAccountName: z.string().optional(),
    title: z.string().optional(),
    ownerSlackId: slackUserId.optional(),
    dueDate: z.string().optional(),
    dueTime: z.string().optional(),
    direction: z.enum(['ours', 'theirs']).optional(),
  }),
  meta: commitModalMeta,
});

export function openCommitModalAction(_deps: ListenerDeps) {
  return async ({ ack, body, action, client }: Args) => {
    await ack();
    // The channel is where the button was clicked (Kept's answer to /commit there), never the
    // button's value; a click with no channel (the App Home) leaves it to the account's channel.
    // An unreadable value opens an empty form.
    const here = isSlackChannelId(body.channel?.id) ? body.channel!.id : null;
    const read = readJson(action.value, payload);
    const prefill = read?.prefill ?? {};
    const meta = { channelId: here, timeZone: read?.meta.timeZone ?? 'UTC' };
    await client.views.open({ trigger_id: body.trigger_id, view: commitModal(prefill, meta) });
  };
}
