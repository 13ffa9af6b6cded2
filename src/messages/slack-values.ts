// The shapes of values that come back from Slack (ids, button values, a form's private metadata),
// checked with zod before anything uses them. Slack sends back what Kept gave it, but a request is
// only as good as its signature: a value that is not the shape Kept wrote is refused as "no longer
// exists" or "could not read this form", never passed to the database or echoed into a message.
// Shared by the builders' metadata schemas (src/messages) and the listeners (src/bot).
import { IANAZone } from 'luxon';
import { z } from 'zod';

export const slackUserId = z.string().regex(/^[UW][A-Z0-9]{2,}$/, 'a Slack user id (U… or W…)');
export const slackChannelId = z.string().regex(/^[CDG][A-Z0-9]{2,}$/, 'a Slack channel id (C…, D… or G…)');
export const slackTeamId = z.string().regex(/^[TE][A-Z0-9]{2,}$/, 'a Slack workspace id (T… or E…)');
export const messageTs = z.string().regex(/^\d{1,12}\.\d{1,8}$/, 'a message timestamp');
/** Kept's own ids (commitments, accounts, contacts) are uuids. */
export const keptId = z.uuid();
export const timeZone = z.string().max(64).refine((z) => IANAZone.isValidZone(z), 'an IANA time zone');

export const isSlackUserId = (v: unknown): v is string => slackUserId.safeParse(v).success;
export const isSlackChannelId = (v: unknown): v is string => slackChannelId.safeParse(v).success;
export const isKeptId = (v: unknown): v is string => keptId.safeParse(v).success;

/** JSON text (a button's value, a view's private_metadata) read against `schema`; null when it is not that shape. */
export function readJson<T>(text: string | null | undefined, schema: z.ZodType<T>): T | null {
  if (typeof text !== 'string' || text.length > 10_000) return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : null;
}
