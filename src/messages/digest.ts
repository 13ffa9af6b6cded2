// The weekly account review as Slack messages. A long review continues in thread replies:
// every message stays within 50 blocks and Slack's payload size, and nothing is left out.
import type { KnownBlock } from '@slack/types';
import { DateTime } from 'luxon';
import { ROLE_LABEL } from '../services/contacts.js';
import type { AccountReview, Digest, DigestItem } from '../services/digest.js';
import { formatRate } from '../services/reliability.js';
import { commitmentActions, sourceLink } from './commitment.js';
import { LIMITS, type Message, type Mrkdwn, context, joinMd, md, mention, message, section, slackDate, slackDay, truncate, truncateMd } from './format.js';
import { STATUS_LABEL } from './touch.js';

/** Room kept under Slack's ~13,000-character payload limit. */
const MAX_PAYLOAD = 11_000;

function itemLine(i: DigestItem): Mrkdwn {
  const who = i.direction === 'ours' ? md`${mention(i.ownerSlackId)} owes` : md`customer owes (${mention(i.ownerSlackId)} follows up)`;
  return md`*C-${i.number}* ${i.title} · ${who} · due ${slackDate(i.dueAt, i.dueTimeZone)}${sourceLink({ sourcePermalink: i.permalink })}`;
}

/** Splits lines into sections of at most 3,000 characters. */
function sections(lines: Mrkdwn[]): KnownBlock[] {
  const out: KnownBlock[] = [];
  let current: Mrkdwn | null = null;
  for (const line of lines.map((l) => truncateMd(l, LIMITS.sectionText - 100))) {
    if (current && current.text.length + line.text.length + 1 > LIMITS.sectionText - 100) {
      out.push(section(current));
      current = null;
    }
    current = current ? md`${current}\n${line}` : line;
  }
  if (current) out.push(section(current));
  return out;
}

function accountUnits(r: AccountReview, zone: string): KnownBlock[][] {
  const lines: Mrkdwn[] = [
    md`*${r.name}* · ${r.tier} · ${r.ownerSlackId ? mention(r.ownerSlackId) : 'no owner'} · ${STATUS_LABEL[r.status]}`,
    md`Touches this week: ${r.touchesThisWeek} (cadence every ${r.intervalDays} days; next due ${r.nextDueAt ? slackDay(r.nextDueAt, zone) : '—'})`,
    md`Delivered this week: ${r.delivered.thisWeek}${r.delivered.thisWeek ? ` (${r.delivered.onTimeThisWeek} on time)` : ''} · on time 4 weeks ${formatRate(r.onTime4)}, 12 weeks ${formatRate(r.onTime12)}`,
  ];
  if (r.dueNext7.length) lines.push(md`*Due in the next 7 days*`, ...r.dueNext7.map((i) => md`• ${itemLine(i)}`));
  if (r.renegotiated.length) {
    lines.push(md`*Renegotiated this week*`, ...r.renegotiated.map((x) => md`• *C-${x.number}* ${x.title}${x.from && x.to ? md`: ${slackDate(x.from, zone)} → ${slackDate(x.to, zone)}` : ''}${x.reason ? md` · _${x.reason}_` : ''}`));
  }
  if (r.negativeTouches.length) {
    lines.push(md`:red_circle: *Went badly*`, ...r.negativeTouches.map((t) => md`• ${t.kind} ${slackDate(t.at, zone)} (${mention(t.loggedBySlackId)}): ${truncate(t.summary, 300)}`));
  }
  if (r.renewalInDays !== null) lines.push(md`:calendar: Renews in ${r.renewalInDays} days`);
  if (r.quietContacts.length) {
    lines.push(md`:mute: Key contacts not touched in ${2 * r.intervalDays} days: ${joinMd(r.quietContacts.map((c) => `${c.name}${c.role ? ` (${ROLE_LABEL[c.role]})` : ''}`), ', ')}`);
  }
  // Each section is its own unit, so a very long account still splits across messages.
  const [first, ...rest] = sections(lines);
  const overdue = r.overdue.map((i): KnownBlock[] => [section(md`:warning: Overdue: ${itemLine(i)}`), commitmentActions({ id: i.id, direction: i.direction })]);
  return [[{ type: 'divider' }, first!], ...rest.map((b) => [b]), ...overdue];
}

export interface DigestOptions {
  title: string;
  portfolio: boolean;
  zone: string;
  /** Set when it goes out after the time it was due (workers were down). */
  lateSince?: Date;
}

/**
 * The week a review covers, as its reader's calendar has it: the seven days before the day it is
 * posted (a Monday review of 7 Dec covers "30 Nov – 6 Dec"), the year shown when the week spans two.
 */
export function weekCovered(since: Date, now: Date, zone: string): string {
  const first = DateTime.fromJSDate(since, { zone });
  const last = DateTime.fromJSDate(now, { zone }).minus({ days: 1 });
  const end = last < first ? first : last;
  return first.year === end.year ? `${first.toFormat('d LLL')} – ${end.toFormat('d LLL')}` : `${first.toFormat('d LLL yyyy')} – ${end.toFormat('d LLL yyyy')}`;
}

/** The digest as one message and, when it is long, its thread replies. */
export function digestMessages(d: Digest, o: DigestOptions): Message[] {
  const week = weekCovered(d.since, d.now, o.zone);
  const s = d.summary;
  const summary = o.portfolio
    ? `*${s.accounts} ${s.accounts === 1 ? 'account' : 'accounts'}:* ${s.onTrack} on track · ${s.dueSoon} due soon · ${s.overdue} overdue · ${s.dark} dark · ${s.overdueItems} overdue ${s.overdueItems === 1 ? 'item' : 'items'} · on time 4 weeks ${formatRate(s.onTime4)}, 12 weeks ${formatRate(s.onTime12)}`
    : `On time 4 weeks ${formatRate(s.onTime4)}, 12 weeks ${formatRate(s.onTime12)} · ${s.overdueItems} overdue ${s.overdueItems === 1 ? 'item' : 'items'}`;
  const header: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: truncate(`${o.title} · ${week}`, 150) } },
    ...(o.lateSince ? [context(md`:hourglass: Late: this was due ${slackDate(o.lateSince, o.zone)}; Kept was not running then.`)] : []),
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
      ? message(`${o.title} · ${week}: ${plainSummary}`, pages.length > 1 ? [...blocks, context(`Continued in ${pages.length - 1} thread ${pages.length === 2 ? 'reply' : 'replies'}.`)] : blocks)
      : message(`${o.title}, continued (${i + 1} of ${pages.length})`, [context(`${o.title}, continued (${i + 1} of ${pages.length})`), ...blocks]),
  );
}
