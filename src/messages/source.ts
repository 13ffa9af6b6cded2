// What Kept says about commitments and touches that came from a Slack message: the link back to
// it, the thread replies when such a commitment changes, and where Kept cannot reach the message.
import { z } from 'zod';
import { messageTs, slackChannelId } from './slack-values.js';
import type { CommitmentFull, ThreadReplyClaim } from '../services/commitments.js';
import { reference } from '../services/commitments.js';
import { commitmentMessage } from './commitment.js';
import { type Message, context, md, mention, message, plainDate, section, slackDate } from './format.js';

/**
 * The message a form was opened from (a message shortcut), carried in its private_metadata: where
 * to link and reply, and the shortcut's response_url to answer privately where Kept cannot post.
 */
export const sourceMessageMeta = z.object({
  channelId: slackChannelId,
  ts: messageTs,
  threadTs: messageTs,
  responseUrl: z.url().max(500).nullable(),
});
export type SourceMessageMeta = z.infer<typeof sourceMessageMeta>;

/** Tracking a message that already has a commitment: that one, with its buttons, and nothing new. */
export function alreadyTracked(c: CommitmentFull, now: Date): Message {
  const shown = commitmentMessage(c, now);
  return message(`This message is already tracked as ${reference(c)}.`, [
    section(md`:bookmark: This message is already tracked as *${reference(c)}*; nothing new was created.`),
    ...shown.blocks,
  ]);
}

/** The reply in the source message's thread when its commitment changed: once per change. */
export function threadUpdate(c: CommitmentFull, change: Pick<ThreadReplyClaim, 'kind' | 'actorSlackId' | 'at' | 'reason' | 'previousDueAt'>): Message {
  const who = change.actorSlackId ? md` by ${mention(change.actorSlackId)}` : md``;
  const ref = reference(c);
  switch (change.kind) {
    case 'done': {
      const verb = c.direction === 'ours' ? 'Done' : 'Received';
      const onTime = c.completedAt && c.completedAt <= c.originalDueAt ? 'on time' : 'late';
      return message(`${ref} ${verb.toLowerCase()}: “${c.title}” (${onTime})`, [
        section(md`:white_check_mark: *${verb}*: ${c.title} (*${ref}*)`),
        context(md`${verb}${who} ${slackDate(change.at, c.dueTimeZone)} · ${onTime}`),
      ]);
    }
    case 'due_changed': {
      const from = change.previousDueAt ? md` from ${slackDate(change.previousDueAt, c.dueTimeZone)}` : md``;
      return message(`${ref} moved to ${plainDate(c.dueAt, c.dueTimeZone)}: “${c.title}”${change.reason ? `. Why: ${change.reason}` : ''}`, [
        section(md`:calendar: *Rescheduled*: ${c.title} (*${ref}*) is now due ${slackDate(c.dueAt, c.dueTimeZone)}${from}.`),
        ...(change.reason ? [context(md`Why: ${change.reason}`)] : []),
        context(md`Changed${who}`),
      ]);
    }
    case 'dropped':
      return message(`${ref} dropped: “${c.title}”${change.reason ? `. Why: ${change.reason}` : ''}`, [
        section(md`:heavy_minus_sign: *Dropped*: ${c.title} (*${ref}*)`),
        ...(change.reason ? [context(md`Why: ${change.reason}`)] : []),
        context(md`Dropped${who} ${slackDate(change.at, c.dueTimeZone)}`),
      ]);
  }
}

/**
 * Said in the form when the message is where Kept cannot post: a DM between people (from its id), or
 * a private channel Kept was not invited to (conversations.info answers channel_not_found).
 */
export function unreachableNote(where: 'dm' | 'private'): string {
  return where === 'dm'
    ? 'This is a direct message, where I cannot post: I will save it and confirm to you privately, and its thread will not hear about changes. To have the thread follow along, track promises in a channel I am in.'
    : 'I am not in this private channel: I will save it and confirm to you privately, and its thread will not hear about changes until someone invites me with /invite @Kept.';
}
