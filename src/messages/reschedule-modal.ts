// "Need more time…" / "Reschedule…": a new date, a reason, and whether to tell the account channel.
import type { KnownBlock, View } from '@slack/types';
import { DateTime } from 'luxon';
import { COMMITMENT_LIMITS, reference, type CommitmentFull } from '../services/commitments.js';
import { VIEWS } from './ids.js';
import { context, md, modal, slackDate } from './format.js';
import type { StateValues } from './format.js';

export { actionMeta as rescheduleMeta, type ActionMeta as RescheduleMeta } from './commitment-modals.js';
import type { ActionMeta as RescheduleMeta } from './commitment-modals.js';

const B = { date: 'new_date', time: 'new_time', reason: 'reason', announce: 'announce' } as const;
const plain = (text: string) => ({ type: 'plain_text' as const, text });

export function rescheduleModal(c: CommitmentFull, meta: RescheduleMeta, title = 'Need more time'): View {
  const due = DateTime.fromJSDate(c.dueAt, { zone: meta.timeZone });
  const announceOption = { text: plain('Post an update to the account channel'), value: 'yes' };
  const blocks: KnownBlock[] = [
    context(md`*${reference(c)}* · ${c.title} · due ${slackDate(c.dueAt, c.dueTimeZone)} (originally ${slackDate(c.originalDueAt, c.dueTimeZone)})`),
    { type: 'input', block_id: B.date, label: plain('New due date'), element: { type: 'datepicker', action_id: 'value', initial_date: due.toISODate()! } },
    { type: 'input', block_id: B.time, optional: true, label: plain(`Time (${meta.timeZone})`), element: { type: 'timepicker', action_id: 'value', initial_time: due.toFormat('HH:mm') } },
    {
      type: 'input',
      block_id: B.reason,
      label: plain('Why does the date move?'),
      hint: plain('Kept keeps it in the history; the customer should hear it early.'),
      element: { type: 'plain_text_input', action_id: 'value', multiline: true, max_length: COMMITMENT_LIMITS.notes },
    },
    { type: 'input', block_id: B.announce, optional: true, label: plain('Announce'), element: { type: 'checkboxes', action_id: 'value', options: [announceOption], initial_options: [announceOption] } },
  ];
  return modal(VIEWS.moreTimeModal, title, meta, blocks);
}


export function readRescheduleModal(values: StateValues, meta: RescheduleMeta, now: Date): { ok: true; dueAt: Date; reason: string; announce: boolean } | { ok: false; errors: Record<string, string> } {
  const v = (b: string) => values[b]?.value;
  const date = v(B.date)?.selected_date;
  const time = v(B.time)?.selected_time || '18:00';
  const reason = v(B.reason)?.value?.trim() ?? '';
  const errors: Record<string, string> = {};
  const dueAt = date ? DateTime.fromISO(`${date}T${time}`, { zone: meta.timeZone }).toJSDate() : null;
  if (!dueAt) errors[B.date] = 'Pick the new date.';
  else if (dueAt <= now) errors[date! < DateTime.fromJSDate(now, { zone: meta.timeZone }).toISODate()! ? B.date : B.time] = 'That is in the past; pick a time from now on.';
  if (!reason) errors[B.reason] = 'Say why, in a sentence: it goes into the history.';
  if (Object.keys(errors).length || !dueAt) return { ok: false, errors };
  return { ok: true, dueAt, reason, announce: (v(B.announce)?.selected_options ?? []).length > 0 };
}
