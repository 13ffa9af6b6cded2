import { describe, expect, it } from 'vitest';
import { commitModal, readCommitModal } from '../../src/messages/commit-modal.js';
import { alreadyChanged, commitmentDoneMessage, commitmentList, commitmentMessage } from '../../src/messages/commitment.js';
import { LIMITS } from '../../src/messages/format.js';
import type { CommitmentFull } from '../../src/services/commitments.js';

/** An account id as Kept writes it into the picker (a uuid). */
const ACC_1 = '3f0c9a52-5b7e-4c1d-9f3a-2d6e8b1a4c70';

const now = new Date('2026-11-23T14:00:00Z');

function commitment(over: Partial<CommitmentFull> = {}): CommitmentFull {
  const user = (slackUserId: string, displayName: string) => ({
    id: `id-${slackUserId}`, workspaceId: 'w', slackUserId, displayName, timeZone: 'America/New_York', isAdmin: false, fetchedAt: now, createdAt: now, updatedAt: now,
  });
  return {
    id: 'c1', workspaceId: 'w', number: 42, title: 'SOC2 answers', notes: null, accountId: 'a1', ownerId: 'id-U2', direction: 'ours',
    dueAt: new Date('2026-12-03T22:00:00Z'), dueTimeZone: 'America/New_York', originalDueAt: new Date('2026-12-03T22:00:00Z'),
    status: 'open', createdById: 'id-U1', source: 'slash_command', sourceKey: 'k', channelId: null, messageTs: null, completedAt: null,
    createdAt: now, updatedAt: now,
    account: { id: 'a1', workspaceId: 'w', name: 'Acme <Corp>', normalizedName: 'acme <corp>', aliases: [], ownerId: null, tier: 'standard', cadenceDays: null, renewalDate: null, archived: false, createdAt: now, updatedAt: now },
    owner: user('U2', 'maria'),
    createdBy: user('U1', 'ana'),
    ...over,
  } as CommitmentFull;
}

describe('commitment message', () => {
  it('says who owes what to whom by when, escapes names (in the fallback too), and carries a Done button', () => {
    const m = commitmentMessage(commitment(), now);
    expect(m.text).toBe('C-42: maria owes Acme &lt;Corp&gt;: “SOC2 answers” by Thu 3 Dec 17:00 EST');
    const json = JSON.stringify(m.blocks);
    expect(json).toContain('<@U2> owes *Acme &lt;Corp&gt;*');
    expect(json).toContain('<!date^1796335200^{date_short_pretty} {time}|Thu 3 Dec 2026 17:00 EST>');
    expect(json).toContain('"action_id":"commitment_done"');
  });

  it('words a customer-owed item from the customer’s side, with Received', () => {
    const m = commitmentMessage(commitment({ direction: 'theirs' }), now);
    expect(m.text).toContain('Acme &lt;Corp&gt; owes us');
    expect(JSON.stringify(m.blocks)).toContain('"text":"Received"');
    expect(JSON.stringify(m.blocks)).toContain('<@U2> follows up');
  });

  it('shows the done state without buttons, on time or late against the original date', () => {
    const onTime = commitmentDoneMessage(commitment({ status: 'done', completedAt: new Date('2026-12-01T10:00:00Z') }), 'U9', new Date('2026-12-01T10:00:00Z'));
    expect(JSON.stringify(onTime.blocks)).toContain('Done by <@U9>');
    expect(JSON.stringify(onTime.blocks)).toContain('on time');
    expect(JSON.stringify(onTime.blocks)).not.toContain('button');
    const late = commitmentDoneMessage(commitment({ status: 'done', completedAt: new Date('2026-12-05T10:00:00Z') }), 'U9', now);
    expect(JSON.stringify(late.blocks)).toContain('late');
  });

  it('explains an item that already changed', () => {
    const text = alreadyChanged(commitment({ status: 'done' }), { kind: 'done', at: now, actorSlackId: 'U7' });
    expect(text.text).toMatch(/^C-42 was already marked done by <@U7> <!date\^/);
  });
});

describe('commitment list', () => {
  it('stays within Slack’s limits and says how many more there are', () => {
    const items = Array.from({ length: 120 }, (_, i) => commitment({ id: `c${i}`, number: i, title: 'x'.repeat(200) }));
    const m = commitmentList('Open', items, 300, now, '');
    expect(m.blocks.length).toBeLessThanOrEqual(LIMITS.messageBlocks);
    expect(m.text.length).toBeLessThanOrEqual(LIMITS.fallbackText);
    expect(JSON.stringify(m.blocks)).toContain('and 253 more');
  });

  it('marks overdue items', () => {
    const m = commitmentList('Open', [commitment({ dueAt: new Date('2026-11-20T10:00:00Z') })], 1, now, '');
    expect(JSON.stringify(m.blocks)).toContain('overdue');
  });
});

describe('commit modal', () => {
  const meta = { channelId: 'C1', timeZone: 'Europe/Berlin' };
  const state = (over: Record<string, unknown> = {}) => ({
    account: { account_select: { selected_option: { value: ACC_1 } } },
    new_account: { value: { value: null } },
    title: { value: { value: 'Send pricing' } },
    direction: { value: { selected_option: { value: 'theirs' } } },
    owner: { value: { selected_user: 'U0001' } },
    due_date: { value: { selected_date: '2026-11-30' } },
    due_time: { value: { selected_time: null } },
    notes: { value: { value: null } },
    ...over,
  });

  it('prefills what was understood and keeps the zone in private metadata', () => {
    const v = commitModal({ title: 'Send pricing', dueDate: '2026-11-27', dueTime: '17:00', ownerSlackId: 'U1', account: { id: 'a', name: 'Acme' }, problems: ['No due date'] }, meta);
    expect(v.blocks.length).toBeLessThanOrEqual(LIMITS.surfaceBlocks);
    const json = JSON.stringify(v);
    expect(json).toContain('"initial_date":"2026-11-27"');
    expect(json).toContain('"initial_time":"17:00"');
    expect(json).toContain('No due date');
    expect(JSON.parse(v.private_metadata!)).toEqual(meta);
  });

  it('reads a valid submission in the user’s zone, defaulting to the end of the working day', () => {
    const r = readCommitModal(state(), meta, now);
    expect(r).toEqual({
      ok: true,
      input: { accountId: ACC_1, newAccountName: null, title: 'Send pricing', ownerSlackId: 'U0001', direction: 'theirs', dueAt: new Date('2026-11-30T17:00:00Z'), notes: null },
    });
  });

  it('puts each error on its field', () => {
    const r = readCommitModal(
      state({
        account: { account_select: { selected_option: null } },
        title: { value: { value: 'y'.repeat(201) } },
        owner: { value: { selected_user: null } },
        due_date: { value: { selected_date: '2026-11-23' } },
        due_time: { value: { selected_time: '08:00' } },
        notes: { value: { value: 'n'.repeat(2001) } },
      }),
      meta,
      now,
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(Object.keys(r.errors).sort()).toEqual(['account', 'due_time', 'notes', 'owner', 'title']);
    expect(r.errors.title).toContain('200 characters');
  });

  it('refuses both an existing and a new account', () => {
    const r = readCommitModal(state({ new_account: { value: { value: 'Globex' } } }), meta, now);
    expect(r.ok ? {} : r.errors).toHaveProperty('new_account');
  });
});
