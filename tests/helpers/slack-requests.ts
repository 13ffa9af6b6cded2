// Signed requests and realistic payload factories for driving a Bolt HTTPReceiver the way Slack does.
import { createHmac, randomBytes } from 'node:crypto';

export const DEFAULTS = {
  token: 'verification-token',
  teamId: 'T0001',
  teamDomain: 'kept-test',
  apiAppId: 'A0001',
  channelId: 'C0001',
  channelName: 'general',
  userId: 'U0001',
  messageTs: '1700000000.000100',
  responseUrl: 'https://hooks.slack.com/actions/T0001/1/placeholder',
} as const;

const uid = () => randomBytes(6).toString('hex');
const nowSeconds = () => Math.floor(Date.now() / 1000);
const actionTs = () => (Date.now() / 1000).toFixed(6);
const userName = (id: string) => id.toLowerCase();
const plain = (text: string) => ({ type: 'plain_text', text, emoji: true });

// ---- signing ------------------------------------------------------------------------------------------------------

export function sign(signingSecret: string, timestamp: number, rawBody: string): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`;
}

export interface SendOptions {
  /** Request timestamp in seconds; defaults to now. */
  timestamp?: number;
  /** Send this signature instead of the correct one (e.g. to test forgery). */
  signature?: string;
  headers?: Record<string, string>;
}

export interface SendResult {
  status: number;
  body: string;
  /** Time until the full response was read. */
  ms: number;
}

export async function postSigned(
  url: string,
  signingSecret: string,
  rawBody: string,
  contentType: string,
  opts: SendOptions = {},
): Promise<SendResult> {
  const timestamp = opts.timestamp ?? nowSeconds();
  const started = performance.now();
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': contentType,
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': opts.signature ?? sign(signingSecret, timestamp, rawBody),
      ...opts.headers,
    },
    body: rawBody,
  });
  const body = await res.text();
  return { status: res.status, body, ms: performance.now() - started };
}

const eventsUrl = (baseUrl: string) => `${baseUrl.replace(/\/$/, '')}/slack/events`;
const FORM = 'application/x-www-form-urlencoded';

// ---- slash commands -----------------------------------------------------------------------------------------------

export interface SlashCommandFields {
  token: string;
  team_id: string;
  team_domain: string;
  channel_id: string;
  channel_name: string;
  user_id: string;
  user_name: string;
  command: string;
  text: string;
  api_app_id: string;
  is_enterprise_install: string;
  response_url: string;
  trigger_id: string;
}

export function slashCommand(overrides: Partial<SlashCommandFields> = {}): SlashCommandFields {
  const userId = overrides.user_id ?? DEFAULTS.userId;
  return {
    token: DEFAULTS.token,
    team_id: DEFAULTS.teamId,
    team_domain: DEFAULTS.teamDomain,
    channel_id: DEFAULTS.channelId,
    channel_name: DEFAULTS.channelName,
    user_id: userId,
    user_name: userName(userId),
    command: '/commit',
    text: '',
    api_app_id: DEFAULTS.apiAppId,
    is_enterprise_install: 'false',
    response_url: DEFAULTS.responseUrl,
    trigger_id: `trig.${uid()}`,
    ...overrides,
  };
}

/** Posts a slash command form-encoded; missing fields are filled in by `slashCommand()`. */
export function sendCommand(
  baseUrl: string,
  signingSecret: string,
  fields: Partial<SlashCommandFields> = {},
  opts?: SendOptions,
): Promise<SendResult> {
  const body = new URLSearchParams({ ...slashCommand(fields) }).toString();
  return postSigned(eventsUrl(baseUrl), signingSecret, body, FORM, opts);
}

// ---- interactivity ------------------------------------------------------------------------------------------------

// Slack payloads are free-form JSON; `any` keeps test assertions terse.
export type SlackPayload = Record<string, any>;

export interface SelectedOption {
  value: string;
  text?: string;
}

export const option = ({ value, text = value }: SelectedOption) => ({ text: plain(text), value });

interface Actor {
  userId?: string;
  teamId?: string;
}

function actorFields({ userId = DEFAULTS.userId, teamId = DEFAULTS.teamId }: Actor) {
  return {
    team: { id: teamId, domain: DEFAULTS.teamDomain },
    user: { id: userId, username: userName(userId), name: userName(userId), team_id: teamId },
    api_app_id: DEFAULTS.apiAppId,
    token: DEFAULTS.token,
    is_enterprise_install: false,
    enterprise: null,
  };
}

export interface BlockActionOptions extends Actor {
  actionId: string;
  value?: string;
  blockId?: string;
  channelId?: string;
  messageTs?: string;
  triggerId?: string;
  responseUrl?: string;
  /** Makes a select-style action (static_select unless `actionType` says e.g. 'overflow'). */
  selectedOption?: SelectedOption;
  /** Makes a users_select action. */
  selectedUser?: string;
  actionType?: string;
  /** The modal / home view the action happened in. */
  view?: SlackPayload;
}

export function blockAction(o: BlockActionOptions): SlackPayload {
  const blockId = o.blockId ?? `b.${uid()}`;
  const base = { action_id: o.actionId, block_id: blockId, action_ts: actionTs() };
  const action = o.selectedOption
    ? { ...base, type: o.actionType ?? 'static_select', selected_option: option(o.selectedOption) }
    : o.selectedUser !== undefined
      ? { ...base, type: o.actionType ?? 'users_select', selected_user: o.selectedUser }
      : { ...base, type: o.actionType ?? 'button', value: o.value ?? '', text: plain('Button') };
  const messageTs = o.messageTs ?? DEFAULTS.messageTs;
  const inMessage = o.channelId !== undefined;
  const view = o.view && { type: 'modal', id: `V${uid()}`, hash: `h.${uid()}`, state: { values: {} }, ...o.view };
  return {
    type: 'block_actions',
    ...actorFields(o),
    container: inMessage
      ? { type: 'message', message_ts: messageTs, channel_id: o.channelId, is_ephemeral: false }
      : { type: 'view', view_id: view?.id },
    trigger_id: o.triggerId ?? `trig.${uid()}`,
    ...(inMessage && {
      channel: { id: o.channelId, name: DEFAULTS.channelName },
      message: { type: 'message', user: 'UBOT', bot_id: 'BBOT', ts: messageTs, text: '', blocks: [] },
    }),
    ...(view && { view }),
    state: { values: {} },
    ...((inMessage || o.responseUrl) && { response_url: o.responseUrl ?? DEFAULTS.responseUrl }),
    actions: [action],
  };
}

/** One input's state, as Slack reports it in `view.state.values[blockId][actionId]`. */
export interface ViewStateValue {
  type: string;
  value?: string | null;
  selected_option?: { text: { type: string; text: string }; value: string } | null;
  selected_options?: { text: { type: string; text: string }; value: string }[];
  selected_user?: string | null;
  selected_users?: string[];
  selected_conversation?: string | null;
  selected_channel?: string | null;
  selected_date?: string | null;
  selected_time?: string | null;
  selected_date_time?: number | null;
  timezone?: string;
  [key: string]: unknown;
}
export type ViewStateValues = Record<string, Record<string, ViewStateValue>>;

export interface ViewSubmissionOptions extends Actor {
  callbackId: string;
  values: ViewStateValues;
  privateMetadata?: string;
  viewId?: string;
  hash?: string;
  triggerId?: string;
}

export function viewSubmission(o: ViewSubmissionOptions): SlackPayload {
  const teamId = o.teamId ?? DEFAULTS.teamId;
  const viewId = o.viewId ?? `V${uid()}`;
  return {
    type: 'view_submission',
    ...actorFields(o),
    trigger_id: o.triggerId ?? `trig.${uid()}`,
    view: {
      id: viewId,
      team_id: teamId,
      type: 'modal',
      blocks: [],
      private_metadata: o.privateMetadata ?? '',
      callback_id: o.callbackId,
      state: { values: o.values },
      hash: o.hash ?? `h.${uid()}`,
      title: plain('Kept'),
      clear_on_close: false,
      notify_on_close: false,
      close: null,
      submit: plain('Save'),
      previous_view_id: null,
      root_view_id: viewId,
      app_id: DEFAULTS.apiAppId,
      external_id: '',
      app_installed_team_id: teamId,
      bot_id: 'BBOT',
    },
    response_urls: [],
  };
}

export interface BlockSuggestionOptions extends Actor {
  actionId: string;
  /** What the user has typed so far. */
  value: string;
  blockId?: string;
  /** The modal the external_select lives in. */
  view?: SlackPayload;
}

export function blockSuggestion(o: BlockSuggestionOptions): SlackPayload {
  const view = { type: 'modal', id: `V${uid()}`, hash: `h.${uid()}`, state: { values: {} }, ...o.view };
  return {
    type: 'block_suggestion',
    ...actorFields(o),
    container: { type: 'view', view_id: view.id },
    action_id: o.actionId,
    block_id: o.blockId ?? `b.${uid()}`,
    value: o.value,
    view,
  };
}

// ---- shortcuts ----------------------------------------------------------------------------------------------------

export interface MessageShortcutOptions extends Actor {
  callbackId: string;
  /** The message the shortcut was used on. */
  text: string;
  /** Its author; omit with `botId` for a bot's message. */
  author?: string | null;
  botId?: string;
  channelId?: string;
  channelName?: string;
  messageTs?: string;
  /** Set when the message is a reply in a thread. */
  threadTs?: string;
  triggerId?: string;
  responseUrl?: string;
}

/** A message shortcut as Slack sends it (`type: message_action`): the message, its channel, a trigger and a response_url. */
export function messageShortcut(o: MessageShortcutOptions): SlackPayload {
  const teamId = o.teamId ?? DEFAULTS.teamId;
  const ts = o.messageTs ?? DEFAULTS.messageTs;
  const author = o.author === undefined ? DEFAULTS.userId : o.author;
  return {
    type: 'message_action',
    ...actorFields(o),
    action_ts: actionTs(),
    callback_id: o.callbackId,
    trigger_id: o.triggerId ?? `trig.${uid()}`,
    response_url: o.responseUrl ?? DEFAULTS.responseUrl,
    message_ts: ts,
    channel: { id: o.channelId ?? DEFAULTS.channelId, name: o.channelName ?? DEFAULTS.channelName },
    message: {
      type: 'message',
      ...(author ? { user: author, client_msg_id: `m-${uid()}` } : { bot_id: o.botId ?? 'BOTHER', subtype: 'bot_message' }),
      text: o.text,
      ts,
      team: teamId,
      ...(o.threadTs ? { thread_ts: o.threadTs, parent_user_id: author ?? undefined } : {}),
      blocks: [{ type: 'rich_text', block_id: uid(), elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text: o.text }] }] }],
    },
  };
}

export interface GlobalShortcutOptions extends Actor {
  callbackId: string;
  triggerId?: string;
}

/** A global shortcut from Slack's shortcut menu (`type: shortcut`): only who and a trigger. */
export function globalShortcut(o: GlobalShortcutOptions): SlackPayload {
  return {
    type: 'shortcut',
    ...actorFields(o),
    action_ts: actionTs(),
    callback_id: o.callbackId,
    trigger_id: o.triggerId ?? `trig.${uid()}`,
  };
}

/** Posts an interactivity payload as Slack does: form-encoded `payload=<json>`. */
export function sendInteraction(
  baseUrl: string,
  signingSecret: string,
  payload: SlackPayload,
  opts?: SendOptions,
): Promise<SendResult> {
  const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  return postSigned(eventsUrl(baseUrl), signingSecret, body, FORM, opts);
}

// ---- Events API ---------------------------------------------------------------------------------------------------

export interface EventOptions extends SendOptions {
  teamId?: string;
  /** Reuse an id to emulate Slack redelivering the same event. */
  eventId?: string;
  /** Adds X-Slack-Retry-Num (and X-Slack-Retry-Reason, default 'http_timeout'). */
  retryNum?: number;
  retryReason?: string;
}

export function eventEnvelope(event: SlackPayload, o: { teamId?: string; eventId?: string } = {}): SlackPayload {
  const teamId = o.teamId ?? DEFAULTS.teamId;
  return {
    token: DEFAULTS.token,
    team_id: teamId,
    api_app_id: DEFAULTS.apiAppId,
    event,
    type: 'event_callback',
    event_id: o.eventId ?? `Ev${uid().toUpperCase()}`,
    event_time: nowSeconds(),
    authorizations: [{ enterprise_id: null, team_id: teamId, user_id: 'UBOT', is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: false,
  };
}

/** Posts an `event_callback` envelope around `event`; the result carries the envelope's `eventId` for redelivery. */
export async function sendEvent(
  baseUrl: string,
  signingSecret: string,
  event: SlackPayload,
  opts: EventOptions = {},
): Promise<SendResult & { eventId: string }> {
  const envelope = eventEnvelope(event, opts);
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.retryNum !== undefined) {
    headers['x-slack-retry-num'] = String(opts.retryNum);
    headers['x-slack-retry-reason'] = opts.retryReason ?? 'http_timeout';
  }
  const res = await postSigned(eventsUrl(baseUrl), signingSecret, JSON.stringify(envelope), 'application/json', {
    ...opts,
    headers,
  });
  return { ...res, eventId: envelope.event_id as string };
}
