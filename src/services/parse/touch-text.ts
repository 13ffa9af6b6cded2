// Parses the text of a quick "/touch …" into a draft touch:
//   [account] <kind> [when] [with people]: summary [sentiment]
// e.g. "acme call yesterday 3pm with Dana (CFO): renewal on track :+1:". Pure and total: never throws.
import { findDates, formatWhen, isValidTimeZone, localDateString, type FindDateOptions, type FoundDate } from '../time.js';

export const TOUCH_KINDS = ['call', 'meeting', 'email', 'review', 'visit', 'chat', 'note'] as const;
export type TouchKindName = (typeof TOUCH_KINDS)[number];
export type SentimentName = 'positive' | 'neutral' | 'negative';
export const TOUCH_LIMITS = { summary: 1000, accountName: 80, participant: 80, participants: 20 };
export const MAX_INPUT = 4000;

export interface TouchDraft {
  accountName?: string;
  kind?: TouchKindName;
  occurredAt?: Date;
  hadTime?: boolean;
  participants: string[];
  /** "Dana" → "CFO" from "Dana (CFO)"; a mentioned user's title is keyed by the user id. */
  participantTitles: Record<string, string>;
  mentions: string[];
  summary?: string;
  sentiment: SentimentName;
  sentimentExplicit: boolean;
}

export type TouchParse =
  | { kind: 'empty' }
  | { kind: 'complete'; draft: TouchDraft }
  | { kind: 'prefill'; draft: TouchDraft; problems: string[] };

export const KIND_PROBLEM = 'What kind of touch was it? Start with call, meeting, email, review, visit, chat or note.';
export const SUMMARY_PROBLEM = 'Add a short summary after a colon, e.g. `: renewal on track`.';

const KIND_WORDS: Record<string, TouchKindName> = {
  call: 'call', calls: 'call', called: 'call', 'phone call': 'call', phoned: 'call', rang: 'call',
  meeting: 'meeting', meetings: 'meeting', met: 'meeting', meet: 'meeting', lunch: 'meeting', workshop: 'meeting', zoom: 'meeting', demo: 'meeting', demoed: 'meeting', sync: 'meeting',
  email: 'email', emails: 'email', emailed: 'email', 'e-mail': 'email', mail: 'email', mailed: 'email',
  review: 'review', qbr: 'review', ebr: 'review',
  visit: 'visit', visited: 'visit', onsite: 'visit', 'on-site': 'visit',
  chat: 'chat', chatted: 'chat', slack: 'chat', slacked: 'chat', message: 'chat', messaged: 'chat', dm: 'chat', dmed: 'chat', "dm'd": 'chat',
  note: 'note',
};
/** After these verbs, bare names are who: "emailed Dana". */
const VERBS = new Set(['called', 'phoned', 'rang', 'met', 'demoed', 'emailed', 'mailed', 'visited', 'chatted', 'slacked', 'messaged', 'dmed', "dm'd"]);
const KIND_ALTERNATIVES = Object.keys(KIND_WORDS)
  .sort((a, b) => b.length - a.length)
  .map((w) => w.replace(/ /g, '\\s+').replace(/'/g, "['’]"))
  .join('|');
const KIND_RE = new RegExp(`(?<![\\p{L}\\p{N}_'’-])(?:${KIND_ALTERNATIVES})(?![\\p{L}\\p{N}_'’-])`, 'giu');
const NEXT_KIND_RE = new RegExp(`^\\s+(?:${KIND_ALTERNATIVES})(?![\\p{L}\\p{N}_'’-])`, 'iu');
/** Kind words that name the kind of a following one: "QBR call" is a review, "on-site meeting" a visit. */
const MODIFIERS = new Set(['qbr', 'ebr', 'review', 'onsite', 'on-site', 'zoom', 'demo']);
const WITH_RE = /(?<![\p{L}\p{N}_])(?:with|w\/)(?![\p{L}\p{N}_])/iu;
const TOPIC_RE = /(?<![\p{L}\p{N}_])(?:about|regarding)(?![\p{L}\p{N}_])/iu;
const LINK_RE = /<(?!@)[^<>]*>|\b(?:https?:\/\/|www\.)[^\s<>]*[^\s<>.,;:!?)]/gi; // <https://…|label>, <#C1|channel>, bare URLs
const MENTION_RE = /<@([A-Z0-9]+)(?:\|[^<>]*)?>/g;
const PUA = /[\uE000-\uF8FF]/g; // a mention in the head is one private-use character while reading
const DATE_LEAD = /(?<![\p{L}\p{N}_])(?:on|at|from|earlier|just|around)\s+$/iu;
const BARE_TIME = /^(?:at\s+)?(?:\d{1,2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?|noon|midday|midnight)$/i;

/** Words that may sit between an account and the kind ("acme had a quick call") or be all there is ("we had a call"). */
const FILLER = new Set(['a', 'an', 'the', 'i', 'we', 'had', 'have', 'has', 'did', 'just', 'also', 'then', 'really', 'very', 'quick', 'short', 'long', 'brief', 'good', 'great', 'nice', 'productive', 'tough', 'hard', 'difficult', 'bad', 'first', 'final', 'another', 'follow-up', 'followup', 'weekly', 'monthly', 'quarterly', 'intro', 'kickoff', 'kick-off', 'our', 'my', 'their']);
/** Words that make the text before a kind word a sentence rather than an account name. */
const SENTENCE = new Set(['went', 'was', 'were', 'is', 'are', 'be', 'been', 'after', 'before', 'during', 'about', 'said', 'says', 'told', 'they', 'he', 'she', 'it', 'to', 'for', 'with', 'but', 'because', 'since', 'when', 'will', 'would', 'should', 'not', 'no']);
/** Words that stop bare words after a verb from being names: "emailed the SOC2 report". */
const NOT_NAMES = new Set(['the', 'a', 'an', 'to', 'about', 'for', 're', 'regarding', 'on', 'in', 'at', 'our', 'my', 'their', 'his', 'her', 'its', 'back', 'up', 'over', 'it', 'them', 'him', 'us', 'me', 'again', 'that', 'this']);
const NOT_NAME_RE = new RegExp(`(?<![\\p{L}\\p{N}_])(?:${[...NOT_NAMES].join('|')})(?![\\p{L}\\p{N}_])`, 'iu');
const NOT_ACCOUNTS = new Set(['re', 'fw', 'fwd', 'fyi', 'ps', 'update', 'todo', 'log', 'touch']);

const POSITIVE = ['+1', 'thumbsup', 'tada', 'smile', 'slightly_smiling_face', 'white_check_mark', 'rocket'];
const NEGATIVE = ['-1', 'thumbsdown', 'disappointed', 'worried', 'rage', 'angry', 'warning', 'x', 'fire'];
const EMOJI_RE = new RegExp(`:(${[...POSITIVE, ...NEGATIVE].map((e) => e.replace('+', '\\+')).join('|')}):(?::skin-tone-[2-6]:)?`, 'g');
const UNICODE_EMOJI: Record<string, SentimentName> = { '👍': 'positive', '🎉': 'positive', '😄': 'positive', '🙂': 'positive', '✅': 'positive', '🚀': 'positive', '👎': 'negative', '😞': 'negative', '😟': 'negative', '😡': 'negative', '😠': 'negative', '⚠': 'negative', '❌': 'negative', '🔥': 'negative' };
const UNICODE_EMOJI_RE = new RegExp(`(?:${Object.keys(UNICODE_EMOJI).join('|')})[\\u{1F3FB}-\\u{1F3FF}\\uFE0F]*`, 'gu');
const MARKER_RE = /[([]\s*(positive|neutral|negative)\s*[)\]]/gi;
const POSITIVE_WORDS = /(?<![\w-])(?:positive|great|happy|on track|excited|love[ds]?|loving|delighted|thrilled|excellent|went well|good news)(?![\w-])/gi;
const NEGATIVE_WORDS = /(?<![\w-])(?:negative|unhappy|frustrat\w*|angry|upset|pushback|push(?:ed|ing)? back|concern(?:s|ed|ing)?|risk(?:s|y)?|churn\w*|escalat\w*|cancel\w*|complain\w*|disappoint\w*|blocker\w*|downgrad\w*|threat\w*|off track)(?![\w-])/gi;
const NEGATION = /(?<![\w-])(?:not|no|never|without|hardly|cannot|\w+n['’]t|(?:is|was|are|were|do|does|did|ca|wo|could|would|should)nt)\s+(?:\S+\s+)?$/i;

interface Reading {
  kind: TouchKindName;
  account?: string;
  date?: FoundDate;
  future?: Date;
  people: { names: string[]; titles: Record<string, string> };
  mentions: string[];
  withEmpty: boolean;
  links: string[];
  leftover: string;
  summary: string;
}

export function parseTouchText(text: string, ctx: { now: Date; timeZone: string }): TouchParse {
  const input = typeof text === 'string' ? text : '';
  if (!input.trim()) return { kind: 'empty' };
  try {
    return parse(input, ctx);
  } catch {
    // A safety net: the caller opens the modal, prefilled with what was typed.
    const summary = tidy(input.slice(0, TOUCH_LIMITS.summary));
    const draft: TouchDraft = { ...emptyDraft(), ...(summary ? { summary } : {}) };
    return { kind: 'prefill', draft, problems: ['I could not read that; please check the form.'] };
  }
}

function emptyDraft(): TouchDraft {
  return { participants: [], participantTitles: {}, mentions: [], sentiment: 'neutral', sentimentExplicit: false };
}

function parse(input: string, ctx: { now: Date; timeZone: string }): TouchParse {
  const problems: string[] = [];
  let text = input;
  if (text.length > MAX_INPUT) {
    text = text.slice(0, /[\uD800-\uDBFF]/.test(text[MAX_INPUT - 1] ?? '') ? MAX_INPUT - 1 : MAX_INPUT);
    problems.push(`That was long, so I only read the first ${MAX_INPUT} characters.`);
  }
  let timeZone = ctx.timeZone;
  if (!isValidTimeZone(timeZone)) {
    problems.push(`I do not know the time zone “${timeZone}”, so dates were read in UTC.`);
    timeZone = 'UTC';
  }
  const opts: FindDateOptions = { now: ctx.now, timeZone, prefer: 'past' };
  const marked = takeMarks(text);
  const reading = readTouch(marked.text, opts, true);
  const draft = emptyDraft();
  let summary: string;

  if (!reading) {
    // Keep everything for the modal; without a kind nothing says where the account ends.
    problems.push(KIND_PROBLEM);
    summary = tidy(decode(marked.text));
  } else {
    draft.kind = reading.kind;
    if (reading.account) draft.accountName = reading.account;
    draft.participants = reading.people.names;
    draft.participantTitles = reading.people.titles;
    draft.mentions = reading.mentions;
    summary = tidy([reading.summary, ...reading.links].join(' '));
    if (reading.date) {
      draft.occurredAt = reading.future ?? reading.date.at;
      draft.hadTime = reading.date.hadTime;
    }
    if (reading.leftover) problems.push(`I did not understand ${quote(reading.leftover)}; the summary goes after a colon.`);
    if (reading.withEmpty) problems.push('Who was it with? Add names or @mentions after “with”.');
    if (reading.future) {
      const when = formatWhen(reading.future, timeZone, ctx.now, { withTime: reading.date?.hadTime ?? false });
      problems.push(`When it happened is in the future (${when}); a touch is logged after it happens.`);
    }
    if (!summary) problems.push(SUMMARY_PROBLEM);
  }
  if (summary) draft.summary = summary;
  const words = marked.sentiment ? undefined : sentimentOfWords(summary);
  draft.sentiment = marked.sentiment ?? words ?? 'neutral';
  draft.sentimentExplicit = marked.sentiment !== undefined;

  const length = Array.from(summary).length;
  if (length > TOUCH_LIMITS.summary) problems.push(`The summary is ${length} characters long; the limit is ${TOUCH_LIMITS.summary}.`);
  if ((draft.accountName?.length ?? 0) > TOUCH_LIMITS.accountName) problems.push(`The account name is too long; the limit is ${TOUCH_LIMITS.accountName} characters.`);
  const people = draft.participants.length + draft.mentions.length;
  if (people > TOUCH_LIMITS.participants) problems.push(`That is ${people} people; the limit is ${TOUCH_LIMITS.participants}.`);
  const long = draft.participants.find((p) => Array.from(p).length > TOUCH_LIMITS.participant);
  if (long) problems.push(`${quote(long)} is too long for a name; the limit is ${TOUCH_LIMITS.participant} characters.`);

  return problems.length ? { kind: 'prefill', draft, problems } : { kind: 'complete', draft };
}

/** Removes sentiment emoji and "(positive)"-style markers anywhere; a marker wins, else the emoji majority. */
function takeMarks(text: string): { text: string; sentiment?: SentimentName } {
  let marker: SentimentName | undefined;
  let score = 0;
  const out = text
    .replace(MARKER_RE, (_, word: string) => {
      marker ??= word.toLowerCase() as SentimentName;
      return ' ';
    })
    .replace(EMOJI_RE, (_, name: string) => {
      score += POSITIVE.includes(name) ? 1 : -1;
      return ' ';
    })
    .replace(UNICODE_EMOJI_RE, (emoji: string) => {
      score += UNICODE_EMOJI[Array.from(emoji)[0] ?? ''] === 'positive' ? 1 : -1;
      return ' ';
    });
  return { text: out, sentiment: marker ?? (score > 0 ? 'positive' : score < 0 ? 'negative' : undefined) };
}

/** Negative words win over positive ones; a negated word ("not happy") counts as negative, a negated worry ("no concerns") not at all. */
function sentimentOfWords(summary: string): SentimentName | undefined {
  const negated = (m: RegExpMatchArray) => NEGATION.test(summary.slice(0, m.index));
  const positives = [...summary.matchAll(POSITIVE_WORDS)];
  if (positives.some(negated) || [...summary.matchAll(NEGATIVE_WORDS)].some((m) => !negated(m))) return 'negative';
  return positives.length ? 'positive' : undefined;
}

/** Splits at the separator, reads the head; "acme: call with Dana: …" is read as an account before a touch. */
function readTouch(text: string, opts: FindDateOptions, accountPrefix: boolean): Reading | undefined {
  const sep = separator(text);
  const head = sep ? text.slice(0, sep.at) : text;
  const body = sep ? tidy(decode(text.slice(sep.end))) : '';
  const reading = readHead(head, !!sep, opts);
  if (reading) return sep ? { ...reading, summary: body } : reading;
  if (sep && accountPrefix) {
    const account = accountName(decode(head));
    if (!account || NOT_ACCOUNTS.has(account.toLowerCase()) || datesIn(head, opts).length) return undefined;
    const inner = readTouch(text.slice(sep.end), opts, false);
    if (inner && !inner.account) return { ...inner, account };
  }
  return undefined;
}

/** The first colon that is not in a time (10:30), an :emoji:, a link or a <@mention>; else " - " or "about" after a kind word. */
function separator(text: string): { at: number; end: number } | undefined {
  const masked = text.replace(MENTION_RE, (m) => ' '.repeat(m.length)).replace(LINK_RE, (m) => ' '.repeat(m.length));
  let depth = 0; // "Dana (VP: Sales)"
  for (let i = 0; i < masked.length; i++) {
    if (masked[i] === '(') depth++;
    if (masked[i] === ')') depth = Math.max(0, depth - 1);
    if (masked[i] !== ':' || (depth > 0 && masked.includes(')', i))) continue;
    if (/\d/.test(masked[i - 1] ?? '') && /\d/.test(masked[i + 1] ?? '')) continue;
    const emoji = /^:[\w+'-]+:/.exec(masked.slice(i, i + 60));
    if (emoji) i += emoji[0].length - 1;
    else return { at: i, end: i + 1 };
  }
  const kind = masked.matchAll(KIND_RE).next().value;
  if (!kind) return undefined;
  const from = kind.index + kind[0].length;
  const soft = /\s[-–—]\s|(?<![\p{L}\p{N}_])(?:about|regarding)(?![\p{L}\p{N}_])/iu.exec(masked.slice(from));
  if (!soft) return undefined;
  const at = from + soft.index;
  return { at, end: /^\s/.test(soft[0]) ? at + soft[0].length : at };
}

/**
 * Reads "[account] kind [when] [with people]" trying each kind word in turn, so a kind word inside
 * an account name ("Zoom Video call") does not win. Without a separator, the words left over after
 * the kind (and a "with" list running to the end) are the summary; a note takes everything after it.
 */
function readHead(rawHead: string, separated: boolean, opts: FindDateOptions): Reading | undefined {
  const raw: string[] = [];
  const head = decode(
    rawHead
      .replace(PUA, ' ')
      .replace(MENTION_RE, (m) => String.fromCharCode(0xe000 + raw.push(m) - 1))
      .replace(LINK_RE, (m) => ` ${String.fromCharCode(0xe000 + raw.push(m) - 1)} `) // a link has no id
      .replace(/:(?!\d+:)[\w+'-]+:/g, ' '), // other emoji ("call :coffee: with Dana") say nothing here
  ).replace(/\s+/g, ' ');
  const ids = raw.map((m) => /^<@([A-Z0-9]+)/.exec(m)?.[1] ?? '');
  const idOf = (c: string) => ids[c.charCodeAt(0) - 0xe000] ?? '';
  const restore = (s: string) => s.replace(PUA, (c) => decode(raw[c.charCodeAt(0) - 0xe000] ?? ''));
  const search = head.replace(PUA, ' ');
  const dates = datesIn(search, opts);
  let forward: FoundDate[] | undefined;
  const ahead = (d: FoundDate) => (forward ??= findDates(search, { ...opts, prefer: 'future' }, 20)).find((f) => f.index === d.index);

  let first: Reading | undefined;
  for (const match of [...head.matchAll(KIND_RE)].slice(0, 8)) {
    const word = match[0].toLowerCase().replace(/\s+/g, ' ').replace('’', "'");
    const kind = KIND_WORDS[word] ?? 'call'; // always found: KIND_RE is built from KIND_WORDS
    const start = match.index;
    let end = start + match[0].length;
    for (let next; MODIFIERS.has(word) && (next = NEXT_KIND_RE.exec(head.slice(end))); ) end += next[0].length;
    const free = !separated && kind === 'note'; // "note procurement is being reorganised"
    const withAt = end + (WITH_RE.exec(head.slice(end))?.index ?? Infinity);
    const date = dates.find((d) => {
      const stop = d.index + d.text.length;
      if (d.index < end) return stop <= start && (!head.slice(0, d.index).trim() || !head.slice(stop, start).trim());
      if (separated || /^\s*$/.test(search.slice(end, d.index).replace(DATE_LEAD, ''))) return true;
      return !free && (d.index > withAt || /^[\s.!?]*$/.test(search.slice(stop)));
    });
    let text = head;
    if (date) {
      const lead = DATE_LEAD.exec(search.slice(0, date.index));
      const from = lead && (date.index < start || lead.index >= end) ? lead.index : date.index;
      text = text.slice(0, from) + ' '.repeat(date.index + date.text.length - from) + text.slice(date.index + date.text.length);
    }
    const account = accountName(text.slice(0, start));
    if (account === null) continue;

    const after = text.slice(end);
    let pre = free ? '' : after, people = '', summary = free ? after : '';
    const w = free ? null : (WITH_RE.exec(after) ?? (kind === 'email' || kind === 'chat' ? /^\s*(?:to|from)(?=\s)/i : /^\s*from(?=\s)/i).exec(after));
    if (w) {
      pre = after.slice(0, w.index);
      people = after.slice(w.index + w[0].length);
      const topic = TOPIC_RE.exec(people); // "with Dana about pricing": the topic is not a name
      if (topic) [people, pre] = [people.slice(0, topic.index), `${pre} ${people.slice(topic.index)}`];
    } else if (VERBS.has(word) || !pre.replace(PUA, '').trim()) {
      // "emailed Dana the contract": the names run up to the first word that is not part of one.
      const found = pre.search(NOT_NAME_RE);
      const stop = found < 0 ? pre.length : found;
      if (namesOnly(pre.slice(0, stop))) [people, pre] = [pre.slice(0, stop), pre.slice(stop)];
    }
    if (!separated && !w && !free) [summary, pre] = [pre, ''];

    const inSummary = new Set(summary.match(PUA) ?? []);
    const elsewhere = [...new Set(text.match(PUA) ?? [])].filter((c) => !inSummary.has(c));
    const reading: Reading = {
      kind,
      ...(account ? { account } : {}),
      ...(date ? { date, future: futureOf(date, ahead(date), opts) } : {}),
      people: splitPeople(people, idOf),
      mentions: [...new Set(elsewhere.map(idOf).filter(Boolean))],
      links: elsewhere.filter((c) => !idOf(c)).map(restore),
      withEmpty: !!w && !people.replace(/[\s,;&+/]|\band\b/gi, ''),
      leftover: pre.replace(PUA, ' ').replace(/\s+/g, ' ').replace(/^[\s,;.\-–—|]+|[\s,;.\-–—|]+$/g, ''),
      summary: restore(tidy(summary).replace(/^[\s,;:.\-–—|]+/, '')),
    };
    if (!reading.leftover) return reading;
    first ??= reading;
  }
  return first;
}

/** The first plausible dates (by time.ts), plus "this morning/afternoon/evening", which time.ts does not read. */
function datesIn(text: string, opts: FindDateOptions): FoundDate[] {
  const delimited = (d: FoundDate) =>
    !/[\p{L}\p{N}]/u.test(text[d.index - 1] ?? ' ') && !/^(?:[\p{L}\p{N}]|[.'’-][\p{L}\p{N}])/u.test(text.slice(d.index + d.text.length));
  const found = findDates(text, opts, 20).filter(delimited);
  for (const m of text.matchAll(/\b(?:earlier\s+)?this\s+(morning|afternoon|evening)\b/gi)) {
    const d = findDates(`today ${m[1]}`, opts, 1)[0];
    if (d && !found.some((f) => f.index < m.index + m[0].length && m.index < f.index + f.text.length)) {
      found.push({ index: m.index, text: m[0], at: d.at, hadTime: d.hadTime });
    }
  }
  return found.sort((a, b) => a.index - b.index);
}

/**
 * A touch happens before it is logged. Read backwards, "tomorrow" becomes now and "4pm" yesterday,
 * so those are checked against the forward reading: a later day is future, and a bare time is
 * whichever of today's or yesterday's is nearer.
 */
function futureOf(date: FoundDate, ahead: FoundDate | undefined, opts: FindDateOptions): Date | undefined {
  const { now, timeZone } = opts;
  if (date.at > now) return date.at;
  if (!ahead || ahead.at <= now) return undefined;
  if (!date.hadTime && date.at.getTime() === now.getTime()) {
    return localDateString(ahead.at, timeZone) > localDateString(now, timeZone) ? ahead.at : undefined;
  }
  const nearer = ahead.at.getTime() - now.getTime() < now.getTime() - date.at.getTime();
  return BARE_TIME.test(date.text.trim()) && nearer ? ahead.at : undefined;
}

/** The account before the kind word: undefined when there is none, null when the words read as a sentence. */
function accountName(before: string): string | undefined | null {
  const words = before.replace(PUA, ' ').replace(/^[\s,;:.\-–—|]+|[\s,;:.\-–—|]+$/g, '').split(/\s+/).filter(Boolean);
  while (words.length && FILLER.has(words.at(-1)!.toLowerCase())) words.pop();
  if (words.every((w) => FILLER.has(w.toLowerCase()))) return undefined;
  if (words.length > 6 || words.some((w) => SENTENCE.has(w.toLowerCase())) || /[<>]|https?:|www\./i.test(before)) return null;
  return words.join(' ').replace(/['’]s$/i, '') || undefined;
}

/** Whether bare words after a verb are a list of names: "Dana and Li", not "the SOC2 report to Dana". */
function namesOnly(text: string): boolean {
  return text
    .replace(/\([^()]*\)/g, ' ')
    .split(/[,;&+/]|\band\b/i)
    .every((part) => {
      const words = part.replace(PUA, ' ').trim().split(/\s+/).filter(Boolean);
      return words.length <= 3 && !words.some((w) => NOT_NAMES.has(w.toLowerCase()));
    });
}

/** "Dana (CFO), Li & Sam and <@U1>" → names with titles; mentions are collected separately. */
function splitPeople(text: string, idOf: (placeholder: string) => string): { names: string[]; titles: Record<string, string> } {
  const parts: string[] = [];
  let depth = 0, current = '';
  for (const piece of text.split(/([()]|[,;&+/]|\band\b)/i)) {
    if (piece === '(') depth++;
    if (piece === ')') depth = Math.max(0, depth - 1);
    if (depth > 0 || !/^(?:[,;&+/]|and)$/i.test(piece)) current += piece;
    else {
      parts.push(current);
      current = '';
    }
  }
  parts.push(current);
  const names: string[] = [];
  const titles: Record<string, string> = {};
  for (const part of parts) {
    const m = /^(.*?)\s*\(([^()]*)\)\s*$/.exec(part.trim());
    const title = m?.[2]?.replace(PUA, ' ').replace(/\s+/g, ' ').trim();
    const name = (m?.[1] ?? part)
      .replace(PUA, (c) => (idOf(c) ? c : ' ')) // links are not people
      .replace(/^\s*(?:the|our|their)\s+/i, '')
      .replace(/^[\s.,;:!?\-–—]+|[\s.,;:!?\-–—]+$/g, '');
    const mention = name.match(PUA)?.[0];
    const key = mention ? idOf(mention) : name;
    if (!key) continue;
    if (!mention && !names.some((n) => n.toLowerCase() === name.toLowerCase())) names.push(name);
    if (title) titles[key] = title;
  }
  return { names, titles };
}

function quote(s: string): string {
  const chars = Array.from(s);
  return `“${chars.length > 40 ? `${chars.slice(0, 39).join('')}…` : s}”`;
}

function tidy(s: string): string {
  return s.replace(/[^\S\n]+/g, ' ').replace(/ ?\n ?/g, '\n').replace(/\n{3,}/g, '\n\n').trim();
}

// Slack escapes these three in command text.
function decode(s: string): string {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}
