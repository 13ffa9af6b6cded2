// The weekly account review as Slack messages. A long review continues in thread replies:
// every message stays within 50 blocks and Slack's payload size, and nothing is left out.
import type { KnownBlock } from '@slack/types';
import { DateTime } from 'luxon';
import { ROLE_LABEL } from '../services/contacts.js';
import type { AccountReview, Digest, DigestItem } from '../services/digest.js';
import { formatRate } from '../services/reliability.js';
import { commitmentActions } from './commitment.js';
import { LIMITS, type Message, context, esc, mention, section, slackDate, truncate } from './format.js';
import { STATUS_LABEL } from './touch.js';

/** Room kept under Slack's ~13,000-character payload limit. */
const MAX_PAYLOAD = 11_000;

function itemLine(i: DigestItem): string {
  const who = i.direction === 'ours' ? `${mention(i.ownerSlackId)} owes` : `customer owes (${mention(i.ownerSlackId)} follows up)`;
  return `*C-${i.number}* ${esc(i.title)} · ${who} · due ${slackDate(i.dueAt, i.dueTimeZone)}`;
}

/** Splits lines into sections of at most 3,000 characters. */
function sections(lines: string[]): KnownBlock[] {
  const out: KnownBlock[] = [];
  let current = '';
  for (const line of lines.map((l) => truncate(l, LIMITS.sectionText - 100))) {
    if (current && current.length + line.length + 1 > LIMITS.sectionText - 100) {
      out.push(section(current));
      current = '';
    }
    current = current ? `${current}\n${line}` : line;
  }
  if (current) out.push(section(current));
  return out;
}

function accountUnits(r: AccountReview, zone: string): KnownBlock[][] {
  const lines = [
    `*${esc(r.name)}* · ${r.tier} · ${r.ownerSlackId ? mention(r.ownerSlackId) : 'no owner'} · ${STATUS_LABEL[r.status]}`,
    `Touches this week: ${r.touchesThisWeek} (cadence every ${r.intervalDays} days; next due ${r.nextDueAt ? slackDate(r.nextDueAt, zone) : '—'})`,
    `Delivered this week: ${r.delivered.thisWeek}${r.delivered.thisWeek ? ` (${r.delivered.onTimeThisWeek} on time)` : ''} · on time 4 weeks ${formatRate(r.onTime4)}, 12 weeks ${formatRate(r.onTime12)}`,
  ];
  if (r.dueNext7.length) lines.push(`*Due in the next 7 days*`, ...r.dueNext7.map((i) => `• ${itemLine(i)}`));
  if (r.renegotiated.length) {
    lines.push('*Renegotiated this week*', ...r.renegotiated.map((x) => `• *C-${x.number}* ${esc(x.title)}${x.from && x.to ? `: ${slackDate(x.from, zone)} → ${slackDate(x.to, zone)}` : ''}${x.reason ? ` · _${esc(x.reason)}_` : ''}`));
  }
  if (r.negativeTouches.length) {
    lines.push(':red_circle: *Went badly*', ...r.negativeTouches.map((t) => `• ${t.kind} ${slackDate(t.at, zone)} (${mention(t.loggedBySlackId)}): ${esc(truncate(t.summary, 300))}`));
  }
  if (r.renewalInDays !== null) lines.push(`:calendar: Renews in ${r.renewalInDays} days`);
  if (r.quietContacts.length) {
    lines.push(`:mute: Key contacts not touched in ${2 * r.intervalDays} days: ${r.quietContacts.map((c) => `${esc(c.name)}${c.role ? ` (${ROLE_LABEL[c.role]})` : ''}`).join(', ')}`);
  }
  // Each section is its own unit, so a very long account still splits across messages.
  const [first, ...rest] = sections(lines);
  const overdue = r.overdue.map((i): KnownBlock[] => [section(`:warning: Overdue: ${itemLine(i)}`), commitmentActions({ id: i.id, direction: i.direction })]);
  return [[{ type: 'divider' }, first!], ...rest.map((b) => [b]), ...overdue];
}

export interface DigestOptions {
  title: string;
  portfolio: boolean;
  zone: string;
  /** Set when it goes out after the time it was due (workers were down). */
  lateSince?: Date;
}

/** The digest as one message and, when it is long, its thread replies. */
export function digestMessages(d: Digest, o: DigestOptions): Message[] {
  const week = DateTime.fromJSDate(d.since, { zone: o.zone }).toFormat('d LLL');
  const s = d.summary;
  const summary = o.portfolio
    ? `*${s.accounts} ${s.accounts === 1 ? 'account' : 'accounts'}:* ${s.onTrack} on track · ${s.dueSoon} due soon · ${s.overdue} overdue · ${s.dark} dark · ${s.overdueItems} overdue ${s.overdueItems === 1 ? 'item' : 'items'} · on time 4 weeks ${formatRate(s.onTime4)}, 12 weeks ${formatRate(s.onTime12)}`
    : `On time 4 weeks ${formatRate(s.onTime4)}, 12 weeks ${formatRate(s.onTime12)} · ${s.overdueItems} overdue ${s.overdueItems === 1 ? 'item' : 'items'}`;
  const header: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: truncate(`${o.title} · week of ${week}`, 150) } },
    ...(o.lateSince ? [context(`:hourglass: Late: this was due ${slackDate(o.lateSince, o.zone)}; Kept was not running then.`)] : []),
    section(summary),
  ];
  const units = [header, ...d.accounts.flatMap((r) => accountUnits(r, o.zone))];
  if (d.accounts.length === 0) units.push([section('No accounts in this review yet.')]);

  const pages: KnownBlock[][] = [];
  let page: KnownBlock[] = [];
  const size = (blocks: KnownBlock[]) => JSON.stringify(blocks).length;
  for (const unit of units) {
    const room = LIMITS.messageBlocks - 1; // one block kept for "continued" on replies
    if (page.length && (page.length + unit.length > room || size(page) + size(unit) > MAX_PAYLOAD)) {
      pages.push(page);
      page = [];
    }
    page.push(...unit);
  }
  pages.push(page);
  const plainSummary = summary.replace(/[*_]/g, '').replace(/<!date\^\d+\^[^|]+\|([^>]+)>/g, '$1').replace(/<@([A-Z0-9]+)>/g, '@$1');
  return pages.map((blocks, i) =>
    i === 0
      ? { text: truncate(`${o.title} · week of ${week}: ${plainSummary}`, LIMITS.fallbackText), blocks: pages.length > 1 ? [...blocks, context(`Continued in ${pages.length - 1} thread ${pages.length === 2 ? 'reply' : 'replies'}.`)] : blocks }
      : { text: `${o.title}, continued (${i + 1} of ${pages.length})`, blocks: [context(`${o.title}, continued (${i + 1} of ${pages.length})`), ...blocks] },
  );
}
