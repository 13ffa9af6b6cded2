// Scenario 3 — the weekly digest, scope "all". Build time of buildDigest over a portfolio, the number
// of SQL statements it issues (counted through Prisma's query log), and one aggregate SQL query that
// yields the core per-account figures (touches this week, delivered, on time, overdue) as the
// reference. Statements are counted at 200 and at 2,000 accounts: they must not grow with accounts.
import pg from 'pg';
import { buildDigest } from '../src/services/digest.js';
import { createTestDatabase } from '../tests/helpers/db.js';
import { countingClient, median, memoryPhase, rawClient, round, row, timed, type Row } from './common.js';

const NOW = new Date('2026-11-23T14:00:00Z');
const USERS = 50;

/** One workspace with `accounts` accounts, `perAccount` × accounts commitments and 3× that many touches. */
async function seedPortfolio(c: pg.Client, team: string, accounts: number, commitments: number, touches: number): Promise<string> {
  const { rows } = await c.query<{ id: string }>(`INSERT INTO workspaces (slack_team_id, name) VALUES ($1, $1) RETURNING id`, [team]);
  const ws = rows[0]!.id;
  const p = `${team}-`;
  await c.query(
    `INSERT INTO users (id, workspace_id, slack_user_id, display_name, fetched_at)
     SELECT md5($2 || 'user-' || u)::uuid, $1, 'U' || u, 'User ' || u, now() FROM generate_series(0, ${USERS - 1}) u`,
    [ws, p],
  );
  // Cadence moments spread so every status (on track, due soon, overdue, dark) occurs; some renewals.
  await c.query(
    `INSERT INTO accounts (id, workspace_id, name, normalized_name, owner_id, tier, cadence_days, renewal_date, last_touch_at,
                           cadence_warn_at, cadence_due_at, cadence_dark_at, created_at)
     SELECT md5($2 || 'acct-' || i)::uuid, $1, 'Account ' || i, 'account ' || i, md5($2 || 'user-' || (i % ${USERS}))::uuid,
            (ARRAY['strategic','key','standard'])[1 + i % 3]::"Tier", 14,
            CASE WHEN i % 4 = 0 THEN ($3::timestamptz + (i % 120) * interval '1 day')::date END,
            lt, lt + interval '11 days', lt + interval '14 days', lt + interval '28 days', $3::timestamptz - interval '1 year'
     FROM generate_series(0, $4 - 1) i, LATERAL (SELECT $3::timestamptz - (i % 40) * interval '1 day' AS lt) x`,
    [ws, p, NOW, accounts],
  );
  await c.query(
    `INSERT INTO contacts (id, workspace_id, account_id, name, normalized_name, role)
     SELECT md5($2 || 'contact-' || i || '-' || j)::uuid, $1, md5($2 || 'acct-' || i)::uuid, 'Contact ' || j, 'contact ' || j, 'champion'
     FROM generate_series(0, $3 - 1) i, generate_series(0, 2) j`,
    [ws, p, accounts],
  );
  // Commitments: 60% done over the last 12 weeks (80% of them on time), 35% open (due from two
  // weeks ago to a month ahead), 5% dropped; a quarter of ours are theirs.
  await c.query(
    `INSERT INTO commitments (id, workspace_id, number, title, account_id, owner_id, direction, due_at, due_time_zone, original_due_at,
                              status, created_by_id, source, source_key, completed_at, created_at)
     SELECT md5($2 || 'cmt-' || i)::uuid, $1, i + 1, 'Commitment ' || i, md5($2 || 'acct-' || (i % $4))::uuid, md5($2 || 'user-' || (i % ${USERS}))::uuid,
            CASE WHEN i % 4 = 3 THEN 'theirs'::"Direction" ELSE 'ours'::"Direction" END,
            due, 'UTC', due,
            CASE WHEN i % 20 < 12 THEN 'done'::"CommitmentStatus" WHEN i % 20 < 19 THEN 'open'::"CommitmentStatus" ELSE 'dropped'::"CommitmentStatus" END,
            md5($2 || 'user-' || (i % ${USERS}))::uuid, 'bench', 'bench-' || i,
            CASE WHEN i % 20 < 12 THEN due + CASE WHEN i % 5 = 0 THEN interval '2 days' ELSE interval '-1 day' END END,
            $3::timestamptz - interval '120 days'
     FROM generate_series(0, $5 - 1) i,
     LATERAL (SELECT CASE WHEN i % 20 < 12 THEN $3::timestamptz - (i % 84) * interval '1 day' - interval '3 days'
                          ELSE $3::timestamptz + ((i % 44) - 14) * interval '1 day' END AS due) d`,
    [ws, p, NOW, accounts, commitments],
  );
  await c.query(
    `INSERT INTO commitment_events (commitment_id, kind, at, before, after, reason)
     SELECT md5($1 || 'cmt-' || i)::uuid, 'due_changed', $2::timestamptz - (i % 7) * interval '1 day',
            jsonb_build_object('dueAt', $2::timestamptz - interval '10 days'), jsonb_build_object('dueAt', $2::timestamptz + interval '3 days'), 'bench'
     FROM generate_series(0, $3 - 1, 50) i`,
    [p, NOW, commitments],
  );
  // Touches over the last 90 days; one in ten negative, one in seven a note; a third name a contact.
  await c.query(
    `INSERT INTO touches (id, workspace_id, account_id, kind, occurred_at, summary, sentiment, logged_by_id, source, source_key, created_at)
     SELECT md5($2 || 'touch-' || i)::uuid, $1, md5($2 || 'acct-' || (i % $4))::uuid,
            (ARRAY['call','meeting','email','review','visit','chat','note'])[1 + i % 7]::"TouchKind", at, 'Touch ' || i,
            CASE WHEN i % 10 = 0 THEN 'negative'::"Sentiment" ELSE 'neutral'::"Sentiment" END,
            md5($2 || 'user-' || (i % ${USERS}))::uuid, 'bench', 'bench-' || i, at
     FROM generate_series(0, $5 - 1) i, LATERAL (SELECT $3::timestamptz - ((i::bigint * 7919) % (90 * 24)) * interval '1 hour' AS at) x`,
    [ws, p, NOW, accounts, touches],
  );
  await c.query(
    `INSERT INTO touch_contacts (touch_id, contact_id)
     SELECT md5($1 || 'touch-' || i)::uuid, md5($1 || 'contact-' || (i % $2) || '-' || (i % 3))::uuid
     FROM generate_series(0, $3 - 1, 3) i`,
    [p, accounts, touches],
  );
  return ws;
}

/** The reference: one aggregate query with the core per-account figures of the digest. */
const REFERENCE_SQL = `
  WITH t AS (
    SELECT account_id, count(*) AS touches FROM touches
    WHERE workspace_id = $1 AND kind <> 'note' AND occurred_at > $2 AND occurred_at <= $3 GROUP BY account_id
  ), c AS (
    SELECT account_id,
           count(*) FILTER (WHERE direction = 'ours' AND status = 'done' AND completed_at > $2 AND completed_at <= $3) AS delivered,
           count(*) FILTER (WHERE direction = 'ours' AND status = 'done' AND completed_at > $2 AND completed_at <= $3 AND completed_at <= original_due_at) AS on_time,
           count(*) FILTER (WHERE status = 'open' AND due_at < $3) AS overdue
    FROM commitments WHERE workspace_id = $1 GROUP BY account_id
  )
  SELECT a.id, coalesce(t.touches, 0) AS touches, coalesce(c.delivered, 0) AS delivered, coalesce(c.on_time, 0) AS on_time, coalesce(c.overdue, 0) AS overdue
  FROM accounts a LEFT JOIN t ON t.account_id = a.id LEFT JOIN c ON c.account_id = a.id
  WHERE a.workspace_id = $1 AND NOT a.archived`;

/** A Prisma client on the same database that counts the SQL statements it sends. */
export async function benchDigest(opts: { quick: boolean }) {
  // The timed portfolio, and a second one ten times smaller or larger for the statement count.
  const big = { accounts: 2_000, commitments: opts.quick ? 20_000 : 100_000, touches: opts.quick ? 60_000 : 300_000 };
  const small = { accounts: 200, commitments: 10_000, touches: 30_000 };
  const timedSize = opts.quick ? small : big;
  const database = await createTestDatabase();
  const c = await rawClient(database.url);
  const counting = countingClient(database.url);
  memoryPhase('digest');
  try {
    const seed = await timed(async () => {
      const wsSmall = await seedPortfolio(c, 'TSMALL', small.accounts, small.commitments, small.touches);
      const wsBig = await seedPortfolio(c, 'TBIG', big.accounts, big.commitments, big.touches);
      await c.query('ANALYZE');
      return { wsSmall, wsBig };
    });
    const { wsSmall, wsBig } = seed.value;

    const statements = async (workspaceId: string) => {
      counting.reset();
      const d = await buildDigest(counting.db, { kind: 'all', workspaceId }, NOW);
      return { statements: counting.count(), accounts: d.accounts.length };
    };
    const atSmall = await statements(wsSmall);
    const atBig = await statements(wsBig);

    const wsTimed = timedSize === small ? wsSmall : wsBig;
    // Warm both once, then take the median of five.
    await buildDigest(database.db, { kind: 'all', workspaceId: wsTimed }, NOW);
    const since = new Date(NOW.getTime() - 7 * 24 * 3600 * 1000);
    await c.query(REFERENCE_SQL, [wsTimed, since, NOW]);
    const builds: number[] = [];
    const refs: number[] = [];
    for (let i = 0; i < 5; i++) {
      builds.push((await timed(() => buildDigest(database.db, { kind: 'all', workspaceId: wsTimed }, NOW))).ms);
      refs.push((await timed(() => c.query(REFERENCE_SQL, [wsTimed, since, NOW]))).ms);
    }
    const build = median(builds);
    const ref = median(refs);
    const size = `${timedSize.accounts.toLocaleString('en-US')} accts / ${timedSize.commitments.toLocaleString('en-US')} commitments / ${timedSize.touches.toLocaleString('en-US')} touches`;
    const rows: Row[] = [
      row({ scenario: '3 digest', metric: `build, ${size}`, value: build, unit: 'ms', reference: ref, referenceLabel: 'aggregate SQL', target: '≤ 3×', ok: build <= 3 * ref }),
      row({
        scenario: '3 digest',
        metric: `SQL statements at ${atSmall.accounts} / ${atBig.accounts} accounts`,
        value: atBig.statements,
        unit: 'stmts',
        reference: atSmall.statements,
        referenceLabel: `at ${atSmall.accounts}`,
        target: 'equal',
        ok: atSmall.statements === atBig.statements,
      }),
    ];
    return {
      rows,
      details: {
        seedSeconds: round(seed.ms / 1000),
        small: { ...small, ...atSmall },
        big: { ...big, ...atBig },
        timed: timedSize,
        buildsMs: builds.map((b) => round(b)),
        referenceMs: refs.map((r) => round(r)),
      },
    };
  } finally {
    memoryPhase(null);
    await counting.db.$disconnect();
    await c.end();
    await database.drop();
  }
}
