// Message and global shortcuts end to end: Slack's message_action and shortcut payloads, signed,
// through the real receiver; the prefilled form submitted as Slack would; the thread that hears of changes.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eventually, SIGNING_SECRET, startKept, type Kept } from '../helpers/kept.js';
import { currentPrompts } from '../../src/services/prompts.js';
import { buildDigest } from '../../src/services/digest.js';
import { promptMessage } from '../../src/messages/prompts.js';
import { accountTimeline } from '../../src/services/touches.js';
import { timelineMessage } from '../../src/messages/touch.js';
import { digestMessages } from '../../src/messages/digest.js';
import { blockAction, globalShortcut, messageShortcut, sendEvent, viewSubmission, type MessageShortcutOptions, type ViewStateValue, type ViewStateValues } from '../helpers/slack-requests.js';
import type { SlackArgs } from '../helpers/fake-slack.js';

let kept: Kept;
// Monday 23 Nov 2026, 09:00 in New York.
const NOW = '2026-11-23T14:00:00Z';
let seq = 100;
/** A message posted an hour before NOW, each with its own ts. */
const nextTs = () => `${Date.parse('2026-11-23T13:00:00Z') / 1000}.000${++seq}`;

beforeAll(async () => {
  kept = await startKept({ now: NOW });
  kept.slack.setUser('U0001', { name: 'ana', realName: 'Ana Lima', tz: 'America/New_York' });
  kept.slack.setUser('U0002', { name: 'maria', realName: 'Maria Rossi', tz: 'Europe/Berlin' });
  await kept.command({ command: '/kept', text: 'account add Acme', channel_id: 'C0001' });
  await eventually(() => kept.db.accountChannel.findFirst({ where: { channelId: 'C0001' } }));
  await kept.command({ command: '/kept', text: 'contact add acme "Dana Smith" cfo decision-maker', channel_id: 'C0001' });
  await eventually(() => kept.db.contact.findFirst({ where: { name: 'Dana Smith' } }));
});
afterAll(() => kept?.close());
beforeEach(() => kept.slack.reset());

let responses = 0;
/** Sends a message shortcut with its own response_url; resolves with the opened view or the private answer. */
async function onMessage(o: Omit<MessageShortcutOptions, 'callbackId'> & { callbackId?: string }) {
  const id = `shortcut-${++responses}`;
  const res = await kept.interact(messageShortcut({ callbackId: 'track_message', responseUrl: kept.slack.responseUrl(id), ...o }));
  expect(res.status).toBe(200);
  return { id, response: () => kept.slack.waitForResponse((r) => r.id === id) };
}

/** What Slack reports on submit when the person changes nothing in the form: each input's initial value. */
function valuesOf(view: SlackArgs): ViewStateValues {
  const values: ViewStateValues = {};
  for (const b of view.blocks as SlackArgs[]) {
    if (b.type !== 'input') continue;
    const e = b.element as SlackArgs;
    const v: ViewStateValue = { type: e.type };
    if (e.type === 'plain_text_input') v.value = e.initial_value ?? null;
    if (e.type === 'external_select' || e.type === 'static_select' || e.type === 'radio_buttons') v.selected_option = e.initial_option ?? null;
    if (e.type === 'users_select') v.selected_user = e.initial_user ?? null;
    if (e.type === 'multi_users_select') v.selected_users = e.initial_users ?? [];
    if (e.type === 'datepicker') v.selected_date = e.initial_date ?? null;
    if (e.type === 'timepicker') v.selected_time = e.initial_time ?? null;
    if (e.type === 'checkboxes' || e.type === 'multi_static_select') v.selected_options = e.initial_options ?? [];
    values[b.block_id] = { [e.action_id]: v };
  }
  return values;
}

const opened = (callbackId: string, after = 0) => kept.slack.waitFor('views.open', (a) => a.view.callback_id === callbackId && kept.slack.callsTo('views.open').indexOf(a) >= after);
const submitAsIs = (view: SlackArgs, o: { viewId?: string; userId?: string } = {}) =>
  kept.interact(viewSubmission({ callbackId: view.callback_id, privateMetadata: view.private_metadata, values: valuesOf(view), ...o }));
const bySource = (ts: string) => eventually(() => kept.db.commitment.findFirst({ where: { sourceMessageTs: ts }, include: { owner: true, account: true } }));
const threadPosts = (ts: string) => kept.slack.callsTo('chat.postMessage').filter((a) => a.thread_ts === ts);
const click = (actionId: string, value: string, userId = 'U0001') => kept.interact(blockAction({ actionId, value, userId, channelId: 'C0001', messageTs: '1700000000.000900' }));

async function track(text: string, o: Partial<MessageShortcutOptions> = {}) {
  const ts = o.messageTs ?? nextTs();
  const before = kept.slack.callsTo('views.open').length;
  await onMessage({ text, messageTs: ts, channelId: 'C0001', ...o });
  const open = await opened('commit_modal', before);
  const res = await submitAsIs(open.view, { userId: o.userId ?? 'U0001' });
  if (res.body) throw new Error(`the form was refused: ${res.body}`);
  const c = await bySource(ts);
  // The confirmation goes to the thread after the acknowledgement: wait for it, so a test that
  // resets the fake and waits for the thread's next post does not take this one for it.
  await kept.slack.waitFor('chat.postMessage', (a) => a.thread_ts === (o.threadTs ?? ts));
  return { ts, c, view: open.view };
}

describe('Track as commitment', () => {
  it('opens the commitment form prefilled from the message, in the clicking person’s zone', async () => {
    const ts = nextTs();
    await onMessage({ text: "Thanks all! I'll send the revised pricing by Friday.", author: 'U0001', userId: 'U0002', messageTs: ts });
    const open = await opened('commit_modal');
    const v = open.view;
    const el = (id: string) => v.blocks.find((b: SlackArgs) => b.block_id === id).element;
    expect(v.title.text).toBe('Track as commitment');
    expect(el('title').initial_value).toBe('Send the revised pricing');
    expect(el('owner').initial_user).toBe('U0001'); // the author said "I'll"
    expect(el('direction').initial_option.value).toBe('ours');
    expect(el('account').initial_option.text.text).toBe('Acme'); // from the channel's link
    // Friday, end of the working day, read in Maria's zone (she clicked).
    expect([el('due_date').initial_date, el('due_time').initial_time]).toEqual(['2026-11-27', '18:00']);
    expect(JSON.parse(v.private_metadata)).toEqual({
      channelId: 'C0001', timeZone: 'Europe/Berlin', source: { channelId: 'C0001', ts, threadTs: ts, responseUrl: expect.stringContaining('/response/') },
    });
  });

  it('saves linked to the message, with its permalink, and confirms in the message’s thread', async () => {
    const { ts, c } = await track("I'll send the revised pricing by Friday", { author: 'U0001' });
    expect(c).toMatchObject({ title: 'Send the revised pricing', direction: 'ours', sourceChannelId: 'C0001', sourceMessageTs: ts, sourceThreadTs: ts });
    expect(c.owner.slackUserId).toBe('U0001');
    expect(c.sourcePermalink).toBe(`https://fake.slack.com/archives/C0001/p${ts.replace('.', '')}`);
    const post = await kept.slack.waitFor('chat.postMessage', (a) => a.thread_ts === ts);
    expect(post.channel).toBe('C0001');
    expect(post.text).toContain(`C-${c.number}`);
    // The announcement links back to the message, and carries the buttons.
    expect(JSON.stringify(post.blocks)).toContain(`<${c.sourcePermalink}|from a message>`);
    expect(JSON.stringify(post.blocks)).toContain('commitment_done');
    expect(kept.slack.callsTo('chat.postMessage').filter((a) => !a.thread_ts)).toHaveLength(0);
    // The thread reply is the announcement: its buttons update it in place.
    const saved = await eventually(async () => (await kept.db.commitment.findUniqueOrThrow({ where: { id: c.id } })).messageTs);
    expect(saved).toMatch(/^\d+\.\d+$/);
  });

  it('a reply in a thread is answered in that thread', async () => {
    const parent = nextTs();
    const { c } = await track("I'll send the SOC2 report tomorrow", { threadTs: parent });
    expect(c.sourceThreadTs).toBe(parent);
    await kept.slack.waitFor('chat.postMessage', (a) => a.thread_ts === parent);
  });

  it('reads “they’ll…” as owed by the customer, followed up by whoever tracked it', async () => {
    const { c } = await track("they'll get us the signed DPA next week", { author: 'U0002', userId: 'U0001' });
    expect(c.direction).toBe('theirs');
    expect(c.title).toBe('Get us the signed DPA');
    expect(c.owner.slackUserId).toBe('U0001');
    // Next week, Monday 30 Nov 18:00 in New York.
    expect(c.dueAt.toISOString()).toBe('2026-11-30T23:00:00.000Z');
  });

  it('names a colleague mentioned as the owner, and a contact speaking as the customer', async () => {
    const a = await track('<@U0002> can you send the deck to Dana by Wednesday?');
    expect(a.c.owner.slackUserId).toBe('U0002');
    expect(a.c.title).toBe('Send the deck to Dana');
    const b = await track('Dana Smith will confirm the headcount by Dec 4');
    expect(b.c.direction).toBe('theirs');
  });

  it('a bot’s message is owned by whoever tracks it', async () => {
    const { c } = await track('Send the onboarding plan by Dec 2', { author: null, userId: 'U0002' });
    expect(c.owner.slackUserId).toBe('U0002');
  });

  it('tracking the same message twice shows the existing commitment', async () => {
    const { ts, c } = await track("I'll share the roadmap by Dec 9");
    const before = await kept.db.commitment.count();
    kept.slack.reset();
    const again = await onMessage({ text: "I'll share the roadmap by Dec 9", messageTs: ts, channelId: 'C0001', userId: 'U0002' });
    const r = await again.response();
    expect(JSON.stringify(r.body)).toContain(`already tracked as *C-${c.number}*`);
    expect(JSON.stringify(r.body)).toContain('commitment_done'); // the existing one, with its buttons
    expect(kept.slack.callsTo('views.open')).toHaveLength(0);
    expect(await kept.db.commitment.count()).toBe(before);
  });

  it('two forms opened on the same message save one commitment; the second is told which', async () => {
    const ts = nextTs();
    await onMessage({ text: "I'll send the MSA redlines by Dec 10", messageTs: ts, channelId: 'C0001' });
    await onMessage({ text: "I'll send the MSA redlines by Dec 10", messageTs: ts, channelId: 'C0001', userId: 'U0002' });
    await eventually(() => kept.slack.callsTo('views.open').filter((a) => JSON.parse(a.view.private_metadata).source?.ts === ts).length === 2);
    const [first, second] = kept.slack.callsTo('views.open').filter((a) => JSON.parse(a.view.private_metadata).source?.ts === ts);
    await submitAsIs(first!.view);
    const c = await bySource(ts);
    await submitAsIs(second!.view, { userId: 'U0002' });
    const meta = JSON.parse(second!.view.private_metadata);
    const r = await kept.slack.waitForResponse((x) => meta.source.responseUrl.endsWith(`/${x.id}`) && JSON.stringify(x.body).includes('already tracked'));
    expect(JSON.stringify(r.body)).toContain(`C-${c.number}`);
    expect(await kept.db.commitment.count({ where: { sourceMessageTs: ts } })).toBe(1);
  });
});

describe('the link to the message, wherever the commitment is shown', () => {
  it('App Home, an overdue prompt, a customer follow-up and the weekly digest link back to the message', async () => {
    const ours = await track("I'll send the pricing appendix by Dec 16");
    const theirs = await track('they will send the logo pack by Dec 17');
    const link = (c: { sourcePermalink: string | null }) => `<${c.sourcePermalink}|from a message>`;
    kept.slack.reset();
    await sendEvent(kept.baseUrl, SIGNING_SECRET, { type: 'app_home_opened', user: 'U0001', channel: 'D0001', tab: 'home', event_ts: '1795000000.000100' });
    const home = JSON.stringify((await kept.slack.waitFor('views.publish')).view);
    expect(home).toContain(link(ours.c));
    expect(home).toContain(link(theirs.c));
    // The sender renders a prompt from the commitment's state when it goes out.
    const later = new Date('2026-12-18T15:00:00Z');
    const [overdue, follow] = await currentPrompts(kept.db, [
      { kind: 'commitment_overdue', commitmentId: ours.c.id, dueAt: ours.c.dueAt.toISOString(), followUp: 0 },
      { kind: 'customer_follow_up', commitmentId: theirs.c.id, dueAt: theirs.c.dueAt.toISOString(), followUp: 1 },
    ], 'C0001', later);
    expect(JSON.stringify(promptMessage((overdue as { live: never }).live).blocks)).toContain(link(ours.c));
    expect(JSON.stringify(promptMessage((follow as { live: never }).live).blocks)).toContain(link(theirs.c));
    const digest = await buildDigest(kept.db, { kind: 'account', workspaceId: ours.c.workspaceId, accountId: ours.c.accountId }, new Date('2026-12-14T14:00:00Z'));
    const posted = JSON.stringify(digestMessages(digest, { title: 'Acme', portfolio: false, zone: 'America/New_York' }));
    expect(posted).toContain(link(ours.c));
  });
});

describe('the thread hears about it', () => {
  it('done: one reply, however often Done is pressed', async () => {
    const { ts, c } = await track("I'll send the pricing sheet by Dec 11");
    kept.slack.reset();
    await Promise.all([click('commitment_done', c.id), click('commitment_done', c.id)]);
    const reply = await kept.slack.waitFor('chat.postMessage', (a) => a.thread_ts === ts);
    expect(reply.channel).toBe('C0001');
    expect(reply.text).toMatch(new RegExp(`C-${c.number} done: “Send the pricing sheet” \\(on time\\)`));
    await eventually(() => kept.slack.callsTo('chat.update').length >= 2);
    await click('commitment_done', c.id);
    await eventually(() => kept.slack.responses.length > 0 || kept.slack.callsTo('chat.postEphemeral').length > 0);
    expect(threadPosts(ts)).toHaveLength(1);
    expect(await kept.db.threadReply.count({ where: { commitmentId: c.id } })).toBe(1);
  });

  it('received: what the customer owes', async () => {
    const { ts, c } = await track('The customer will send the signed order form by Dec 15');
    kept.slack.reset();
    await click('commitment_done', c.id);
    const reply = await kept.slack.waitFor('chat.postMessage', (a) => a.thread_ts === ts);
    expect(reply.text).toContain(`C-${c.number} received`);
  });

  it('rescheduled, with the reason: once for a double submit', async () => {
    const { ts, c } = await track("I'll send the security review by Dec 4");
    kept.slack.reset();
    await click('commitment_reschedule', c.id);
    const open = await kept.slack.waitFor('views.open');
    const submit = viewSubmission({
      callbackId: 'more_time_modal',
      privateMetadata: open.view.private_metadata,
      viewId: 'VSHORTRES',
      values: {
        new_date: { value: { type: 'datepicker', selected_date: '2026-12-08' } },
        new_time: { value: { type: 'timepicker', selected_time: null } },
        reason: { value: { type: 'plain_text_input', value: 'Auditor moved the review <!channel>' } },
        announce: { value: { type: 'checkboxes', selected_options: [] } },
      },
    });
    await Promise.all([kept.interact(submit), kept.interact(submit)]);
    const reply = await kept.slack.waitFor('chat.postMessage', (a) => a.thread_ts === ts);
    expect(reply.text).toContain('Auditor moved the review');
    expect(JSON.stringify(reply.blocks)).toContain('Why: Auditor moved the review &lt;!channel&gt;');
    expect(JSON.stringify(reply)).not.toContain('<!channel>');
    await eventually(async () => (await kept.db.commitment.findUniqueOrThrow({ where: { id: c.id } })).dueAt.toISOString() === '2026-12-08T23:00:00.000Z');
    await new Promise((r) => setTimeout(r, 200));
    expect(threadPosts(ts)).toHaveLength(1);
  });

  it('dropped, with the reason', async () => {
    const { ts, c } = await track("I'll send the case study by Dec 7");
    kept.slack.reset();
    await click('commitment_drop', c.id);
    const open = await kept.slack.waitFor('views.open');
    await kept.interact(viewSubmission({ callbackId: 'drop_modal', privateMetadata: open.view.private_metadata, values: { reason: { value: { type: 'plain_text_input', value: 'Customer no longer needs it' } } } }));
    const reply = await kept.slack.waitFor('chat.postMessage', (a) => a.thread_ts === ts);
    expect(reply.text).toContain(`C-${c.number} dropped`);
    expect(reply.text).toContain('Customer no longer needs it');
  });

  it('/commit done replies in the thread too; a commitment not from a message never does', async () => {
    const { ts, c } = await track("I'll send the invoice copy by Dec 8");
    kept.slack.reset();
    await kept.command({ text: `done C-${c.number}`, channel_id: 'C0001' });
    await kept.slack.waitFor('chat.postMessage', (a) => a.thread_ts === ts);
    await kept.command({ text: 'acme: Send the W-9 by Dec 9', channel_id: 'C0001' });
    const post = await kept.slack.waitFor('chat.postMessage', (a) => !a.thread_ts);
    const plain = await kept.db.commitment.findFirstOrThrow({ where: { title: 'Send the W-9' } });
    expect(post.text).toContain(`C-${plain.number}`);
    kept.slack.reset();
    await click('commitment_done', plain.id);
    await kept.slack.waitFor('chat.update');
    expect(kept.slack.callsTo('chat.postMessage')).toHaveLength(0);
  });
});

describe('where Kept cannot read or post', () => {
  it('a private channel without Kept: saved, and the person is told privately how to fix it', async () => {
    kept.slack.failNext('conversations.info', 'channel_not_found');
    kept.slack.failNext('chat.getPermalink', 'channel_not_found');
    kept.slack.failNext('chat.postMessage', 'channel_not_found');
    const ts = nextTs();
    const shortcut = await onMessage({ text: "acme: I'll send the renewal quote by Dec 14", messageTs: ts, channelId: 'G0PRIVATE', channelName: 'acme-private' });
    const open = await opened('commit_modal');
    // The form says so before anything is saved, keeping what it was filled with.
    const update = await kept.slack.waitFor('views.update');
    expect(update.view_id).toMatch(/^V/);
    expect(update.hash).toBeTruthy();
    expect(JSON.stringify(update.view.blocks)).toContain('I am not in this private channel');
    expect(JSON.stringify(update.view.blocks)).toContain('/invite @Kept');
    expect(update.view.private_metadata).toBe(open.view.private_metadata);
    await submitAsIs(update.view);
    const c = await bySource(ts);
    expect(c.account.name).toBe('Acme');
    expect(c.sourceChannelId).toBe('G0PRIVATE');
    expect(c.sourcePermalink).toBeNull();
    const r = await shortcut.response();
    expect(JSON.stringify(r.body)).toMatch(/Saved C-\d+, but I cannot post in this channel \(channel_not_found\)/);
    expect(JSON.stringify(r.body)).toContain('/invite @Kept');
  });

  it('not_in_channel: the same, and its changes do not fail the click', async () => {
    kept.slack.failNext('chat.postMessage', 'not_in_channel');
    const ts = nextTs();
    const shortcut = await onMessage({ text: "acme: I'll send the uptime report by Dec 14", messageTs: ts, channelId: 'C0NOTIN' });
    const open = await opened('commit_modal');
    await submitAsIs(open.view);
    const c = await bySource(ts);
    expect(JSON.stringify((await shortcut.response()).body)).toContain('not_in_channel');
    kept.slack.reset();
    kept.slack.failNext('chat.postMessage', 'not_in_channel');
    await click('commitment_done', c.id);
    await eventually(async () => (await kept.db.commitment.findUniqueOrThrow({ where: { id: c.id } })).status === 'done');
    await eventually(() => kept.logs.some((l) => l.includes('could not reply in the thread')));
    expect(kept.errors).toHaveLength(0);
  });

  it('a message_action whose message is not the shape Slack sends is refused with a note, nothing opened or saved', async () => {
    const before = await kept.db.commitment.count();
    const bad = messageShortcut({ callbackId: 'track_message', text: "I'll send it by Friday", messageTs: 'not-a-ts', responseUrl: kept.slack.responseUrl('bad-ts') });
    bad.message_ts = 'nope';
    expect((await kept.interact(bad)).status).toBe(200);
    const r = await kept.slack.waitForResponse((x) => x.id === 'bad-ts');
    expect(JSON.stringify(r.body)).toContain('could not read which message');
    expect(kept.slack.callsTo('views.open')).toHaveLength(0);
    expect(await kept.db.commitment.count()).toBe(before);
  });

  it('a DM between people: the form says so before anything is saved', async () => {
    await onMessage({ text: "acme: I'll send the pricing by Dec 14", messageTs: nextTs(), channelId: 'D0DIRECT' });
    const open = await opened('commit_modal');
    expect(JSON.stringify(open.view.blocks)).toContain('This is a direct message, where I cannot post');
  });

  it('a public channel or a private one with Kept in it: no note, no update', async () => {
    kept.slack.answerWith('conversations.info', (a) => ({ ok: true, channel: { id: a.channel, is_private: true, is_member: true } }));
    await onMessage({ callbackId: 'log_message_touch', text: 'Call with Dana: all good', messageTs: nextTs(), channelId: 'G0WITHKEPT' });
    await opened('touch_modal');
    await eventually(() => kept.slack.callsTo('conversations.info').length === 1);
    await new Promise((r) => setTimeout(r, 100));
    expect(kept.slack.callsTo('views.update')).toHaveLength(0);
  });
});

describe('Log as touch', () => {
  it('opens the touch form prefilled from the message and links the touch back to it', async () => {
    const ts = nextTs();
    await onMessage({ callbackId: 'log_message_touch', text: 'Call with Dana: renewal on track :+1:', messageTs: ts, channelId: 'C0001' });
    const open = await opened('touch_modal');
    const v = open.view;
    const json = JSON.stringify(v.blocks);
    expect(json).toContain('renewal on track');
    expect(JSON.parse(v.private_metadata).source).toMatchObject({ channelId: 'C0001', ts });
    await submitAsIs(v);
    const t = await eventually(() => kept.db.touch.findFirst({ where: { sourceMessageTs: ts }, include: { contacts: { include: { contact: true } } } }));
    expect(t).toMatchObject({ kind: 'call', sentiment: 'positive', summary: 'renewal on track', sourceChannelId: 'C0001' });
    expect(t.sourcePermalink).toContain('/archives/C0001/');
    expect(t.contacts.map((x) => x.contact.name)).toEqual(['Dana Smith']);
    // Written an hour before it was logged: the touch is when the message was posted.
    expect(t.occurredAt.toISOString()).toBe('2026-11-23T13:00:00.000Z');
    await kept.slack.waitFor('chat.postMessage', (a) => a.thread_ts === ts && a.channel === 'C0001');
    // The account's timeline links the touch back to the message.
    const { entries } = await accountTimeline(kept.db, t.accountId, { limit: 500 });
    const line = timelineMessage({ id: t.accountId, name: 'Acme' }, entries.filter((e) => e.id === t.id), null, 'America/New_York', 1);
    expect(JSON.stringify(line.blocks)).toContain(`<${t.sourcePermalink}|from a message>`);
  });

  it('takes a pasted email as an email', async () => {
    await onMessage({ callbackId: 'log_message_touch', text: 'Subject: Re: pricing\nHi team,\nDana pushed back on the price increase.\nBest,\nBill', messageTs: nextTs(), channelId: 'C0001' });
    const open = await opened('touch_modal');
    const kind = open.view.blocks.find((b: SlackArgs) => b.block_id === 'kind').element.initial_option.value;
    expect(kind).toBe('email');
  });
});

describe('global shortcuts', () => {
  it('New commitment opens the commitment form for the person, in their zone', async () => {
    const res = await kept.interact(globalShortcut({ callbackId: 'new_commitment', userId: 'U0002' }));
    expect(res.status).toBe(200);
    const open = await opened('commit_modal');
    expect(open.view.title.text).toBe('New commitment');
    expect(open.view.blocks.find((b: SlackArgs) => b.block_id === 'owner').element.initial_user).toBe('U0002');
    expect(JSON.parse(open.view.private_metadata)).toEqual({ channelId: null, timeZone: 'Europe/Berlin' });
  });

  it('Log a touch opens the touch form dated now', async () => {
    await kept.interact(globalShortcut({ callbackId: 'log_touch_global' }));
    const open = await opened('touch_modal');
    expect(open.view.blocks.find((b: SlackArgs) => b.block_id === 'when_date').element.initial_date).toBe('2026-11-23');
  });

  it('acknowledges within Slack’s 3 s even when Slack is slow', async () => {
    kept.slack.delayNext('views.open', 3500);
    const res = await kept.interact(messageShortcut({ callbackId: 'track_message', text: "I'll send it by Friday", messageTs: nextTs() }));
    expect(res.status).toBe(200);
    expect(res.ms).toBeLessThan(1500);
  });
});
