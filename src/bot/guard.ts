// Every request Slack sends is acknowledged within its 3 seconds, whatever it holds.
//
// It sits outermost around app.processEvent (before fair use and Bolt). It checks the envelope's
// shape with zod first: Bolt itself reads `body.event`, `body.actions[0]`, `body.user.id` without
// checks and would throw before any listener could ack (a 500, or Slack's timeout), and the
// listeners read a form's state as Slack documents it. A request of a kind Kept handles but in a
// shape Slack never sends is acknowledged and answered with a short note (a field error on a
// form); a kind Kept does not handle (a shortcut, view_closed, an unknown action id) is simply
// acknowledged. A listener that has not acknowledged by ACK_DEADLINE_MS is acknowledged for it.
import type { App, ReceiverEvent } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import type { Logger } from '../logger.js';
import { note } from '../messages/format.js';
import { EVENTS } from '../messages/ids.js';
import { isSlackChannelId, slackChannelId, slackTeamId, slackUserId } from '../messages/slack-values.js';
import { replyPrivately } from './reply.js';

/** Below Slack's 3 s, with room for the response to travel. */
export const ACK_DEADLINE_MS = 2_500;

type Ack = ReceiverEvent['ack'];

/** The acknowledgement of each request in flight, by its body: the error handler acknowledges before it answers. */
const pending = new WeakMap<object, Ack>();

/** Acknowledges the request `body` came in, if nothing has yet (a no-op otherwise). */
export async function ackIfPending(body: unknown): Promise<void> {
  const ack = body && typeof body === 'object' ? pending.get(body) : undefined;
  if (ack) await ack();
}

// ---- envelope shapes: what Bolt and Kept's listeners read, as Slack documents it -----------------

const record = z.record(z.string(), z.unknown());
const str = z.string().max(4_000);
const team = z.looseObject({ id: slackTeamId });
const user = z.looseObject({ id: slackUserId, team_id: slackTeamId.optional() });
const channel = z.looseObject({ id: z.string().max(40) });

const command = z.looseObject({
  command: z.string().regex(/^\/[a-z0-9_-]{1,32}$/),
  text: z.string().max(20_000),
  team_id: slackTeamId,
  user_id: slackUserId,
  channel_id: slackChannelId,
  trigger_id: str,
  response_url: str.optional(),
});

const option = z.looseObject({ value: z.string() });
/** One input's state in a submitted form (the fields Kept reads, each in the type Slack gives it). */
const stateValue = z.looseObject({
  type: z.string().optional(),
  value: z.string().nullish(),
  selected_option: option.nullish(),
  selected_options: z.array(option).nullish(),
  selected_user: z.string().nullish(),
  selected_users: z.array(z.string()).nullish(),
  selected_date: z.string().nullish(),
  selected_time: z.string().nullish(),
  files: z.array(z.looseObject({ id: z.unknown().optional() })).nullish(),
});
const view = z.looseObject({
  id: str,
  callback_id: str,
  private_metadata: z.string().max(10_000).optional(),
  blocks: z.array(record).optional(),
});
const viewSubmission = z.looseObject({
  type: z.literal('view_submission'),
  user,
  team: team.nullish(),
  view: view.extend({ state: z.looseObject({ values: z.record(z.string(), z.record(z.string(), stateValue)) }) }),
});
const viewClosed = z.looseObject({ type: z.literal('view_closed'), user, team: team.nullish(), view });

const action = z.looseObject({
  action_id: str,
  block_id: str.optional(),
  type: z.string().optional(),
  value: z.string().optional(),
  selected_option: option.nullish(),
  selected_user: z.string().nullish(),
});
const blockActions = z.looseObject({
  type: z.literal('block_actions'),
  user,
  team: team.nullish(),
  actions: z.array(action).min(1),
  trigger_id: str.optional(),
  response_url: str.optional(),
  channel: channel.optional(),
  message: z.looseObject({ ts: str, blocks: z.array(record).optional() }).optional(),
  view: z.looseObject({ id: str, private_metadata: z.string().max(10_000).optional() }).optional(),
  container: record.optional(),
});
const blockSuggestion = z.looseObject({ type: z.literal('block_suggestion'), user, team: team.nullish(), action_id: str, value: z.string().max(4_000) });
const shortcut = z.looseObject({ type: z.enum(['shortcut', 'message_action']), user, team: team.nullish(), callback_id: str, trigger_id: str });
// Kept subscribes to app_home_opened, app_uninstalled and tokens_revoked; others are acknowledged without reaching Bolt.
const event = z.looseObject({
  type: z.literal('event_callback'),
  team_id: slackTeamId,
  authorizations: z.array(record).optional(),
  event: z.union([
    z.looseObject({ type: z.literal(EVENTS.appHomeOpened), user: slackUserId, tab: z.string().optional(), channel: z.string().optional() }),
    // OAuth mode (issue 17): the token of this workspace is gone.
    z.looseObject({ type: z.literal(EVENTS.appUninstalled) }),
    z.looseObject({ type: z.literal(EVENTS.tokensRevoked), tokens: z.looseObject({ bot: z.array(z.string()).optional(), oauth: z.array(z.string()).optional() }) }),
  ]),
});
const EVENT_TYPES: readonly string[] = [EVENTS.appHomeOpened, EVENTS.appUninstalled, EVENTS.tokensRevoked];

type Kind = 'command' | 'block_actions' | 'view_submission' | 'view_closed' | 'block_suggestion' | 'shortcut' | 'event_callback';
const SHAPES: Record<Kind, z.ZodType> = {
  command,
  block_actions: blockActions,
  view_submission: viewSubmission,
  view_closed: viewClosed,
  block_suggestion: blockSuggestion,
  shortcut,
  event_callback: event,
};

/** What kind of request a body claims to be (by the fields Bolt routes on), or null for one Kept does not take. */
export function kindOf(body: Record<string, unknown>): Kind | null {
  if (body.command !== undefined) return 'command';
  if (body.type === 'message_action') return 'shortcut';
  return typeof body.type === 'string' && body.type in SHAPES && body.type !== 'command' ? (body.type as Kind) : null;
}

export type Checked = { ok: true; kind: Kind } | { ok: false; kind: Kind | null; why: string };

function hasNul(v: unknown, depth = 0): boolean {
  if (typeof v === 'string') return v.includes('\u0000');
  if (!v || typeof v !== 'object' || depth > 64) return false;
  return Object.entries(v).some(([k, x]) => k.includes('\u0000') || hasNul(x, depth + 1));
}

/** Checks a request's envelope; a body that is not a Slack request Kept handles is `kind: null`. */
export function checkEnvelope(body: unknown): Checked {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return { ok: false, kind: null, why: 'not an object' };
  const b = body as Record<string, unknown>;
  const kind = kindOf(b);
  // Bolt routes on these fields, in this order, whatever `type` says: a field that would send the
  // request down another path than its kind must be absent.
  const routing = [
    ['event', kind === 'event_callback'],
    ['name', kind === 'event_callback' || kind === 'command'],
    ['actions', kind === 'event_callback' || kind === 'command' || kind === 'block_actions'],
  ] as const;
  for (const [field, allowed] of routing) {
    if (b[field] !== undefined && !allowed) return { ok: false, kind, why: `unexpected ${field}` };
  }
  if (kind === 'command' && b.event !== undefined) return { ok: false, kind, why: 'unexpected event' };
  if (!kind) return { ok: false, kind: null, why: `a request of type ${JSON.stringify(String(b.type ?? '')).slice(0, 40)}` };
  const eventType = (b.event as { type?: unknown } | null | undefined)?.type;
  if (kind === 'event_callback' && typeof eventType === 'string' && !EVENT_TYPES.includes(eventType)) {
    return { ok: false, kind: null, why: 'an event Kept does not subscribe to' };
  }
  // No one can type a NUL, and Postgres refuses it in text: a request carrying one is not Slack's.
  if (hasNul(b)) return { ok: false, kind, why: 'a NUL character' };
  const parsed = SHAPES[kind].safeParse(b);
  if (parsed.success) {
    // Listeners find the workspace from the team, or (org-wide installs) the user's team.
    const interactive = kind !== 'command' && kind !== 'event_callback';
    if (interactive && !(b.team as { id?: string } | null)?.id && !(b.user as { team_id?: string }).team_id) return { ok: false, kind, why: 'no team' };
    return { ok: true, kind };
  }
  const issue = parsed.error.issues[0];
  return { ok: false, kind, why: `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'malformed'}` };
}

const COULD_NOT_READ = 'Kept could not read that request, so nothing was changed. Please try again; if it keeps happening, tell whoever runs Kept.';
const COULD_NOT_READ_FORM = 'Kept could not read this form, so nothing was saved. Close it and open it again.';

/** The first input block of a submitted form, where a form-wide problem is shown. */
export function firstInputBlock(body: unknown): string | undefined {
  const blocks = (body as { view?: { blocks?: unknown } } | null)?.view?.blocks;
  if (!Array.isArray(blocks)) return undefined;
  const input = blocks.find((b) => b && typeof b === 'object' && (b as { type?: unknown }).type === 'input' && typeof (b as { block_id?: unknown }).block_id === 'string');
  return (input as { block_id?: string } | undefined)?.block_id;
}

/** The acknowledgement of a form Kept cannot use: an error on its first field, so the person sees it in the form. */
export function formProblem(body: unknown, text = COULD_NOT_READ_FORM): { response_action: 'errors'; errors: Record<string, string> } | undefined {
  const field = firstInputBlock(body);
  return field ? { response_action: 'errors', errors: { [field]: text } } : undefined;
}

/**
 * Answers a submitted form Kept cannot use (its private_metadata unreadable, say): an error on its
 * first field, or, in a form without fields, a private note; nothing is saved either way.
 */
export async function refuseForm(ack: (response?: any) => Promise<void>, body: { user: { id: string } }, client: WebClient, logger: Logger, why: string): Promise<void> {
  logger.warn(`refused a form Kept could not read (${why})`);
  const problem = formProblem(body);
  if (problem) return ack(problem);
  await ack();
  await replyPrivately(client, { userId: body.user.id }, note(COULD_NOT_READ_FORM)).catch((err) => logger.warn('could not tell someone their form was unreadable:', (err as Error).message));
}

/** Acknowledges a malformed request of a kind Kept handles, and tells the person where it can. */
async function answerMalformed(body: unknown, kind: Kind | null, ack: Ack, client: WebClient, logger: Logger): Promise<void> {
  const b = (body ?? {}) as Record<string, any>;
  switch (kind) {
    case 'command':
      return ack({ response_type: 'ephemeral', ...note(COULD_NOT_READ) });
    case 'block_suggestion':
      return ack({ options: [] });
    case 'view_submission': {
      const problem = formProblem(body);
      if (problem) return ack(problem);
      await ack();
      break;
    }
    default:
      await ack();
      // Only a click is worth a note: a view closing, a shortcut or an event has no one waiting.
      if (kind !== 'block_actions') return;
  }
  const userId = typeof b.user?.id === 'string' ? b.user.id : undefined;
  if (!slackUserId.safeParse(userId).success) return;
  const channelId = isSlackChannelId(b.channel?.id) ? b.channel.id : null;
  const responseUrl = typeof b.response_url === 'string' && /^https?:\/\//.test(b.response_url) ? b.response_url : null;
  await replyPrivately(client, { userId: userId!, channelId, responseUrl }, note(COULD_NOT_READ)).catch((err) =>
    logger.warn('could not tell someone their request was unreadable:', (err as Error).message),
  );
}

/** Puts the guard in front of everything else that processes Slack's requests. */
export function installGuard(app: App, logger: Logger): void {
  const processEvent = app.processEvent.bind(app);
  app.processEvent = async (event) => {
    let acked = false;
    const ack: Ack = async (response) => {
      if (acked) return;
      acked = true;
      await event.ack(response);
    };
    const body = event.body as unknown;
    if (body && typeof body === 'object') pending.set(body, ack);
    const late = setTimeout(() => {
      if (acked) return;
      logger.warn(`a request was not acknowledged within ${ACK_DEADLINE_MS} ms; acknowledged it so Slack does not time out`);
      ack().catch(() => {});
    }, ACK_DEADLINE_MS);
    try {
      const checked = checkEnvelope(body);
      if (!checked.ok) {
        // Slack never sends these: whoever holds the signing secret, or a change at Slack. Worth a
        // warning, never an error: nothing in Kept failed.
        if (checked.kind) logger.warn(`refused a malformed ${checked.kind} request (${checked.why})`);
        return await answerMalformed(body, checked.kind, ack, app.client, logger);
      }
      await processEvent({ ...event, ack });
    } finally {
      clearTimeout(late);
      if (body && typeof body === 'object') pending.delete(body);
      // Nothing listened (an action id, a view or a shortcut Kept does not know): a plain acknowledgement.
      if (!acked) await ack().catch((err) => logger.warn('could not acknowledge a request:', (err as Error).message));
    }
  };
}
