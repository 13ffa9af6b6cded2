// The /touch quick-add parser: "[account] <kind> [when] [with people]: summary [sentiment]".
// Pure and total: any input gives either a complete touch or a prefill for the modal, never a throw.
import { findDate } from '../time.js';

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

/** Words that name a kind of touch; verb forms ("called Dana") take the next words as who. */
const KIND_WORDS: Record<string, { kind: TouchKindName; verb: boolean }> = {
  call: { kind: 'call', verb: false },
  called: { kind: 'call', verb: true },
  phoned: { kind: 'call', verb: true },
  rang: { kind: 'call', verb: true },
  meeting: { kind: 'meeting', verb: false },
  met: { kind: 'meeting', verb: true },
  zoom: { kind: 'meeting', verb: false },
  demo: { kind: 'meeting', verb: false },
  lunch: { kind: 'meeting', verb: false },
  workshop: { kind: 'meeting', verb: false },
  email: { kind: 'email', verb: false },
  emailed: { kind: 'email', verb: true },
  'e-mail': { kind: 'email', verb: false },
  mail: { kind: 'email', verb: false },
  review: { kind: 'review', verb: false },
  qbr: { kind: 'review', verb: false },
  ebr: { kind: 'review', verb: false },
  visit: { kind: 'visit', verb: false },
  visited: { kind: 'visit', verb: true },
  onsite: { kind: 'visit', verb: false },
  'on-site': { kind: 'visit', verb: false },
  chat: { kind: 'chat', verb: false },
  chatted: { kind: 'chat', verb: true },
  messaged: { kind: 'chat', verb: true },
  note: { kind: 'note', verb: false },
};

const POSITIVE_EMOJI = [':+1:', ':thumbsup:', ':tada:', ':smile:', ':slightly_smiling_face:', ':white_check_mark:', ':rocket:', ':heart:', ':star-struck:', ':raised_hands:'];
const NEGATIVE_EMOJI = [':-1:', ':thumbsdown:', ':disappointed:', ':worried:', ':rage:', ':angry:', ':warning:', ':x:', ':fire:', ':cry:', ':confused:'];
const POSITIVE_WORDS = /\b(positive|great|happy|on track|excited|love[sd]?|delighted|good news|went well|expan(?:d|sion)|upsell|renew(?:ed|s)? early)\b/i;
const NEGATIVE_WORDS = /\b(negative|unhappy|frustrat\w*|angry|upset|pushback|push back|concern(?:ed|s)?|risk\w*|churn\w*|escalat\w*|cancel\w*|complain\w*|disappoint\w*|blocker|unhappy|threat\w*)\b/i;
const MARKER = /[([]\s*(positive|neutral|negative)\s*[)\]]/i;

function sentimentOf(text: string): { sentiment: SentimentName; explicit: boolean; cleaned: string } {
  let cleaned = text;
  let sentiment: SentimentName | null = null;
  const marker = MARKER.exec(cleaned);
  if (marker) {
    sentiment = marker[1]!.toLowerCase() as SentimentName;
    cleaned = cleaned.replace(MARKER, ' ');
  }
  const pos = POSITIVE_EMOJI.filter((e) => cleaned.includes(e)).length;
  const neg = NEGATIVE_EMOJI.filter((e) => cleaned.includes(e)).length;
  for (const e of [...POSITIVE_EMOJI, ...NEGATIVE_EMOJI]) cleaned = cleaned.split(e).join(' ');
  if (!sentiment && (pos || neg)) sentiment = neg > pos ? 'negative' : pos > neg ? 'positive' : null;
  const explicit = sentiment !== null;
  if (!sentiment) sentiment = NEGATIVE_WORDS.test(cleaned) ? 'negative' : POSITIVE_WORDS.test(cleaned) ? 'positive' : 'neutral';
  return { sentiment, explicit, cleaned: cleaned.replace(/\s+/g, ' ').trim() };
}

/** "@maria and Dana (CFO), Li & Sam" → names with optional titles; mentions come separately. */
function splitPeople(text: string): { names: string[]; titles: Record<string, string> } {
  const names: string[] = [];
  const titles: Record<string, string> = {};
  for (const part of text.split(/\s*(?:,|;|&|\band\b|\+)\s*/i)) {
    const m = /^(.*?)\s*\(([^)]*)\)\s*$/.exec(part.trim());
    const name = (m ? m[1]! : part.trim()).replace(/^the\s+/i, '').trim();
    if (!name || /^\u0000m\d+\u0000$/.test(name)) continue;
    names.push(name);
    if (m && m[2]!.trim()) titles[name] = m[2]!.trim();
  }
  return { names, titles };
}

export function parseTouchText(text: string, ctx: { now: Date; timeZone: string }): TouchParse {
  try {
    return parse(text, ctx);
  } catch {
    // Never let a surprise in the parser cost the user a command: fall back to the form.
    return {
      kind: 'prefill',
      draft: { participants: [], participantTitles: {}, mentions: [], summary: text.slice(0, TOUCH_LIMITS.summary).trim() || undefined, sentiment: 'neutral', sentimentExplicit: false },
      problems: ['I could not read that; please check the form.'],
    };
  }
}

function parse(raw: string, ctx: { now: Date; timeZone: string }): TouchParse {
  const problems: string[] = [];
  let text = raw;
  if (text.length > MAX_INPUT) {
    problems.push(`That is longer than ${MAX_INPUT} characters; only the start was read.`);
    text = Array.from(text).slice(0, MAX_INPUT).join('');
  }
  if (!text.trim()) return { kind: 'empty' };

  // Mentions become placeholders so their names never read as dates or kinds.
  const mentions: string[] = [];
  text = text.replace(/<@([UW][A-Z0-9]+)(?:\|[^>]*)?>/g, (_, id: string) => {
    if (!mentions.includes(id)) mentions.push(id);
    return ` \u0000m${mentions.length - 1}\u0000 `;
  });

  const colonAt = firstSeparatorColon(text);
  const head = (colonAt >= 0 ? text.slice(0, colonAt) : text).trim();
  const rest = colonAt >= 0 ? text.slice(colonAt + 1) : '';

  const draft: TouchDraft = { participants: [], participantTitles: {}, mentions, sentiment: 'neutral', sentimentExplicit: false };
  const words = head.split(/\s+/).filter(Boolean);
  const kindAt = words.findIndex((w) => KIND_WORDS[w.toLowerCase().replace(/[.,!?]$/, '')]);
  let tail: string;
  let verb = false;
  if (kindAt >= 0) {
    const found = KIND_WORDS[words[kindAt]!.toLowerCase().replace(/[.,!?]$/, '')]!;
    draft.kind = found.kind;
    verb = found.verb;
    const account = words.slice(0, kindAt).join(' ').replace(/[\u0000]m\d+[\u0000]/g, '').trim();
    if (account) draft.accountName = account;
    tail = words.slice(kindAt + 1).join(' ');
  } else {
    tail = head;
  }

  // "with …" names the people; a date phrase says when; anything else was not understood.
  let leftover = tail;
  const withAt = leftover.search(/\bwith\b/i);
  let people = '';
  if (withAt >= 0) {
    people = leftover.slice(withAt + 4);
    leftover = leftover.slice(0, withAt);
  }
  const when = draft.kind ? findDate(leftover, { now: ctx.now, timeZone: ctx.timeZone, prefer: 'past' }) ?? findDate(people, { now: ctx.now, timeZone: ctx.timeZone, prefer: 'past' }) : null;
  // Read backwards, "tomorrow" would quietly become today: a touch said to be ahead is refused.
  if (when && /\b(tomorrow|tmrw|next|in\s+\d+|later today)\b/i.test(when.text)) {
    problems.push(`“${when.text}” is in the future; a touch is logged after it happens.`);
  }
  if (when) {
    draft.occurredAt = when.at;
    draft.hadTime = when.hadTime;
    leftover = leftover.replace(when.text, ' ');
    people = people.replace(when.text, ' ');
  }
  leftover = leftover.replace(/\s+/g, ' ').trim();
  if (verb && !people && leftover) {
    // "emailed Dana 2 days ago": after a verb, the words are who.
    people = leftover;
    leftover = '';
  }
  if (people.trim()) {
    const { names, titles } = splitPeople(people);
    draft.participants = names;
    draft.participantTitles = titles;
  }

  let summary = rest;
  if (colonAt < 0 && draft.kind === 'note') {
    summary = leftover;
    leftover = '';
  }
  const s = sentimentOf(restoreMentions(summary, mentions));
  draft.sentiment = s.sentiment;
  draft.sentimentExplicit = s.explicit;
  if (s.cleaned) draft.summary = s.cleaned;

  if (!draft.kind) {
    problems.push('What kind of touch was it? Start with call, meeting, email, review, visit, chat or note.');
    if (!draft.summary) {
      const all = sentimentOf(restoreMentions(head, mentions));
      if (all.cleaned) draft.summary = all.cleaned;
      draft.sentiment = all.sentiment;
      draft.sentimentExplicit = all.explicit;
    }
  } else if (leftover.replace(/\u0000m\d+\u0000/g, '').trim()) {
    problems.push(`I did not understand “${restoreMentions(leftover, mentions).trim()}”; check the form.`);
  }
  if (draft.kind && !draft.summary) problems.push('Add a short summary after a colon, e.g. `: renewal on track`.');
  if (draft.occurredAt && draft.occurredAt.getTime() > ctx.now.getTime() + 60_000) {
    problems.push('When it happened is in the future; a touch is logged after it happens.');
  }
  if ((draft.summary?.length ?? 0) > TOUCH_LIMITS.summary) problems.push(`Keep the summary to ${TOUCH_LIMITS.summary} characters.`);
  if (draft.participants.length > TOUCH_LIMITS.participants) problems.push(`At most ${TOUCH_LIMITS.participants} participants.`);
  if (draft.participants.some((p) => p.length > TOUCH_LIMITS.participant)) problems.push(`A participant’s name can be at most ${TOUCH_LIMITS.participant} characters.`);
  if ((draft.accountName?.length ?? 0) > TOUCH_LIMITS.accountName) problems.push(`An account name can be at most ${TOUCH_LIMITS.accountName} characters.`);

  return problems.length ? { kind: 'prefill', draft, problems } : { kind: 'complete', draft };
}

/** The colon that ends "acme call with Dana": the first one that is not part of an :emoji: or a time (10:30). */
function firstSeparatorColon(text: string): number {
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== ':') continue;
    if (/\d/.test(text[i - 1] ?? '') && /\d/.test(text[i + 1] ?? '')) continue; // 10:30
    const emoji = /^:[a-z0-9_+\-']+:/i.exec(text.slice(i));
    if (emoji && !/\s/.test(text[i + 1] ?? ' ')) {
      i += emoji[0].length - 1;
      continue;
    }
    return i;
  }
  return -1;
}

function restoreMentions(text: string, mentions: string[]): string {
  return text.replace(/\u0000m(\d+)\u0000/g, (_, i: string) => `<@${mentions[Number(i)]}>`);
}
