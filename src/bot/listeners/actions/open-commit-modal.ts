// "Open the form": a fresh trigger for the /commit modal, carrying what was already understood.
import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { z } from 'zod';
import { commitModal, commitModalMeta } from '../../../messages/commit-modal.js';
import type { ListenerDeps } from '../deps.js';

type Args = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

const payload = z.object({
  prefill: z.object({
    account: z.object({ id: z.string(), name: z.string() }).optional(),
    newAccountName: z.string().optional(),
    title: z.string().optional(),
    ownerSlackId: z.string().optional(),
    dueDate: z.string().optional(),
    dueTime: z.string().optional(),
    direction: z.enum(['ours', 'theirs']).optional(),
  }),
  meta: commitModalMeta,
});

export function openCommitModalAction(_deps: ListenerDeps) {
  return async ({ ack, body, action, client }: Args) => {
    await ack();
    const parsed = payload.safeParse(JSON.parse(action.value ?? '{}'));
    const { prefill, meta } = parsed.success ? parsed.data : { prefill: {}, meta: { channelId: body.channel?.id ?? null, timeZone: 'UTC' } };
    await client.views.open({ trigger_id: body.trigger_id, view: commitModal(prefill, meta) });
  };
}
