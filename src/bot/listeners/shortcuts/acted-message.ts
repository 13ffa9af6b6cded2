// What every message shortcut reads from Slack's message_action payload.
import type { MessageShortcut } from '@slack/bolt';
import type { ActedMessage } from '../../message-flow.js';
import type { Actor } from '../../people.js';
import type { ReplyTarget } from '../../reply.js';
import type { ListenerDeps } from '../deps.js';
import { UserError } from '../../../services/errors.js';
import { isSlackChannelId, isSlackUserId, messageTs } from '../../../messages/slack-values.js';

const isTs = (v: unknown): v is string => messageTs.safeParse(v).success;
const isUrl = (v: unknown): v is string => typeof v === 'string' && URL.canParse(v) && /^https?:/.test(v);

export async function actedMessage(deps: ListenerDeps, s: MessageShortcut): Promise<{ actor: Actor; message: ActedMessage; replyTo: ReplyTarget }> {
  const actor = await deps.directory.actor(s.team?.id ?? s.user.team_id ?? '', s.user.id);
  // Checked like every value that comes back from Slack: nothing of another shape reaches the database.
  const m = (s.message ?? {}) as Partial<MessageShortcut['message']> & { thread_ts?: unknown; text?: unknown; user?: unknown; bot_id?: unknown };
  const channelId = s.channel?.id;
  const ts = isTs(m.ts) ? m.ts : s.message_ts;
  const responseUrl = isUrl(s.response_url) ? s.response_url : null;
  if (!isSlackChannelId(channelId) || !isTs(ts)) throw new UserError('I could not read which message that was; nothing was saved. Try the shortcut again.');
  const message: ActedMessage = {
    channelId,
    ts,
    threadTs: isTs(m.thread_ts) ? m.thread_ts : null,
    text: typeof m.text === 'string' ? m.text : '',
    // A bot's message (Kept's own, an integration's) has no author who could owe anything.
    authorSlackId: isSlackUserId(m.user) && !m.bot_id ? m.user : null,
    responseUrl,
  };
  // The response_url answers privately even where Kept is not a member (a private channel, a DM).
  return { actor, message, replyTo: { userId: s.user.id, channelId, responseUrl } };
}
