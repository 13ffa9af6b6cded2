// Fuzz (issue 12): 1,200 generated requests, fixed seed, across /commit, /touch, /kept and every
// interaction type (block_actions, view_submission, view_closed, shortcut, message_action,
// block_suggestion), signed, from two workspaces, sent with bounded concurrency to the real
// receiver. Every one is answered within 3 s with a 2xx (a deliberately malformed envelope with a
// 4xx); the process keeps serving (/healthz 200 after); and nothing logs at ERROR: malformed input
// is the sender's problem, never a failure of Kept's.
import fc from 'fast-check';
import pLimit from 'p-limit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTIONS, VIEWS } from '../../src/messages/ids.js';
import { eventually, SIGNING_SECRET, startKept, type Kept } from '../helpers/kept.js';
import { postSigned, sendCommand, sendInteraction, type SendResult } from '../helpers/slack-requests.js';

const SEED = 20261206;
const RUNS = 1_200;
const CONCURRENCY = 6;
const WAIT_MS = 10_000;

let kept: Kept;
const TEAMS = ['T0001', 'T0002'] as const;
const USERS = ['UFUZZ1', 'UFUZZ2', 'UFUZZ3', 'UFUZZ4'] as const;
const CHANNELS = ['CACME', 'CBETA', 'C0RANDOM', 'DFUZZ1', 'GPRIVATE'] as const;
/** Ids of real rows, so some generated clicks and forms hit something. */
const real = { accounts: [] as string[], commitments: [] as string[] };

beforeAll(async () => {
  kept = await startKept({ now: '2026-11-23T14:00:00Z' });
  for (const u of USERS) kept.slack.setUser(u, { name: u.toLowerCase(), tz: 'Europe/Berlin', isAdmin: u === 'UFUZZ4' });
  for (const [text, channel, team] of [['account add Acme', 'CACME', 'T0001'], ['account add Beta Corp', 'CBETA', 'T0001'], ['account add Acme', 'CACME', 'T0002']] as const) {
    await kept.command({ command: '/kept', text, user_id: 'UFUZZ1', team_id: team, channel_id: channel });
    await kept.lastResponse(WAIT_MS);
  }
  for (const title of ['Send pricing', 'Security review']) {
    await kept.command({ text: `acme: ${title} by Friday`, user_id: 'UFUZZ1', team_id: 'T0001', channel_id: 'CACME' });
  }
  await eventually(async () => (await kept.db.commitment.count()) === 2, WAIT_MS);
  real.accounts = (await kept.db.account.findMany()).map((a) => a.id);
  real.commitments = (await kept.db.commitment.findMany()).map((c) => c.id);
});
afterAll(() => kept?.close());

// ---- generators ---------------------------------------------------------------------------------

/** Text of every kind: typed words, markup, ids, JSON, any code point (NUL and lone surrogates too), and very long. */
const anyText = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 60 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 60 }) },
  { weight: 2, arbitrary: fc.constantFrom('<!channel>', '<!here|here>', '<@U0001|ana>', '<#C0001|general>', '<https://evil.example|click>', '&lt;', '*bold*', '`code`', 'null', '{}', '[]', '"', '\\', '\u0000', '\ud800', '🙂', 'C-1', 'C-999999999999', '-1', '1e308') },
  { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 5 }).map((s) => s.repeat(1 + Math.floor(4000 / s.length))) },
);
/** A real commitment or account id (read when the sample is drawn, after beforeAll), or a uuid of nothing. */
const realId = fc.nat().map((i) => {
  const ids = [...real.commitments, ...real.accounts, '00000000-0000-4000-8000-000000000000'];
  return ids[i % ids.length]!;
});
const value = fc.oneof(anyText, realId, realId.map((id) => `${id}|${['1d', '3d', 'nextweek', '<!channel>', ''][id.length % 5]}`), fc.json({ maxDepth: 2 }));
const team = fc.constantFrom<string>(...TEAMS);
const userId = fc.oneof({ weight: 9, arbitrary: fc.constantFrom<string>(...USERS) }, { weight: 1, arbitrary: fc.constantFrom('C0INIT01', '<!channel>', 'U', 'u0001', '') });
const channelId = fc.oneof({ weight: 9, arbitrary: fc.constantFrom<string>(...CHANNELS) }, { weight: 1, arbitrary: anyText });

const WORDS = ['', 'help', 'list', 'list mine', 'list overdue', 'list @x', 'done', 'done C-1', 'account', 'account add', 'account set', 'account link', 'contact add', 'contact list', 'settings', 'settings admins', 'settings history', 'digest weekly', 'digest preview', 'digest off', 'import', 'export accounts', 'acme:', 'acme call with Dana:', 'note:', 'meeting yesterday'];
const TEMPLATES = ['acme: % by Friday', 'acme: % by Dec 3 5pm <@UFUZZ2|x>', 'account add %', 'account set acme alias %', 'account set acme name %', 'acme call with Dana: %', 'acme meeting: % :-1:', 'contact add acme "%" cfo', 'list %', 'done %', 'settings admins %', 'settings hours %'];
const command = fc.record({
  kind: fc.constant('command' as const),
  command: fc.constantFrom('/commit', '/touch', '/kept'),
  text: fc.oneof(
    anyText,
    fc.tuple(fc.constantFrom(...WORDS), anyText).map(([w, t]) => `${w} ${t}`),
    // Odd text where Kept saves it: titles, account names and aliases, summaries, contact names.
    fc.tuple(fc.constantFrom(...TEMPLATES), anyText).map(([w, t]) => w.replace('%', t)),
  ),
  team,
  user: userId,
  channel: channelId,
});

const stateValue = fc.oneof(
  fc.record({ type: fc.constant('plain_text_input'), value: fc.option(anyText) }),
  fc.record({ type: fc.constant('static_select'), selected_option: fc.option(fc.record({ value: value.map(String) })) }),
  fc.record({ type: fc.constant('users_select'), selected_user: fc.option(userId) }),
  fc.record({ type: fc.constant('multi_users_select'), selected_users: fc.array(userId, { maxLength: 3 }) }),
  fc.record({ type: fc.constant('datepicker'), selected_date: fc.option(fc.oneof(fc.constantFrom('2026-12-01', '2026-11-20', '9999-99-99'), anyText)) }),
  fc.record({ type: fc.constant('timepicker'), selected_time: fc.option(fc.oneof(fc.constantFrom('10:30', '25:99'), anyText)) }),
  fc.record({ type: fc.constant('checkboxes'), selected_options: fc.array(fc.record({ value: fc.string({ maxLength: 10 }) }), { maxLength: 2 }) }),
  fc.record({ type: fc.constant('file_input'), files: fc.array(fc.record({ id: fc.oneof(fc.constantFrom('F0001', 'FBAD'), anyText) }), { maxLength: 2 }) }),
  fc.json({ maxDepth: 1 }).map((j) => JSON.parse(j) as unknown),
);
const BLOCK_IDS = ['account', 'new_account', 'title', 'direction', 'owner', 'due_date', 'due_time', 'notes', 'kind', 'when_date', 'when_time', 'contacts', 'others', 'new_contacts', 'colleagues', 'summary', 'sentiment', 'new_date', 'new_time', 'reason', 'announce', 'file', 'check_only'];
const state = fc.dictionary(fc.constantFrom(...BLOCK_IDS), fc.dictionary(fc.constantFrom('value', 'account_select', 'kind', 'file', 'check_only', 'x'), stateValue, { maxKeys: 2 }), { maxKeys: 8 });
const metadata = fc.oneof(
  anyText,
  fc.record({ channelId: fc.option(channelId), timeZone: fc.constantFrom('Europe/Berlin', 'UTC', 'Mars/Olympus', ''), accountId: fc.option(realId), commitmentId: fc.oneof(realId, anyText), message: fc.option(fc.record({ channel: channelId, ts: fc.constantFrom('1795000000.000100', 'x'), multi: fc.boolean() })) }).map((m) => JSON.stringify(m)),
);

const actor = fc.record({ team, user: userId });
const blockActions = fc.record({
  kind: fc.constant('interaction' as const),
  actor,
  channel: fc.option(channelId),
  actions: fc.oneof(
    { weight: 9, arbitrary: fc.array(fc.record({ action_id: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...Object.values(ACTIONS)) }, { weight: 1, arbitrary: anyText }), value, selected_option: fc.option(fc.record({ value: value.map(String) })), selected_user: fc.option(userId) }), { minLength: 1, maxLength: 2 }) },
    { weight: 1, arbitrary: fc.constantFrom([], null, 'x', [null], [{}]) },
  ),
}).map(({ actor: a, channel, actions }) => ({
  kind: 'interaction' as const,
  payload: {
    type: 'block_actions',
    team: { id: a.team },
    user: { id: a.user, team_id: a.team },
    trigger_id: 'trig.fuzz',
    ...(channel ? { channel: { id: channel }, message: { ts: '1795000000.000100', blocks: [] }, response_url: kept.slack.responseUrl() } : {}),
    actions,
  },
}));
const view = fc.record({
  kind: fc.constant('interaction' as const),
  type: fc.constantFrom('view_submission', 'view_closed'),
  actor,
  callback: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...Object.values(VIEWS)) }, { weight: 1, arbitrary: anyText }),
  metadata,
  state: fc.oneof({ weight: 9, arbitrary: state.map((values) => ({ values })) }, { weight: 1, arbitrary: fc.constantFrom(null, {}, { values: null }, 'x') }),
  withInput: fc.boolean(),
}).map((v) => ({
  kind: 'interaction' as const,
  payload: {
    type: v.type,
    team: { id: v.actor.team },
    user: { id: v.actor.user, team_id: v.actor.team },
    view: {
      id: 'VFUZZ' + v.callback.length,
      callback_id: v.callback,
      private_metadata: v.metadata,
      state: v.state,
      blocks: v.withInput ? [{ type: 'input', block_id: 'title', element: { type: 'plain_text_input', action_id: 'value' }, label: { type: 'plain_text', text: 'x' } }] : [],
    },
  },
}));
const other = fc.oneof(
  fc.record({ actor, callback: anyText, type: fc.constantFrom('shortcut', 'message_action') }).map((s) => ({
    kind: 'interaction' as const,
    payload: { type: s.type, callback_id: s.callback, trigger_id: 'trig.fuzz', team: { id: s.actor.team }, user: { id: s.actor.user, team_id: s.actor.team }, channel: { id: 'CACME' }, message: { ts: '1.2', text: 'x' } },
  })),
  fc.record({ actor, action: fc.oneof(fc.constant(ACTIONS.accountSelect), anyText), value: anyText }).map((o) => ({
    kind: 'interaction' as const,
    payload: { type: 'block_suggestion', action_id: o.action, block_id: 'account', value: o.value, team: { id: o.actor.team }, user: { id: o.actor.user, team_id: o.actor.team } },
  })),
  // Fields of one kind under another's type, unknown types, and the wrong shapes for the fields Bolt routes on.
  fc.record({ type: fc.oneof(fc.constantFrom('block_actions', 'view_submission', 'event_callback', 'interactive_message', 'dialog_submission'), anyText), junk: fc.dictionary(fc.constantFrom('actions', 'view', 'event', 'user', 'team', 'name', 'command', 'authorizations', 'enterprise'), fc.json({ maxDepth: 1 }).map((j) => JSON.parse(j) as unknown), { maxKeys: 4 }) }).map((o) => ({
    kind: 'interaction' as const,
    payload: { ...o.junk, type: o.type } as Record<string, unknown>,
  })),
);
/** Envelopes Slack never sends: not a JSON object at all. A 4xx is the right answer to these. */
const malformed = fc.oneof(
  fc.constantFrom('payload=null', 'payload=1', 'payload=%22x%22', 'payload=%5B%5D', 'payload=%7B', 'payload=').map((body) => ({ kind: 'malformed' as const, body, type: 'application/x-www-form-urlencoded' })),
  fc.oneof(fc.constantFrom('null', '[]', '1', 'true', '"x"', ''), anyText).map((body) => ({ kind: 'malformed' as const, body, type: 'application/json' })),
);

const request = fc.oneof(
  { weight: 6, arbitrary: command },
  { weight: 6, arbitrary: blockActions },
  { weight: 5, arbitrary: view },
  { weight: 3, arbitrary: other },
  { weight: 1, arbitrary: malformed },
);
type Request = typeof request extends fc.Arbitrary<infer T> ? T : never;

async function send(r: Request): Promise<SendResult> {
  if (r.kind === 'command') {
    return sendCommand(kept.baseUrl, SIGNING_SECRET, { command: r.command, text: r.text, team_id: r.team, user_id: r.user, channel_id: r.channel, response_url: kept.slack.responseUrl() });
  }
  if (r.kind === 'interaction') return sendInteraction(kept.baseUrl, SIGNING_SECRET, r.payload);
  return postSigned(`${kept.baseUrl}/slack/events`, SIGNING_SECRET, r.body, r.type);
}

describe('fuzz', () => {
  it(`answers ${RUNS} generated requests in time, with a 2xx (a 4xx for a malformed envelope), and keeps serving`, { timeout: 120_000 }, async () => {
    const requests = fc.sample(request, { seed: SEED, numRuns: RUNS });
    const kinds = new Set(requests.map((r) => (r.kind === 'interaction' ? String((r.payload as { type?: unknown }).type) : r.kind === 'command' ? r.command : r.kind)));
    for (const k of ['/commit', '/touch', '/kept', 'block_actions', 'view_submission', 'view_closed', 'shortcut', 'message_action', 'block_suggestion', 'malformed']) expect(kinds, k).toContain(k);

    const limit = pLimit(CONCURRENCY);
    const results = await Promise.all(requests.map((r) => limit(async () => ({ r, res: await send(r) }))));
    const wrong = results.filter(({ r, res }) => {
      const ok = r.kind === 'malformed' ? res.status >= 200 && res.status < 500 : res.status >= 200 && res.status < 300;
      return !ok || res.ms >= 3000;
    });
    expect(wrong.map(({ r, res }) => `${res.status} in ${Math.round(res.ms)} ms: ${JSON.stringify(r).slice(0, 300)}`)).toEqual([]);

    // The work after the acknowledgements finishes, and the process still serves.
    await eventually(() => USERS.every((u) => TEAMS.every((t) => kept.bot.fairUse.gate.count(`${t}:${u}`) === 0)), 60_000);
    expect((await fetch(`${kept.baseUrl}/healthz`)).status).toBe(200);
    const answer = await kept.command({ command: '/kept', text: 'help', user_id: 'UFUZZ1', team_id: 'T0001', channel_id: 'CACME' });
    expect(answer.status).toBe(200);
    expect(kept.logs.filter((l) => JSON.parse(l).level === 'error')).toEqual([]);
    // It reached the listeners: forms opened, things saved, Slack called.
    expect(kept.slack.callsTo('views.open').length).toBeGreaterThan(50);
    expect(await kept.db.commitment.count()).toBeGreaterThan(2);
    expect(await kept.db.touch.count()).toBeGreaterThan(0);
  });
});
