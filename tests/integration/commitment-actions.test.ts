// Every commitment button through signed interactivity payloads: state changes once, history
// once, the message updated in place, permissions, stale messages.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eventually, startKept, type Kept } from '../helpers/kept.js';
import { blockAction, viewSubmission } from '../helpers/slack-requests.js';

let kept: Kept;
const TS = '1795000000.000100';

beforeAll(async () => {
  kept = await startKept({ now: '2026-11-23T14:00:00Z' });
  kept.slack.setUser('U0001', { name: 'ana', tz: 'America/New_York' });
  kept.slack.setUser('U0002', { name: 'maria', tz: 'Europe/Berlin' });
  kept.slack.setUser('U0003', { name: 'outsider', tz: 'UTC' });
  kept.slack.setUser('U0004', { name: 'boss', tz: 'UTC', isAdmin: true });
  await kept.command({ command: '/kept', text: 'account add Acme', channel_id: 'CACME' });
  await eventually(() => kept.db.accountChannel.findFirst({ where: { channelId: 'CACME' } }));
});
afterAll(() => kept?.close());
beforeEach(() => kept.slack.reset());

async function newCommitment(text: string) {
  const before = await kept.db.commitment.count();
  await kept.command({ text, channel_id: 'CACME' });
  await eventually(async () => (await kept.db.commitment.count()) === before + 1);
  const c = await kept.db.commitment.findFirstOrThrow({ orderBy: { number: 'desc' } });
  const post = await kept.slack.waitFor('chat.postMessage', (a) => a.channel === 'CACME');
  kept.slack.reset();
  return { c, post };
}
const click = (actionId: string, value: string, userId = 'U0001', blocks?: unknown[]) =>
  kept.interact({ ...blockAction({ actionId, value, userId, channelId: 'CACME', messageTs: TS }), ...(blocks ? { message: { ts: TS, text: '', blocks } } : {}) });
const snoozeClick = (value: string, userId = 'U0001') =>
  kept.interact(blockAction({ actionId: 'commitment_snooze', selectedOption: { value, text: 'x' } as any, userId, channelId: 'CACME', messageTs: TS }));
const events = (id: string) => kept.db.commitmentEvent.findMany({ where: { commitmentId: id }, orderBy: { at: 'asc' } });
const ephemeral = () => kept.slack.waitFor('chat.postEphemeral');

describe('buttons on a commitment', () => {
  it('the announcement carries every button', async () => {
    const { post } = await newCommitment('acme: Send the DPA by Friday');
    const ids = post.blocks.filter((b: any) => b.type === 'actions').flatMap((b: any) => b.elements).map((e: any) => e.action_id);
    expect(ids).toEqual(['commitment_done', 'commitment_reschedule', 'commitment_reassign', 'commitment_drop', 'commitment_snooze']);
  });

  it('refuses someone who may not act, and changes nothing', async () => {
    const { c } = await newCommitment('acme: Send the roadmap by Friday');
    await click('commitment_done', c.id, 'U0003');
    const e = await ephemeral();
    expect(JSON.stringify(e.blocks)).toContain('Only <@U0001> (the owner, who recorded it, the account owner) or a Slack workspace admin');
    expect(JSON.stringify(e.blocks)).toContain('Nothing was changed.');
    expect((await kept.db.commitment.findUniqueOrThrow({ where: { id: c.id } })).status).toBe('open');
    expect((await events(c.id)).map((x) => x.kind)).toEqual(['created']);
    expect(kept.slack.callsTo('chat.update')).toHaveLength(0);
  });

  it('lets a Slack admin act', async () => {
    const { c } = await newCommitment('acme: Send the invoice by Friday');
    await click('commitment_done', c.id, 'U0004');
    await eventually(async () => (await kept.db.commitment.findUniqueOrThrow({ where: { id: c.id } })).status === 'done');
  });

  it('snooze moves the next reminder, not the due date, and updates the message', async () => {
    const { c } = await newCommitment('acme: Send the security review by Dec 4');
    await snoozeClick(`${c.id}|3d`);
    const update = await kept.slack.waitFor('chat.update');
    expect(update.ts).toBe(TS);
    expect(JSON.stringify(update.blocks)).toContain('Snoozed (3 days) by <@U0001>');
    const after = await kept.db.commitment.findUniqueOrThrow({ where: { id: c.id } });
    expect(after.dueAt).toEqual(c.dueAt);
    const schedule = await kept.db.commitmentSchedule.findUnique({ where: { commitmentId: c.id } });
    expect(schedule?.nextPromptAt.toISOString()).toBe('2026-11-26T14:00:00.000Z'); // Thu 09:00 New York
  });

  it('reschedule asks for a date and a reason, moves it once, and keeps the original date', async () => {
    const { c } = await newCommitment('acme: Send the SOC2 report by Friday');
    await click('commitment_reschedule', c.id);
    const open = await kept.slack.waitFor('views.open');
    expect(open.view.title.text).toBe('Reschedule');
    const submit = viewSubmission({
      callbackId: 'more_time_modal',
      privateMetadata: open.view.private_metadata,
      viewId: 'VRESCHED',
      values: {
        new_date: { value: { type: 'datepicker', selected_date: '2026-12-08' } },
        new_time: { value: { type: 'timepicker', selected_time: null } },
        reason: { value: { type: 'plain_text_input', value: 'Auditor moved the review' } },
        announce: { value: { type: 'checkboxes', selected_options: [] } },
      },
    });
    await Promise.all([kept.interact(submit), kept.interact(submit)]);
    await kept.slack.waitFor('chat.update');
    await new Promise((r) => setTimeout(r, 200));
    const after = await kept.db.commitment.findUniqueOrThrow({ where: { id: c.id } });
    expect(after.dueAt.toISOString()).toBe('2026-12-08T23:00:00.000Z');
    expect(after.originalDueAt).toEqual(c.originalDueAt);
    const changes = (await events(c.id)).filter((e) => e.kind === 'due_changed');
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({ reason: 'Auditor moved the review', before: { dueAt: c.dueAt.toISOString() }, after: { dueAt: '2026-12-08T23:00:00.000Z' } });
  });

  it('reassign gives it to someone else, who gets a DM', async () => {
    const { c } = await newCommitment('acme: Send the pricing sheet by Friday');
    await click('commitment_reassign', c.id);
    const open = await kept.slack.waitFor('views.open');
    await kept.interact(viewSubmission({ callbackId: 'reassign_modal', privateMetadata: open.view.private_metadata, values: { owner: { value: { type: 'users_select', selected_user: 'U0002' } } } }));
    const dm = await kept.slack.waitFor('chat.postMessage', (a) => a.channel === 'U0002');
    expect(dm.text).toContain(`C-${c.number}`);
    const after = await kept.db.commitment.findUniqueOrThrow({ where: { id: c.id }, include: { owner: true } });
    expect(after.owner.slackUserId).toBe('U0002');
    expect((await events(c.id)).map((e) => e.kind)).toEqual(['created', 'reassigned']);
    expect(JSON.stringify((await kept.slack.waitFor('chat.update')).blocks)).toContain('Reassigned to <@U0002>');
  });

  it('drop asks for a reason; a stale Done afterwards says it was already dropped', async () => {
    const { c } = await newCommitment('acme: Send the case study by Friday');
    await click('commitment_drop', c.id);
    const open = await kept.slack.waitFor('views.open');
    const missing = await kept.interact(viewSubmission({ callbackId: 'drop_modal', privateMetadata: open.view.private_metadata, values: { reason: { value: { type: 'plain_text_input', value: '' } } } }));
    expect(JSON.parse(missing.body).errors.reason).toBeTruthy();
    await kept.interact(viewSubmission({ callbackId: 'drop_modal', privateMetadata: open.view.private_metadata, values: { reason: { value: { type: 'plain_text_input', value: 'Customer no longer needs it' } } } }));
    await eventually(async () => (await kept.db.commitment.findUniqueOrThrow({ where: { id: c.id } })).status === 'dropped');
    expect((await events(c.id)).find((e) => e.kind === 'dropped')?.reason).toBe('Customer no longer needs it');
    kept.slack.reset();
    await click('commitment_done', c.id);
    expect(JSON.stringify((await ephemeral()).blocks)).toMatch(/already dropped by <@U0001>/);
    const update = await kept.slack.waitFor('chat.update');
    expect(JSON.stringify(update.blocks)).not.toContain('commitment_done');
    expect((await kept.db.commitment.findUniqueOrThrow({ where: { id: c.id } })).status).toBe('dropped');
  });

  it('a double click on Done changes state and history once', async () => {
    const { c } = await newCommitment('acme: Send the agenda by Friday');
    await Promise.all([click('commitment_done', c.id), click('commitment_done', c.id)]);
    await eventually(() => kept.slack.callsTo('chat.update').length === 2);
    expect((await events(c.id)).filter((e) => e.kind === 'done')).toHaveLength(1);
  });

  it('what the customer owes: Received, and a drafted reminder', async () => {
    const { c, post } = await newCommitment('acme: customer sends the signed order form by Friday');
    const ids = post.blocks.filter((b: any) => b.type === 'actions').flatMap((b: any) => b.elements).map((e: any) => e.action_id);
    expect(ids).toEqual(['commitment_done', 'remind_customer', 'commitment_reschedule', 'commitment_snooze']);
    await click('remind_customer', c.id);
    const draft = JSON.stringify((await ephemeral()).blocks);
    expect(draft).toContain('signed order form');
    expect(draft).toContain('Is it still on track');
    await click('commitment_done', c.id);
    await eventually(async () => (await kept.db.commitment.findUniqueOrThrow({ where: { id: c.id } })).status === 'done');
    expect(JSON.stringify((await kept.slack.waitFor('chat.update')).blocks)).toContain('Received by <@U0001>');
  });

  it('in a message about several items, only the clicked one changes', async () => {
    const a = (await newCommitment('acme: Send item A by Friday')).c;
    const b = (await newCommitment('acme: Send item B by Friday')).c;
    const blocks = [
      { type: 'section', text: { type: 'mrkdwn', text: 'A' } },
      { type: 'actions', block_id: `commitment:${a.id}`, elements: [{ type: 'button', action_id: 'commitment_done', value: a.id, text: { type: 'plain_text', text: 'Done' } }] },
      { type: 'section', text: { type: 'mrkdwn', text: 'B' } },
      { type: 'actions', block_id: `commitment:${b.id}`, elements: [{ type: 'button', action_id: 'commitment_done', value: b.id, text: { type: 'plain_text', text: 'Done' } }] },
    ];
    await click('commitment_done', a.id, 'U0001', blocks);
    const update = await kept.slack.waitFor('chat.update');
    const json = JSON.stringify(update.blocks);
    expect(json).toContain('Done by <@U0001>');
    expect(json).toContain(`"value":"${b.id}"`);
    expect(json).not.toContain(`"value":"${a.id}"`);
  });
});

describe('Kept admins', () => {
  it('a person on the /kept admins list may act on anyone’s commitment', async () => {
    const { c } = await newCommitment('acme: Send the training plan by Friday');
    await kept.command({ command: '/kept', text: 'settings admins <@U0003|outsider>', channel_id: 'CACME', user_id: 'U0004' });
    expect(JSON.stringify((await kept.lastResponse()).body)).toContain('Kept admins (change settings and any account, commitment or digest): <@U0003>');
    await click('commitment_done', c.id, 'U0003');
    await eventually(async () => (await kept.db.commitment.findUniqueOrThrow({ where: { id: c.id } })).status === 'done');
  });
});
