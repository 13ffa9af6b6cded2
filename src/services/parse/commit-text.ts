// Parses the text of a quick "/commit …" into a draft commitment. Pure and total: never throws.
import { findDates, formatWhen, isValidTimeZone, type FoundDate } from '../time.js';

export const LIMITS = { title: 200, notes: 2000, accountName: 80 };
export const MAX_INPUT = 4000;

export interface CommitDraft {
  accountName?: string;
  title?: string;
  ownerSlackId?: string;
  direction?: 'ours' | 'theirs';
  due?: { at: Date; timeZone: string; hadTime: boolean; text: string };
}

export type CommitParse =
  | { kind: 'empty' }
  | { kind: 'parsed'; draft: CommitDraft; missing: Array<'title' | 'due'>; problems: string[] };

const MENTION = /<@([A-Z0-9]+)(?:\|[^<>]*)?>/;
const SLACK_TOKEN = /<[^<>]*>/g; // <@U1|x>, <#C1|x>, <!here>, <https://…|label>
const BARE_URL = /\b(?:https?:\/\/|www\.)\S+/gi;
const THEIRS_MARKER = /\(\s*theirs\s*\)|\[\s*theirs\s*\]|\bowed\s+by\s+(?:the\s+)?(?:customer|client|them)\b/gi;
const OURS_MARKER = /\(\s*ours\s*\)|\[\s*ours\s*\]|\bowed\s+by\s+(?:us|me)\b/gi;
const CONNECTOR = /\b(?:due(?:\s+(?:by|on|at|date))?|by|before|on|until|till|til|no\s+later\s+than|deadline)\s*:?\s*$/i;
const NOT_A_DUE = /\b(?:from|since|of|about|regarding|re)\s*$/i; // "notes from last week"
const EDGE = /^[\s.,;:!?()[\]\-–—|]*$/;
const NOT_ACCOUNTS = new Set(['re', 'fw', 'fwd', 'todo', 'to do', 'note', 'notes', 'ps', 'reminder', 'update', 'fyi']);
const THEIRS_START = /^(?:the\s+)?(?:customers?|clients?)\b|^they\b/i;
const AUX_VERB = /^(?:will|to|should|must|needs?|owes?|has|have|had|is|are|was|can|could|shall|promised|agreed|said|wants?)$/i;

/**
 * `writtenAt`: when the text was written (a Slack message tracked later), so "by Friday" means the
 * Friday after it; the due date is still checked against `now`.
 */
export interface CommitParseContext {
  now: Date;
  timeZone: string;
  writtenAt?: Date;
}

export function parseCommitText(text: string, ctx: CommitParseContext): CommitParse {
  try {
    return parse(typeof text === 'string' ? text : '', ctx);
  } catch {
    // A safety net: the caller falls back to the modal, which asks for everything.
    return { kind: 'parsed', draft: {}, missing: ['title', 'due'], problems: ['I could not read that; please fill in the form.'] };
  }
}

function parse(text: string, ctx: CommitParseContext): CommitParse {
  const problems: string[] = [];
  if (text.length > MAX_INPUT) {
    text = text.slice(0, /[\uD800-\uDBFF]/.test(text[MAX_INPUT - 1] ?? '') ? MAX_INPUT - 1 : MAX_INPUT);
    problems.push(`That was long, so I only read the first ${MAX_INPUT} characters.`);
  }
  if (!text.trim()) return { kind: 'empty' };

  const { now } = ctx;
  const from = ctx.writtenAt ?? now;
  let timeZone = ctx.timeZone;
  if (!isValidTimeZone(timeZone)) {
    problems.push(`I do not know the time zone “${timeZone}”, so dates were read in UTC.`);
    timeZone = 'UTC';
  }
  const draft: CommitDraft = {};

  // `work` becomes the title; `search` is what dates are looked for in. Removed parts turn into
  // spaces so both keep the original's indexes.
  let work = text;
  const mention = MENTION.exec(text);
  if (mention) {
    draft.ownerSlackId = mention[1];
    work = blank(work, mention.index, mention.index + mention[0].length);
  }
  let search = work.replace(SLACK_TOKEN, spaces).replace(BARE_URL, spaces);

  const colon = text.indexOf(':');
  const prefix = colon > 0 ? text.slice(0, colon).trim() : '';
  if (colon > 0 && /^\s|^$/.test(text.slice(colon + 1, colon + 2)) && looksLikeAccount(prefix, from, timeZone)) {
    draft.accountName = decode(prefix);
    work = blank(work, 0, colon + 1);
    search = blank(search, 0, colon + 1);
  }

  let marker: CommitDraft['direction'];
  for (const [re, dir] of [[OURS_MARKER, 'ours'], [THEIRS_MARKER, 'theirs']] as const) {
    for (const m of work.matchAll(re)) {
      marker = dir;
      work = blank(work, m.index, m.index + m[0].length);
      search = blank(search, m.index, m.index + m[0].length);
    }
  }

  const due = pickDue(search, from, timeZone);
  if (due) {
    const connector = CONNECTOR.exec(search.slice(0, due.index));
    work = blank(work, connector ? connector.index : due.index, due.index + due.text.length);
    draft.due = { at: due.at, timeZone, hadTime: due.hadTime, text: due.text };
  }

  const title = tidyTitle(work);
  if (title) draft.title = title;
  draft.direction = marker ?? (title && isTheirs(title, draft.accountName) ? 'theirs' : 'ours');

  const missing: Array<'title' | 'due'> = [];
  if (!draft.title) missing.push('title');
  if (!draft.due) missing.push('due');
  const length = title ? Array.from(title).length : 0;
  if (length > LIMITS.title) problems.push(`The title is ${length} characters long; the limit is ${LIMITS.title}.`);
  if (draft.due && draft.due.at < now) {
    problems.push(`The due date (${formatWhen(draft.due.at, timeZone, now, { withTime: draft.due.hadTime })}) is in the past.`);
  }
  return { kind: 'parsed', draft, missing, problems };
}

/** A date introduced by "by", "due", "before", "on", "until"…, else a bare date at the very end or start. */
function pickDue(search: string, now: Date, timeZone: string): FoundDate | undefined {
  const dates = findDates(search, { now, timeZone, prefer: 'future' }, 20).filter((d) => !NOT_A_DUE.test(search.slice(0, d.index)));
  return (
    dates.find((d) => CONNECTOR.test(search.slice(0, d.index))) ??
    [...dates].reverse().find((d) => EDGE.test(search.slice(d.index + d.text.length))) ??
    dates.find((d) => EDGE.test(search.slice(0, d.index)))
  );
}

function looksLikeAccount(name: string, now: Date, timeZone: string): boolean {
  return (
    Array.from(name).length <= LIMITS.accountName &&
    /[\p{L}\p{N}]/u.test(name) &&
    !/[<>\n]|https?|www\./i.test(name) &&
    name.split(/\s+/).length <= 6 &&
    !NOT_ACCOUNTS.has(name.toLowerCase()) &&
    !CONNECTOR.test(name) && // "Send deck due: Friday"
    findDates(name, { now, timeZone, prefer: 'future' }, 1).length === 0
  );
}

function isTheirs(title: string, accountName: string | undefined): boolean {
  if (THEIRS_START.test(title)) return true;
  if (!accountName || !title.toLowerCase().startsWith(accountName.toLowerCase())) return false;
  const next = /^\s+([\p{L}']+)/u.exec(title.slice(accountName.length))?.[1] ?? '';
  // A third-person verb ("sends", "shares") or an auxiliary ("will", "to") after the name.
  return AUX_VERB.test(next) || /^\p{Ll}+[^s\P{L}]s$/u.test(next);
}

function tidyTitle(work: string): string {
  let title = work
    .replace(/\(\s*\)|\[\s*\]/g, ' ')
    .replace(/\s+/g, ' ')
    .replace(/ ([.,;:!?])(?=\s|$)/g, '$1')
    .replace(/^[\s,;:\-–—|]+|[\s,;:\-–—|]+$/g, '');
  title = decode(title);
  // Capitalise a plain first word ("customer sends" → "Customer sends"); keep "iPhone", "eBay".
  const first = /^\S+/.exec(title)?.[0] ?? '';
  if (/^\p{Ll}+[.,;:!?]?$/u.test(first)) title = first.charAt(0).toUpperCase() + title.slice(1);
  return title;
}

// Slack escapes these three in command text.
function decode(s: string): string {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

function spaces(match: string): string {
  return ' '.repeat(match.length);
}

function blank(s: string, start: number, end: number): string {
  return s.slice(0, start) + ' '.repeat(end - start) + s.slice(end);
}
