// Telling one person something privately, from whichever kind of request we are handling.
import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import type { Message } from '../messages/format.js';
import { readJson, slackChannelId } from '../messages/slack-values.js';

/** The parts of a Slack request body that say where the person is. */
export interface ReplyTarget {
  userId: string;
  channelId?: string | null;
  responseUrl?: string | null;
}

/**
 * Sends an ephemeral message: through the response_url when there is one (works even where the
 * bot is not a member), else chat.postEphemeral in the channel, else a DM.
 */
export async function replyPrivately(client: WebClient, to: ReplyTarget, msg: Message): Promise<void> {
  if (to.responseUrl) {
    const res = await fetch(to.responseUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ response_type: 'ephemeral', replace_original: false, ...msg }),
      signal: AbortSignal.timeout(5000),
    }).catch(() => null);
    if (res?.ok) return;
  }
  if (to.channelId) {
    const sent = await client.chat
      .postEphemeral({ channel: to.channelId, user: to.userId, text: msg.text, blocks: msg.blocks })
      .then(() => true, () => false);
    if (sent) return;
  }
  await client.chat.postMessage({ channel: to.userId, text: msg.text, blocks: msg.blocks });
}

type AnyBody = Record<string, unknown> & {
  user_id?: string;
  user?: { id?: string };
  channel_id?: string;
  channel?: { id?: string };
  response_url?: string;
  view?: { private_metadata?: string };
};

/** Where to answer the person behind a command, action or view submission body. */
export function replyTargetOf(body: unknown): ReplyTarget | null {
  const b = (body ?? {}) as AnyBody;
  const userId = b.user_id ?? b.user?.id;
  if (!userId) return null;
  let channelId = b.channel_id ?? b.channel?.id ?? null;
  if (!channelId && b.view?.private_metadata) channelId = readJson(b.view.private_metadata, z.object({ channelId: slackChannelId }))?.channelId ?? null;
  return { userId, channelId, responseUrl: b.response_url ?? null };
}
