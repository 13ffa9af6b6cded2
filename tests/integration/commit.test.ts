// /commit end to end: signed requests to the real receiver, real Postgres and Redis, the fake Slack Web API.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eventually, startKept, type Kept } from '../helpers/kept.js';
import { blockAction, option, viewSubmission } from '../helpers/slack-requests.js';

let kept: Kept;
// Monday 23 Nov 2026, 09:00 in New York.
const NOW = '2026-11-23T14:00:00Z';

beforeAll(async () => {
  kept = await startKept({ now: NOW });
  kept.slack.setUser('U0001', { name: 'ana', realName: 'Ana Lima', tz: 'America/New_York' });
  kept.slack.setUser('U0002', { name: 'maria', realName: 'Maria Rossi', tz: 'Europe/Berlin' });
  const res = await kept.command({ command: '/kept', text: 'account add Acme', channel_id: 'C0001' });
  expect(res.status).toBe(200);
  await eventually(() => kept.db.accountChannel.findFirst({ where: { channelId: 'C0001' } }));
});
afterAll(() => kept?.close());
beforeEach(() => kept.slack.reset());

const commitments = () => kept.db.commitment.findMany({ include: { owner: true, account: true }, orderBy: { number: 'asc' } });

describe('/commit quick add', () => {
  it('implies the account from a linked channel and reads the date in the user’s zone', async () => {
    const before = (await commitments()).length;
    const res = await kept.command({ text: 'Send revised pricing by Friday', channel_id: 'C0001' });
    expect(res.status).toBe(200);
    const post = await kept.slack.waitFor('chat.postMessage', (a) => a.channel === 'C0001');
    const rows = await commitments();
    expect(rows).toHaveLength(before + 1);
    const c = rows.at(-1)!;
    expect(c.title).toBe('Send revised pricing');
    expect(c.account.name).toBe('Acme');
    expect(c.owner.slackUserId).toBe('U0001');
    expect(c.direction).toBe('ours');
    // Friday 27 Nov, end of the working day in New York (18:00 EST = 23:00Z).
    expect(c.dueAt.toISOString()).toBe('2026-11-27T23:00:00.000Z');
    expect(c.originalDueAt.toISOString()).toBe(c.dueAt.toISOString());
    expect(c.dueTimeZone).toBe('America/New_York');
    expect(post.text).toContain(`C-${c.number}`);
    const button = post.blocks.flatMap((b: any) => b.elements ?? []).find((e: any) => e.action_id === 'commitment_done');
    expect(button.value).toBe(c.id);
    await eventually(async () => (await kept.db.commitment.findUnique({ where: { id: c.id } }))?.messageTs);
    const history = await kept.db.commitmentEvent.findMany({ where: { commitmentId: c.id } });
    expect(history.map((h) => h.kind)).toEqual(['created']);
  });

  it('takes the account from the text and the owner from a mention, in the invoker’s zone', async () => {
    await kept.command({ text: 'acme: SOC2 answers by Dec 3 5pm <@U0002|maria>', channel_id: 'C0999' });
    await kept.slack.waitFor('chat.postMessage', (a) => a.channel === 'C0999');
    const c = (await commitments()).at(-1)!;
    expect(c.title).toBe('SOC2 answers');
    expect(c.owner.slackUserId).toBe('U0002');
    expect(c.owner.timeZone).toBe('Europe/Berlin');
    expect(c.dueAt.toISOString()).toBe('2026-12-03T22:00:00.000Z');
  });

  it('records what the customer owes', async () => {
    await kept.command({ text: 'acme: customer sends the signed order form by next Tuesday', channel_id: 'C0001' });
    const post = await kept.slack.waitFor('chat.postMessage');
    const c = (await commitments()).at(-1)!;
    expect(c.direction).toBe('theirs');
    expect(post.text).toContain('Acme owes us');
  });

  it('creates one commitment when the same request arrives twice', async () => {
    const before = (await commitments()).length;
    const fields = { text: 'acme: Share the roadmap deck by Thursday', channel_id: 'C0001', trigger_id: 'trig.same-one' };
    await Promise.all([kept.command(fields), kept.command(fields)]);
    await kept.slack.waitFor('chat.postMessage');
    await eventually(() => kept.slack.responses.length > 0 || kept.slack.callsTo('chat.postEphemeral').length > 0);
    expect((await commitments()).length).toBe(before + 1);
    expect(kept.slack.callsTo('chat.postMessage')).toHaveLength(1);
  });

  it('saves and explains privately when Kept is not in the channel', async () => {
    kept.slack.failNext('chat.postMessage', 'not_in_channel');
    const before = (await commitments()).length;
    await kept.command({ text: 'acme: Intro to our CTO by Dec 10', channel_id: 'C0555' });
    const r = await kept.lastResponse();
    expect(JSON.stringify(r.body)).toContain('/invite @Kept');
    expect((await commitments()).length).toBe(before + 1);
  });

  it('opens the modal, prefilled, when the text is incomplete', async () => {
    const res = await kept.command({ text: 'Send the security whitepaper', channel_id: 'C0001', trigger_id: 'trig.modal1' });
    expect(res.status).toBe(200);
    const open = await kept.slack.waitFor('views.open');
    expect(open.trigger_id).toBe('trig.modal1');
    expect(open.view.callback_id).toBe('commit_modal');
    const json = JSON.stringify(open.view);
    expect(json).toContain('Send the security whitepaper');
    expect(json).toContain('due date');
    const account = open.view.blocks.find((b: any) => b.block_id === 'account');
    expect(account.element.initial_option.text.text).toBe('Acme');
  });

  it('opens an empty modal for /commit with no text', async () => {
    await kept.command({ text: '', channel_id: 'C0777' });
    const open = await kept.slack.waitFor('views.open');
    expect(JSON.parse(open.view.private_metadata)).toEqual({ channelId: 'C0777', timeZone: 'America/New_York' });
  });

  it('names the closest accounts for an unknown one and offers to create it', async () => {
    await kept.command({ text: 'acmee: Send pricing by Friday', channel_id: 'C0777' });
    const open = await kept.slack.waitFor('views.open');
    const json = JSON.stringify(open.view);
    expect(json).toContain('Did you mean Acme');
    expect(open.view.blocks.find((b: any) => b.block_id === 'new_account').element.initial_value).toBe('acmee');
  });

  it('offers a button when the trigger has expired', async () => {
    kept.slack.failNext('views.open', 'expired_trigger_id');
    await kept.command({ text: '', channel_id: 'C0001' });
    const r = await kept.lastResponse();
    expect(JSON.stringify(r.body)).toContain('open_commit_modal');
  });

  it('acknowledges within Slack’s 3 s even when Slack and the work behind it are slow', async () => {
    kept.slack.setUser('U0042', { name: 'slow', tz: 'Asia/Kolkata' });
    kept.slack.delayNext('users.info', 3500);
    const res = await kept.command({ text: 'acme: Send the DPA by Friday', user_id: 'U0042', channel_id: 'C0001' });
    expect(res.status).toBe(200);
    expect(res.ms).toBeLessThan(1500);
    await kept.slack.waitFor('chat.postMessage', undefined, 8000);
  });
});

describe('the /commit modal', () => {
  const meta = JSON.stringify({ channelId: 'C0001', timeZone: 'America/New_York' });
  const values = (over: Record<string, any> = {}) => ({
    account: { account_select: { type: 'external_select', selected_option: null } },
    new_account: { value: { type: 'plain_text_input', value: null } },
    title: { value: { type: 'plain_text_input', value: 'Send the renewal quote' } },
    direction: { value: { type: 'radio_buttons', selected_option: option({ value: 'ours' }) } },
    owner: { value: { type: 'users_select', selected_user: 'U0001' } },
    due_date: { value: { type: 'datepicker', selected_date: '2026-12-01' } },
    due_time: { value: { type: 'timepicker', selected_time: null } },
    notes: { value: { type: 'plain_text_input', value: null } },
    ...over,
  });

  it('reports invalid input on the fields', async () => {
    const res = await kept.interact(
      viewSubmission({
        callbackId: 'commit_modal',
        privateMetadata: meta,
        values: values({ due_date: { value: { type: 'datepicker', selected_date: '2026-11-20' } }, title: { value: { type: 'plain_text_input', value: '  ' } } }),
      }),
    );
    expect(res.status).toBe(200);
    const body = JSON.parse(res.body);
    expect(body.response_action).toBe('errors');
    expect(Object.keys(body.errors).sort()).toEqual(['account', 'due_date', 'title']);
    expect(body.errors.due_date).toMatch(/past/);
  });

  it('saves once on a double submit, creating the new account', async () => {
    const before = (await commitments()).length;
    const payload = viewSubmission({
      callbackId: 'commit_modal',
      privateMetadata: meta,
      viewId: 'VDOUBLE1',
      values: values({ new_account: { value: { type: 'plain_text_input', value: 'Globex' } }, due_time: { value: { type: 'timepicker', selected_time: '10:30' } } }),
    });
    const [a, b] = await Promise.all([kept.interact(payload), kept.interact(payload)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    await kept.slack.waitFor('chat.postMessage');
    await eventually(async () => (await commitments()).length === before + 1);
    await new Promise((r) => setTimeout(r, 200));
    const rows = await commitments();
    expect(rows).toHaveLength(before + 1);
    const c = rows.at(-1)!;
    expect(c.account.name).toBe('Globex');
    expect(c.source).toBe('modal');
    expect(c.dueAt.toISOString()).toBe('2026-12-01T15:30:00.000Z');
    expect(await kept.db.account.count({ where: { name: 'Globex' } })).toBe(1);
  });
});

describe('Done', () => {
  it('marks done once, updates the message, and says so on a second click', async () => {
    await kept.command({ text: 'acme: Send the onboarding plan by Friday', channel_id: 'C0001' });
    await kept.slack.waitFor('chat.postMessage');
    const c = (await commitments()).at(-1)!;
    const click = blockAction({ actionId: 'commitment_done', value: c.id, channelId: 'C0001', messageTs: '1700000000.000200', userId: 'U0001' });
    const [r1, r2] = await Promise.all([kept.interact(click), kept.interact(click)]);
    expect([r1.status, r2.status]).toEqual([200, 200]);
    await eventually(() => kept.slack.callsTo('chat.update').length === 2);
    const done = await kept.db.commitment.findUniqueOrThrow({ where: { id: c.id } });
    expect(done.status).toBe('done');
    expect(await kept.db.commitmentEvent.count({ where: { commitmentId: c.id, kind: 'done' } })).toBe(1);
    const updated = kept.slack.callsTo('chat.update')[0]!;
    expect(updated.ts).toBe('1700000000.000200');
    expect(JSON.stringify(updated.blocks)).toContain('Done by <@U0001>');
    const note = await kept.slack.waitFor('chat.postEphemeral');
    expect(note.user).toBe('U0001');
    expect(JSON.stringify(note.blocks)).toContain('already marked done by <@U0001>');
  });

  it('/commit done C-n closes by reference, and again says it is already done', async () => {
    await kept.command({ text: 'acme: Book the QBR by Dec 4', channel_id: 'C0001' });
    await kept.slack.waitFor('chat.postMessage');
    const c = (await commitments()).at(-1)!;
    await eventually(async () => (await kept.db.commitment.findUnique({ where: { id: c.id } }))?.messageTs);
    await kept.command({ text: `done C-${c.number}` });
    await eventually(async () => (await kept.db.commitment.findUnique({ where: { id: c.id } }))?.status === 'done');
    await kept.slack.waitFor('chat.update');
    await kept.slack.waitForResponse((r) => JSON.stringify(r.body).includes('Marked'));
    kept.slack.reset();
    await kept.command({ text: `done c${c.number}` });
    const r = await kept.lastResponse();
    expect(JSON.stringify(r.body)).toContain('already marked done');
  });
});

describe('/commit list and help, and bad input', () => {
  it('lists what is open for the channel’s account', async () => {
    await kept.command({ text: 'list', channel_id: 'C0001' });
    const r = await kept.lastResponse();
    const text = JSON.stringify(r.body);
    expect(text).toContain('Open commitments for Acme');
    expect(text).toContain('Send revised pricing');
    expect(text).not.toContain('Book the QBR'); // done
  });

  it('lists by person and overdue', async () => {
    await kept.command({ text: 'list <@U0002|maria>' });
    expect(JSON.stringify((await kept.lastResponse()).body)).toContain('SOC2 answers');
    kept.slack.reset();
    await kept.command({ text: 'list overdue' });
    expect(JSON.stringify((await kept.lastResponse()).body)).toContain('Nothing open');
  });

  it('explains an unknown account in a list', async () => {
    await kept.command({ text: 'list initech' });
    expect(JSON.stringify((await kept.lastResponse()).body)).toContain('There is no account called “initech”');
  });

  it('explains an unknown reference', async () => {
    await kept.command({ text: 'done C-9999' });
    expect(JSON.stringify((await kept.lastResponse()).body)).toContain('There is no commitment C-9999');
  });

  it('shows help', async () => {
    await kept.command({ text: 'help' });
    expect(JSON.stringify((await kept.lastResponse()).body)).toContain('/commit done C-42');
  });
});
