// One permission model for every path that changes state (issue 12, item 2): signed requests from
// two workspaces and three roles (owner, a stranger with no role, an admin) through the real
// receiver. Each path refuses the stranger with an answer naming who may and changes nothing,
// and lets the owner and the admin through; the bootstrap rule; the audit trail.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startKept, type Kept } from '../helpers/kept.js';
import { blockAction, viewSubmission } from '../helpers/slack-requests.js';

let kept: Kept;
/** Generous: the machine may be busy, and the first request of a workspace is the slowest. */
const WAIT_MS = 10_000;
const A = 'T0001';
const B = 'T0002';

// Workspace A: the owner of Acme and its commitments, a stranger, a Slack admin, a future Kept admin.
const OWNER = 'UOWNER';
const STRANGER = 'USTRANGER';
const ADMIN = 'UADMIN'; // a Slack workspace admin: a Kept admin while none are named
const KEPT_ADMIN = 'UKEPTADM';
// Workspace B.
const B_OWNER = 'UBOWNER';

const OWNS_ACME = `<@${OWNER}> (the account owner)`;
const OWNS_C = `<@${OWNER}> (the owner, who recorded it, the account owner)`;
const SLACK_ADMINS = 'a Slack workspace admin or owner (Kept has no admins of its own yet)';

beforeAll(async () => {
  kept = await startKept({ now: '2026-11-23T14:00:00Z' });
  for (const id of [OWNER, STRANGER, KEPT_ADMIN, B_OWNER]) kept.slack.setUser(id, { name: id.toLowerCase(), tz: 'Europe/Berlin' });
  kept.slack.setUser(ADMIN, { name: 'admin', tz: 'Europe/Berlin', isAdmin: true });
  expect(await kept_('account add Acme', OWNER)).toContain('Created *Acme*');
  expect(await kept_('account add Beta', OWNER, 'CBETA')).toContain('Created *Beta*');
  expect(await kept_('account add Gamma', B_OWNER, 'CGAMMA', B)).toContain('Created *Gamma*');
});
afterAll(() => kept?.close());

// ---- requests and answers ----------------------------------------------------------------------

async function send(command: string, text: string, user: string, channel = 'CACME', team = A): Promise<string> {
  kept.clock.advance(1000); // each change its own moment, so the trail has an order
  await kept.command({ command, text, user_id: user, channel_id: channel, team_id: team });
  return JSON.stringify((await kept.lastResponse(WAIT_MS)).body);
}
const kept_ = (text: string, user: string, channel = 'CACME', team = A) => send('/kept', text, user, channel, team);
const commit = (text: string, user: string, channel = 'CACME', team = A) => send('/commit', text, user, channel, team);

let clicks = 0;
/** A button (or overflow choice) in the Acme channel; resolves with the ephemeral answer, if one is awaited. */
async function click(actionId: string, user: string, o: { value?: string; option?: string; team?: string; answer?: boolean } = {}): Promise<string> {
  const id = `click-${++clicks}`;
  kept.clock.advance(1000);
  await kept.interact(
    blockAction({
      actionId,
      userId: user,
      teamId: o.team ?? A,
      channelId: 'CACME',
      messageTs: '1795000000.000100',
      responseUrl: kept.slack.responseUrl(id),
      ...(o.option ? { selectedOption: { value: o.option, text: 'Snooze' }, actionType: 'overflow' } : { value: o.value ?? '' }),
    }),
  );
  if (o.answer === false) return '';
  return JSON.stringify((await kept.slack.waitForResponse((r) => r.id === id, WAIT_MS)).body);
}

/** A modal submission (forged by whoever sends it); refusals arrive as a DM. */
async function submit(callbackId: string, user: string, commitmentId: string, values: Record<string, unknown>): Promise<void> {
  await kept.interact(viewSubmission({ callbackId, userId: user, teamId: A, privateMetadata: JSON.stringify({ commitmentId, timeZone: 'Europe/Berlin', message: null }), values: values as never }));
}
const dmTo = (user: string, contains: string) => kept.slack.waitFor('chat.postMessage', (a) => a.channel === user && JSON.stringify(a).includes(contains), WAIT_MS);

function expectRefusal(answer: string, ...whoMay: string[]): void {
  expect(answer).toContain(':no_entry: Only ');
  for (const w of whoMay) expect(answer).toContain(w);
  expect(answer).toContain('Nothing was changed.');
}

let made = 0;
/** A commitment on Acme, owned and recorded by the owner. */
async function newCommitment(): Promise<{ id: string; number: number }> {
  const title = `Deliverable ${++made}`;
  await kept.command({ text: `acme: ${title} by Friday`, user_id: OWNER, channel_id: 'CACME', team_id: A }); // announced in the channel, no private answer
  return eventually(() => kept.db.commitment.findFirst({ where: { title }, select: { id: true, number: true } }), WAIT_MS);
}
const statusOf = async (id: string) => (await kept.db.commitment.findUniqueOrThrow({ where: { id } })).status;
const eventsOf = async (id: string) => (await kept.db.commitmentEvent.findMany({ where: { commitmentId: id }, orderBy: { at: 'asc' } })).map((e) => e.kind);
const acme = () => kept.db.account.findFirstOrThrow({ where: { name: 'Acme' }, include: { owner: true, channels: true } });
const settingsOf = async (team = A) => (await kept.db.workspace.findUniqueOrThrow({ where: { slackTeamId: team } })).settings as Record<string, any>;
const audit = (kind: string) => kept.db.auditEvent.findMany({ where: { kind: kind as never }, orderBy: { at: 'asc' }, include: { actor: true } });

// ---- commitments -------------------------------------------------------------------------------

describe('a commitment: its owner, who recorded it, the account owner, Kept admins', () => {
  it('/commit done: refused for a stranger, allowed for the owner and for an admin', async () => {
    const c = await newCommitment();
    expectRefusal(await commit(`done C-${c.number}`, STRANGER), OWNS_C, SLACK_ADMINS, `change *C-${c.number}*`);
    expect(await statusOf(c.id)).toBe('open');
    expect(await eventsOf(c.id)).toEqual(['created']);
    expect(await commit(`done C-${c.number}`, OWNER)).toContain(`Marked *C-${c.number}* done`);
    const d = await newCommitment();
    expect(await commit(`done C-${d.number}`, ADMIN)).toContain(`Marked *C-${d.number}* done`);
    expect(await statusOf(d.id)).toBe('done');
  });

  it('every button refuses a stranger and changes nothing', async () => {
    const c = await newCommitment();
    kept.slack.reset();
    for (const actionId of ['commitment_done', 'commitment_on_track', 'commitment_reschedule', 'commitment_more_time', 'commitment_reassign', 'commitment_drop']) {
      expectRefusal(await click(actionId, STRANGER, { value: c.id }), OWNS_C);
    }
    expectRefusal(await click('commitment_snooze', STRANGER, { option: `${c.id}|nextweek` }), OWNS_C);
    expect(await statusOf(c.id)).toBe('open');
    expect(await eventsOf(c.id)).toEqual(['created']);
    expect(kept.slack.callsTo('views.open')).toHaveLength(0);
    expect(kept.slack.callsTo('chat.update')).toHaveLength(0);
    const schedule = await kept.db.commitmentSchedule.findUniqueOrThrow({ where: { commitmentId: c.id } });
    expect(schedule.nextPromptAt.getTime()).toBeLessThan(new Date('2026-11-30T00:00:00Z').getTime()); // not snoozed to next week
  });

  it('a forged Reschedule, Reassign or Drop submission from a stranger changes nothing', async () => {
    const c = await newCommitment();
    kept.slack.reset();
    await submit('more_time_modal', STRANGER, c.id, {
      new_date: { value: { type: 'datepicker', selected_date: '2027-01-08' } },
      new_time: { value: { type: 'timepicker', selected_time: null } },
      reason: { value: { type: 'plain_text_input', value: 'Because I can' } },
      announce: { value: { type: 'checkboxes', selected_options: [] } },
    });
    expectRefusal(JSON.stringify(await dmTo(STRANGER, 'Only')), OWNS_C);
    await submit('reassign_modal', STRANGER, c.id, { owner: { value: { type: 'users_select', selected_user: STRANGER } } });
    await submit('drop_modal', STRANGER, c.id, { reason: { value: { type: 'plain_text_input', value: 'Mine now' } } });
    await eventually(() => kept.slack.callsTo('chat.postMessage').filter((a) => a.channel === STRANGER).length === 3, WAIT_MS);
    const after = await kept.db.commitment.findUniqueOrThrow({ where: { id: c.id }, include: { owner: true } });
    expect(after).toMatchObject({ status: 'open', dueAt: after.originalDueAt });
    expect(after.owner.slackUserId).toBe(OWNER);
    expect(await eventsOf(c.id)).toEqual(['created']);
  });

  it('the owner and an admin may reschedule, reassign and drop', async () => {
    const c = await newCommitment();
    await submit('reassign_modal', ADMIN, c.id, { owner: { value: { type: 'users_select', selected_user: STRANGER } } });
    await eventually(async () => (await eventsOf(c.id)).includes('reassigned'), WAIT_MS);
    // Now the stranger owns it, and so may act on it; the recorder still may too.
    await submit('drop_modal', OWNER, c.id, { reason: { value: { type: 'plain_text_input', value: 'Not needed' } } });
    await eventually(async () => (await statusOf(c.id)) === 'dropped', WAIT_MS);
  });

  it('recording a commitment is open to every member', async () => {
    await kept.command({ text: 'acme: Stranger promise by Friday', user_id: STRANGER, channel_id: 'CACME', team_id: A });
    await eventually(() => kept.db.commitment.findFirst({ where: { title: 'Stranger promise' } }), WAIT_MS);
  });
});

// ---- accounts and channels --------------------------------------------------------------------

describe('an account: its owner and Kept admins', () => {
  it('refuses a stranger every change to Acme (owner, name, cadence, tier, renewal, alias) and changes nothing', async () => {
    const before = await acme();
    for (const change of [`owner <@${STRANGER}|s>`, 'name Evil Corp', 'cadence 1', 'tier key', 'renewal 2027-01-01', 'alias Evil']) {
      expectRefusal(await kept_(`account set Acme ${change}`, STRANGER), OWNS_ACME, SLACK_ADMINS, 'change *Acme*');
    }
    const after = await acme();
    expect(after).toMatchObject({ name: 'Acme', ownerId: before.ownerId, cadenceDays: null, tier: before.tier, renewalDate: null, aliases: [] });
    expect(await kept.db.auditEvent.count({ where: { kind: 'account_changed' } })).toBe(0);
  });

  it('lets the owner and an admin change it, each change in the audit trail with actor, before and after', async () => {
    expect(await kept_('account set Acme cadence 10', OWNER)).toContain('every 10 days');
    const changedAt = kept.clock.now(); // Kept's clock when the change was made
    expect(await kept_('account set Acme tier strategic', ADMIN)).toContain('tier is strategic');
    const rows = await audit('account_changed');
    expect(rows.map((r) => [r.actor?.slackUserId, r.before, r.after])).toEqual([
      [OWNER, { cadence: null }, { cadence: 10 }],
      [ADMIN, { tier: 'standard' }, { tier: 'strategic' }],
    ]);
    expect(rows[0]!.at).toEqual(changedAt);
    // A change that fails records nothing: the trail is written in the change's transaction.
    expect(await kept_('account set Acme name Beta', OWNER)).toContain('already an account called');
    expect(await audit('account_changed')).toHaveLength(2);
  });

  it('linking a channel needs the account; moving it away from another account needs that one too', async () => {
    expectRefusal(await kept_('account link Acme', STRANGER, 'CNEW'), OWNS_ACME, `link <#CNEW> to *Acme*`);
    expect(await kept.db.accountChannel.findFirst({ where: { channelId: 'CNEW' } })).toBeNull();
    // The stranger creates an account of his own (open), then tries to pull Acme's channel into it.
    expect(await kept_('account add Stranger Things', STRANGER, 'CSTRANGE')).toContain('Created *Stranger Things*');
    expectRefusal(await kept_('account link Stranger Things', STRANGER, 'CACME'), OWNS_ACME, `move <#CACME> away from *Acme*`);
    expectRefusal(await kept_('account add Hijack', STRANGER, 'CACME'), OWNS_ACME, `move <#CACME> away from *Acme*`);
    expect(await kept.db.account.count({ where: { name: 'Hijack' } })).toBe(0);
    expect((await acme()).channels.map((c) => c.channelId)).toEqual(['CACME']);
    // The owner of both moves Beta's channel to Acme: both accounts' trails record it.
    expect(await kept_('account link Acme', OWNER, 'CBETA')).toContain('Linked <#CBETA> to *Acme* (it was linked to another account before)');
    const moved = await kept.db.auditEvent.findMany({ where: { kind: 'channel_linked', channelId: 'CBETA', actor: { slackUserId: OWNER } }, orderBy: [{ at: 'asc' }, { account: { name: 'asc' } }], include: { account: true } });
    expect(moved.map((m) => [m.account?.name, m.before, m.after])).toEqual([
      ['Beta', { account: null }, { account: 'Beta' }], // /kept account add Beta in #beta
      ['Acme', { account: 'Beta' }, { account: 'Acme' }], // the move, in both accounts' trails
      ['Beta', { account: 'Beta' }, { account: 'Acme' }],
    ]);
    // An admin may link anywhere.
    expect(await kept_('account link Acme', ADMIN, 'CNEW')).toContain('Linked <#CNEW> to *Acme*');
  });

  it('the cadence nudge’s Snooze is the account owner’s (or an admin’s); Log a touch is open', async () => {
    const a = await acme();
    const before = a.cadenceWarnAt;
    expectRefusal(await click('snooze_cadence', STRANGER, { value: a.id }), OWNS_ACME, 'change *Acme*');
    expect((await acme()).cadenceWarnAt).toEqual(before);
    expect(await click('snooze_cadence', OWNER, { value: a.id })).toMatch(/Snoozed|before the snooze would end/);
    kept.slack.reset();
    await click('log_touch', STRANGER, { value: a.id, answer: false });
    await kept.slack.waitFor('views.open', (x) => x.view.callback_id === 'touch_modal', WAIT_MS);
  });

  it('adding a key contact and logging a touch are open to every member', async () => {
    expect(await kept_('contact add acme "Dana Smith" cfo', STRANGER)).toContain('Added *Dana Smith*');
    await kept.command({ command: '/touch', text: 'acme call with Dana: all good', user_id: STRANGER, channel_id: 'CACME', team_id: A });
    await eventually(() => kept.db.touch.findFirst({ where: { summary: 'all good' } }), WAIT_MS);
  });
});

// ---- digests ---------------------------------------------------------------------------------

describe('a channel’s digest: the account’s owner in its channel, whoever set it up elsewhere, Kept admins', () => {
  it('in an account’s channel', async () => {
    expectRefusal(await kept_('digest weekly fri 16:00', STRANGER), OWNS_ACME, 'change the weekly digest of <#CACME>');
    expect(await kept.db.digestSubscription.count({ where: { channelId: 'CACME' } })).toBe(0);
    expect(await kept_('digest weekly fri 16:00', OWNER)).toContain('Every Friday at 16:00');
    expectRefusal(await kept_('digest off', STRANGER), `<@${OWNER}> (the account owner, who set it up)`);
    expectRefusal(await kept_('digest weekly mon 09:00', STRANGER), `<@${OWNER}> (the account owner, who set it up)`);
    expect(await kept.db.digestSubscription.findFirstOrThrow({ where: { channelId: 'CACME' } })).toMatchObject({ weekday: 5, time: '16:00' });
    expect(await kept_('digest preview', STRANGER)).toContain('Weekly review: Acme'); // reading is open
    expect(await kept_('digest off', ADMIN)).toContain('Stopped the weekly digest');
    const rows = await kept.db.auditEvent.findMany({ where: { channelId: 'CACME', kind: { in: ['digest_changed', 'digest_stopped'] } }, orderBy: { at: 'asc' }, include: { actor: true } });
    expect(rows.map((r) => [r.kind, r.actor?.slackUserId])).toEqual([['digest_changed', OWNER], ['digest_stopped', ADMIN]]);
    expect(rows[0]!.after).toMatchObject({ weekday: 5, time: '16:00', scope: 'account' });
  });

  it('in a team channel: whoever sets it up (anyone, when there is none) and admins', async () => {
    expect(await kept_('digest weekly for all', STRANGER, 'CTEAM')).toContain('portfolio review of all accounts');
    expectRefusal(await kept_('digest off', OWNER, 'CTEAM'), `<@${STRANGER}> (who set it up)`, SLACK_ADMINS);
    expect(await kept_('digest weekly tue 10:00 for all', STRANGER, 'CTEAM')).toContain('Every Tuesday at 10:00');
    expect(await kept_('digest off', ADMIN, 'CTEAM')).toContain('Stopped');
  });
});

// ---- settings and the bootstrap rule ------------------------------------------------------------

describe('workspace settings: Kept admins only', () => {
  it('refuses a stranger every setting, including making himself admin or removing every admin', async () => {
    const before = await settingsOf();
    for (const text of ['settings hours 00:00-00:01', 'settings prompt renewal off', 'settings cadence strategic 1', 'settings warning 50%']) {
      expectRefusal(await kept_(text, STRANGER), SLACK_ADMINS, 'change Kept’s settings');
    }
    for (const text of [`settings admins <@${STRANGER}|me>`, 'settings admins none']) {
      expectRefusal(await kept_(text, STRANGER), SLACK_ADMINS, 'name Kept’s admins');
    }
    // The account owner has no say over the workspace either.
    expectRefusal(await kept_('settings hours 07:00-19:00', OWNER), 'change Kept’s settings');
    expect(await settingsOf()).toEqual(before);
    expect(await kept.db.auditEvent.count({ where: { kind: { in: ['settings_changed', 'admins_changed'] } } })).toBe(0);
    // Reading them is open.
    expect(await kept_('settings', STRANGER)).toContain('Cadence defaults');
  });

  it('bootstrap: Slack admins are Kept admins until admins are named; then the named ones are; none gives it back', async () => {
    expect(await kept_('settings hours 08:00-17:00', ADMIN)).toContain('08:00–17:00');
    expect(await kept_(`settings admins <@${KEPT_ADMIN}|k>`, ADMIN)).toContain(`Kept admins (change settings and any account, commitment or digest): <@${KEPT_ADMIN}>`);
    // Named: the Kept admin may change settings, accounts and commitments; a Slack admin no longer may…
    expect(await kept_('settings warning 30%', KEPT_ADMIN)).toContain('the last 30%');
    expectRefusal(await kept_('settings warning 40%', ADMIN), `a Kept admin (<@${KEPT_ADMIN}>)`, 'change Kept’s settings');
    expectRefusal(await kept_('account set Acme cadence 12', ADMIN), OWNS_ACME, `a Kept admin (<@${KEPT_ADMIN}>)`);
    expect(await kept_('account set Acme cadence 12', KEPT_ADMIN)).toContain('every 12 days');
    const c = await newCommitment();
    expect(await commit(`done C-${c.number}`, KEPT_ADMIN)).toContain('Marked');
    // …but a Slack admin may always mend the admin list, so nobody can be locked out.
    expect(await kept_(`settings admins <@${KEPT_ADMIN}|k> <@${OWNER}|o>`, ADMIN)).toContain(`<@${KEPT_ADMIN}> <@${OWNER}>`);
    expect(await kept_('settings admins none', OWNER)).toContain('none named, so Slack’s workspace admins and owners');
    expect((await settingsOf()).adminSlackIds).toEqual([]);
    expectRefusal(await kept_('settings warning 20%', KEPT_ADMIN), SLACK_ADMINS);
    expect(await kept_('settings warning 20%', ADMIN)).toContain('the last 20%');

    const rows = await kept.db.auditEvent.findMany({ where: { kind: { in: ['settings_changed', 'admins_changed'] } }, orderBy: { at: 'asc' }, include: { actor: true } });
    expect(rows.map((r) => [r.kind, r.actor?.slackUserId, r.before, r.after])).toEqual([
      ['settings_changed', ADMIN, { 'workingHours.start': '09:00', 'workingHours.end': '18:00' }, { 'workingHours.start': '08:00', 'workingHours.end': '17:00' }],
      ['admins_changed', ADMIN, { adminSlackIds: [] }, { adminSlackIds: [KEPT_ADMIN] }],
      ['settings_changed', KEPT_ADMIN, { cadenceWarningFraction: 0.2 }, { cadenceWarningFraction: 0.3 }],
      ['admins_changed', ADMIN, { adminSlackIds: [KEPT_ADMIN] }, { adminSlackIds: [KEPT_ADMIN, OWNER] }],
      ['admins_changed', OWNER, { adminSlackIds: [KEPT_ADMIN, OWNER] }, { adminSlackIds: [] }],
      ['settings_changed', ADMIN, { cadenceWarningFraction: 0.3 }, { cadenceWarningFraction: 0.2 }],
    ]);
  });

  it('re-reads a Slack admin’s status from Slack when it is older than five minutes, and refuses when Slack cannot say', async () => {
    kept.slack.setUser(ADMIN, { name: 'admin', tz: 'Europe/Berlin', isAdmin: false }); // demoted in Slack
    expect(await kept_('settings prompt renewal off', ADMIN)).toContain('renewal off'); // the flag is minutes old: still trusted
    kept.clock.advance(6 * 60_000);
    expectRefusal(await kept_('settings prompt renewal on', ADMIN), SLACK_ADMINS);
    kept.slack.setUser(ADMIN, { name: 'admin', tz: 'Europe/Berlin', isAdmin: true }); // promoted again
    kept.clock.advance(6 * 60_000);
    expect(await kept_('settings prompt renewal on', ADMIN)).toContain('renewal on');
    kept.clock.advance(6 * 60_000);
    kept.slack.failNext('users.info', 'internal_error');
    const answer = await kept_('settings prompt renewal off', ADMIN);
    expectRefusal(answer, SLACK_ADMINS);
    expect(answer).toContain('could not check your Slack admin status');
    expect((await settingsOf()).prompts.renewal).toBe(true);
  });

  it('/kept settings history and the account card show the trail', async () => {
    const history = await kept_('settings history', STRANGER);
    expect(history).toContain('Recent changes to settings, accounts, channels and digests');
    expect(history).toContain(`<@${OWNER}> · settings: Kept admins: <@${KEPT_ADMIN}> <@${OWNER}> → none`);
    expect(history).toContain('settings: warning window: 30% → 20%');
    const card = await kept_('account Acme', STRANGER);
    expect(card).toContain('Recent changes');
    expect(card).toContain(`<@${KEPT_ADMIN}> · *Acme*: cadence: 10 → 12`);
  });
});

// ---- two workspaces ----------------------------------------------------------------------------

describe('a second workspace', () => {
  it('keeps its own owners and admins: workspace A’s Kept admin and Slack admin are strangers in B', async () => {
    await kept.command({ text: 'gamma: Deliver B by Friday', user_id: B_OWNER, channel_id: 'CGAMMA', team_id: B });
    const c = await eventually(() => kept.db.commitment.findFirst({ where: { title: 'Deliver B' } }), WAIT_MS);
    expect(await kept_(`settings admins <@${KEPT_ADMIN}|k>`, ADMIN)).toContain(`<@${KEPT_ADMIN}>`); // named in A only
    expectRefusal(await commit(`done C-${c.number}`, KEPT_ADMIN, 'CGAMMA', B), `<@${B_OWNER}> (the owner, who recorded it, the account owner)`, SLACK_ADMINS);
    expectRefusal(await kept_('settings hours 00:00-00:01', KEPT_ADMIN, 'CGAMMA', B), SLACK_ADMINS);
    expectRefusal(await kept_('account set Gamma owner <@UKEPTADM|k>', KEPT_ADMIN, 'CGAMMA', B), `<@${B_OWNER}> (the account owner)`);
    expect(await statusOf(c.id)).toBe('open');
    expect((await settingsOf(B)).workingHours ?? { start: '09:00' }).not.toMatchObject({ start: '00:00' });
    expect(await commit(`done C-${c.number}`, B_OWNER, 'CGAMMA', B)).toContain('Marked');
    // A's settings are untouched by B, and B's trail holds only B's changes.
    const ws = await kept.db.workspace.findUniqueOrThrow({ where: { slackTeamId: B } });
    expect((await kept.db.auditEvent.findMany({ where: { workspaceId: ws.id } })).map((r) => r.kind)).toEqual(['account_created', 'channel_linked']);
  });
});
