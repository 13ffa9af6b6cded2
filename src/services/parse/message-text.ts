// Reads a Slack message someone acted on ("Track as commitment", "Log as touch") with the same
// quick-add parsers that read /commit and /touch. A message is conversation, not a command: the
// promise is one clause in it ("Thanks all, I'll send the revised pricing by Friday."), and who
// speaks decides the owner and the direction. Pure and total: never throws.
import { parseCommitText } from './commit-text.js';
import { TOUCH_KINDS, TOUCH_LIMITS, parseTouchText, type SentimentName, type TouchKindName } from './touch-text.js';

export interface MessageContext {
  /** The message text as Slack sends it (`<@U…>` mentions, `&lt;` escapes). */
  text: string;
  /** Who wrote the message (absent for a bot or an unknown author). */
  authorSlackId?: string | null;
  /** Who clicked the shortcut: the form is theirs, dates are read in their zone. */
  clickerSlackId: string;
  /** When the message was posted: "by Friday" is the Friday after that. */
  writtenAt: Date;
  now: Date;
  /** The clicking person's zone. */
  timeZone: string;
  /** The account implied by the channel, its aliases and its contacts: "Acme will…", "Dana will…" is owed by the customer. */
  customerNames?: string[];
  /** Display names of people mentioned, so a title reads "Send it to @maria" rather than an id. */
  names?: Record<string, string>;
}

export interface MessageCommitment {
  title?: string;
  ownerSlackId: string;
  direction: 'ours' | 'theirs';
  due?: { at: Date; hadTime: boolean };
  /** An account named as in quick add ("acme: …"). */
  accountName?: string;
  /** What the form should point out (a due date in the past, no date found). */
  problems: string[];
}

const APOS = "['’]";
const LEAD_IN = /^(?:(?:ok(?:ay)?|sure|yes|yep|yeah|great|perfect|thanks|thank you|will do|sounds good|no problem|np|absolutely|of course|noted|got it|hi|hey|hello)\b[\s,.!:;—–-]*)+/i;
const FIRST_PERSON = new RegExp(
  `\\b(?:i${APOS}ll|i\\s+will|i\\s+can|i\\s+shall|i${APOS}m\\s+going\\s+to|i\\s+am\\s+going\\s+to|i${APOS}ll\\s+make\\s+sure\\s+to|let\\s+me|we${APOS}ll|we\\s+will|we\\s+can|we${APOS}re\\s+going\\s+to|we\\s+are\\s+going\\s+to|i\\s+promise\\s+to|we\\s+promise\\s+to)\\s+`,
  'i',
);
const AUX = `(?:${APOS}ll|${APOS}re\\s+going\\s+to|\\s+(?:will|would|can|should|is\\s+going\\s+to|are\\s+going\\s+to|promised\\s+to|agreed\\s+to|needs?\\s+to|owes?\\s+us|has\\s+to|have\\s+to|said\\s+(?:they|she|he)${APOS}d))\\s+`;
const CUSTOMER = new RegExp(`\\b(?:they|the\\s+customers?|the\\s+clients?|customers?|clients?)${AUX}`, 'i');
/** "@maria will…", "@maria, can you…", "@maria please…": the person mentioned owes it. */
const MENTION_LEAD = /<@([A-Z0-9]+)(?:\|[^<>]*)?>[\s,:]*(?:(?:can|could|would)\s+you\s+|please\s+|to\s+|(?:will|would|can|should|is\s+going\s+to|promised\s+to|agreed\s+to|needs?\s+to|has\s+to)\s+)/i;
const MENTION = /<@([A-Z0-9]+)(?:\|([^<>]*))?>/g;
const POLITE_TAIL = /[\s,.;:!—–-]*(?:thanks|thank you|thx|cheers|ty|please|pls|if that works|hope that helps)[\s!.]*$/i;
const SENTENCES = /[^.!?\n]+(?:[.!?]+(?=\s|$)|$)/g;

type Speaker = { kind: 'author' } | { kind: 'customer' } | { kind: 'person'; slackId: string } | { kind: 'none' };

/** The commitment a message states, as a prefill for the /commit form. */
export function commitmentFromMessage(ctx: MessageContext): MessageCommitment {
  const fallbackOwner = ctx.authorSlackId || ctx.clickerSlackId;
  try {
    return read(ctx);
  } catch {
    return { ownerSlackId: fallbackOwner, direction: 'ours', problems: ['I could not read that message; please fill in the form.'] };
  }
}

function read(ctx: MessageContext): MessageCommitment {
  const author = ctx.authorSlackId || ctx.clickerSlackId;
  const hasDue = (sentence: string) => {
    const p = parseCommitText(sentence, { now: ctx.now, timeZone: ctx.timeZone, writtenAt: ctx.writtenAt });
    return p.kind === 'parsed' && !!p.draft.due;
  };
  const { clause, speaker } = promiseClause(withoutMarkup(ctx.text), ctx.customerNames ?? [], hasDue);
  const named = withNames(clause, ctx.names ?? {}, speaker.kind === 'none');
  const parsed = parseCommitText(named, { now: ctx.now, timeZone: ctx.timeZone, writtenAt: ctx.writtenAt });
  if (parsed.kind === 'empty') return { ownerSlackId: author, direction: 'ours', problems: [] };
  const { draft } = parsed;
  const problems = [...parsed.problems];
  let ownerSlackId: string;
  let direction: 'ours' | 'theirs';
  switch (speaker.kind) {
    case 'author':
      [ownerSlackId, direction] = [author, 'ours'];
      break;
    case 'customer':
      // The person who tracks what the customer owes is the one who follows up.
      [ownerSlackId, direction] = [ctx.clickerSlackId, 'theirs'];
      break;
    case 'person':
      [ownerSlackId, direction] = [speaker.slackId, 'ours'];
      break;
    default:
      direction = draft.direction ?? 'ours';
      ownerSlackId = draft.ownerSlackId ?? (direction === 'theirs' ? ctx.clickerSlackId : author);
  }
  if (!draft.due) problems.push('I could not find a due date in the message; pick one.');
  // "book the onsite for Dec 14": the date went to the due date, its preposition goes too.
  const title = draft.title?.replace(POLITE_TAIL, '').replace(/\s*[.!?…]+$/, '').replace(/\s+(?:for|on|at|in|from)$/i, '').trim();
  return {
    ...(title ? { title } : {}),
    ownerSlackId,
    direction,
    ...(draft.due ? { due: { at: draft.due.at, hadTime: draft.due.hadTime } } : {}),
    ...(draft.accountName ? { accountName: draft.accountName } : {}),
    problems,
  };
}

/**
 * The sentence that makes the promise, from the words that follow its subject ("I'll", "they'll",
 * "@maria can you"), and who the subject is. Without such a sentence: the first one with a date,
 * else the whole message.
 */
function promiseClause(text: string, customerNames: string[], hasDue: (sentence: string) => boolean): { clause: string; speaker: Speaker } {
  const sentences = (text.match(SENTENCES) ?? [text]).map((s) => s.trim()).filter(Boolean);
  const names = customerNames.map((n) => n.trim()).filter((n) => n.length >= 2).map(escapeRe);
  const byName = names.length ? new RegExp(`(?<![\\p{L}\\p{N}])(?:${names.join('|')})${AUX}`, 'iu') : null;
  for (const sentence of sentences) {
    const hits: { at: number; end: number; speaker: Speaker }[] = [];
    for (const [re, speaker] of [[FIRST_PERSON, { kind: 'author' }], [CUSTOMER, { kind: 'customer' }], [byName, { kind: 'customer' }]] as const) {
      const m = re ? re.exec(sentence) : null;
      if (m) hits.push({ at: m.index, end: m.index + m[0].length, speaker });
    }
    const mention = MENTION_LEAD.exec(sentence);
    if (mention) hits.push({ at: mention.index, end: mention.index + mention[0].length, speaker: { kind: 'person', slackId: mention[1]! } });
    const first = hits.sort((a, b) => a.at - b.at)[0];
    if (first) return { clause: prefix(sentence, first.at) + sentence.slice(first.end), speaker: first.speaker };
  }
  const dated = sentences.find(hasDue);
  return { clause: (dated ?? sentences.join(' ')).replace(LEAD_IN, ''), speaker: { kind: 'none' } };
}

/** Keeps an "acme:" account prefix in front of the clause, so quick add still reads it. */
function prefix(sentence: string, at: number): string {
  const colon = sentence.indexOf(':');
  if (colon <= 0 || colon >= at) return '';
  const head = sentence.slice(0, colon).trim();
  return head.split(/\s+/).length <= 3 && !LEAD_IN.test(head) ? `${head}: ` : '';
}

/**
 * Mentions inside the promise are who it is for ("send it to @maria"), not its owner: they become
 * names. Only where nobody spoke (no "I'll", no "@maria will") does a mention stay, so quick add
 * reads it as the owner as /commit does.
 */
function withNames(clause: string, names: Record<string, string>, keepMention: boolean): string {
  let kept = false;
  return clause.replace(MENTION, (whole, id: string, label?: string) => {
    if (keepMention && !kept) {
      kept = true;
      return whole;
    }
    return `@${names[id] ?? label ?? id}`;
  });
}

/** Links as their label (or address), channels as #name, broadcasts dropped; mentions stay (they say who speaks). */
function withoutMarkup(text: string): string {
  return text
    .replace(/<#[A-Z0-9]+\|([^<>]*)>/g, '#$1')
    .replace(/<((?:https?|mailto):[^<>|]+)\|([^<>]+)>/g, '$2')
    .replace(/<((?:https?|mailto):[^<>|]+)>/g, '$1')
    .replace(/<![^<>]*>/g, ' ');
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+');
}

// ---- touches ------------------------------------------------------------------------------------------------------

export interface MessageTouchContext {
  text: string;
  writtenAt: Date;
  now: Date;
  timeZone: string;
  /** The account's contacts, matched by name anywhere in the message. */
  contacts?: { id: string; name: string }[];
  names?: Record<string, string>;
}

export interface MessageTouch {
  kind?: TouchKindName;
  occurredAt: Date;
  summary: string;
  sentiment: SentimentName;
  contactIds: string[];
  /** Names written as "with Bill" that are no contact of the account. */
  participants: string[];
  /** Colleagues mentioned in the message. */
  mentions: string[];
  problems: string[];
}

const EMAIL_SIGNS = /^(?:subject|from|to|cc|sent|date)\s*:|^(?:re|fwd?)\s*:|\bwrote:\s*$|^(?:dear|hi|hello)\s+[^\n,]{1,40},\s*$|^(?:best|kind regards|regards|thanks|cheers|best regards|sincerely),?\s*$/im;
const KIND_IN_TEXT = /(?<![\p{L}\p{N}_])(call(?:ed)?|phoned|rang|meeting|met|lunch|workshop|zoom|demo(?:ed)?|e-?mail(?:ed)?|qbr|ebr|review|visit(?:ed)?|on-?site|chat(?:ted)?)(?![\p{L}\p{N}_])/iu;
const KIND_OF: Record<string, TouchKindName> = {
  call: 'call', called: 'call', phoned: 'call', rang: 'call',
  meeting: 'meeting', met: 'meeting', lunch: 'meeting', workshop: 'meeting', zoom: 'meeting', demo: 'meeting', demoed: 'meeting',
  email: 'email', emailed: 'email', 'e-mail': 'email', 'e-mailed': 'email',
  qbr: 'review', ebr: 'review', review: 'review',
  visit: 'visit', visited: 'visit', onsite: 'visit', 'on-site': 'visit',
  chat: 'chat', chatted: 'chat',
};

/** The touch a message records (a pasted email, a call recap), as a prefill for the /touch form. */
export function touchFromMessage(ctx: MessageTouchContext): MessageTouch {
  const parsed = parseTouchText(ctx.text, { now: ctx.writtenAt, timeZone: ctx.timeZone });
  const draft = parsed.kind === 'empty' ? null : parsed.draft;
  // Only a line written as quick add ("call with Dana: …") is read as one; other messages are kept whole as the summary.
  const readAsTouch = !!draft?.kind && parsed.kind === 'complete' && /^[^\n:]{1,80}:\s/.test(ctx.text);
  const kind = (readAsTouch ? draft!.kind : guessKind(ctx.text)) ?? undefined;
  const plain = readable(ctx.text, ctx.names ?? {});
  const summary = (readAsTouch && draft!.summary ? draft!.summary : plain).slice(0, TOUCH_LIMITS.summary);
  const contacts = (ctx.contacts ?? []).filter((c) => namedIn(plain, c.name));
  const known = new Set(contacts.map((c) => c.name.toLowerCase()));
  const participants = readAsTouch ? draft!.participants.filter((p) => !known.has(p.toLowerCase()) && !contacts.some((c) => firstName(c.name) === p.toLowerCase())) : [];
  const occurredAt = readAsTouch && draft!.occurredAt && draft!.occurredAt <= ctx.now ? draft!.occurredAt : ctx.writtenAt;
  const problems: string[] = [];
  if (!kind) problems.push('What kind of touch was it? Pick one.');
  if (!summary) problems.push('Add a short summary.');
  return {
    ...(kind ? { kind } : {}),
    occurredAt,
    summary,
    sentiment: draft?.sentiment ?? 'neutral',
    contactIds: contacts.map((c) => c.id),
    participants,
    mentions: [...new Set([...ctx.text.matchAll(MENTION)].map((m) => m[1]!))],
    problems,
  };
}

function guessKind(text: string): TouchKindName | undefined {
  if (EMAIL_SIGNS.test(text)) return 'email';
  const m = KIND_IN_TEXT.exec(text);
  const kind = m ? KIND_OF[m[1]!.toLowerCase()] : undefined;
  return kind && (TOUCH_KINDS as readonly string[]).includes(kind) ? kind : undefined;
}

/** The message as plain words: mentions as @names, links as their label or address, Slack's escapes undone. */
function readable(text: string, names: Record<string, string>): string {
  return text
    .replace(MENTION, (_, id: string, label?: string) => `@${names[id] ?? label ?? id}`)
    .replace(/<#[A-Z0-9]+\|([^<>]*)>/g, '#$1')
    .replace(/<(https?:[^<>|]+)\|([^<>]+)>/g, '$2 ($1)')
    .replace(/<(https?:[^<>|]+)>/g, '$1')
    .replace(/<!(?:here|channel|everyone)[^<>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/[ \t]+/g, ' ')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

const firstName = (name: string) => name.trim().split(/\s+/)[0]!.toLowerCase();

function namedIn(text: string, name: string): boolean {
  const words = [name, firstName(name)].filter((w) => w.length >= 2).map(escapeRe);
  return new RegExp(`(?<![\\p{L}\\p{N}])(?:${words.join('|')})(?![\\p{L}\\p{N}])`, 'iu').test(text);
}
