// Small formatting pieces shared by the view builders, and Slack's size limits.
//
// Slack reads `<…>` in mrkdwn and in a message's top-level `text` as live markup: `<!channel>`,
// `<!here>`, `<!everyone>` and `<!subteam^…>` notify whole groups, `<@U…>` pings a person and
// `<url|label>` is a link that can say anything. So text reaches Slack only as Mrkdwn, and the one
// way to make Mrkdwn is the `md` template below: its literal parts are Kept's own words, and every
// value put into it is escaped unless it is Mrkdwn already. Only Kept's own mentions of people it
// parsed (mention()), dates (slackDate()) and channels (channel()) are Mrkdwn by themselves.
// The builders (section, context, note, message) take Mrkdwn or a plain string, and escape a plain
// string whole, so a builder that forgets md`…` shows too much escaping, never a live mention.
// plain_text objects are not parsed by Slack, so they carry the text as typed.
import type { KnownBlock, View } from '@slack/types';
import { DateTime } from 'luxon';

export const LIMITS = {
  messageBlocks: 50,
  surfaceBlocks: 100, // modals and the App Home
  sectionText: 3000,
  fallbackText: 4000,
  payloadChars: 12000,
  buttonValue: 2000,
  optionText: 75,
} as const;

export interface Message {
  text: string;
  blocks: KnownBlock[];
}

const TRUSTED: unique symbol = Symbol('trusted mrkdwn');

/** Slack mrkdwn that Kept vouches for: made only by md`…` and the helpers in this file. */
export class Mrkdwn {
  readonly text: string;
  constructor(key: typeof TRUSTED, text: string) {
    if (key !== TRUSTED) throw new Error('Mrkdwn is made with md`…`, which escapes what it is given');
    this.text = text;
  }
  toString(): string {
    return this.text;
  }
}

const trusted = (text: string) => new Mrkdwn(TRUSTED, text);

/** What md`…` accepts: Mrkdwn as it is; anything else as text, escaped. */
export type MdValue = Mrkdwn | string | number;

/** The three characters Slack treats as markup, escaped. */
function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const piece = (v: MdValue) => (v instanceof Mrkdwn ? v.text : escapeText(String(v)));

/** Mrkdwn from a template: the literal parts are Kept's, every value is escaped unless it is Mrkdwn. */
export function md(strings: TemplateStringsArray, ...values: MdValue[]): Mrkdwn {
  let out = strings[0] ?? '';
  values.forEach((v, i) => (out += piece(v) + (strings[i + 1] ?? '')));
  return trusted(out);
}

/** Text as Mrkdwn: every `&`, `<` and `>` escaped, so it can never mention, broadcast or link. */
export function esc(text: string | number): Mrkdwn {
  return trusted(escapeText(String(text)));
}

/** Joins pieces (each escaped unless Mrkdwn) with a separator. */
export function joinMd(parts: readonly MdValue[], separator: MdValue = ''): Mrkdwn {
  return trusted(parts.map(piece).join(piece(separator)));
}

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : text.slice(0, max - 1) + '…';
}

/**
 * Shortens Mrkdwn without cutting through a `<…>` sequence or an `&…;` entity (which would leave
 * half of a mention, or show "&am" to the reader).
 */
export function truncateMd(text: MdValue, max: number): Mrkdwn {
  const s = piece(text);
  if (s.length <= max) return trusted(s);
  let kept = s.slice(0, max - 1);
  const open = kept.lastIndexOf('<');
  if (open > kept.lastIndexOf('>')) kept = kept.slice(0, open);
  const amp = kept.lastIndexOf('&');
  if (amp > kept.lastIndexOf(';') && kept.length - amp <= 5) kept = kept.slice(0, amp);
  return trusted(kept + '…');
}

const USER_ID = /^[UW][A-Z0-9_]{1,30}$/;
const CHANNEL_ID = /^[CGD][A-Z0-9_]{1,30}$/;

/** A mention of a person Kept knows by Slack id (never of anything a person typed as text). */
export function mention(slackUserId: string): Mrkdwn {
  return USER_ID.test(slackUserId) ? trusted(`<@${slackUserId}>`) : esc(slackUserId);
}

/** A link to a channel Kept was given by Slack. */
export function channel(channelId: string): Mrkdwn {
  return CHANNEL_ID.test(channelId) ? trusted(`<#${channelId}>`) : esc(channelId);
}

const PERMALINK = /^https:\/\/[A-Za-z0-9.-]+\.slack\.com\/archives\/[A-Z0-9]+\/p\d+(?:\?[A-Za-z0-9=&._%-]*)?$/;

/**
 * A link to a Slack message, from the permalink Slack gave Kept (chat.getPermalink); anything that
 * is not such a permalink is shown as the label alone.
 */
export function messageLink(permalink: string | null | undefined, label: string): Mrkdwn {
  if (!permalink || !PERMALINK.test(permalink)) return esc(label);
  return trusted(`<${permalink.replace(/&/g, '&amp;')}|${escapeText(label).replace(/\|/g, '¦')}>`);
}

/**
 * A date Slack renders in each reader's own time zone; `fallbackZone` is used where Slack
 * cannot render it (notifications, old clients).
 */
export function slackDate(at: Date, fallbackZone: string): Mrkdwn {
  const unix = Math.floor(at.getTime() / 1000);
  const fallback = DateTime.fromJSDate(at, { zone: fallbackZone }).toFormat("ccc d LLL yyyy HH:mm ZZZZ");
  return trusted(`<!date^${unix}^{date_short_pretty} {time}|${escapeText(fallback)}>`);
}

/**
 * A day without a time, "Wed 16 Dec" (a cadence due date: due by the end of that working day), in
 * `zone`, the account owner's. Plain text rather than a Slack date: Slack would render the moment
 * in each reader's zone, where the end of the owner's day may already be the next day.
 */
export function slackDay(at: Date, zone: string): Mrkdwn {
  return esc(DateTime.fromJSDate(at, { zone }).toFormat('ccc d LLL'));
}

/** Plain-text date for fallback text and plain_text fields, in a given zone. */
export function plainDate(at: Date, zone: string): string {
  return DateTime.fromJSDate(at, { zone }).toFormat('ccc d LLL HH:mm ZZZZ');
}

/** A mrkdwn text object (section fields, accessories' sections). */
export function mrkdwnText(text: MdValue): { type: 'mrkdwn'; text: string } {
  return { type: 'mrkdwn', text: truncateMd(text, LIMITS.sectionText).text };
}

/** A plain_text object: Slack shows it as it is and parses nothing in it. */
export function plainText(text: string, max?: number): { type: 'plain_text'; text: string } {
  return { type: 'plain_text', text: max ? truncate(text, max) : text };
}

export function section(text: MdValue): KnownBlock {
  return { type: 'section', text: mrkdwnText(text) };
}

export function context(text: MdValue): KnownBlock {
  return { type: 'context', elements: [mrkdwnText(text)] };
}

/** A message: `text` is the notification and screen-reader fallback, which Slack parses like mrkdwn. */
export function message(text: MdValue, blocks: KnownBlock[]): Message {
  return { text: truncateMd(text, LIMITS.fallbackText).text, blocks };
}

/** A one-section message, for short answers. */
export function note(text: MdValue): Message {
  const m = piece(text);
  // The fallback drops bold and italics, but keeps Kept's own <…> (a date's format, an id) and :emoji_names:.
  return message(trusted(m.replace(/<[^<>]*>|:[a-z0-9_+-]+:|[*_]/g, (x) => (x.length > 1 ? x : ''))), [section(trusted(m))]);
}

/** What Slack sends back in a submitted view's state.values (the parts Kept reads). */
export type StateValues = Record<
  string,
  Record<
    string,
    {
      value?: string | null;
      selected_option?: { value: string } | null;
      selected_options?: { value: string }[] | null;
      selected_user?: string | null;
      selected_users?: string[] | null;
      selected_date?: string | null;
      selected_time?: string | null;
    }
  >
>;

/** A modal with Kept's usual title, Save and Cancel, carrying `meta` as private metadata. */
export function modal(callbackId: string, title: string, meta: unknown, blocks: KnownBlock[], submit = 'Save', close = 'Cancel'): View {
  const plain = (text: string) => ({ type: 'plain_text' as const, text });
  return { type: 'modal', callback_id: callbackId, title: plain(title), submit: plain(submit), close: plain(close), private_metadata: JSON.stringify(meta), blocks };
}

const buttonText = (text: string) => ({ type: 'plain_text' as const, text });
export function button(actionId: string, text: string, value: string, style?: 'primary' | 'danger') {
  return { type: 'button' as const, action_id: actionId, text: buttonText(text), value, ...(style ? { style } : {}) };
}
