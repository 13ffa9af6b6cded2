// Block Kit for touches: the channel confirmation, the /touch modal, and the account timeline.
import type { KnownBlock, View } from '@slack/types';
import { DateTime } from 'luxon';
import { z } from 'zod';
import type { Contact, Sentiment, TouchKind } from '../../generated/prisma/client.js';
import { type CadenceStatus } from '../services/cadence.js';
import { TOUCH_SUMMARY_MAX, validateTouch, type TimelineEntry, type TouchFull } from '../services/touches.js';
import { ACTIONS, TOUCH_BLOCKS as B, VIEWS } from './ids.js';
import { LIMITS, type Message, type Mrkdwn, context, joinMd, md, mention, message, modal, section, slackDate, slackDay, truncate } from './format.js';
import { addContactButton } from './contact-modal.js';
import type { StateValues } from './format.js';
import { isKeptId, isSlackUserId, keptId, slackChannelId, timeZone } from './slack-values.js';

export const KIND_LABEL: Record<TouchKind, string> = {
  call: 'Call',
  meeting: 'Meeting',
  email: 'Email',
  review: 'Review / QBR',
  visit: 'Visit',
  chat: 'Chat',
  note: 'Note',
};
const KIND_EMOJI: Record<TouchKind, string> = {
  call: ':telephone_receiver:',
  meeting: ':handshake:',
  email: ':email:',
  review: ':bar_chart:',
  visit: ':office:',
  chat: ':speech_balloon:',
  note: ':memo:',
};
export const SENTIMENT_LABEL: Record<Sentiment, string> = {
  positive: ':large_green_circle: positive',
  neutral: ':white_circle: neutral',
  negative: ':red_circle: negative',
};
export const STATUS_LABEL: Record<CadenceStatus, string> = {
  on_track: ':large_green_circle: on track',
  due_soon: ':large_yellow_circle: due soon',
  overdue: ':red_circle: overdue',
  dark: ':black_circle: dark',
};

/**
 * " with Dana Smith, <@U1>": contacts and typed names as text; a participant stored as <@U…> is a
 * colleague Kept took from a user picker or a parsed mention (typed names cannot contain < or >).
 */
function who(participants: string[], contacts: string[]): Mrkdwn | '' {
  const colleague = (p: string) => /^<@([UW][A-Z0-9_]+)>$/.exec(p)?.[1];
  const names = [...contacts, ...participants.map((p) => (colleague(p) ? mention(colleague(p)!) : p))];
  return names.length ? md` with ${joinMd(names, ', ')}` : '';
}

/** At most this many "Add … as a key contact" buttons under a confirmation. */
export const ADD_CONTACT_BUTTONS_MAX = 5;

/**
 * Posted in the channel after a touch is logged. Each person named who is not a key contact yet
 * (a typed name, not a colleague) gets a button that adds them, so a quick add stays one line.
 */
export function touchConfirmation(t: TouchFull, account: { name: string; cadenceDueAt: Date | null; owner?: { timeZone: string } | null }, zone: string): Message {
  const contacts = t.contacts.map((c) => c.contact.name);
  const head = md`${KIND_EMOJI[t.kind]} *${KIND_LABEL[t.kind]}*${who(t.participants, contacts)} · *${account.name}*`;
  const next =
    t.kind === 'note' ? 'A note: kept in the timeline, the cadence clock is unchanged.' : account.cadenceDueAt ? md`Next touch due ${slackDay(account.cadenceDueAt, account.owner?.timeZone ?? zone)}` : '';
  const blocks: KnownBlock[] = [
    section(md`${head}\n>${joinMd(t.summary.split('\n'), md`\n>`)}`),
    context(md`${SENTIMENT_LABEL[t.sentiment]} · ${slackDate(t.occurredAt, zone)} · logged by ${mention(t.loggedBy.slackUserId)}${next ? md` · ${next}` : ''}`),
  ];
  const named = t.participants.filter((p) => !/^<@[UW][A-Z0-9_]+>$/.test(p)).slice(0, ADD_CONTACT_BUTTONS_MAX);
  if (named.length) blocks.push({ type: 'actions', block_id: 'touch_contacts', elements: named.map((n) => addContactButton(t.id, n)) });
  return message(`${KIND_LABEL[t.kind]} with ${account.name}: ${t.summary}`, blocks);
}

// ---- modal ---------------------------------------------------------------------------------

export const touchModalMeta = z.object({ channelId: slackChannelId.nullable(), timeZone, accountId: keptId.nullable() });
export type TouchModalMeta = z.infer<typeof touchModalMeta>;

export interface TouchPrefill {
  account?: { id: string; name: string };
  kind?: TouchKind;
  /** YYYY-MM-DD and HH:mm in the user's zone. */
  date?: string;
  time?: string;
  /** The account's contacts to choose from, and those already chosen. */
  contacts?: Contact[];
  contactIds?: string[];
  /** Names that are not contacts yet: offered for creation. */
  unknownNames?: string[];
  colleagues?: string[];
  summary?: string;
  sentiment?: Sentiment;
  problems?: string[];
}

const plain = (text: string) => ({ type: 'plain_text' as const, text: truncate(text, LIMITS.optionText) });
const KINDS = Object.keys(KIND_LABEL) as TouchKind[];
const SENTIMENTS: Sentiment[] = ['positive', 'neutral', 'negative'];

export function touchModal(p: TouchPrefill, meta: TouchModalMeta): View {
  const blocks: KnownBlock[] = [];
  if (p.problems?.length) blocks.push(context(joinMd(p.problems.map((x) => md`:information_source: ${x}`), '\n')));
  const kindOption = (k: TouchKind) => ({ text: plain(KIND_LABEL[k]), value: k });
  const sentimentOption = (s: Sentiment) => ({ text: plain(s[0]!.toUpperCase() + s.slice(1)), value: s });
  blocks.push(
    {
      type: 'input',
      block_id: B.account,
      label: plain('Account'),
      element: {
        type: 'external_select',
        action_id: ACTIONS.accountSelect,
        min_query_length: 0,
        placeholder: plain('Search accounts'),
        ...(p.account ? { initial_option: { text: plain(p.account.name), value: p.account.id } } : {}),
      },
    },
    {
      type: 'input',
      block_id: B.kind,
      label: plain('Kind'),
      hint: plain('A note is kept in the timeline but does not count as a touch.'),
      element: { type: 'static_select', action_id: 'value', options: KINDS.map(kindOption), ...(p.kind ? { initial_option: kindOption(p.kind) } : {}) },
    },
    {
      type: 'input',
      block_id: B.date,
      label: plain('When'),
      element: { type: 'datepicker', action_id: 'value', ...(p.date ? { initial_date: p.date } : {}) },
    },
    {
      type: 'input',
      block_id: B.time,
      optional: true,
      label: plain(`Time (${meta.timeZone})`),
      element: { type: 'timepicker', action_id: 'value', ...(p.time ? { initial_time: p.time } : {}) },
    },
  );
  const contacts = (p.contacts ?? []).slice(0, 100);
  if (contacts.length) {
    const option = (c: Contact) => ({ text: plain(c.title ? `${c.name} (${c.title})` : c.name), value: c.id });
    const chosen = contacts.filter((c) => p.contactIds?.includes(c.id));
    blocks.push({
      type: 'input',
      block_id: B.contacts,
      optional: true,
      label: plain('Key contacts who took part'),
      element: { type: 'multi_static_select', action_id: 'value', options: contacts.map(option), ...(chosen.length ? { initial_options: chosen.map(option) } : {}) },
    });
  }
  blocks.push(
    {
      type: 'input',
      block_id: B.others,
      optional: true,
      label: plain('Others who took part'),
      hint: plain('Names, separated by commas. Names that match a key contact are linked to it.'),
      element: { type: 'plain_text_input', action_id: 'value', max_length: 1000, ...(p.unknownNames?.length ? { initial_value: p.unknownNames.join(', ') } : {}) },
    },
  );
  if (p.unknownNames?.length) {
    const options = p.unknownNames.slice(0, 10).map((n) => ({ text: plain(n), value: n.slice(0, 75) }));
    blocks.push({
      type: 'input',
      block_id: B.newContacts,
      optional: true,
      label: plain(`Add as key contacts of ${p.account?.name ?? 'the account'}`),
      element: { type: 'checkboxes', action_id: 'value', options },
    });
  }
  blocks.push(
    {
      type: 'input',
      block_id: B.colleagues,
      optional: true,
      label: plain('Colleagues who took part'),
      element: { type: 'multi_users_select', action_id: 'value', ...(p.colleagues?.length ? { initial_users: p.colleagues } : {}) },
    },
    {
      type: 'input',
      block_id: B.summary,
      label: plain('Summary'),
      element: { type: 'plain_text_input', action_id: 'value', multiline: true, max_length: TOUCH_SUMMARY_MAX, ...(p.summary ? { initial_value: p.summary.slice(0, TOUCH_SUMMARY_MAX) } : {}) },
    },
    {
      type: 'input',
      block_id: B.sentiment,
      label: plain('How did it go?'),
      element: { type: 'radio_buttons', action_id: 'value', options: SENTIMENTS.map(sentimentOption), initial_option: sentimentOption(p.sentiment ?? 'neutral') },
    },
  );
  return modal(VIEWS.touchModal, 'Log a touch', meta, blocks);
}


export interface TouchModalInput {
  accountId: string;
  kind: TouchKind;
  occurredAt: Date;
  contactIds: string[];
  others: string[];
  newContactNames: string[];
  colleagues: string[];
  summary: string;
  sentiment: Sentiment;
}

export function readTouchModal(values: StateValues, meta: TouchModalMeta, now: Date): { ok: true; input: TouchModalInput } | { ok: false; errors: Record<string, string> } {
  const field = (block: string) => values[block]?.[block === B.account ? ACTIONS.accountSelect : 'value'];
  const errors: Record<string, string> = {};
  const picked = field(B.account)?.selected_option?.value ?? '';
  const accountId = isKeptId(picked) ? picked : '';
  if (!accountId) errors[B.account] = 'Pick the account.';
  const kind = field(B.kind)?.selected_option?.value as TouchKind | undefined;
  if (!kind || !KINDS.includes(kind)) errors[B.kind] = 'Pick what kind of touch it was.';
  const date = field(B.date)?.selected_date;
  const pickedTime = field(B.time)?.selected_time;
  const today = DateTime.fromJSDate(now, { zone: meta.timeZone });
  // No time given: now if it was today, else noon of that day.
  const at = date
    ? date === today.toISODate() && !pickedTime
      ? now
      : DateTime.fromISO(`${date}T${pickedTime || '12:00'}`, { zone: meta.timeZone }).toJSDate()
    : new Date(NaN);
  if (!date) errors[B.date] = 'Pick the day it happened.';
  const others = (field(B.others)?.value ?? '').split(/\s*(?:,|;|\band\b|&)\s*/).map((s) => s.trim()).filter(Boolean);
  const summary = field(B.summary)?.value?.trim() ?? '';
  const problems = validateTouch({ summary, occurredAt: at, participants: others }, now);
  if (problems.summary) errors[B.summary] = problems.summary;
  if (date && problems.when) errors[pickedTime && date === today.toISODate() ? B.time : B.date] = problems.when;
  if (problems.participants) errors[B.others] = problems.participants;
  if (others.some((o) => o.length > 80)) errors[B.others] = 'Each name can be at most 80 characters.';
  // Typed text never becomes a mention or a link: colleagues are picked below, not typed as <@U…>.
  if (others.some((o) => /[<>]/.test(o))) errors[B.others] = 'Write names as plain text (no < or >); pick colleagues under “Colleagues who took part”.';
  const colleagues = field(B.colleagues)?.selected_users ?? [];
  if (!colleagues.every(isSlackUserId)) errors[B.colleagues] = 'Pick colleagues from the list (people, not channels or groups).';
  if (Object.keys(errors).length) return { ok: false, errors };
  return {
    ok: true,
    input: {
      accountId,
      kind: kind!,
      occurredAt: at,
      contactIds: (field(B.contacts)?.selected_options ?? []).map((o) => o.value).filter(isKeptId),
      others,
      newContactNames: (field(B.newContacts)?.selected_options ?? []).map((o) => o.value),
      colleagues,
      summary,
      sentiment: (field(B.sentiment)?.selected_option?.value as Sentiment | undefined) ?? 'neutral',
    },
  };
}

// ---- timeline ------------------------------------------------------------------------------

const EVENT_LABEL: Record<string, string> = {
  created: 'committed',
  due_changed: 'rescheduled',
  reassigned: 'reassigned',
  done: 'delivered',
  reopened: 'reopened',
  dropped: 'dropped',
};

function timelineLine(e: TimelineEntry, zone: string): Mrkdwn {
  const when = slackDate(e.at, zone);
  if (e.type === 'touch') {
    const by = e.actorSlackId ? md` · ${mention(e.actorSlackId)}` : '';
    return md`${KIND_EMOJI[e.kind]} *${KIND_LABEL[e.kind]}*${who(e.participants, e.contacts)} · ${when}${by}\n${truncate(e.summary, 500)}${e.sentiment === 'neutral' ? '' : `  ${SENTIMENT_LABEL[e.sentiment].split(' ')[0]}`}`;
  }
  const by = e.actorSlackId ? md` by ${mention(e.actorSlackId)}` : '';
  const whose = e.direction === 'theirs' ? ' (customer owes)' : '';
  const reason = e.reason ? `: ${truncate(e.reason, 300)}` : '';
  return md`:pushpin: *C-${e.number}* ${EVENT_LABEL[e.event] ?? e.event}${by} · ${when}\n${truncate(e.title, 200)}${whose}${reason}`;
}

export const TIMELINE_PAGE = 15;

export function timelineMessage(account: { id: string; name: string }, entries: TimelineEntry[], next: { at: Date; id: string } | null, zone: string, page: number): Message {
  const blocks: KnownBlock[] = [section(md`*Timeline: ${account.name}*${page > 1 ? ` (page ${page})` : ''}`)];
  if (entries.length === 0) blocks.push(section(page > 1 ? 'Nothing older.' : 'Nothing yet. Log a touch with `/touch`.'));
  for (const e of entries) blocks.push(section(timelineLine(e, zone)));
  if (next) {
    blocks.push({
      type: 'actions',
      elements: [
        {
          type: 'button',
          action_id: ACTIONS.timelineOlder,
          text: { type: 'plain_text', text: 'Older' },
          value: JSON.stringify({ accountId: account.id, at: next.at.toISOString(), id: next.id, page: page + 1 }),
        },
      ],
    });
  }
  return message(`Timeline for ${account.name}`, blocks);
}
