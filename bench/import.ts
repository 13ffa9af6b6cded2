// Scenario 6 — import. A CRM-style export of 10,000 accounts (owners by email, among 1,000 Slack
// members; half the channels by #name, half by id; tiers, renewal dates, aliases) and 30,000
// contacts, through runImport as /kept import runs it (Slack lookups against the fake Web API in a
// child process: one users.list, one conversations.list). Then the same two files again (nothing
// changes). Reference, same run: the rows the import stored, written into a fresh database by one
// INSERT … SELECT per table (the floor for writing those rows).
import { dataClient, slackLookup } from '../src/bot/slack-data.js';
import { FixedClock } from '../src/clock.js';
import { runImport, type ImportKind, type ImportReport } from '../src/services/import/index.js';
import { createTestDatabase } from '../tests/helpers/db.js';
import { countingClient, memoryPhase, rawClient, round, row, startChildSlack, timed, type Row } from './common.js';

const NOW = new Date('2026-11-23T14:00:00Z');
const MEMBERS = 1_000;
const OWNERS = 50;

function files(accounts: number, contactsPerAccount: number) {
  const dates = (i: number) => [`2027-0${1 + (i % 9)}-1${i % 10}`, `1${i % 10}/0${1 + (i % 9)}/2027`, `1${i % 10} Mar 2027`][i % 3]!;
  const acc = ['Account ID,Account Name,Account Owner Email,Segment,Cadence,Renewal Date,Slack Channel,Aliases,Industry,Annual Revenue'];
  for (let i = 0; i < accounts; i++) {
    const channel = i % 2 ? `#acct-${i}` : `C${String(i).padStart(8, '0')}`;
    acc.push(`001${i},"Customer ${i}, Inc.",owner${i % OWNERS}@example.com,${['Enterprise', 'Mid-Market', 'SMB'][i % 3]},${i % 4 ? '' : 21},${dates(i)},${channel},${i % 5 ? '' : `Cust ${i}; C${i} Group`},Retail,${i * 1000}`);
  }
  const roles = ['Decision Maker', 'Champion', 'Influencer', 'User', ''];
  const con = ['Account Name,First Name,Last Name,Contact Role,Email,Title'];
  for (let i = 0; i < accounts; i++) {
    for (let j = 0; j < contactsPerAccount; j++) con.push(`"Customer ${i}, Inc.",Person${j},Family${i},${roles[(i + j) % 5]},p${j}.f${i}@customer${i}.com,"VP, Area ${j}"`);
  }
  return { accounts: acc.join('\n'), contacts: con.join('\n') };
}

export async function benchImport(opts: { quick: boolean }): Promise<{ rows: Row[]; details: unknown }> {
  const accounts = opts.quick ? 1_000 : 10_000;
  const contacts = accounts * 3;
  const users: Record<string, { tz: string; email: string }> = {};
  for (let i = 0; i < MEMBERS; i++) users[`U${String(i).padStart(6, '0')}`] = { tz: ['America/New_York', 'Europe/Berlin', 'Asia/Tokyo'][i % 3]!, email: i < OWNERS ? `owner${i}@example.com` : `member${i}@example.com` };
  const slack = await startChildSlack({ BENCH_USERS: JSON.stringify(users), BENCH_CHANNELS: String(accounts) });
  const database = await createTestDatabase();
  const reference = await createTestDatabase();
  const clock = new FixedClock(NOW);
  const { accounts: accountsCsv, contacts: contactsCsv } = files(accounts, 3);
  memoryPhase('import');
  try {
    const workspaceId = (await database.db.workspace.create({ data: { slackTeamId: 'TBENCH' } })).id;
    const lookup = slackLookup(dataClient('xoxb-bench', slack.apiUrl));
    // SQL statements of an accounts import at a tenth of the size, in a workspace of its own: they
    // should grow with chunks of rows, not with rows.
    const counting = countingClient(database.url);
    const smallWs = (await database.db.workspace.create({ data: { slackTeamId: 'TSMALL' } })).id;
    const statementsFor = async (ws: string, csv: string) => {
      counting.reset();
      const r = await runImport(counting.db, clock, { workspaceId: ws, kind: 'accounts', fileName: 'accounts.csv', bytes: Buffer.from(csv), dryRun: false, actor: null, via: 'cli', slack: lookup });
      if (r?.status !== 'done' || r.problems.length) throw new Error('the statement-count import went wrong');
      return counting.count();
    };
    const smallStatements = await statementsFor(smallWs, files(accounts / 10, 0).accounts);
    const load = (kind: ImportKind, csv: string, dryRun = false) =>
      runImport(database.db, clock, { workspaceId, kind, fileName: `${kind}.csv`, bytes: Buffer.from(csv), dryRun, actor: null, via: 'cli', slack: lookup }).then((r) => r!);
    const check = (r: ImportReport, created: number) => {
      if (r.status !== 'done' || r.problems.length || r.created.length !== created) throw new Error(`import went wrong: ${JSON.stringify({ ...r, created: r.created.length, problems: r.problems.slice(0, 3) })}`);
      return r;
    };
    // A dry run first: reading, checking, the Slack look-ups and the plan, without the writes.
    const dry = await timed(() => load('accounts', accountsCsv, true));
    check(dry.value, accounts);
    const a = await timed(() => load('accounts', accountsCsv));
    check(a.value, accounts);
    // The same file once more into a third workspace, through the counting client (untimed).
    const bigWs = (await database.db.workspace.create({ data: { slackTeamId: 'TCOUNT' } })).id;
    const bigStatements = await statementsFor(bigWs, accountsCsv);
    await counting.db.$disconnect();
    const c = await timed(() => load('contacts', contactsCsv));
    check(c.value, contacts);
    const again = await timed(async () => [await load('accounts', accountsCsv), await load('contacts', contactsCsv)]);
    if (again.value.some((r) => r.created.length || r.updated.length)) throw new Error('the second import changed something');

    // Reference: the same stored rows, one INSERT … SELECT per table, into a fresh database.
    const src = await rawClient(database.url);
    const dst = await rawClient(reference.url);
    const dump = async (sql: string) => (await src.query<{ j: string }>(`SELECT coalesce(json_agg(t), '[]')::text AS j FROM (${sql}) t`)).rows[0]!.j;
    const data = {
      workspaces: await dump('SELECT * FROM workspaces'),
      users: await dump('SELECT * FROM users'),
      accounts: await dump('SELECT * FROM accounts'),
      account_channels: await dump('SELECT * FROM account_channels'),
      contacts: await dump('SELECT * FROM contacts'),
    };
    await src.end();
    for (const t of ['workspaces', 'users'] as const) await dst.query(`INSERT INTO ${t} SELECT * FROM json_populate_recordset(null::${t}, $1::json)`, [data[t]]);
    const ref = await timed(async () => {
      for (const t of ['accounts', 'account_channels', 'contacts'] as const) await dst.query(`INSERT INTO ${t} SELECT * FROM json_populate_recordset(null::${t}, $1::json)`, [data[t]]);
    });
    const counts = await dst.query<{ a: string; c: string }>('SELECT (SELECT count(*) FROM accounts) AS a, (SELECT count(*) FROM contacts) AS c');
    await dst.end();
    const { methods } = await slack.report();

    const total = a.ms + c.ms;
    const label = `${accounts.toLocaleString('en-US')} accounts + ${contacts.toLocaleString('en-US')} contacts`;
    return {
      rows: [
        row({ scenario: '6 import', metric: `${label}, import`, value: total / 1000, unit: 's', reference: ref.ms / 1000, referenceLabel: 'INSERT … SELECT of the same rows', target: '< 30 s', ok: total < 30_000 }),
        row({ scenario: '6 import', metric: 'accounts file / contacts file', value: a.ms / 1000, unit: 's', reference: c.ms / 1000, referenceLabel: 'contacts file' }),
        row({ scenario: '6 import', metric: 'accounts file, dry run (no writes)', value: dry.ms / 1000, unit: 's', reference: a.ms / 1000, referenceLabel: 'real import' }),
        row({ scenario: '6 import', metric: 'the same two files again (nothing changes)', value: again.ms / 1000, unit: 's', reference: total / 1000, referenceLabel: 'first import' }),
        row({ scenario: '6 import', metric: `SQL statements, accounts file of ${accounts.toLocaleString('en-US')} rows / of ${(accounts / 10).toLocaleString('en-US')}`, value: bigStatements, unit: 'stmts', reference: smallStatements, referenceLabel: 'a tenth of the rows' }),
        row({ scenario: '6 import', metric: 'Slack calls over the imports of the accounts file (listing pages, look-ups)', value: (methods['users.list'] ?? 0) + (methods['conversations.list'] ?? 0) + (methods['users.lookupByEmail'] ?? 0), unit: 'calls' }),
      ],
      details: {
        accounts, contacts, members: MEMBERS, dryRunMs: round(dry.ms), accountsMs: round(a.ms), contactsMs: round(c.ms), againMs: round(again.ms), referenceMs: round(ref.ms),
        referenceRows: counts.rows[0], statements: { small: smallStatements, big: bigStatements }, slackCalls: methods, fileBytes: { accounts: accountsCsv.length, contacts: contactsCsv.length },
      },
    };
  } finally {
    memoryPhase(null);
    await slack.report().catch(() => {});
    await database.drop();
    await reference.drop();
  }
}
