// A commitment tracked from a message tells that message's thread when it is done, received,
// rescheduled (with the reason) or dropped: once per change, however often the click arrives.
import type { WebClient } from '@slack/web-api';
import { claimThreadReply, recordThreadReply, type CommitmentFull, type ThreadChange } from '../services/commitments.js';
import { threadUpdate } from '../messages/source.js';
import type { ListenerDeps } from './listeners/deps.js';

export async function replyInSourceThread(deps: Pick<ListenerDeps, 'db' | 'logger'>, client: WebClient, c: CommitmentFull, change: ThreadChange): Promise<void> {
  if (!c.sourceThreadTs) return;
  const claim = await claimThreadReply(deps.db, c.id, change);
  if (!claim) return;
  const msg = threadUpdate(c, claim);
  try {
    const res = await client.chat.postMessage({ channel: claim.channelId, thread_ts: claim.threadTs, text: msg.text, blocks: msg.blocks, unfurl_links: false });
    if (res.ts) await recordThreadReply(deps.db, claim.eventId, res.ts);
  } catch (err) {
    // Kept left the channel, or never was in it: the change itself is saved; the thread stays quiet.
    deps.logger.warn(`could not reply in the thread of C-${c.number}:`, (err as Error).message);
  }
}
