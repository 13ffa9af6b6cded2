// Posting the outcome of a command where the team sees it, or privately when Kept cannot post there.
import { ErrorCode, type WebClient } from '@slack/web-api';
import { replyPrivately, type ReplyTarget } from './reply.js';
import { type Message, message, section } from '../messages/format.js';

const CANNOT_POST = new Set(['not_in_channel', 'channel_not_found', 'is_archived', 'restricted_action']);

/**
 * Posts `msg` in `channel`. If Kept may not post there, the person gets it privately with an
 * explanation of how to fix it (`saved` says what was saved regardless, e.g. "Saved C-12").
 */
export async function announce(
  client: WebClient,
  channel: string | null | undefined,
  msg: Message,
  replyTo: ReplyTarget,
  saved: string,
  /** Post as a reply in this thread (a commitment tracked from a message answers under it). */
  threadTs?: string | null,
): Promise<{ channel: string; ts: string } | null> {
  if (!channel) {
    await replyPrivately(client, replyTo, msg);
    return null;
  }
  try {
    const res = await client.chat.postMessage({ channel, text: msg.text, blocks: msg.blocks, unfurl_links: false, ...(threadTs ? { thread_ts: threadTs } : {}) });
    return res.ts ? { channel: res.channel ?? channel, ts: res.ts } : null;
  } catch (err) {
    const e = err as { code?: string; data?: { error?: string } };
    if (e.code !== ErrorCode.PlatformError || !CANNOT_POST.has(e.data?.error ?? '')) throw err;
    await replyPrivately(
      client,
      replyTo,
      message(`${saved}, but I cannot post in this channel.`, [
        section(`:floppy_disk: ${saved}, but I cannot post in this channel (${e.data?.error}). ${howToReach(channel)}`),
        ...msg.blocks,
      ]),
    );
    return null;
  }
}

/** How to let Kept post where it could not: a DM between people cannot take a bot; a channel can invite it. */
export function howToReach(channel: string): string {
  return channel.startsWith('D')
    ? 'This is a direct message, where I cannot post; until you track it from a channel I am in, only you see this.'
    : 'Invite me with `/invite @Kept` (a private channel needs the invite) so the team sees it here; until then only you see this.';
}
