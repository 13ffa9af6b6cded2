// What every message shortcut reads from Slack's message_action payload.
import type { MessageShortcut } from '@slack/bolt';
import type { ActedMessage } from '../../message-flow.js';
import type { Actor } from '../../people.js';
import type { ReplyTarget } from '../../reply.js';
import type { ListenerDeps } from '../deps.js';

export async function actedMessage(deps: ListenerDeps, s: MessageShortcut): Promise<{ actor: Actor; message: ActedMessage; replyTo: ReplyTarget }> {
  const actor = await deps.directory.actor(s.team?.id ?? s.user.team_id ?? '', s.user.id);
  const m = s.message as MessageShortcut['message'] & { thread_ts?: string; text?: string; user?: string };
  const message: ActedMessage = {
    channelId: s.channel.id,
    ts: m.ts ?? s.message_ts,
    threadTs: m.thread_ts ?? null,
    text: m.text ?? '',
    authorSlackId: m.user ?? null,
    responseUrl: s.response_url,
  };
  // The response_url answers privately even where Kept is not a member (a private channel, a DM).
  return { actor, message, replyTo: { userId: s.user.id, channelId: s.channel.id, responseUrl: s.response_url } };
}
