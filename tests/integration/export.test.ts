// Export, and the round trip: what Kept exports imports back unchanged into the same workspace,
// and into a fresh one it recreates the same accounts, contacts and open commitments.
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.js';
import type { Db } from '../../src/db/client.js';
import { createAccount, linkChannel, updateAccount } from '../../src/services/accounts.js';
import { completeCommitment, createCommitment, rescheduleCommitment } from '../../src/services/commitments.js';
import { addContact } from '../../src/services/contacts.js';
import { EXPORT_COLUMNS, exportCsv, type ExportKind } from '../../src/services/export.js';
import { runImport, type ImportKind } from '../../src/services/import/index.js';
import { recordTouch } from '../../src/services/touches.js';
import { createTestDatabase } from '../helpers/db.js';

const NOW = new Date('2026-11-23T14:00:00Z');
let db: Db;
let drop: () => Promise<void>;
const clock = new FixedClock(NOW);
let ws: string;
let ana: string;
let maria: string;

beforeAll(async () => {
  ({ db, drop } = await createTestDatabase());
  ws = (await db.workspace.create({ data: { slackTeamId: 'T0001' } })).id;
  ana = (await db.user.create({ data: { workspaceId: ws, slackUserId: 'U0001', displayName: 'ana', timeZone: 'America/New_York', fetchedAt: NOW } })).id;
  maria = (await db.user.create({ data: { workspaceId: ws, slackUserId: 'U0002', displayName: 'maria', timeZone: 'Europe/Berlin', fetchedAt: NOW } })).id;

  // Typed the usual ways, a week ago, with awkward text: commas, quotes, line breaks, accents.
  clock.set('2026-11-16T14:00:00Z');
  const acme = await createAccount(db, { workspaceId: ws, name: 'Acme, Inc.', ownerId: ana, now: clock.now() });
  await updateAccount(db, acme.id, { field: 'tier', tier: 'strategic' });
  await updateAccount(db, acme.id, { field: 'cadence', days: 14 });
  await updateAccount(db, acme.id, { field: 'renewal', date: new Date('2027-03-31T00:00:00Z') });
  await updateAccount(db, acme.id, { field: 'alias', alias: 'Acme Corp' });
  await linkChannel(db, ws, acme.id, 'C0ACME01');
  await linkChannel(db, ws, acme.id, 'C0ACME02');
  const zoe = await createAccount(db, { workspaceId: ws, name: 'Zoë "Z" Labs', ownerId: maria, now: clock.now() });
  await db.account.update({ where: { id: zoe.id }, data: { externalId: '001Z' } });
  await createAccount(db, { workspaceId: ws, name: 'Ownerless', now: clock.now() });
  const dana = await addContact(db, { workspaceId: ws, accountId: acme.id, name: 'Dana Smith', role: 'decision_maker', title: 'VP, Finance', email: 'dana@acme.com' });
  await addContact(db, { workspaceId: ws, accountId: zoe.id, name: 'Lee Park', role: null, title: 'Head of "Ops"' });
  const base = { workspaceId: ws, createdById: ana, source: 'test', dueTimeZone: 'America/New_York' };
  const c1 = await createCommitment(db, clock, { ...base, accountId: acme.id, ownerId: ana, title: 'Send pricing, v2', notes: 'Line one\nline "two"', direction: 'ours', dueAt: new Date('2026-11-20T23:00:00Z'), sourceKey: 'k1' });
  const c2 = await createCommitment(db, clock, { ...base, accountId: acme.id, ownerId: maria, title: 'Signed order form', direction: 'theirs', dueAt: new Date('2026-12-01T17:00:00Z'), dueTimeZone: 'Europe/Berlin', sourceKey: 'k2' });
  const c3 = await createCommitment(db, clock, { ...base, accountId: zoe.id, ownerId: maria, title: 'SOC2 answers', direction: 'ours', dueAt: new Date('2026-11-18T23:00:00Z'), sourceKey: 'k3' });
  await db.commitment.update({ where: { id: c3.commitment.id }, data: { externalId: 'T-9' } });
  clock.set('2026-11-18T15:00:00Z');
  await completeCommitment(db, clock, { commitmentId: c3.commitment.id, actorId: maria });
  await rescheduleCommitment(db, clock, { commitmentId: c2.commitment.id, actorId: ana, dueAt: new Date('2026-12-04T17:00:00Z'), reason: 'legal review' });
  await recordTouch(db, clock, { workspaceId: ws, accountId: acme.id, kind: 'call', occurredAt: new Date('2026-11-18T14:30:00Z'), summary: 'Renewal, on track; "good"', sentiment: 'positive', participants: ['<@U0002>', 'Sam (IT)'], contactIds: [dana.id], newContacts: [], loggedById: ana, source: 'test', sourceKey: 't1' });
  void c1;
  clock.set(NOW);
});
afterAll(() => drop?.());

const csvOf = async (kind: ExportKind, workspaceId = ws) => (await exportCsv(db, { workspaceId, kind, zone: 'Europe/Berlin', now: clock.now() })).csv;
const table = (csv: string) => parse(csv, { bom: true, columns: true }) as Record<string, string>[];
const importInto = (workspaceId: string, kind: ImportKind, csv: string) =>
  runImport(db, clock, { workspaceId, kind, fileName: `${kind}.csv`, bytes: new TextEncoder().encode(csv), dryRun: false, actor: null, via: 'cli', slack: null }).then((r) => r!);

const snapshot = async () => ({
  accounts: await db.account.findMany({ where: { workspaceId: ws }, orderBy: { name: 'asc' } }),
  channels: await db.accountChannel.findMany({ where: { workspaceId: ws }, orderBy: { channelId: 'asc' } }),
  contacts: await db.contact.findMany({ where: { workspaceId: ws }, orderBy: { name: 'asc' } }),
  commitments: await db.commitment.findMany({ where: { workspaceId: ws }, orderBy: { number: 'asc' } }),
  events: await db.commitmentEvent.count(),
  schedules: await db.commitmentSchedule.findMany({ orderBy: { commitmentId: 'asc' } }),
});

describe('export', () => {
  it('writes the columns the issue lists, with figures and each commitment in its own zone', async () => {
    const accounts = table(await csvOf('accounts'));
    expect(Object.keys(accounts[0]!)).toEqual(EXPORT_COLUMNS.accounts);
    expect(accounts.find((a) => a['Account Name'] === 'Acme, Inc.')).toMatchObject({
      Aliases: 'acme corp', Owner: 'U0001', 'Owner Name': 'ana', Tier: 'strategic', 'Cadence Days': '14', 'Renewal Date': '2027-03-31',
      'Slack Channel': 'C0ACME01; C0ACME02', 'Cadence Status': 'on track', 'Last Touch': '2026-11-18 15:30', 'Next Due': '2026-12-02',
      'Open Commitments': '2',
    });
    expect(accounts.find((a) => a['Account Name'] === 'Zoë "Z" Labs')).toMatchObject({ 'External ID': '001Z', 'On-Time 4 Weeks': '100%', 'On-Time 12 Weeks': '100%' });

    const commitments = table(await csvOf('commitments'));
    const order = commitments.find((c) => c.What === 'Signed order form')!;
    expect(order).toMatchObject({ Direction: 'theirs', Status: 'open', Due: '2026-12-04 18:00', 'Original Due': '2026-12-01 18:00', 'Time Zone': 'Europe/Berlin', History: '2' });
    const soc2 = commitments.find((c) => c.What === 'SOC2 answers')!;
    expect(soc2).toMatchObject({ 'External ID': 'T-9', Status: 'done', 'Delivered At': '2026-11-18 10:00', 'On Time': 'yes' });
    expect(commitments.find((c) => c.What === 'Send pricing, v2')!.Notes).toBe('Line one\nline "two"');

    const touches = table(await csvOf('touches'));
    expect(touches).toEqual([
      { Account: 'Acme, Inc.', When: '2026-11-18 15:30', Kind: 'call', Summary: 'Renewal, on track; "good"', Sentiment: 'positive', Contacts: 'Dana Smith', Participants: '<@U0002>; Sam (IT)', 'Logged By': 'U0001', 'Logged By Name': 'ana' },
    ]);
    const contacts = table(await csvOf('contacts'));
    expect(contacts.find((c) => c.Name === 'Dana Smith')).toMatchObject({ Role: 'decision maker', Title: 'VP, Finance', 'Last Touch': '2026-11-18 15:30' });
  });

  it('filters by account, by date and by owner', async () => {
    const acme = await db.account.findFirstOrThrow({ where: { name: 'Acme, Inc.' } });
    const forAcme = table((await exportCsv(db, { workspaceId: ws, kind: 'commitments', accountId: acme.id, zone: 'UTC', now: NOW })).csv);
    expect(forAcme.map((c) => c.Account)).toEqual(['Acme, Inc.', 'Acme, Inc.']);
    const since = table((await exportCsv(db, { workspaceId: ws, kind: 'touches', since: new Date('2026-11-19T00:00:00Z'), zone: 'UTC', now: NOW })).csv);
    expect(since).toEqual([]);
    const mine = table((await exportCsv(db, { workspaceId: ws, kind: 'accounts', ownerId: maria, zone: 'UTC', now: NOW })).csv);
    expect(mine.map((a) => a['Account Name'])).toEqual(['Zoë "Z" Labs']);
  });
});

describe('round trip', () => {
  it('imports back into the same workspace unchanged', async () => {
    const before = await snapshot();
    for (const kind of ['accounts', 'contacts', 'commitments'] as const) {
      const csv = await csvOf(kind);
      const r = await importInto(ws, kind, csv);
      expect({ kind, problems: r.problems, created: r.created, updated: r.updated, skipped: r.skipped }).toEqual({ kind, problems: [], created: [], updated: [], skipped: [] });
      expect(r.unchanged).toBe(table(csv).length);
    }
    expect(await snapshot()).toEqual(before);
  });

  it('recreates the same accounts, contacts and open commitments in a fresh workspace', async () => {
    const fresh = (await db.workspace.create({ data: { slackTeamId: 'T0002' } })).id;
    for (const kind of ['accounts', 'contacts', 'commitments'] as const) {
      const r = await importInto(fresh, kind, await csvOf(kind));
      expect(r.problems).toEqual([]);
    }
    const pick = (rows: Record<string, string>[], columns: string[]) => rows.map((r) => Object.fromEntries(columns.map((c) => [c, r[c]])));
    const importable = {
      accounts: ['External ID', 'Account Name', 'Aliases', 'Owner', 'Tier', 'Cadence Days', 'Renewal Date', 'Slack Channel'],
      contacts: ['Account', 'Name', 'Role', 'Email', 'Title'],
      commitments: ['External ID', 'Account', 'What', 'Owner', 'Direction', 'Status', 'Due', 'Original Due', 'Time Zone', 'Notes'],
    };
    for (const kind of ['accounts', 'contacts'] as const) {
      expect(pick(table(await csvOf(kind, fresh)), importable[kind])).toEqual(pick(table(await csvOf(kind)), importable[kind]));
    }
    // Kept imports open items: the delivered one stays behind.
    const open = table(await csvOf('commitments')).filter((c) => c.Status === 'open');
    expect(pick(table(await csvOf('commitments', fresh)), importable.commitments)).toEqual(pick(open, importable.commitments));
  });
});
