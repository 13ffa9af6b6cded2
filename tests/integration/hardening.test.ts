// Issue 12, items 1, 4, 5 and 6, on the real HTTP receiver with signed requests from two
// workspaces: nothing a request holds stops Kept or goes unanswered; values from Slack are checked
// before use; one long account name costs no one else anything.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closestAccounts } from '../../src/services/match.js';
import { eventually, SIGNING_SECRET, startKept, type Kept } from '../helpers/kept.js';
import { blockAction, option, postSigned, sendCommand, viewSubmission, type SendResult } from '../helpers/slack-requests.js';

let kept: Kept;
/** Generous: the machine may be busy. Acknowledgements are held to Slack's 3 s regardless. */
const WAIT_MS = 10_000;
const A = 'T0001';
const B = 'T0002';
const OWNER = 'UOWNER';
const B_OWNER = 'UBOWNER';
const events = () => `${kept.baseUrl}/slack/events`;
const FORM = 'application/x-www-form-urlencoded';

const errorLogs = () => kept.logs.filter((l) => JSON.parse(l).level === 'error');
const healthy = async () => (await fetch(`${kept.baseUrl}/healthz`)).status;

/** Answered as Slack needs: in time, with a 2xx. */
function inTime(res: SendResult): SendResult {
  expect(res.status).toBeGreaterThanOrEqual(200);
  expect(res.status).toBeLessThan(300);
  expect(res.ms).toBeLessThan(3000);
  return res;
}

async function kept_(text: string, user = OWNER, channel = 'CACME', team = A): Promise<string> {
  await kept.command({ command: '/kept', text, user_id: user, channel_id: channel, team_id: team });
  return JSON.stringify((await kept.lastResponse(WAIT_MS)).body);
}

let made = 0;
async function newCommitment(): Promise<{ id: string; number: number }> {
  const title = `Deliverable ${++made}`;
  await kept.command({ text: `acme: ${title} by Friday`, user_id: OWNER, channel_id: 'CACME', team_id: A });
  return eventually(() => kept.db.commitment.findFirst({ where: { title }, select: { id: true, number: true } }), WAIT_MS);
}

let clicks = 0;
/** A click in the Acme channel; resolves with the private answer (through its response_url). */
async function click(actionId: string, o: { value?: string; option?: string; user?: string; team?: string } = {}): Promise<string> {
  const id = `click-${++clicks}`;
  const res = await kept.interact(
    blockAction({
      actionId,
      userId: o.user ?? OWNER,
      teamId: o.team ?? A,
      channelId: 'CACME',
      messageTs: '1795000000.000100',
      responseUrl: kept.slack.responseUrl(id),
      ...(o.option !== undefined ? { selectedOption: { value: o.option, text: 'Snooze' }, actionType: 'overflow' } : { value: o.value ?? '' }),
    }),
  );
  inTime(res);
  return JSON.stringify((await kept.slack.waitForResponse((r) => r.id === id, WAIT_MS)).body);
}

beforeAll(async () => {
  kept = await startKept({ now: '2026-11-23T14:00:00Z' });
  for (const id of [OWNER, B_OWNER, 'UOTHER']) kept.slack.setUser(id, { name: id.toLowerCase(), tz: 'Europe/Berlin' });
  expect(await kept_('account add Acme')).toContain('Created *Acme*');
  expect(await kept_('account add Initech Global', OWNER, 'CINITECH')).toContain('Created *Initech Global*');
  expect(await kept_('account set Initech Global alias IGC', OWNER, 'CINITECH')).toContain('also known as');
  expect(await kept_('account add Gamma', B_OWNER, 'CGAMMA', B)).toContain('Created *Gamma*');
});
afterAll(() => kept?.close());

// ---- item 1: whatever arrives over HTTP is answered, and Kept keeps serving ----------------------

describe('odd HTTP requests', () => {
  it('answers other methods on /slack/events with 405 and Allow: POST', async () => {
    for (const method of ['GET', 'HEAD', 'PUT', 'OPTIONS', 'DELETE', 'PATCH']) {
      const res = await fetch(events(), { method, ...(method === 'PUT' || method === 'PATCH' ? { body: 'payload=null' } : {}) });
      expect(res.status, method).toBe(405);
      expect(res.headers.get('allow'), method).toBe('POST');
    }
    expect(await healthy()).toBe(200);
  });

  it('answers unknown paths with 404, and /healthz to other methods with 405', async () => {
    for (const [method, path] of [['GET', '/'], ['POST', '/slack/event'], ['GET', '/slack/events/x'], ['POST', '/healthz/x'], ['GET', '/slack/install']]) {
      expect((await fetch(`${kept.baseUrl}${path}`, { method, ...(method === 'POST' ? { body: '{}' } : {}) })).status, `${method} ${path}`).toBe(404);
    }
    expect((await fetch(`${kept.baseUrl}/healthz`, { method: 'POST', body: '' })).status).toBe(405);
    expect((await fetch(`${kept.baseUrl}/healthz`, { method: 'HEAD' })).status).toBe(200);
  });

  it('refuses signed bodies that are not a JSON object with 400', async () => {
    for (const [body, type] of [
      ['payload=null', FORM],
      ['payload=5', FORM],
      ['payload=%22text%22', FORM],
      ['payload=%5B%5D', FORM],
      ['null', 'application/json'],
      ['[1,2]', 'application/json'],
      ['"text"', 'application/json'],
      ['{not json', 'application/json'],
      ['payload=%7Bnot', FORM],
    ] as const) {
      const res = await postSigned(events(), SIGNING_SECRET, body, type);
      expect(res.status, body).toBe(400);
    }
    expect(await healthy()).toBe(200);
  });

  it('refuses a bad or missing signature with 401, whatever the body', async () => {
    expect((await postSigned(events(), SIGNING_SECRET, 'payload=null', FORM, { signature: 'v0=' + '1'.repeat(64) })).status).toBe(401);
    expect((await postSigned(events(), 'another-secret', 'null', 'application/json')).status).toBe(401);
    expect((await fetch(events(), { method: 'POST', headers: { 'content-type': FORM }, body: 'payload=null' })).status).toBe(401);
    expect((await fetch(events(), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"type":"event_callback"}' })).status).toBe(401);
    expect((await fetch(events(), { method: 'POST', body: '' })).status).toBe(401);
  });

  it('asks Slack who the bot is once, not before every request (no Web API call ahead of an acknowledgement)', async () => {
    await kept_('account Acme');
    kept.slack.reset();
    for (let i = 0; i < 5; i++) await kept_('help');
    inTime(await kept.interact(blockAction({ actionId: 'no_such_action', userId: OWNER, teamId: A, channelId: 'CACME' })));
    expect(kept.slack.callsTo('auth.test')).toHaveLength(0);
  });

  it('keeps serving Slack after all of that', async () => {
    expect(await healthy()).toBe(200);
    expect(await kept_('account Acme')).toContain('Acme');
    expect(errorLogs()).toEqual([]);
  });
});

// ---- item 4: every interaction is acknowledged first, then answered ------------------------------

describe('interactions Kept cannot use', () => {
  const formBlocks = [{ type: 'input', block_id: 'title', element: { type: 'plain_text_input', action_id: 'value' }, label: { type: 'plain_text', text: 'What' } }];

  it('a form with unreadable private_metadata: an error on its first field, nothing saved', async () => {
    for (const [callbackId, metadata] of [
      ['commit_modal', '{not json'],
      ['commit_modal', JSON.stringify({ channelId: 'C0001' })],
      ['touch_modal', 'null'],
      ['more_time_modal', JSON.stringify({ commitmentId: 'x', timeZone: 'Europe/Berlin' })],
      ['reassign_modal', ''],
      ['drop_modal', JSON.stringify({ commitmentId: '00000000-0000-4000-8000-000000000000', timeZone: 'Mars/Olympus' })],
    ] as const) {
      const payload = viewSubmission({ callbackId, userId: OWNER, teamId: A, privateMetadata: metadata, values: { reason: { value: { type: 'plain_text_input', value: 'why' } }, owner: { value: { type: 'users_select', selected_user: 'UOTHER' } } } });
      payload.view.blocks = formBlocks;
      const res = inTime(await kept.interact(payload));
      expect(JSON.parse(res.body), `${callbackId} ${metadata}`).toEqual({ response_action: 'errors', errors: { title: expect.stringContaining('could not read this form') } });
    }
  });

  it('a form without fields Kept cannot read: acknowledged, and a private note', async () => {
    kept.slack.reset();
    const res = inTime(await kept.interact(viewSubmission({ callbackId: 'drop_modal', userId: OWNER, teamId: A, privateMetadata: '%%%', values: {} })));
    expect(res.body).toBe('');
    await kept.slack.waitFor('chat.postMessage', (a) => a.channel === OWNER && JSON.stringify(a).includes('could not read this form'), WAIT_MS);
  });

  it('a null state, a missing view, an empty actions list: a 2xx in time, with a note where someone waits', async () => {
    const submission = viewSubmission({ callbackId: 'commit_modal', userId: OWNER, teamId: A, values: {} });
    submission.view.state = null;
    submission.view.blocks = formBlocks;
    expect(JSON.parse(inTime(await kept.interact(submission)).body).response_action).toBe('errors');
    const noView = viewSubmission({ callbackId: 'touch_modal', userId: OWNER, teamId: A, values: {} });
    delete noView.view;
    inTime(await kept.interact(noView));
    const badValue = viewSubmission({ callbackId: 'touch_modal', userId: OWNER, teamId: A, values: { summary: { value: { type: 'plain_text_input', value: 42 } } as never } });
    inTime(await kept.interact(badValue));

    const empty = blockAction({ actionId: 'commitment_done', userId: OWNER, teamId: A, channelId: 'CACME', responseUrl: kept.slack.responseUrl('empty-actions') });
    empty.actions = [];
    inTime(await kept.interact(empty));
    const answer = await kept.slack.waitForResponse((r) => r.id === 'empty-actions', WAIT_MS);
    expect(JSON.stringify(answer.body)).toContain('could not read that request');
  });

  it('an unknown action id, view_closed, a shortcut, an unknown callback id, an unknown options menu: acknowledged at once', async () => {
    kept.slack.reset();
    inTime(await kept.interact(blockAction({ actionId: 'no_such_action', userId: OWNER, teamId: A, channelId: 'CACME' })));
    const closed = viewSubmission({ callbackId: 'commit_modal', userId: OWNER, teamId: A, values: {} });
    closed.type = 'view_closed';
    inTime(await kept.interact(closed));
    inTime(await kept.interact(viewSubmission({ callbackId: 'no_such_modal', userId: OWNER, teamId: A, values: {} })));
    inTime(await kept.interact({ type: 'shortcut', callback_id: 'no_such_shortcut', trigger_id: 't.1', user: { id: OWNER, team_id: A }, team: { id: A } }));
    inTime(await kept.interact({ type: 'message_action', callback_id: 'x', trigger_id: 't.2', user: { id: OWNER, team_id: A }, team: { id: A }, channel: { id: 'CACME' }, message: { ts: '1.2' } }));
    inTime(await kept.interact({ type: 'block_suggestion', action_id: 'no_such_menu', block_id: 'b', value: 'ac', user: { id: OWNER, team_id: A }, team: { id: A } }));
    inTime(await postSigned(events(), SIGNING_SECRET, JSON.stringify({ type: 'event_callback', team_id: A, event: { type: 'message', text: 'hi' } }), 'application/json'));
    inTime(await postSigned(events(), SIGNING_SECRET, JSON.stringify({ type: 'event_callback', team_id: A, event: null }), 'application/json'));
    inTime(await postSigned(events(), SIGNING_SECRET, JSON.stringify({ type: 'something_new' }), 'application/json'));
    await new Promise((r) => setTimeout(r, 200));
    expect(kept.slack.calls.filter((c) => !['auth.test', 'users.info'].includes(c.method))).toEqual([]);
    expect(errorLogs()).toEqual([]);
  });
});

// ---- item 5: values from Slack are checked before use --------------------------------------------

describe('values from Slack', () => {
  it('a malformed commitment id: "That commitment no longer exists", and no ERROR', async () => {
    for (const value of ['not-a-uuid', "'; DROP TABLE commitments; --", '', '0'.repeat(5000)]) {
      expect(await click('commitment_done', { value: value.slice(0, 2000) })).toContain('That commitment no longer exists');
    }
    expect(await click('commitment_snooze', { option: 'C-1|1d' })).toContain('That commitment no longer exists');
    expect(await click('commitment_reassign', { value: '12345678-1234-1234-1234-123456789abcx' })).toContain('That commitment no longer exists');
    expect(await click('snooze_cadence', { value: 'acme' })).toContain('That account no longer exists');
    expect(await click('log_touch', { value: '<!channel>' })).toContain('That account no longer exists');
    expect(await click('timeline_older', { value: '{"accountId":"x"}' })).toContain('out of date');
    expect(errorLogs()).toEqual([]);
  });

  it('a commitment of another workspace does not exist for this one', async () => {
    const c = await newCommitment();
    expect(await click('commitment_done', { value: c.id, user: B_OWNER, team: B })).toContain('That commitment no longer exists');
    expect((await kept.db.commitment.findUniqueOrThrow({ where: { id: c.id } })).status).toBe('open');
  });

  it('a snooze choice Kept does not offer is refused, never echoed', async () => {
    const c = await newCommitment();
    kept.slack.reset();
    const answer = await click('commitment_snooze', { option: `${c.id}|<!channel> <https://evil.example|click>` });
    expect(answer).toContain('does not know that snooze choice');
    expect(answer).not.toContain('<!channel>');
    expect(kept.slack.callsTo('chat.update')).toHaveLength(0);
    expect((await kept.db.commitment.findUniqueOrThrow({ where: { id: c.id } })).status).toBe('open');
  });

  it('Reassign to a channel or to <!channel> is a field error; nobody gets a DM', async () => {
    const c = await newCommitment();
    const meta = JSON.stringify({ commitmentId: c.id, timeZone: 'Europe/Berlin', message: null });
    for (const to of ['C0INIT01', '<!channel>', 'U', 'G0GROUP']) {
      kept.slack.reset();
      const res = inTime(await kept.interact(viewSubmission({ callbackId: 'reassign_modal', userId: OWNER, teamId: A, privateMetadata: meta, values: { owner: { value: { type: 'users_select', selected_user: to } } } })));
      expect(JSON.parse(res.body), to).toEqual({ response_action: 'errors', errors: { owner: expect.stringContaining('Choose a person') } });
    }
    await new Promise((r) => setTimeout(r, 200));
    expect(kept.slack.callsTo('chat.postMessage')).toHaveLength(0);
    const after = await kept.db.commitment.findUniqueOrThrow({ where: { id: c.id }, include: { owner: true } });
    expect(after.owner.slackUserId).toBe(OWNER);
  });

  it('the /commit form refuses a channel as owner and colleagues that are not people', async () => {
    const values = {
      account: { account_select: { type: 'external_select', selected_option: null } },
      new_account: { value: { type: 'plain_text_input', value: 'Newco' } },
      title: { value: { type: 'plain_text_input', value: 'Send the quote' } },
      direction: { value: { type: 'radio_buttons', selected_option: option({ value: 'ours' }) } },
      owner: { value: { type: 'users_select', selected_user: 'C0INIT01' } },
      due_date: { value: { type: 'datepicker', selected_date: '2026-12-01' } },
      due_time: { value: { type: 'timepicker', selected_time: null } },
      notes: { value: { type: 'plain_text_input', value: null } },
    };
    const res = inTime(await kept.interact(viewSubmission({ callbackId: 'commit_modal', userId: OWNER, teamId: A, privateMetadata: JSON.stringify({ channelId: 'CACME', timeZone: 'Europe/Berlin' }), values })));
    expect(JSON.parse(res.body)).toEqual({ response_action: 'errors', errors: { owner: expect.stringContaining('Choose a person') } });
    const touch = {
      account: { account_select: { type: 'external_select', selected_option: option({ value: (await kept.db.account.findFirstOrThrow({ where: { name: 'Acme' } })).id }) } },
      kind: { value: { type: 'static_select', selected_option: option({ value: 'call' }) } },
      when_date: { value: { type: 'datepicker', selected_date: '2026-11-23' } },
      when_time: { value: { type: 'timepicker', selected_time: null } },
      summary: { value: { type: 'plain_text_input', value: 'Renewal on track' } },
      colleagues: { value: { type: 'multi_users_select', selected_users: ['UOTHER', '<!here>'] } },
    };
    const t = inTime(await kept.interact(viewSubmission({ callbackId: 'touch_modal', userId: OWNER, teamId: A, privateMetadata: JSON.stringify({ channelId: 'CACME', timeZone: 'Europe/Berlin', accountId: null }), values: touch })));
    expect(JSON.parse(t.body)).toEqual({ response_action: 'errors', errors: { colleagues: expect.stringContaining('Pick colleagues from the list') } });
    expect(await kept.db.commitment.count({ where: { title: 'Send the quote' } })).toBe(0);
  });

  it('"Open the form" takes the channel from where it was clicked, not from the button', async () => {
    kept.slack.reset();
    const value = JSON.stringify({ prefill: { title: 'Ship it' }, meta: { channelId: 'C0ELSEWHERE', timeZone: 'Europe/Berlin' } });
    inTime(await kept.interact(blockAction({ actionId: 'open_commit_modal', value, userId: OWNER, teamId: A, channelId: 'CACME' })));
    const open = await kept.slack.waitFor('views.open', undefined, WAIT_MS);
    expect(JSON.parse(open.view.private_metadata)).toEqual({ channelId: 'CACME', timeZone: 'Europe/Berlin' });
    // An unreadable value opens an empty form rather than failing.
    kept.slack.reset();
    inTime(await kept.interact(blockAction({ actionId: 'open_commit_modal', value: '{oops', userId: OWNER, teamId: A, channelId: 'CACME' })));
    expect(JSON.parse((await kept.slack.waitFor('views.open', undefined, WAIT_MS)).view.private_metadata).channelId).toBe('CACME');
    expect(errorLogs()).toEqual([]);
  });

  it('a command whose ids are not Slack ids is acknowledged with a note and runs nothing', async () => {
    kept.slack.reset();
    const res = inTime(await sendCommand(kept.baseUrl, SIGNING_SECRET, { command: '/kept', text: 'account add Evil', user_id: '<!channel>', team_id: A, channel_id: 'CACME' }));
    expect(res.body).toContain('could not read that request');
    const channel = inTime(await sendCommand(kept.baseUrl, SIGNING_SECRET, { command: '/kept', text: 'account add Evil', user_id: OWNER, team_id: A, channel_id: '<#CACME>' }));
    expect(channel.body).toContain('could not read that request');
    expect(await kept.db.account.count({ where: { name: 'Evil' } })).toBe(0);
  });
});

// ---- item 6: "did you mean" in Postgres, on input cut to a sane length ---------------------------

describe('closest account names', () => {
  it('suggests by typo, by part of the name and by alias, as before', async () => {
    const ws = await kept.db.workspace.findUniqueOrThrow({ where: { slackTeamId: A } });
    const names = async (q: string) => (await closestAccounts(kept.db, ws.id, q)).map((a) => a.name);
    expect(await names('acmee')).toEqual(['Acme']);
    expect(await names('initech globl')).toEqual(['Initech Global']);
    expect(await names('IGCC')).toEqual(['Initech Global']);
    expect(await names('acme corp international')).toEqual(['Acme']);
    expect(await names('lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor initech')).toEqual([]);
    expect(await names('zzzz qqqq')).toEqual([]);
    expect(await names('')).toEqual([]);
    // Another workspace's accounts are never suggested.
    expect(await names('gamma')).toEqual([]);
  });

  it('a 4,000-character account name is answered quickly, without blocking anyone', async () => {
    const long = 'acme '.repeat(800);
    const started = performance.now();
    const res = inTime(await kept.command({ text: `list ${long}`, user_id: OWNER, channel_id: 'CACME', team_id: A }));
    const answer = JSON.stringify((await kept.lastResponse(WAIT_MS)).body);
    expect(answer).toContain('There is no account called');
    expect(answer.length).toBeLessThan(3000);
    expect(res.ms).toBeLessThan(3000);
    // The whole answer, lookups included, in well under a second on a quiet machine; generous here.
    expect(performance.now() - started).toBeLessThan(5000);
    expect(errorLogs()).toEqual([]);
  });
});
