// /touch, key contacts, cadence and the account card/timeline, end to end.
import { DateTime } from 'luxon';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eventually, startKept, type Kept } from '../helpers/kept.js';
import { blockAction, option, viewSubmission } from '../helpers/slack-requests.js';

let kept: Kept;
// Monday 23 Nov 2026, 10:00 in Berlin.
const NOW = '2026-11-23T09:00:00Z';

const kept_ = (text: string, channel_id = 'C0ACME') => kept.command({ command: '/kept', text, channel_id });
const touch = (text: string, extra: Record<string, string> = {}) => kept.command({ command: '/touch', text, channel_id: 'C0ACME', ...extra });
const reply = async () => JSON.stringify((await kept.lastResponse()).body);
const acme = () => kept.db.account.findFirstOrThrow({ where: { name: 'Acme' } });
/** 18:00 Berlin (the owner's zone), `days` days after the day of `from`. */
const endOfDay = (from: Date, days: number) => DateTime.fromJSDate(from, { zone: 'Europe/Berlin' }).plus({ days }).set({ hour: 18, minute: 0, second: 0, millisecond: 0 }).toUTC().toISO();

beforeAll(async () => {
  kept = await startKept({ now: NOW });
  // Ana is a Slack workspace admin: with no Kept admins named, she may change the settings.
  kept.slack.setUser('U0001', { name: 'ana', tz: 'Europe/Berlin', isAdmin: true });
  kept.slack.setUser('U0002', { name: 'maria', tz: 'Europe/Berlin' });
  await kept_('account add Acme');
  await eventually(() => kept.db.accountChannel.findFirst({ where: { channelId: 'C0ACME' } }));
  await eventually(() => kept.slack.responses.length);
  kept.slack.reset();
  await kept_('account set acme tier strategic');
  await reply();
  kept.slack.reset();
  await kept_('contact add acme "Dana Smith" cfo decision-maker');
  expect(await reply()).toContain('Added *Dana Smith* (cfo, decision maker) as a key contact of *Acme*');
});
afterAll(() => kept?.close());
beforeEach(() => kept.slack.reset());

describe('cadence from the tier', () => {
  it('a new strategic account is due a week after creation', async () => {
    const a = await acme();
    expect(a.cadenceDays).toBeNull();
    // Created Mon 23 Nov 10:00 Berlin (the owner's zone): due by the end of the working day a week on.
    expect(a.createdAt.toISOString()).toBe('2026-11-23T09:00:00.000Z');
    expect(a.cadenceDueAt?.toISOString()).toBe('2026-11-30T17:00:00.000Z');
  });
});

describe('/touch quick add', () => {
  it('logs a call with a known contact, restarts the cadence clock and confirms in the channel', async () => {
    const res = await touch('call with Dana: renewal on track :+1:');
    expect(res.status).toBe(200);
    const post = await kept.slack.waitFor('chat.postMessage', (a) => a.channel === 'C0ACME');
    const t = await kept.db.touch.findFirstOrThrow({ include: { contacts: { include: { contact: true } } } });
    expect(t).toMatchObject({ kind: 'call', summary: 'renewal on track', sentiment: 'positive' });
    expect(t.occurredAt.toISOString()).toBe('2026-11-23T09:00:00.000Z');
    expect(t.contacts.map((c) => c.contact.name)).toEqual(['Dana Smith']);
    const a = await acme();
    expect(a.lastTouchAt?.toISOString()).toBe('2026-11-23T09:00:00.000Z');
    // Cadence moments are days: due by the end of the owner's working day (18:00 Berlin), shown as a day.
    expect(a.cadenceDueAt?.toISOString()).toBe('2026-11-30T17:00:00.000Z');
    expect(a.cadenceWarnAt?.toISOString()).toBe('2026-11-27T08:00:00.000Z'); // Fri 27 Nov 09:00 Berlin
    expect(post.text).toContain('Call with Acme: renewal on track');
    expect(JSON.stringify(post.blocks)).toContain('Next touch due Mon 30 Nov');
  });

  it('a backdated touch only moves the clock if it is the latest', async () => {
    await touch('acme email 3 days ago with Dana: sent the SOC2 report');
    await kept.slack.waitFor('chat.postMessage');
    const a = await acme();
    expect(a.lastTouchAt?.toISOString()).toBe('2026-11-23T09:00:00.000Z');
    expect(await kept.db.touch.count()).toBe(2);
  });

  it('a note is kept but does not count', async () => {
    kept.clock.set('2026-11-24T09:00:00Z');
    await touch('note: procurement is being reorganised');
    await kept.slack.waitFor('chat.postMessage');
    const n = await kept.db.touch.findFirstOrThrow({ where: { kind: 'note' } });
    expect(n.summary).toContain('procurement');
    expect((await acme()).lastTouchAt?.toISOString()).toBe('2026-11-23T09:00:00.000Z');
  });

  it('logs one touch when the same request arrives twice', async () => {
    const before = await kept.db.touch.count();
    const fields = { trigger_id: 'trig.touch-twice' };
    await Promise.all([touch('chat with Dana: quick check-in', fields), touch('chat with Dana: quick check-in', fields)]);
    await kept.slack.waitFor('chat.postMessage');
    await new Promise((r) => setTimeout(r, 300));
    expect(await kept.db.touch.count()).toBe(before + 1);
  });

  it('when the form opens (no summary here), it offers to add an unknown name as a contact', async () => {
    await touch('meeting yesterday with <@U0002|maria> and Li (VP Ops)', { trigger_id: 'trig.touch-modal' });
    const open = await kept.slack.waitFor('views.open');
    expect(open.view.callback_id).toBe('touch_modal');
    const blocks = open.view.blocks;
    expect(blocks.find((b: any) => b.block_id === 'new_contacts').element.options.map((o: any) => o.value)).toEqual(['Li']);
    expect(blocks.find((b: any) => b.block_id === 'colleagues').element.initial_users).toEqual(['U0002']);
    expect(blocks.find((b: any) => b.block_id === 'kind').element.initial_option.value).toBe('meeting');
    expect(blocks.find((b: any) => b.block_id === 'when_date').element.initial_date).toBe('2026-11-23');
    expect(JSON.stringify(open.view)).toContain('Li is not a key contact of Acme yet');
  });

  it('opens the modal for a touch in the future', async () => {
    await touch('call tomorrow 3pm with Dana: prep');
    const open = await kept.slack.waitFor('views.open');
    expect(JSON.stringify(open.view)).toMatch(/future/);
  });

  it('opens an empty modal for /touch with no text, with the channel’s account', async () => {
    await touch('');
    const open = await kept.slack.waitFor('views.open');
    expect(open.view.blocks.find((b: any) => b.block_id === 'account').element.initial_option.text.text).toBe('Acme');
    expect(open.view.blocks.find((b: any) => b.block_id === 'contacts').element.options).toHaveLength(1);
  });
});

describe('the /touch modal', () => {
  const meta = () => JSON.stringify({ channelId: 'C0ACME', timeZone: 'Europe/Berlin', accountId: null });
  const values = async (over: Record<string, any> = {}) => {
    const a = await acme();
    return {
      account: { account_select: { type: 'external_select', selected_option: option({ value: a.id, text: 'Acme' }) } },
      kind: { value: { type: 'static_select', selected_option: option({ value: 'meeting' }) } },
      when_date: { value: { type: 'datepicker', selected_date: '2026-11-23' } },
      when_time: { value: { type: 'timepicker', selected_time: '15:00' } },
      others: { value: { type: 'plain_text_input', value: 'Li, Sam' } },
      new_contacts: { value: { type: 'checkboxes', selected_options: [option({ value: 'Li' })] } },
      colleagues: { value: { type: 'multi_users_select', selected_users: ['U0002'] } },
      summary: { value: { type: 'plain_text_input', value: 'pricing pushback' } },
      sentiment: { value: { type: 'radio_buttons', selected_option: option({ value: 'negative' }) } },
      ...over,
    };
  };

  it('reports a missing summary and a future time on the fields', async () => {
    const res = await kept.interact(
      viewSubmission({
        callbackId: 'touch_modal',
        privateMetadata: meta(),
        values: await values({ summary: { value: { type: 'plain_text_input', value: '' } }, when_date: { value: { type: 'datepicker', selected_date: '2026-11-30' } } }),
      }),
    );
    const body = JSON.parse(res.body);
    expect(body.response_action).toBe('errors');
    expect(Object.keys(body.errors).sort()).toEqual(['summary', 'when_date']);
  });

  it('saves once, creating the ticked contact and keeping the other name as text', async () => {
    const before = await kept.db.touch.count();
    const payload = viewSubmission({ callbackId: 'touch_modal', privateMetadata: meta(), viewId: 'VTOUCH1', values: await values() });
    await Promise.all([kept.interact(payload), kept.interact(payload)]);
    await kept.slack.waitFor('chat.postMessage');
    await eventually(async () => (await kept.db.touch.count()) === before + 1);
    const t = await kept.db.touch.findFirstOrThrow({ where: { sourceKey: 'view:VTOUCH1' }, include: { contacts: { include: { contact: true } } } });
    expect(t.contacts.map((c) => c.contact.name)).toEqual(['Li']);
    expect(t.participants).toEqual(['Sam', '<@U0002>']);
    expect(t.sentiment).toBe('negative');
    expect(t.occurredAt.toISOString()).toBe('2026-11-23T14:00:00.000Z'); // 15:00 Berlin
    // Earlier than the chat logged on the 24th: a backdated touch leaves the clock alone.
    expect((await acme()).lastTouchAt?.toISOString()).toBe('2026-11-24T09:00:00.000Z');
  });
});

describe('seeing an account', () => {
  it('/kept account acme shows the card', async () => {
    await kept.command({ command: '/commit', text: 'acme: Send the SOC2 answers by Friday', channel_id: 'C0ACME' });
    await kept.slack.waitFor('chat.postMessage');
    kept.slack.reset();
    await kept_('account acme');
    const card = await reply();
    expect(card).toContain('every 7 days');
    expect(card).toContain('on track');
    expect(card).toContain('ours 1 · theirs 0');
    expect(card).toContain('Dana Smith');
    expect(card).toContain('last touched');
    expect(card).toContain('<@U0001>');
  });

  it('/kept contact list shows when each contact was last touched', async () => {
    await kept_('contact list acme');
    const list = await reply();
    expect(list).toContain('Dana Smith');
    expect(list).toContain('Li');
  });

  it('/touch list pages through touches and commitment events, newest first', async () => {
    for (let i = 0; i < 16; i++) {
      kept.clock.advance(60_000);
      kept.slack.reset();
      await touch(`email with Dana: follow-up ${i}`, { trigger_id: `trig.page.${i}` });
      await kept.slack.waitFor('chat.postMessage');
    }
    kept.slack.reset();
    await touch('list acme');
    const first = (await kept.lastResponse()).body as any;
    expect(first.blocks.length).toBeLessThanOrEqual(50);
    const text = JSON.stringify(first.blocks);
    expect(text).toContain('follow-up 15');
    const older = first.blocks.at(-1).elements[0];
    expect(older.action_id).toBe('timeline_older');
    kept.slack.reset();
    await kept.interact(blockAction({ actionId: 'timeline_older', value: older.value, responseUrl: kept.slack.responseUrl('older'), userId: 'U0001' }));
    const second = (await kept.slack.waitForResponse((r) => r.id === 'older')).body as any;
    expect(second.replace_original).toBe(true);
    const page2 = JSON.stringify(second.blocks);
    expect(page2).toContain('C-1'); // the commitment event is older than the emails
    expect(page2).toContain('renewal on track');
    expect(page2).not.toContain('follow-up 15');
  });
});

describe('settings', () => {
  it('changing a tier’s default cadence moves the accounts on it', async () => {
    await kept_('settings cadence strategic 10');
    expect(await reply()).toContain('strategic every 10 days');
    const a = await acme();
    expect(a.cadenceDueAt!.toISOString()).toBe(endOfDay(a.lastTouchAt!, 10));
  });

  it('an account’s own cadence wins over the tier', async () => {
    await kept_('account set acme cadence 3');
    await reply();
    const a = await acme();
    expect(a.cadenceDueAt!.toISOString()).toBe(endOfDay(a.lastTouchAt!, 3));
  });

  it('explains bad input', async () => {
    await kept_('settings cadence gold 10');
    expect(await reply()).toContain('The tier is one of');
    kept.slack.reset();
    await kept_('contact add acme');
    expect(await reply()).toContain('/kept contact add acme');
    kept.slack.reset();
    await kept_('contact add acme "Dana Smith"');
    expect(await reply()).toContain('already a contact');
  });
});

describe('prompt settings', () => {
  it('turns a prompt off and sets working hours', async () => {
    await kept_('settings prompt renewal off');
    expect(await reply()).toContain('renewal off');
    kept.slack.reset();
    await kept_('settings hours 08:30-17:00');
    expect(await reply()).toContain('08:30–17:00');
    const ws = await kept.db.workspace.findFirstOrThrow();
    expect(ws.settings).toMatchObject({ prompts: { renewal: false }, workingHours: { start: '08:30', end: '17:00' } });
    kept.slack.reset();
    await kept_('settings hours 18:00-09:00');
    expect(await reply()).toContain('same day');
  });
});

describe('quick add with a name that is not a key contact yet (issue 14)', () => {
  const inInit = (command: string, text: string) => kept.command({ command, text, channel_id: 'C0INIT' });
  beforeAll(async () => {
    await kept_('account add Initrode', 'C0INIT');
    await reply();
    for (const name of ['Umbrella East', 'Umbrella West']) {
      kept.slack.reset();
      await kept_(`account add ${name}`, 'D0001');
      await reply();
    }
  });

  it('saves the touch with the name as a participant, and the confirmation offers to add them', async () => {
    await inInit('/touch', 'call with Bill: migration worries :-1:');
    const post = await kept.slack.waitFor('chat.postMessage', (a) => a.channel === 'C0INIT');
    expect(kept.slack.callsTo('views.open')).toHaveLength(0);
    const account = await kept.db.account.findFirstOrThrow({ where: { name: 'Initrode' } });
    const t = await kept.db.touch.findFirstOrThrow({ where: { accountId: account.id }, include: { contacts: true } });
    expect(t).toMatchObject({ kind: 'call', summary: 'migration worries', sentiment: 'negative', participants: ['Bill'] });
    expect(t.contacts).toHaveLength(0);
    expect((await kept.db.account.findUniqueOrThrow({ where: { id: account.id } })).lastTouchAt).not.toBeNull();
    const buttons = post.blocks.filter((b: any) => b.type === 'actions').flatMap((b: any) => b.elements);
    expect(buttons.map((b: any) => [b.action_id, b.text.text])).toEqual([['add_touch_contact', 'Add Bill as a key contact']]);

    // One click: a small form with the name filled in and a role to choose.
    const ts = kept.slack.calls.find((c) => c.method === 'chat.postMessage' && c.args.channel === 'C0INIT')!.ts!;
    await kept.interact(blockAction({ actionId: 'add_touch_contact', value: buttons[0].value, channelId: 'C0INIT', messageTs: ts }));
    const open = await kept.slack.waitFor('views.open');
    expect(open.view.callback_id).toBe('add_contact_modal');
    const field = (id: string) => open.view.blocks.find((b: any) => b.block_id === id);
    expect(field('contact_name').element.initial_value).toBe('Bill');
    expect(field('contact_role').element.options.map((o: any) => o.text.text)).toEqual(['Decision maker', 'Champion', 'Influencer', 'Executive sponsor', 'User']);

    // The role is asked for on its field.
    const submit = (role: string | null) =>
      kept.interact(
        viewSubmission({
          callbackId: 'add_contact_modal',
          privateMetadata: open.view.private_metadata,
          values: {
            contact_name: { value: { type: 'plain_text_input', value: 'Bill Jones' } },
            contact_role: { value: { type: 'static_select', selected_option: role ? option({ value: role }) : null } },
            contact_title: { value: { type: 'plain_text_input', value: 'CTO' } },
          },
        }),
      );
    expect(JSON.parse((await submit(null)).body)).toEqual({ response_action: 'errors', errors: { contact_role: 'Choose the contact’s role.' } });

    // Saved: the contact, linked to the touch in place of the name, and the confirmation updated in place.
    await submit('champion');
    const update = await kept.slack.waitFor('chat.update', (a) => a.ts === ts);
    const contact = await kept.db.contact.findFirstOrThrow({ where: { accountId: account.id } });
    expect(contact).toMatchObject({ name: 'Bill Jones', role: 'champion', title: 'CTO' });
    const after = await kept.db.touch.findUniqueOrThrow({ where: { id: t.id }, include: { contacts: true } });
    expect(after.participants).toEqual([]);
    expect(after.contacts.map((c) => c.contactId)).toEqual([contact.id]);
    expect(JSON.stringify(update.blocks)).toContain('with Bill Jones');
    expect(JSON.stringify(update.blocks)).not.toContain('add_touch_contact');
    const said = await kept.slack.waitFor('chat.postEphemeral', (a) => String(a.text).includes('Bill Jones'));
    expect(said.text).toContain('Added Bill Jones (champion) as a key contact of Initrode');

    // The next touch that names Bill finds the contact.
    kept.slack.reset();
    await inInit('/touch', 'email to Bill: sent the migration plan');
    await kept.slack.waitFor('chat.postMessage', (a) => a.channel === 'C0INIT');
    const latest = await kept.db.touch.findFirstOrThrow({ where: { summary: 'sent the migration plan' }, include: { contacts: true } });
    expect(latest.contacts.map((c) => c.contactId)).toEqual([contact.id]);
  });

  it('opens the form when the account is unclear: two accounts match', async () => {
    await kept.command({ command: '/touch', text: 'umbrella call with Bill: intro', channel_id: 'D0001' });
    const open = await kept.slack.waitFor('views.open');
    expect(open.view.callback_id).toBe('touch_modal');
    expect(JSON.stringify(open.view)).toContain('matches several accounts');
  });

  it('/commit follows the same rule: saved when all is there, the form when two accounts match', async () => {
    await inInit('/commit', 'Send the migration plan by Friday');
    await kept.slack.waitFor('chat.postMessage', (a) => a.channel === 'C0INIT');
    expect(await kept.db.commitment.count({ where: { title: 'Send the migration plan' } })).toBe(1);
    expect(kept.slack.callsTo('views.open')).toHaveLength(0);
    await kept.command({ command: '/commit', text: 'umbrella: send the deck by Friday', channel_id: 'D0001' });
    const open = await kept.slack.waitFor('views.open');
    expect(open.view.callback_id).toBe('commit_modal');
    expect(JSON.stringify(open.view)).toContain('matches several accounts');
  });
});
