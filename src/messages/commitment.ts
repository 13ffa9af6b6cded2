// Block Kit for commitments: the announcement in the channel, its done state, and lists.
import type { KnownBlock } from '@slack/types';
import type { CommitmentFull, LastChange } from '../services/commitments.js';
import { reference } from '../services/commitments.js';
import { ACTIONS } from './ids.js';
import { LIMITS, type Message, type Mrkdwn, context, md, mention, message, messageLink, plainDate, section, slackDate } from './format.js';
import { button } from './format.js';

/** "<@maria> owes *Acme*" or "*Acme* owes us", and the plain-text twin for the fallback. */
function whoOwes(c: CommitmentFull): { rich: Mrkdwn; plain: string } {
  const account = c.account.name;
  return c.direction === 'ours'
    ? { rich: md`${mention(c.owner.slackUserId)} owes *${account}*`, plain: `${c.owner.displayName} owes ${c.account.name}` }
    : { rich: md`*${account}* owes us`, plain: `${c.account.name} owes us` };
}

/** " · from a message", linked to the Slack message it was tracked from (empty for others). */
export function sourceLink(c: { sourcePermalink?: string | null }): Mrkdwn {
  return c.sourcePermalink ? md` · ${messageLink(c.sourcePermalink, 'from a message')}` : md``;
}

export function commitmentLine(c: CommitmentFull, now: Date): Mrkdwn {
  const overdue = c.status === 'open' && c.dueAt < now ? ' · :warning: *overdue*' : '';
  const follow = c.direction === 'theirs' ? md` · ${mention(c.owner.slackUserId)} follows up` : '';
  return md`*${reference(c)}* · ${whoOwes(c).rich}: ${c.title}\nDue ${slackDate(c.dueAt, c.dueTimeZone)}${follow}${overdue}${sourceLink(c)}`;
}

export const SNOOZE_CHOICES = { '1d': '1 day', '3d': '3 days', nextweek: 'Next week' } as const;
export type SnoozeChoice = keyof typeof SNOOZE_CHOICES;

/**
 * The buttons wherever a commitment appears. Action ids are stable, and the block id names the
 * commitment, so clicks on old messages still land and a message can be updated item by item.
 */
export function commitmentActions(c: { id: string; direction: string }): KnownBlock {
  const v = c.id;
  const snooze = {
    type: 'overflow' as const,
    action_id: ACTIONS.commitmentSnooze,
    options: (Object.keys(SNOOZE_CHOICES) as SnoozeChoice[]).map((k) => ({ text: { type: 'plain_text' as const, text: `Snooze ${SNOOZE_CHOICES[k].toLowerCase()}` }, value: `${v}|${k}` })),
  };
  const elements =
    c.direction === 'ours'
      ? [
          button(ACTIONS.commitmentDone, 'Done', v, 'primary'),
          button(ACTIONS.commitmentReschedule, 'Reschedule…', v),
          button(ACTIONS.commitmentReassign, 'Reassign…', v),
          button(ACTIONS.commitmentDrop, 'Drop…', v, 'danger'),
          snooze,
        ]
      : [
          button(ACTIONS.commitmentDone, 'Received', v, 'primary'),
          button(ACTIONS.remindCustomer, 'Remind customer', v),
          button(ACTIONS.commitmentReschedule, 'Reschedule…', v),
          snooze,
        ];
  return { type: 'actions', block_id: `commitment:${v}`, elements } as KnownBlock;
}

/** The announcement of a commitment, with its buttons while open; `note` says what last happened. */
export function commitmentMessage(c: CommitmentFull, now: Date, note?: Mrkdwn): Message {
  const who = whoOwes(c);
  const blocks: KnownBlock[] = [section(commitmentLine(c, now))];
  if (c.notes) blocks.push(context(c.notes));
  blocks.push(context(note ?? md`Recorded by ${mention(c.createdBy.slackUserId)} with Kept`));
  if (c.status === 'open') blocks.push(commitmentActions(c));
  return message(`${reference(c)}: ${who.plain}: “${c.title}” by ${plainDate(c.dueAt, c.dueTimeZone)}`, blocks);
}

/** The announcement after it was delivered: no buttons, who and when. */
export function commitmentDoneMessage(c: CommitmentFull, by: string, at: Date): Message {
  const onTime = c.completedAt && c.completedAt <= c.originalDueAt ? 'on time' : 'late';
  const verb = c.direction === 'ours' ? 'Done' : 'Received';
  return message(`${reference(c)} ${verb.toLowerCase()}: “${c.title}”`, [
    section(md`:white_check_mark: ~${reference(c)} · ${whoOwes(c).rich}: ${c.title}~`),
    context(md`${verb} by ${mention(by)} ${slackDate(at, c.dueTimeZone)} · ${onTime}${sourceLink(c)}`),
  ]);
}

export function alreadyChanged(c: CommitmentFull, last: LastChange | null): Mrkdwn {
  const state = c.status === 'done' ? 'marked done' : c.status === 'dropped' ? 'dropped' : `is ${c.status}`;
  const who = last?.actorSlackId ? md` by ${mention(last.actorSlackId)}` : '';
  const when = last ? md` ${slackDate(last.at, c.dueTimeZone)}` : '';
  return md`${reference(c)} was already ${state}${who}${when}. Nothing changed.`;
}

/** An ephemeral list; never over Slack's block limit, and says how many were left out. */
export function commitmentList(title: string, items: CommitmentFull[], total: number, now: Date, emptyHint: string): Message {
  if (items.length === 0) return message(`${title}: nothing open.`, [section(md`*${title}*\nNothing open. ${emptyHint}`)]);
  const room = LIMITS.messageBlocks - 3;
  const shown = items.slice(0, room);
  const blocks: KnownBlock[] = [section(md`*${title}* (${total} open)`), ...shown.map((c) => section(commitmentLine(c, now)))];
  if (total > shown.length) blocks.push(context(`and ${total - shown.length} more, due later. Narrow the list with \`/commit list <account>\` or \`/commit list @person\`.`));
  const text = `${title}: ${shown.map((c) => `${reference(c)} ${c.title}`).join('; ')}`;
  return message(text, blocks);
}
