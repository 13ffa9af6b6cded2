// The Done / Received button on a commitment message.
import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { completeCommitment, getCommitment } from '../../../services/commitments.js';
import { UserError } from '../../../services/errors.js';
import { replyPrivately } from '../../reply.js';
import { alreadyChanged, commitmentDoneMessage, commitmentMessage } from '../../views/commitment.js';
import { note } from '../../views/format.js';
import type { ListenerDeps } from '../deps.js';

type Args = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

export function commitmentDone(deps: ListenerDeps) {
  return async ({ ack, body, action, client }: Args) => {
    await ack();
    const actor = await deps.directory.actor(body.team?.id ?? body.user.team_id ?? '', body.user.id);
    const existing = await getCommitment(deps.db, action.value ?? '');
    if (!existing || existing.workspaceId !== actor.workspace.id) throw new UserError('That commitment no longer exists.');
    const result = await completeCommitment(deps.db, deps.clock, { commitmentId: existing.id, actorId: actor.user.id });
    const c = result.commitment;
    // A stale message is brought up to date either way.
    const msg =
      c.status === 'done'
        ? commitmentDoneMessage(c, result.kind === 'done' ? actor.user.slackUserId : (result.last?.actorSlackId ?? actor.user.slackUserId), c.completedAt ?? deps.clock.now())
        : commitmentMessage(c, deps.clock.now());
    if (body.channel?.id && body.message?.ts) {
      await client.chat.update({ channel: body.channel.id, ts: body.message.ts, text: msg.text, blocks: msg.blocks });
    }
    if (result.kind === 'unchanged') {
      await replyPrivately(client, { userId: body.user.id, channelId: body.channel?.id ?? null, responseUrl: body.response_url }, note(alreadyChanged(c, result.last)));
    }
  };
}
