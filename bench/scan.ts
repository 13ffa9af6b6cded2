// Scenario 2 — the due scan. One scheduler tick, scan(db, at), over a large store where 1% of the
// (base-size) commitments and accounts became due in the tick's window, beside the single indexed
// SQL query that selects those due rows. Then the store grows to 10× (the due rows per window stay
// the same) and the tick is timed again: a tick should cost what is due, not what is stored.
//
// Ticks use successive one-minute windows, each seeded with the same number of due rows, so every
// timed tick is a fresh one (scan_state moves forward as in production).
import pg from 'pg';
import { scan, SETTLE_MS } from '../src/jobs/scan.js';
import { createTestDatabase } from '../tests/helpers/db.js';
import { median, memoryPhase, rawClient, round, row, timed, type Row } from './common.js';

const T0 = new Date('2026-11-23T14:00:00Z');
const WINDOW_MS = 60_000;
const WINDOWS = 6; // 3 at 1×, 3 at 10×
const USERS = 100;
const DAY = '1 day';

const windowStart = (k: number) => new Date(T0.getTime() + (k - 1) * WINDOW_MS);
const windowEnd = (k: number) => new Date(T0.getTime() + k * WINDOW_MS);

async function seedBase(c: pg.Client, accounts: number, commitments: number): Promise<string> {
  const { rows } = await c.query<{ id: string }>(`INSERT INTO workspaces (slack_team_id, name) VALUES ('TBENCH', 'Bench') RETURNING id`);
  const ws = rows[0]!.id;
  await c.query(
    `INSERT INTO users (id, workspace_id, slack_user_id, display_name, time_zone, fetched_at)
     SELECT md5('user-' || u)::uuid, $1, 'U' || u, 'User ' || u, 'UTC', now() FROM generate_series(0, $2 - 1) u`,
    [ws, USERS],
  );
  return ws;
}

/**
 * Accounts [from, to): every one gets a channel; the first `dueEach` of the base range in each window
 * have a cadence moment inside it (split between warn, due and dark); the rest are far from any window.
 */
async function seedAccounts(c: pg.Client, ws: string, from: number, to: number, due: number) {
  const dueTotal = due * WINDOWS;
  const dueEach = Math.max(1, due);
  await c.query(
    `INSERT INTO accounts (id, workspace_id, name, normalized_name, owner_id, tier, last_touch_at, cadence_warn_at, cadence_due_at, cadence_dark_at, created_at, updated_at)
     SELECT md5('acct-' || i)::uuid, $1, 'Account ' || i, 'account ' || i, md5('user-' || (i % ${USERS}))::uuid, 'standard',
            m - interval '30 days', w, d, k, $2::timestamptz - interval '200 days', now()
     FROM generate_series($3::int, $4::int - 1) i,
     LATERAL (SELECT CASE WHEN i < ${dueTotal}
                 THEN $2::timestamptz + ((i / ${dueEach}) * ${WINDOW_MS} + 1 + (i * 7919) % ${WINDOW_MS - 1}) * interval '1 millisecond'
                 ELSE $2::timestamptz + (5 + i % 40) * interval '${DAY}' END AS m) mm,
     LATERAL (SELECT CASE WHEN i >= ${dueTotal} OR i % 3 = 0 THEN m WHEN i % 3 = 1 THEN m - interval '3 days' ELSE m - interval '17 days' END AS w,
                     CASE WHEN i >= ${dueTotal} OR i % 3 = 0 THEN m + interval '3 days' WHEN i % 3 = 1 THEN m ELSE m - interval '14 days' END AS d,
                     CASE WHEN i >= ${dueTotal} OR i % 3 = 0 THEN m + interval '17 days' WHEN i % 3 = 1 THEN m + interval '14 days' ELSE m END AS k) moments`,
    [ws, T0, from, to],
  );
  await c.query(
    `INSERT INTO account_channels (workspace_id, account_id, channel_id)
     SELECT $1, md5('acct-' || i)::uuid, 'C' || i FROM generate_series($2::int, $3::int - 1) i`,
    [ws, from, to],
  );
}

/**
 * Commitments [from, to) spread over accounts [0, accounts). The first `dueEach * WINDOWS` have
 * their next prompt inside window k = i / dueEach + 1 (half reminders a month ahead of the due date, half
 * becoming overdue right then); the rest are open with a prompt weeks away (80%) or done (20%).
 */
async function seedCommitments(c: pg.Client, ws: string, from: number, to: number, accounts: number, due: number) {
  const dueTotal = due * WINDOWS;
  const dueEach = Math.max(1, due);
  // np: the next prompt moment; done: closed, without one. The same for both inserts below.
  const moments = (t0: string, first: string, end: string) => `FROM generate_series(${first}::int, ${end}::int - 1) i,
     LATERAL (SELECT CASE WHEN i < ${dueTotal}
                 THEN ${t0}::timestamptz + ((i / ${dueEach}) * ${WINDOW_MS} + 1 + (i * 7919) % ${WINDOW_MS - 1}) * interval '1 millisecond'
                 ELSE ${t0}::timestamptz + (10 + i % 30) * interval '${DAY}' END AS np,
              i >= ${dueTotal} AND i % 5 = 0 AS done) a`;
  await c.query(
    `INSERT INTO commitments (id, workspace_id, number, title, account_id, owner_id, direction, due_at, due_time_zone, original_due_at,
                              status, created_by_id, source, source_key, completed_at, created_at, updated_at)
     SELECT md5('cmt-' || i)::uuid, $1, i + 1, 'Commitment ' || i, md5('acct-' || (i % $5))::uuid, md5('user-' || (i % ${USERS}))::uuid, 'ours',
            due, 'UTC', due, CASE WHEN done THEN 'done'::"CommitmentStatus" ELSE 'open'::"CommitmentStatus" END,
            md5('user-' || (i % ${USERS}))::uuid, 'bench', 'bench-' || i,
            CASE WHEN done THEN due - interval '1 day' END, $2::timestamptz - interval '60 days', now()
     ${moments('$2', '$3', '$4')},
     LATERAL (SELECT CASE WHEN i < ${dueTotal} AND i % 2 = 0 THEN np
                          WHEN i < ${dueTotal} THEN np + interval '30 days'
                          WHEN done THEN $2::timestamptz - (i % 60) * interval '${DAY}'
                          ELSE np + interval '1 day' END AS due) b`,
    [ws, T0, from, to, accounts],
  );
  await c.query(
    `INSERT INTO commitment_schedules (commitment_id, next_prompt_at)
     SELECT md5('cmt-' || i)::uuid, np ${moments('$1', '$2', '$3')} WHERE NOT done`,
    [T0, from, to],
  );
}

/** The single query that selects what is due in (from, to]: the floor for a tick. */
const DUE_SQL = `
  SELECT commitment_id FROM commitment_schedules WHERE next_prompt_at <= $2
  UNION ALL SELECT id FROM accounts WHERE NOT archived AND cadence_warn_at > $1 AND cadence_warn_at <= $2
  UNION ALL SELECT id FROM accounts WHERE NOT archived AND cadence_due_at > $1 AND cadence_due_at <= $2
  UNION ALL SELECT id FROM accounts WHERE NOT archived AND cadence_dark_at > $1 AND cadence_dark_at <= $2`;

export async function benchScan(opts: { quick: boolean }) {
  const accounts = opts.quick ? 10_000 : 100_000;
  const commitments = opts.quick ? 100_000 : 1_000_000;
  const dueCommitments = commitments / 100;
  const dueAccounts = accounts / 100;
  const database = await createTestDatabase();
  const c = await rawClient(database.url);
  memoryPhase('scan');
  try {
    const seed1 = await timed(async () => {
      const ws = await seedBase(c, accounts, commitments);
      await seedAccounts(c, ws, 0, accounts, dueAccounts);
      await seedCommitments(c, ws, 0, commitments, accounts, dueCommitments);
      // As autovacuum would have by then: visibility map and statistics for the bulk load.
      await c.query('VACUUM ANALYZE');
      return ws;
    });
    const ws = seed1.value;
    await c.query(`INSERT INTO scan_state (id, scanned_until) VALUES ('prompts', $1)`, [T0]);

    const tick = async (k: number) => {
      const from = windowStart(k);
      const to = windowEnd(k);
      const ref = await timed(() => c.query(DUE_SQL, [from, to]));
      const t = await timed(() => scan(database.db, new Date(to.getTime() + SETTLE_MS)));
      const w = t.value.window;
      if (!w || w.from.getTime() !== from.getTime() || w.to.getTime() !== to.getTime()) throw new Error(`tick ${k} scanned an unexpected window`);
      return { scanMs: t.ms, refMs: ref.ms, dueRows: ref.value.rowCount ?? 0, planned: t.value.planned.length, created: t.value.created.length, ...t.value.timings };
    };

    const at1: Awaited<ReturnType<typeof tick>>[] = [];
    for (let k = 1; k <= 3; k++) at1.push(await tick(k));

    // Grow to 10×: nine more base-sized slices of rows that are not due in any window.
    const seed10 = await timed(async () => {
      await seedAccounts(c, ws, accounts, accounts * 10, 0);
      await seedCommitments(c, ws, commitments, commitments * 10, accounts * 10, 0);
      await c.query('VACUUM ANALYZE');
    });
    const at10: Awaited<ReturnType<typeof tick>>[] = [];
    for (let k = 4; k <= 6; k++) at10.push(await tick(k));

    const scan1 = median(at1.map((t) => t.scanMs));
    const ref1 = median(at1.map((t) => t.refMs));
    const scan10 = median(at10.map((t) => t.scanMs));
    const ref10 = median(at10.map((t) => t.refMs));
    const growth = scan10 / scan1;
    const size = (n: number, m: number) => `${n.toLocaleString('en-US')} accts / ${m.toLocaleString('en-US')} commitments`;
    const rows: Row[] = [
      row({ scenario: '2 scan', metric: `tick, ${size(accounts, commitments)}`, value: scan1, unit: 'ms', reference: ref1, referenceLabel: 'due-rows SQL', target: '≤ 2×', ok: scan1 <= 2 * ref1 }),
      row({ scenario: '2 scan', metric: `tick, ${size(accounts * 10, commitments * 10)}`, value: scan10, unit: 'ms', reference: ref10, referenceLabel: 'due-rows SQL', target: '≤ 2×', ok: scan10 <= 2 * ref10 }),
      row({ scenario: '2 scan', metric: 'tick time 10× data / 1× data', value: growth, unit: '×', target: '≤ 1.5×', ok: growth <= 1.5 }),
    ];
    return {
      rows,
      details: {
        dueRowsPerWindow: { commitments: dueCommitments, accounts: dueAccounts },
        seedSeconds: { base: round(seed1.ms / 1000), grow: round(seed10.ms / 1000) },
        ticks1x: at1.map(roundTick),
        ticks10x: at10.map(roundTick),
      },
    };
  } finally {
    memoryPhase(null);
    await c.end();
    await database.drop();
  }
}

function roundTick(t: { scanMs: number; refMs: number; dueRows: number; planned: number; created: number; collectMs?: number; advanceMs?: number; planMs?: number; recordMs?: number }) {
  return { ...t, scanMs: round(t.scanMs), refMs: round(t.refMs) };
}
