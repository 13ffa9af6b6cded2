// Small formatting pieces shared by the view builders, and Slack's size limits.
import type { KnownBlock } from '@slack/types';
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

/** Escapes the three characters Slack's mrkdwn treats as control characters. */
export function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : text.slice(0, max - 1) + '…';
}

export function mention(slackUserId: string): string {
  return `<@${slackUserId}>`;
}

/**
 * A date Slack renders in each reader's own time zone; `fallbackZone` is used where Slack
 * cannot render it (notifications, old clients).
 */
export function slackDate(at: Date, fallbackZone: string): string {
  const unix = Math.floor(at.getTime() / 1000);
  const fallback = DateTime.fromJSDate(at, { zone: fallbackZone }).toFormat("ccc d LLL yyyy HH:mm ZZZZ");
  return `<!date^${unix}^{date_short_pretty} {time}|${fallback}>`;
}

/** Plain-text date for fallback text and plain_text fields, in a given zone. */
export function plainDate(at: Date, zone: string): string {
  return DateTime.fromJSDate(at, { zone }).toFormat('ccc d LLL HH:mm ZZZZ');
}

export function section(text: string): KnownBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: truncate(text, LIMITS.sectionText) } };
}

export function context(text: string): KnownBlock {
  return { type: 'context', elements: [{ type: 'mrkdwn', text: truncate(text, LIMITS.sectionText) }] };
}

export function message(text: string, blocks: KnownBlock[]): Message {
  return { text: truncate(text, LIMITS.fallbackText), blocks };
}

/** A one-section message, for short answers. */
export function note(text: string): Message {
  return message(text.replace(/[*_]/g, ''), [section(text)]);
}
