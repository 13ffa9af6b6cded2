// Reading one cell: dates as spreadsheets write them, tiers, roles, directions, people and channels.
// Each reader returns the value, or a sentence that says what to write instead.
import { DateTime } from 'luxon';
import type { ContactRole, Direction, Tier } from '../../../generated/prisma/client.js';
import { CONTACT_ROLES, EMAIL_PATTERN } from '../contacts.js';
import { isValidTimeZone, WORKDAY_END } from '../time.js';

export type Read<T> = { ok: true; value: T } | { ok: false; problem: string };
const ok = <T>(value: T): Read<T> => ({ ok: true, value });
const bad = <T>(problem: string): Read<T> => ({ ok: false, problem });

// ---- dates --------------------------------------------------------------------------------------

/** Day first (31/03/2027, most of the world) or month first (03/31/2027, the US). */
export type DateOrder = 'dmy' | 'mdy';

export interface CellDate {
  year: number;
  month: number;
  day: number;
  /** When the cell also had a time of day. */
  time?: { hour: number; minute: number };
  /** When the cell was an exact instant (ISO with Z or an offset). */
  instant?: Date;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const monthOf = (word: string) => {
  const i = MONTHS.indexOf(word.slice(0, 3).toLowerCase());
  return i < 0 || (word.length > 3 && !/^(january|february|march|april|may|june|july|august|september|sept|october|november|december)$/i.test(word)) ? 0 : i + 1;
};
const fullYear = (y: string) => (y.length === 2 ? 2000 + Number(y) : Number(y));

const NUMERIC = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})$/;
const TIME = /^(\d{1,2})(?:[:.h](\d{2}))?(?::\d{2})?\s*(am|pm|a\.m\.|p\.m\.)?$/i;

/** A time of day: 17:00, 17.30, 5pm, 5:30 PM. */
export function readTime(text: string): Read<{ hour: number; minute: number }> {
  const m = TIME.exec(text.trim());
  if (!m || (!m[2] && !m[3])) return bad(`“${text}” is not a time of day; write 17:00 or 5pm.`);
  let hour = Number(m[1]);
  const minute = Number(m[2] ?? 0);
  const meridiem = m[3]?.toLowerCase().replace(/\./g, '');
  if (meridiem && (hour < 1 || hour > 12)) return bad(`“${text}” is not a time of day; write 17:00 or 5pm.`);
  if (meridiem === 'pm' && hour < 12) hour += 12;
  if (meridiem === 'am' && hour === 12) hour = 0;
  if (hour > 23 || minute > 59) return bad(`“${text}” is not a time of day; write 17:00 or 5pm.`);
  return ok({ hour, minute });
}

/**
 * Which order a column's numeric dates use: a first part above 12 means day first, a second part
 * above 12 month first; dotted dates (31.03.2027) are always day first. Undecided (every date
 * could be read both ways): day first in `;`-separated files (European spreadsheets), else month first.
 */
export function dateOrder(values: string[], delimiter: string): { order: DateOrder; decided: boolean } {
  let dayFirst = false;
  let monthFirst = false;
  for (const v of values) {
    const m = NUMERIC.exec(v.trim().split(/[\sT]+/)[0] ?? '');
    if (!m) continue;
    if (m[2] === '.' || Number(m[1]) > 12) dayFirst = true;
    else if (Number(m[3]) > 12) monthFirst = true;
  }
  if (dayFirst !== monthFirst) return { order: dayFirst ? 'dmy' : 'mdy', decided: true };
  return { order: delimiter === ';' ? 'dmy' : 'mdy', decided: false };
}

const DATE_HELP = 'write it as 2027-03-31 (or 31/03/2027, 31 Mar 2027)';

/** A date, optionally followed by a time: ISO, numeric in `order`, or with a month name. */
export function readDate(text: string, order: DateOrder): Read<CellDate> {
  const t = text.trim();
  const iso = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?)?$/i.exec(t);
  if (iso) {
    if (iso[7]) {
      const d = DateTime.fromISO(t.replace(' ', 'T'), { setZone: true });
      return d.isValid ? ok({ year: d.year, month: d.month, day: d.day, time: { hour: d.hour, minute: d.minute }, instant: d.toJSDate() }) : bad(`“${text}” is not a date; ${DATE_HELP}.`);
    }
    return checked(text, Number(iso[1]), Number(iso[2]), Number(iso[3]), iso[4] ? `${iso[4]}:${iso[5]}` : '');
  }
  // The date part, then anything after it is a time.
  const slashIso = /^(\d{4})\/(\d{1,2})\/(\d{1,2})(?:\s+(.+))?$/.exec(t);
  if (slashIso) return checked(text, Number(slashIso[1]), Number(slashIso[2]), Number(slashIso[3]), slashIso[4] ?? '');
  const numeric = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})(?:[\sT]+(.+))?$/.exec(t);
  if (numeric) {
    const [a, b] = [Number(numeric[1]), Number(numeric[3])];
    const dayFirst = numeric[2] === '.' || order === 'dmy';
    return checked(text, fullYear(numeric[4]!), dayFirst ? b : a, dayFirst ? a : b, numeric[5] ?? '');
  }
  // 31 Mar 2027, 31-Mar-2027, 31 March 2027
  const dMy = /^(\d{1,2})[\s-]+([A-Za-z]{3,9})\.?,?[\s-]+(\d{4}|\d{2})(?:,?\s+(.+))?$/.exec(t);
  if (dMy && monthOf(dMy[2]!)) return checked(text, fullYear(dMy[3]!), monthOf(dMy[2]!), Number(dMy[1]), dMy[4] ?? '');
  // Mar 31, 2027 · March 31 2027
  const Mdy = /^([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})(?:,?\s+(.+))?$/.exec(t);
  if (Mdy && monthOf(Mdy[1]!)) return checked(text, Number(Mdy[3]), monthOf(Mdy[1]!), Number(Mdy[2]), Mdy[4] ?? '');
  return bad(`“${text}” is not a date Kept can read; ${DATE_HELP}.`);
}

function checked(text: string, year: number, month: number, day: number, time: string): Read<CellDate> {
  const date = DateTime.fromObject({ year, month, day }, { zone: 'UTC' });
  if (!date.isValid || year < 1900 || year > 2200) return bad(`“${text}” is not a real date; ${DATE_HELP}.`);
  if (!time.trim()) return ok({ year, month, day });
  const t = readTime(time);
  if (!t.ok) return bad(`“${text}”: the time is not one Kept can read; write 2026-12-04 17:00.`);
  return ok({ year, month, day, time: t.value });
}

/** A calendar date (no time) as Postgres `date` wants it: midnight UTC. */
export function dateOnly(d: CellDate): Date {
  return new Date(Date.UTC(d.year, d.month - 1, d.day));
}

/**
 * A due moment as if typed: the time given, or the end of that working day (18:00), in `zone`.
 * A time in a separate column wins over none.
 */
export function dueMoment(d: CellDate, time: { hour: number; minute: number } | undefined, zone: string): Date {
  if (d.instant) return d.instant;
  const at = d.time ?? time ?? WORKDAY_END;
  return DateTime.fromObject({ year: d.year, month: d.month, day: d.day, hour: at.hour, minute: at.minute }, { zone }).toJSDate();
}

export function readZone(text: string): Read<string> {
  const t = text.trim();
  if (isValidTimeZone(t)) return ok(t);
  return bad(`“${text}” is not a time zone; use an IANA name such as Europe/Berlin or America/New_York.`);
}

// ---- words --------------------------------------------------------------------------------------

const word = (text: string) => text.trim().toLowerCase().replace(/[\s_]+/g, ' ');

const TIER_WORDS: Record<string, Tier> = {
  strategic: 'strategic', 'tier 1': 'strategic', tier1: 'strategic', '1': 'strategic', a: 'strategic', enterprise: 'strategic',
  key: 'key', 'tier 2': 'key', tier2: 'key', '2': 'key', b: 'key', 'mid market': 'key', 'mid-market': 'key', midmarket: 'key',
  standard: 'standard', 'tier 3': 'standard', tier3: 'standard', '3': 'standard', c: 'standard', smb: 'standard', 'small business': 'standard',
};

export function readTier(text: string): Read<Tier> {
  const tier = TIER_WORDS[word(text)];
  return tier ? ok(tier) : bad(`“${text}” is not a tier; write strategic, key or standard.`);
}

export function readCadence(text: string): Read<number> {
  const m = /^(\d{1,3})\s*(d|days?|w|weeks?)?$/i.exec(text.trim());
  const days = m ? Number(m[1]) * (/^w/i.test(m[2] ?? '') ? 7 : 1) : NaN;
  if (!(days >= 1 && days <= 365)) return bad(`“${text}” is not a cadence; write the days between touches, 1 to 365 (14, or 2w).`);
  return ok(days);
}

const ROLE_WORDS: Record<string, ContactRole> = {
  ...CONTACT_ROLES,
  'economic-buyer': 'decision_maker',
  buyer: 'decision_maker',
  'end-user': 'user',
  executive: 'executive_sponsor',
};

export function readRole(text: string): Read<ContactRole> {
  const role = ROLE_WORDS[word(text).replace(/ /g, '-')];
  return role ? ok(role) : bad(`“${text}” is not a role; write decision maker, champion, influencer, coach, executive sponsor or user (or leave it empty).`);
}

const DIRECTIONS: Record<string, Direction> = {
  ours: 'ours', our: 'ours', us: 'ours', we: 'ours', internal: 'ours',
  theirs: 'theirs', their: 'theirs', them: 'theirs', they: 'theirs', customer: 'theirs', client: 'theirs',
};

export function readDirection(text: string): Read<Direction> {
  const d = DIRECTIONS[word(text)];
  return d ? ok(d) : bad(`“${text}” is not a direction; write ours (we owe the customer) or theirs (the customer owes us).`);
}

export type ImportStatus = 'open' | 'done' | 'dropped';
const STATUSES: Record<string, ImportStatus> = {
  open: 'open', 'not started': 'open', 'in progress': 'open', waiting: 'open', deferred: 'open', pending: 'open', 'to do': 'open', todo: 'open',
  done: 'done', completed: 'done', complete: 'done', closed: 'done', delivered: 'done',
  dropped: 'dropped', cancelled: 'dropped', canceled: 'dropped',
};

export function readStatus(text: string): Read<ImportStatus> {
  const s = STATUSES[word(text)];
  return s ? ok(s) : bad(`“${text}” is not a status; write open, done or dropped.`);
}

// ---- people and channels ------------------------------------------------------------------------

export type PersonRef = { email: string } | { slackUserId: string };

/** An owner: an email address, a Slack user id (U…, W…), or a mention (<@U…>). */
export function readPerson(text: string): Read<PersonRef> {
  const t = text.trim();
  if (EMAIL_PATTERN.test(t)) return ok({ email: t.toLowerCase() });
  const id = /^(?:<@)?@?([UW][A-Z0-9]{2,})(?:\|[^>]*)?>?$/.exec(t);
  if (id) return ok({ slackUserId: id[1]! });
  return bad(`“${text}” is neither an email address nor a Slack user id; write the person’s email (maria@example.com) or Slack id (U0123ABCD).`);
}

export type ChannelRef = { id: string } | { name: string };

/** Channels: `#name`, a bare name, an id (C…, G…) or a link (<#C…|name>), separated by `;`, `,` or spaces. */
export function readChannels(text: string): Read<ChannelRef[]> {
  const refs: ChannelRef[] = [];
  for (const part of text.split(/[;,\s]+/).filter(Boolean)) {
    const link = /^<#([CG][A-Z0-9]+)(?:\|[^>]*)?>$/.exec(part);
    if (link) refs.push({ id: link[1]! });
    else if (/^[CG][A-Z0-9]{6,}$/.test(part)) refs.push({ id: part });
    else if (/^#?[a-z0-9][a-z0-9._-]{0,79}$/.test(part)) refs.push({ name: part.replace(/^#/, '') });
    else return bad(`“${part}” is not a Slack channel; write #name or the channel id (C0123ABCD).`);
  }
  return ok(refs);
}

/** `;`-separated list (aliases); empty parts dropped. */
export function readList(text: string): string[] {
  return text.split(/[;|]/).map((s) => s.trim()).filter(Boolean);
}
