// The permission model's rules, as pure functions (services/permissions.ts), and the refusal's words.
import { describe, expect, it } from 'vitest';
import { refusalMessage } from '../../src/messages/permissions.js';
import { accountPolicy, adminsPolicy, allows, commitmentPolicy, digestPolicy, isKeptAdmin, linkPolicies, settingsPolicy, type Person } from '../../src/services/permissions.js';

const person = (id: string, isAdmin = false): Person => ({ id, slackUserId: `U${id.toUpperCase()}`, isAdmin });
const owner = person('owner');
const recorder = person('rec');
const accountOwner = person('acc');
const stranger = person('x');
const slackAdmin = person('boss', true);
const keptAdmin = person('kept');
const c = { number: 7, ownerId: 'owner', createdById: 'rec', account: { ownerId: 'acc' } };

describe('who may change what', () => {
  it('a commitment: its owner, who recorded it, the account owner, Kept admins', () => {
    const p = commitmentPolicy(c);
    for (const who of [owner, recorder, accountOwner]) expect(allows(p, who, [])).toBe(true);
    expect(allows(p, stranger, [])).toBe(false);
    expect(allows(p, slackAdmin, [])).toBe(true); // no Kept admins named: Slack admins are
    expect(allows(p, slackAdmin, ['UKEPT'])).toBe(false); // named: only they are
    expect(allows(p, keptAdmin, ['UKEPT'])).toBe(true);
  });

  it('an account: its owner and Kept admins; nobody else when it has no owner', () => {
    expect(allows(accountPolicy({ name: 'Acme', ownerId: 'acc' }), accountOwner, [])).toBe(true);
    expect(allows(accountPolicy({ name: 'Acme', ownerId: 'acc' }), owner, [])).toBe(false);
    expect(allows(accountPolicy({ name: 'Acme', ownerId: null }), stranger, [])).toBe(false);
    expect(accountPolicy({ name: 'Acme', ownerId: null }).holders).toEqual([]);
  });

  it('a channel link needs the new account, and the old one when the channel moves', () => {
    const to = { id: 'a', name: 'Acme', ownerId: 'acc' };
    expect(linkPolicies('C1', to, null)).toHaveLength(1);
    expect(linkPolicies('C1', to, to)).toHaveLength(1); // linking it again moves nothing
    const [toP, fromP] = linkPolicies('C1', to, { id: 'b', name: 'Beta', ownerId: 'owner' });
    expect(allows(toP!, accountOwner, []) && !allows(fromP!, accountOwner, [])).toBe(true);
    expect(fromP!.subject).toEqual({ kind: 'moveFrom', account: 'Beta', channelId: 'C1' });
  });

  it('a digest: the channel’s account owner, whoever set it up, Kept admins; open where there is neither', () => {
    expect(digestPolicy('C1', null, null).open).toBe(true);
    expect(allows(digestPolicy('C1', { ownerId: 'acc' }, null), stranger, [])).toBe(false);
    expect(allows(digestPolicy('C1', null, { createdById: 'x' }), stranger, [])).toBe(true);
    expect(allows(digestPolicy('C1', null, { createdById: 'x' }), owner, [])).toBe(false);
  });

  it('settings: Kept admins only; the admin list also Slack admins, always', () => {
    expect(allows(settingsPolicy, owner, [])).toBe(false);
    expect(allows(settingsPolicy, slackAdmin, ['UKEPT'])).toBe(false);
    expect(allows(adminsPolicy, slackAdmin, ['UKEPT'])).toBe(true);
    expect(allows(adminsPolicy, keptAdmin, ['UKEPT'])).toBe(true);
    expect(allows(adminsPolicy, stranger, ['UKEPT'])).toBe(false);
  });

  it('bootstrap: Slack admins are Kept admins until someone is named; an empty list gives the role back', () => {
    expect(isKeptAdmin(slackAdmin, [])).toBe(true);
    expect(isKeptAdmin(stranger, [])).toBe(false);
    expect(isKeptAdmin(slackAdmin, ['UKEPT'])).toBe(false);
    expect(isKeptAdmin(keptAdmin, ['UKEPT'])).toBe(true);
  });
});

describe('the refusal', () => {
  it('names who may, by mention and role, and says nothing changed', () => {
    const m = refusalMessage({
      subject: { kind: 'commitment', reference: 'C-7' },
      holders: [{ slackUserId: 'UOWNER', roles: ['owner', 'recorder'] }, { slackUserId: 'UACC', roles: ['accountOwner'] }],
      keptAdmins: ['UK1', 'UK2', 'UK3', 'UK4', 'UK5', 'UK6', 'UK7'],
      slackAdminsToo: false,
      unverified: false,
    });
    expect(JSON.stringify(m.blocks)).toContain(
      ':no_entry: Only <@UOWNER> (the owner, who recorded it), <@UACC> (the account owner) or a Kept admin (<@UK1>, <@UK2>, <@UK3>, <@UK4>, <@UK5> and 2 more) can change *C-7*. Nothing was changed.',
    );
    expect(m.text).toContain('can change C-7. Nothing was changed.');
  });

  it('says when Slack could not confirm an admin, and names Slack admins while Kept has none', () => {
    const m = refusalMessage({ subject: { kind: 'settings' }, holders: [], keptAdmins: [], slackAdminsToo: false, unverified: true });
    expect(m.text).toBe(':no_entry: Only a Slack workspace admin or owner (Kept has no admins of its own yet) can change Kept’s settings. Nothing was changed. I could not check your Slack admin status just now; try again in a minute.');
  });
});
