// The /commit modal: built prefilled with whatever the quick-add understood, and read back
// into a plain input with per-field errors (response_action: errors).
import type { KnownBlock, View } from '@slack/types';
import { DateTime } from 'luxon';
import { z } from 'zod';
import { ACCOUNT_NAME_MAX } from '../services/accounts.js';
import { COMMITMENT_LIMITS, validateCommitment } from '../services/commitments.js';
import { COMMIT_BLOCKS as B, ACTIONS, VIEWS } from './ids.js';
import { LIMITS, context, joinMd, md, modal, truncate } from './format.js';
import type { StateValues } from './format.js';
import { isKeptId, isSlackUserId, slackChannelId, timeZone } from './slack-values.js';

export interface CommitPrefill {
  account?: { id: string; name: string };
  newAccountName?: string;
  title?: string;
  ownerSlackId?: string;
  /** YYYY-MM-DD and HH:mm in the user's zone. */
  dueDate?: string;
  dueTime?: string;
  direction?: 'ours' | 'theirs';
  notes?: string;
  /** Why the modal opened instead of saving straight away. */
  problems?: string[];
}

export const commitModalMeta = z.object({ channelId: slackChannelId.nullable(), timeZone });
export type CommitModalMeta = z.infer<typeof commitModalMeta>;

const plain = (text: string) => ({ type: 'plain_text' as const, text });
const DIRECTIONS = { ours: 'We owe the customer', theirs: 'The customer owes us' } as const;

export function commitModal(p: CommitPrefill, meta: CommitModalMeta): View {
  const blocks: KnownBlock[] = [];
  if (p.problems?.length) blocks.push(context(joinMd(p.problems.map((x) => md`:information_source: ${x}`), '\n')));
  blocks.push(
    {
      type: 'input',
      block_id: B.account,
      optional: true,
      label: plain('Account'),
      element: {
        type: 'external_select',
        action_id: ACTIONS.accountSelect,
        placeholder: plain('Search accounts'),
        min_query_length: 0,
        ...(p.account ? { initial_option: { text: plain(truncate(p.account.name, LIMITS.optionText)), value: p.account.id } } : {}),
      },
    },
    {
      type: 'input',
      block_id: B.newAccount,
      optional: true,
      label: plain('…or a new account'),
      hint: plain('Type a name here to create the account.'),
      element: {
        type: 'plain_text_input',
        action_id: 'value',
        max_length: ACCOUNT_NAME_MAX,
        ...(p.newAccountName ? { initial_value: p.newAccountName.slice(0, ACCOUNT_NAME_MAX) } : {}),
      },
    },
    {
      type: 'input',
      block_id: B.title,
      label: plain('What is owed'),
      element: {
        type: 'plain_text_input',
        action_id: 'value',
        max_length: COMMITMENT_LIMITS.title,
        placeholder: plain('Send revised pricing'),
        ...(p.title ? { initial_value: p.title.slice(0, COMMITMENT_LIMITS.title) } : {}),
      },
    },
    {
      type: 'input',
      block_id: B.direction,
      label: plain('Who owes it'),
      element: {
        type: 'radio_buttons',
        action_id: 'value',
        options: (['ours', 'theirs'] as const).map((d) => ({ text: plain(DIRECTIONS[d]), value: d })),
        initial_option: { text: plain(DIRECTIONS[p.direction ?? 'ours']), value: p.direction ?? 'ours' },
      },
    },
    {
      type: 'input',
      block_id: B.owner,
      label: plain('Owner (delivers it, or follows up with the customer)'),
      element: { type: 'users_select', action_id: 'value', ...(p.ownerSlackId ? { initial_user: p.ownerSlackId } : {}) },
    },
    {
      type: 'input',
      block_id: B.dueDate,
      label: plain('Due date'),
      element: { type: 'datepicker', action_id: 'value', ...(p.dueDate ? { initial_date: p.dueDate } : {}) },
    },
    {
      type: 'input',
      block_id: B.dueTime,
      optional: true,
      label: plain(`Due time (${meta.timeZone})`),
      hint: plain('Leave empty for the end of the working day (18:00).'),
      element: { type: 'timepicker', action_id: 'value', ...(p.dueTime ? { initial_time: p.dueTime } : {}) },
    },
    {
      type: 'input',
      block_id: B.notes,
      optional: true,
      label: plain('Notes'),
      element: {
        type: 'plain_text_input',
        action_id: 'value',
        multiline: true,
        max_length: COMMITMENT_LIMITS.notes,
        ...(p.notes ? { initial_value: p.notes.slice(0, COMMITMENT_LIMITS.notes) } : {}),
      },
    },
  );
  return modal(VIEWS.commitModal, 'New commitment', meta, blocks);
}


export interface CommitModalInput {
  accountId: string | null;
  newAccountName: string | null;
  title: string;
  ownerSlackId: string;
  direction: 'ours' | 'theirs';
  dueAt: Date;
  notes: string | null;
}

export type CommitModalResult = { ok: true; input: CommitModalInput } | { ok: false; errors: Record<string, string> };

/** Reads and checks the submitted modal without touching the database, so it can answer inside Slack's 3 s. */
export function readCommitModal(values: StateValues, meta: CommitModalMeta, now: Date): CommitModalResult {
  const field = (block: string) => values[block]?.[block === B.account ? ACTIONS.accountSelect : 'value'];
  const errors: Record<string, string> = {};

  const picked = field(B.account)?.selected_option?.value ?? null;
  // An option value is an account id Kept listed; anything else is treated as no choice.
  const accountId = picked !== null && isKeptId(picked) ? picked : null;
  const newAccountName = field(B.newAccount)?.value?.trim() || null;
  if (!accountId && !newAccountName) errors[B.account] = 'Pick an account, or type a new account name below.';
  if (accountId && newAccountName) errors[B.newAccount] = 'Pick an existing account or type a new one, not both.';
  if (newAccountName && /[<>]/.test(newAccountName)) errors[B.newAccount] = 'An account name cannot contain a mention or a link.';

  const title = field(B.title)?.value?.trim() ?? '';
  const notes = field(B.notes)?.value?.trim() || null;
  const ownerSlackId = field(B.owner)?.selected_user ?? '';
  if (!ownerSlackId) errors[B.owner] = 'Choose who owns this.';
  else if (!isSlackUserId(ownerSlackId)) errors[B.owner] = 'Choose a person from the list as the owner (not a channel or a group).';
  const direction = field(B.direction)?.selected_option?.value === 'theirs' ? 'theirs' : 'ours';

  const date = field(B.dueDate)?.selected_date;
  const pickedTime = field(B.dueTime)?.selected_time;
  const time = pickedTime || '18:00';
  const due = date ? DateTime.fromISO(`${date}T${time}`, { zone: meta.timeZone }) : null;
  const dueAt = due?.isValid ? due.toJSDate() : new Date(NaN);
  if (!date) errors[B.dueDate] = 'Pick the date it is due.';

  const problems = validateCommitment({ title, notes, dueAt }, now);
  if (problems.title) errors[B.title] = problems.title;
  if (problems.notes) errors[B.notes] = problems.notes;
  if (date && problems.due) {
    // A past day is the date's fault; a past hour today is the time's.
    const today = DateTime.fromJSDate(now, { zone: meta.timeZone }).toISODate() ?? '';
    errors[pickedTime && date >= today ? B.dueTime : B.dueDate] = problems.due;
  }

  if (Object.keys(errors).length) return { ok: false, errors };
  return { ok: true, input: { accountId, newAccountName, title, ownerSlackId, direction, dueAt, notes } };
}
