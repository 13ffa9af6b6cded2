// Small formatting pieces shared by the view builders, and Slack's size limits.
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
