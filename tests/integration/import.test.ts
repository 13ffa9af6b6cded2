// Import through the service, on a real Postgres, with owners and channels looked up in the fake
// Slack Web API over HTTP (a real WebClient): CSV edge cases, keys and re-imports, dry runs,
// cadence moments and reminders as if typed.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { dataClient, slackLookup } from '../../src/bot/slack-data.js';
import { scan } from '../../src/jobs/scan.js';
import { FixedClock } from '../../src/clock.js';
import type { Db } from '../../src/db/client.js';
import { cadenceMoments } from '../../src/services/cadence.js';
import { runImport, type ImportKind, type ImportReport } from '../../src/services/import/index.js';
import { nextPromptAt } from '../../src/services/reminders.js';
import { readSettings } from '../../src/services/settings.js';
import { createTestDatabase } from '../helpers/db.js';
import { FakeSlack } from '../helpers/fake-slack.js';

// Monday 23 Nov 2026, 09:00 in New York.
const NOW = '2026-11-23T14:00:00Z';
let db: Db;
let drop: () => Promise<void>;
let slack: FakeSlack;
let clock: FixedClock;
let workspaceId: string;

beforeAll(async () => {
  const database = await createTestDatabase();
  db = database.db;
  drop = database.drop;
  slack = await FakeSlack.start();
  slack.setUser('U0001', { name: 'ana', realName: 'Ana Lima', tz: 'America/New_York', email: 'ana@example.com', isAdmin: true });
  slack.setUser('U0002', { name: 'maria', realName: 'Maria Rossi', tz: 'Europe/Berlin', email: 'Maria@Example.com' });
  slack.setUser('U0003', { name: 'gone', tz: 'UTC', email: 'gone@example.com', deleted: true });
  slack.setChannel('C0ACME01', 'acme');
  slack.setChannel('C0GLOBEX', 'globex-team');
  clock = new FixedClock(NOW);
  workspaceId = (await db.workspace.create({ data: { slackTeamId: 'T0001' } })).id;
});
afterAll(async () => {
  await slack?.close();
  await drop?.();
});
beforeEach(() => slack.reset());

const lookup = () => slackLookup(dataClient('xoxb-test', slack.apiUrl));
const actor = async () => {
  const u = await db.user.upsert({ where: { workspaceId_slackUserId: { workspaceId, slackUserId: 'U0001' } }, create: { workspaceId, slackUserId: 'U0001', displayName: 'ana', timeZone: 'America/New_York', isAdmin: true, fetchedAt: new Date(NOW) }, update: {} });
  return { userId: u.id, slackUserId: 'U0001', displayName: 'ana', timeZone: 'America/New_York', isAdmin: true };
};

async function load(kind: ImportKind, csv: string | Uint8Array, opts: { dryRun?: boolean; fileName?: string; via?: 'slack' | 'cli'; slack?: boolean } = {}): Promise<ImportReport> {
  const report = await runImport(db, clock, {
    workspaceId,
    kind,
    fileName: opts.fileName ?? `${kind}.csv`,
    bytes: typeof csv === 'string' ? new TextEncoder().encode(csv) : csv,
    dryRun: opts.dryRun ?? false,
    actor: opts.via === 'cli' ? null : await actor(),
    via: opts.via ?? 'slack',
    slack: opts.slack === false ? null : lookup(),
  });
  return report!;
}

const problemsAt = (r: ImportReport, line: number) => r.problems.filter((p) => p.line === line);

describe('accounts', () => {
  it('imports a CRM export: header names, owners by email, tiers, renewal dates, channels, aliases', async () => {
    const csv = [
      'Account ID,Account Name,Account Owner Email,Segment,Renewal Date,Slack Channel,Aliases,Industry',
      '001A,Acme,ana@example.com,Strategic,2027-03-31,#acme,Acme Corp; ACME Inc,Manufacturing',
      '001B,Globex,maria@example.com,key,31 Mar 2027,C0GLOBEX,,Energy',
      '001C,Initech,U0002,,,,,Software',
    ].join('\n');
    const dry = await load('accounts', csv, { dryRun: true });
    expect(dry.status).toBe('done');
    expect(dry.created).toEqual(['Acme', 'Globex', 'Initech']);
    expect(dry.problems).toEqual([]);
    expect(dry.notes.join(' ')).toContain('Industry');
    expect(await db.account.count()).toBe(0);

    slack.reset();
    const r = await load('accounts', csv);
    expect(r.created).toHaveLength(3);
    const acme = await db.account.findFirstOrThrow({ where: { name: 'Acme' }, include: { owner: true, channels: true } });
    expect(acme.externalId).toBe('001A');
    expect(acme.owner?.slackUserId).toBe('U0001');
    expect(acme.tier).toBe('strategic');
    expect(acme.renewalDate?.toISOString().slice(0, 10)).toBe('2027-03-31');
    expect(acme.aliases).toEqual(['acme corp', 'acme inc']);
    expect(acme.channels.map((c) => c.channelId)).toEqual(['C0ACME01']);
    // Cadence moments exactly as /kept account add computes them: from the moment of the import.
    const m = cadenceMoments(new Date(NOW), 7, readSettings({}).cadenceWarningFraction);
    expect(acme.cadenceDueAt?.toISOString()).toBe(m.dueAt.toISOString());
    expect(acme.cadenceWarnAt?.toISOString()).toBe(m.warnAt.toISOString());
    const globex = await db.account.findFirstOrThrow({ where: { name: 'Globex' }, include: { owner: true } });
    expect(globex.owner?.slackUserId).toBe('U0002');
    expect(globex.owner?.timeZone).toBe('Europe/Berlin');
    // Few people: one look-up each, no listing.
    expect(slack.callsTo('users.lookupByEmail')).toHaveLength(2);
    expect(slack.callsTo('users.list')).toHaveLength(0);
    expect(slack.callsTo('conversations.list')).toHaveLength(1);
    const run = await db.import.findFirstOrThrow({ where: { kind: 'accounts' } });
    expect(run.status).toBe('done');
    expect(run.counts).toMatchObject({ rows: 3, created: 3, updated: 0 });

    // The same file again changes nothing.
    const again = await load('accounts', csv);
    expect(again.created).toEqual([]);
    expect(again.updated).toEqual([]);
    expect(again.unchanged).toBe(3);
    expect(await db.account.count()).toBe(3);
  });

  it('updates by external id, leaves empty cells alone, and reports each change', async () => {
    const r = await load('accounts', 'External ID;Account Name;Tier;Cadence\n001A;Acme Corporation;key;2w\n001B;Globex;;\n');
    expect(r.updated).toEqual([{ label: 'Acme Corporation', changes: ['renamed from Acme', 'tier strategic → key', 'cadence tier default → 14 days'] }]);
    expect(r.unchanged).toBe(1);
    const acme = await db.account.findFirstOrThrow({ where: { externalId: '001A' } });
    expect(acme.name).toBe('Acme Corporation');
    expect(acme.renewalDate?.toISOString().slice(0, 10)).toBe('2027-03-31');
    expect(acme.cadenceDays).toBe(14);
    expect(acme.cadenceDueAt?.toISOString()).toBe(cadenceMoments(new Date(NOW), 14, 0.2).dueAt.toISOString());
  });

  it('reports every bad row with its line, column and how to fix it, and imports the good ones', async () => {
    const csv = [
      'Account Name,Owner,Tier,Renewal Date,Slack Channel,Cadence',
      'Hooli,nobody@example.com,standard,,,',
      'Umbrella,gone@example.com,,,,',
      'Stark,,platinum,,,',
      'Wayne,,,2027-02-30,,',
      'Tyrell,,,,#nowhere,',
      'Cyberdyne,,,,,400',
      'Soylent,,,,,',
      '',
      ',,,,,',
      'Soylent,,,,,',
    ].join('\r\n');
    const r = await load('accounts', csv);
    expect(r.status).toBe('done');
    expect(r.created).toEqual(['Soylent']);
    expect(problemsAt(r, 2)[0]).toMatchObject({ column: 'Owner', value: 'nobody@example.com' });
    expect(problemsAt(r, 2)[0]!.problem).toMatch(/no active member with the email/);
    expect(problemsAt(r, 3)[0]!.problem).toMatch(/no active member/);
    expect(problemsAt(r, 4)[0]).toMatchObject({ column: 'Tier', value: 'platinum' });
    expect(problemsAt(r, 4)[0]!.problem).toMatch(/strategic, key or standard/);
    expect(problemsAt(r, 5)[0]).toMatchObject({ column: 'Renewal Date', value: '2027-02-30' });
    expect(problemsAt(r, 5)[0]!.problem).toMatch(/2027-03-31/);
    expect(problemsAt(r, 6)[0]).toMatchObject({ column: 'Slack Channel', value: '#nowhere' });
    expect(problemsAt(r, 6)[0]!.problem).toMatch(/invite Kept/);
    expect(problemsAt(r, 7)[0]).toMatchObject({ column: 'Cadence', value: '400' });
    // Line 11 repeats line 8 exactly: left out, once.
    expect(r.skipped).toEqual([{ line: 11, reason: 'repeats line 8' }]);
    expect(await db.account.count({ where: { name: 'Soylent' } })).toBe(1);
    expect(await db.account.count({ where: { name: { in: ['Hooli', 'Umbrella', 'Stark', 'Wayne', 'Tyrell', 'Cyberdyne'] } } })).toBe(0);
  });

  it('reads quotes, line breaks inside fields, a BOM, `;` separators and day-first dates', async () => {
    const csv = '\uFEFFAccount Name;Aliases;Renewal Date\r\n"Vandelay; ""Imports""";"vandelay\nindustries";04/05/2027\r\n"Kramerica";;13/05/2027\r\n';
    const r = await load('accounts', csv);
    expect(r.problems).toEqual([]);
    const v = await db.account.findFirstOrThrow({ where: { name: 'Vandelay; "Imports"' } });
    expect(v.aliases).toEqual(['vandelay industries']);
    // 13/05 decides the column: day first, so 04/05/2027 is 4 May.
    expect(v.renewalDate?.toISOString().slice(0, 10)).toBe('2027-05-04');
  });

  it('refuses a file with nothing usable, and one that is not of the kind chosen, writing nothing', async () => {
    const before = await db.account.count();
    const bad = await load('accounts', 'Account Name,Tier\nFoo,gold\nBar,silver\n');
    expect(bad.status).toBe('refused');
    expect(bad.refusal).toMatch(/Nothing in this file can be imported/);
    expect(bad.problems).toHaveLength(2);
    const wrong = await load('accounts', 'First Name,Last Name,Email\nDana,Smith,dana@x.com\n');
    expect(wrong.status).toBe('refused');
    expect(wrong.refusal).toMatch(/no column for the account’s name/);
    const empty = await load('accounts', '');
    expect(empty.refusal).toMatch(/empty/);
    const unclosed = await load('accounts', 'Account Name\n"Foo\nBar\n');
    expect(unclosed.refusal).toMatch(/line \d+: a quoted field is never closed/);
    expect(await db.account.count()).toBe(before);
  });

  it('without Slack takes Slack ids as given and asks for ids instead of emails', async () => {
    const r = await load('accounts', 'Account Name,Owner,Channel\nPied Piper,U0999,C0PIPER1\nRaviga,x@example.com,\n', { via: 'cli', slack: false });
    expect(r.created).toEqual(['Pied Piper']);
    expect(problemsAt(r, 3)[0]!.problem).toMatch(/Slack user id/);
    const pp = await db.account.findFirstOrThrow({ where: { name: 'Pied Piper' }, include: { owner: true, channels: true } });
    expect(pp.owner?.slackUserId).toBe('U0999');
    expect(pp.owner?.fetchedAt).toBeNull();
    expect(pp.channels[0]?.channelId).toBe('C0PIPER1');
  });
});

describe('contacts', () => {
  it('imports by account name, alias or external id, with First/Last Name columns, once', async () => {
    const csv = [
      'Company,First Name,Last Name,Contact Role,Email,Job Title',
      'Acme Corporation,Dana,Smith,Decision Maker,dana@acme.com,CFO',
      'acme corp,Lee,Park,coach,,VP Ops',
      '001B,Sam,Jones,,sam@globex.com,',
      'Nonexistent,Kim,Lo,,,',
      'Globex,Pat,Ng,boss,,',
      'Globex,Ana,Ruiz,,not-an-email,',
    ].join('\n');
    const r = await load('contacts', csv);
    expect(r.created).toEqual(['Dana Smith (Acme Corporation)', 'Lee Park (Acme Corporation)', 'Sam Jones (Globex)']);
    expect(problemsAt(r, 5)[0]!.problem).toMatch(/There is no account “Nonexistent”/);
    expect(problemsAt(r, 6)[0]).toMatchObject({ column: 'Contact Role', value: 'boss' });
    expect(problemsAt(r, 7)[0]).toMatchObject({ column: 'Email', value: 'not-an-email' });
    const lee = await db.contact.findFirstOrThrow({ where: { name: 'Lee Park' } });
    expect(lee.role).toBe('champion');
    expect(lee.title).toBe('VP Ops');
    const again = await load('contacts', csv);
    expect(again.created).toEqual([]);
    expect(again.unchanged).toBe(3);
    const changed = await load('contacts', 'Account,Name,Title\nAcme Corporation,Dana Smith,CEO\n');
    expect(changed.updated).toEqual([{ label: 'Dana Smith (Acme Corporation)', changes: ['title CEO'] }]);
  });
});

describe('commitments', () => {
  it('imports open items with numbers, history and reminders as if typed; an overdue one as overdue', async () => {
    const csv = [
      'Task ID,Account,Subject,Assigned To Email,Due Date,Time,Direction,Description,Status',
      'T-1,Acme Corporation,Send SOC2 answers,maria@example.com,2026-12-03,17:00,,Security review,Not Started',
      'T-2,Globex,Signed order form,,2026-11-30,,customer,,In Progress',
      'T-3,Globex,Old promise,ana@example.com,2026-11-02,,,,Open',
      'T-4,Globex,Already done,,2026-11-10,,,,Completed',
      'T-5,Globex,Bad date,,someday,,,,',
    ].join('\n');
    const r = await load('commitments', csv, { fileName: 'tracker.csv' });
    expect(r.created).toEqual(['Send SOC2 answers (Acme Corporation)', 'Signed order form (Globex)', 'Old promise (Globex)']);
    expect(r.skipped).toEqual([{ line: 5, reason: 'it is done; Kept imports open items' }]);
    expect(problemsAt(r, 6)[0]).toMatchObject({ column: 'Due Date', value: 'someday' });
    expect(r.notes.join(' ')).toMatch(/1 of the new commitments is already past due/);

    const all = await db.commitment.findMany({ include: { owner: true, schedule: true, events: true }, orderBy: { number: 'asc' } });
    expect(all.map((c) => c.number)).toEqual([1, 2, 3]);
    const soc2 = all[0]!;
    expect(soc2.externalId).toBe('T-1');
    expect(soc2.owner.slackUserId).toBe('U0002');
    expect(soc2.dueTimeZone).toBe('Europe/Berlin');
    expect(soc2.dueAt.toISOString()).toBe('2026-12-03T16:00:00.000Z');
    expect(soc2.source).toBe('import');
    expect(soc2.events).toHaveLength(1);
    expect(soc2.events[0]!.kind).toBe('created');
    expect(soc2.events[0]!.reason).toBe('Imported from tracker.csv, line 2');
    const settings = readSettings({});
    expect(soc2.schedule?.nextPromptAt.toISOString()).toBe(nextPromptAt(soc2, 'Europe/Berlin', settings.workingHours, new Date(NOW))!.toISOString());
    // No owner column value: the account's owner (Globex is Maria's), in her zone, at the end of her working day.
    const order = all[1]!;
    expect(order.direction).toBe('theirs');
    expect(order.owner.slackUserId).toBe('U0002');
    expect(order.dueAt.toISOString()).toBe('2026-11-30T17:00:00.000Z');
    // Overdue: open, and its overdue prompt is due at once.
    const old = all[2]!;
    expect(old.status).toBe('open');
    expect(old.schedule?.nextPromptAt.toISOString()).toBe(new Date(NOW).toISOString());
    const ws = await db.workspace.findUniqueOrThrow({ where: { id: workspaceId } });
    expect(ws.nextCommitmentNumber).toBe(4);
    // The next scheduler tick raises its overdue post (Globex has no channel: its owner's DM).
    const tick = await scan(db, new Date(Date.parse(NOW) + 60_000), { dryRun: true });
    const overdue = tick.planned.filter((p) => p.kind === 'commitment_overdue');
    expect(overdue.map((p) => (p.items[0]!.ref as { commitmentId: string }).commitmentId)).toEqual([old.id]);

    const again = await load('commitments', csv);
    expect(again.created).toEqual([]);
    expect(again.unchanged).toBe(3);
    expect(await db.commitment.count()).toBe(3);
  });

  it('moves a due date and an owner as Reschedule and Reassign would, in the history', async () => {
    const r = await load('commitments', 'External ID,Account,What,Owner,Due\nT-1,Acme Corporation,Send SOC2 answers (v2),U0001,2026-12-10 12:00\n', { fileName: 'fix.csv' });
    expect(r.updated).toHaveLength(1);
    const c = await db.commitment.findFirstOrThrow({ where: { externalId: 'T-1' }, include: { events: { orderBy: { kind: 'asc' } }, owner: true, schedule: true } });
    expect(c.title).toBe('Send SOC2 answers (v2)');
    expect(c.owner.slackUserId).toBe('U0001');
    expect(c.originalDueAt.toISOString()).toBe('2026-12-03T16:00:00.000Z');
    // The new date is read in the (new) owner's zone: 12:00 in New York.
    expect(c.dueAt.toISOString()).toBe('2026-12-10T17:00:00.000Z');
    expect(c.dueTimeZone).toBe('America/New_York');
    expect(c.events.map((e) => e.kind).sort()).toEqual(['created', 'due_changed', 'edited', 'reassigned']);
    expect(c.events.find((e) => e.kind === 'edited')!.after).toEqual({ title: 'Send SOC2 answers (v2)' });
    expect(c.schedule?.promptCount).toBe(0);
  });
});

describe('the sample files in examples/', () => {
  it('import cleanly, in order, into a fresh workspace', async () => {
    slack.setUser('U0004', { name: 'li', tz: 'Asia/Singapore', email: 'li@example.com' });
    slack.setChannel('C0GLOBE2', 'globex');
    const fresh = (await db.workspace.create({ data: { slackTeamId: 'T0EXAMPLE' } })).id;
    const created: Record<string, number> = {};
    for (const kind of ['accounts', 'contacts', 'commitments'] as const) {
      const bytes = new Uint8Array(await readFile(new URL(`../../examples/${kind}.csv`, import.meta.url)));
      const r = (await runImport(db, clock, { workspaceId: fresh, kind, fileName: `${kind}.csv`, bytes, dryRun: false, actor: await actor(), via: 'slack', slack: lookup() }))!;
      expect({ kind, problems: r.problems, skipped: r.skipped }).toEqual({ kind, problems: [], skipped: [] });
      created[kind] = r.created.length;
    }
    expect(created).toEqual({ accounts: 3, contacts: 4, commitments: 3 });
    const globex = await db.account.findFirstOrThrow({ where: { workspaceId: fresh, name: 'Globex' }, include: { channels: true } });
    expect(globex.renewalDate?.toISOString().slice(0, 10)).toBe('2027-06-30');
    expect(globex.channels[0]?.channelId).toBe('C0GLOBE2');
    const order = await db.commitment.findFirstOrThrow({ where: { workspaceId: fresh, externalId: 'T-1002' }, include: { owner: true, account: true } });
    expect(order).toMatchObject({ direction: 'theirs', account: { name: 'Acme Corporation' }, owner: { slackUserId: 'U0002' } });
  });
});
