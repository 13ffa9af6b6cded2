// Block Kit for what the workers send: nudges, early warnings, and a person's combined due-soon DM.
import type { KnownBlock } from '@slack/types';
import type { PromptPayload } from '../services/prompts.js';
import { ACTIONS } from './ids.js';
import { commitmentActions, sourceLink } from './commitment.js';
import { LIMITS, type Message, context, md, mention, message, section, slackDate, slackDay } from './format.js';
import { button } from './format.js';

type Of<K extends PromptPayload['kind']> = PromptPayload & { kind: K };
type CommitmentPayload = Of<'commitment_due_soon' | 'commitment_overdue' | 'customer_follow_up'>;

const when = (iso: string, zone = 'UTC') => slackDate(new Date(iso), zone);
const ago = (iso: string | null) => (iso ? md`last touch ${when(iso)}` : 'no touch logged yet');
const owner = (p: { ownerSlackId: string | null }) => (p.ownerSlackId ? mention(p.ownerSlackId) : 'the account owner');

function dueSoonItem(p: Of<'cadence_due_soon'> | Of<'commitment_due_soon'>): KnownBlock[] {
  if (p.kind === 'cadence_due_soon') {
    return [
      section(md`:alarm_clock: *${p.accountName}*: a touch is due ${slackDay(new Date(p.dueAt), p.dueZone)} (every ${p.intervalDays} days; ${ago(p.lastTouchAt)}).`),
      { type: 'actions', block_id: `cadence:${p.accountId}`, elements: [button(ACTIONS.logTouch, 'Log a touch', p.accountId, 'primary'), button(ACTIONS.snoozeCadence, 'Snooze 2 days', p.accountId)] },
    ];
  }
  return [
    section(md`:hourglass_flowing_sand: *C-${p.number}* for *${p.accountName}*: ${p.title}\nDue ${when(p.dueAt, p.dueTimeZone)}${sourceLink({ sourcePermalink: p.permalink })}`),
    {
      type: 'actions',
      block_id: `commitment:${p.commitmentId}`,
      elements: [
        button(ACTIONS.commitmentDone, 'Done', p.commitmentId, 'primary'),
        button(ACTIONS.commitmentOnTrack, 'On track', p.commitmentId),
        button(ACTIONS.commitmentMoreTime, 'Need more time…', p.commitmentId),
      ],
    },
  ];
}

/** One person's combined due-soon DM; long lists end with where to see the rest. */
export function dueSoonDigest(items: Array<Of<'cadence_due_soon'> | Of<'commitment_due_soon'>>): Message {
  const perItem = 2;
  const room = Math.floor((LIMITS.messageBlocks - 2) / perItem);
  const shown = items.slice(0, room);
  const blocks: KnownBlock[] = [section(`*Coming up* · ${items.length === 1 ? 'one thing needs' : `${items.length} things need`} you soon`), ...shown.flatMap(dueSoonItem)];
  if (items.length > shown.length) blocks.push(context(`and ${items.length - shown.length} more: \`/commit list mine\` shows every commitment.`));
  const text = items.map((p) => (p.kind === 'cadence_due_soon' ? `${p.accountName}: touch due` : `C-${p.number} ${p.title}`)).join('; ');
  return message(`Coming up: ${text}`, blocks);
}

/** A delivery's message: a person's combined due-soon DM, or one prompt. */
export function deliveryMessage(kind: string, items: PromptPayload[]): Message {
  return kind === 'due_soon_dm' ? dueSoonDigest(items as Array<Of<'cadence_due_soon'> | Of<'commitment_due_soon'>>) : promptMessage(items[0]!);
}

export function promptMessage(p: PromptPayload): Message {
  switch (p.kind) {
    case 'cadence_due_soon':
    case 'commitment_due_soon':
      return dueSoonDigest([p as Of<'cadence_due_soon'> | Of<'commitment_due_soon'>]);
    case 'cadence_overdue':
      return message(`${p.accountName}: contact cadence missed`, [
        section(md`:red_circle: *${p.accountName}* is overdue for a touch: due ${slackDay(new Date(p.dueAt), p.dueZone)} (every ${p.intervalDays} days; ${ago(p.lastTouchAt)}). ${owner(p)}, time to get in touch.`),
        { type: 'actions', block_id: `cadence:${p.accountId}`, elements: [button(ACTIONS.logTouch, 'Log a touch', p.accountId, 'primary')] },
      ]);
    case 'going_dark':
      return message(`Early warning: ${p.accountName} has gone dark`, [
        section(md`:black_circle: *Early warning: ${p.accountName} has gone dark.* No counted touch for twice the agreed ${p.intervalDays}-day cadence (${ago(p.lastTouchAt)}). ${owner(p)}`),
        { type: 'actions', block_id: `cadence:${p.accountId}`, elements: [button(ACTIONS.logTouch, 'Log a touch', p.accountId, 'primary')] },
      ]);
    case 'commitment_overdue':
    case 'customer_follow_up':
      return commitmentPrompt(p);
    case 'negative_touch':
      return message(`Early warning: a ${p.touchKind} with ${p.accountName} went badly`, [
        section(md`:red_circle: *Early warning: ${p.accountName}.* A ${p.touchKind} logged by ${mention(p.loggedBySlackId)} ${when(p.occurredAt)} went badly:\n>${p.summary}`),
        context(md`${owner(p)}: worth a plan before it grows. \`/touch list ${p.accountName}\` shows the timeline.`),
      ]);
    case 'renewal':
      return message(`${p.accountName} renews in ${p.daysBefore} days and contact is thin`, [
        section(md`:calendar: *${p.accountName} renews in ${p.daysBefore} days* (${p.renewalDate}) and there has been no touch within its ${p.intervalDays}-day cadence (${ago(p.lastTouchAt)}). ${owner(p)}`),
        { type: 'actions', block_id: `cadence:${p.accountId}`, elements: [button(ACTIONS.logTouch, 'Log a touch', p.accountId, 'primary')] },
      ]);
  }
}

function commitmentPrompt(p: CommitmentPayload): Message {
  if (p.kind === 'customer_follow_up') {
    return message(`Follow up: ${p.accountName} owes C-${p.number} ${p.title}`, [
      section(
        md`:mailbox_with_no_mail: *${p.accountName}* still owes *C-${p.number}*: ${p.title} (due ${when(p.dueAt, p.dueTimeZone)})${sourceLink({ sourcePermalink: p.permalink })}.\nWorth a friendly nudge to the customer (follow-up ${p.followUp} of 3).`,
      ),
      commitmentActions({ id: p.commitmentId, direction: p.direction }),
    ]);
  }
  return message(`Overdue: C-${p.number} ${p.title} (${p.accountName})`, [
    section(md`:warning: *Overdue: C-${p.number}* · ${owner(p)} owes *${p.accountName}*: ${p.title}\nWas due ${when(p.dueAt, p.dueTimeZone)}${sourceLink({ sourcePermalink: p.permalink })}. Deliver it, or tell the customer the new date.`),
    commitmentActions({ id: p.commitmentId, direction: p.direction }),
  ]);
}
