// What one person's App Home shows: what they owe, what customers owe them, their accounts by
// risk, and their on-time rate. Five queries whatever the numbers; lists are capped and counted.
import type { DbOrTx } from '../db/client.js';
import type { Prisma, Tier } from '../../generated/prisma/client.js';
import { cadenceStatus, type CadenceStatus } from './cadence.js';
import { commitmentInclude, type CommitmentFull } from './commitments.js';
import { onTimeRates, rateOf, type OnTime } from './reliability.js';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface HomeLimits {
  commitments: number;
  theirs: number;
  accounts: number;
}
export type HomeList = keyof HomeLimits;

/** Where an open commitment of ours stands: overdue, due within the next 7 days, or later. */
export type DueBucket = 'overdue' | 'thisWeek' | 'later';

export function dueBucket(dueAt: Date, now: Date): DueBucket {
  if (dueAt < now) return 'overdue';
  return dueAt.getTime() < now.getTime() + 7 * DAY_MS ? 'thisWeek' : 'later';
}

export interface HomeAccount {
  id: string;
  name: string;
  tier: Tier;
  status: CadenceStatus;
  nextDueAt: Date | null;
  lastTouchAt: Date | null;
}

export interface HomeData {
  now: Date;
  /** What I owe (direction ours, owner me, open), soonest due first; counts per bucket over all of them. */
  ours: { items: CommitmentFull[]; total: number; counts: Record<DueBucket, number> };
  /** What customers owe me (direction theirs, I follow up), soonest first. */
  theirs: { items: CommitmentFull[]; total: number; overdue: number };
  /** My accounts, riskiest first (dark, overdue, due soon, on track), then soonest due. */
  accounts: { items: HomeAccount[]; total: number; counts: Record<CadenceStatus, number> };
  /** My on-time rate over the last 4 and 12 weeks. */
  onTime: { weeks4: OnTime; weeks12: OnTime };
}

type Num = bigint | number;
interface CountRow {
  overdue: Num;
  this_week: Num;
  later: Num;
  theirs: Num;
  theirs_overdue: Num;
}
interface AccountRow {
  id: string;
  name: string;
  tier: Tier;
  cadence_warn_at: Date | null;
  cadence_due_at: Date | null;
  cadence_dark_at: Date | null;
  last_touch_at: Date | null;
  total: Num;
  dark: Num;
  overdue: Num;
  due_soon: Num;
}

export async function homeData(
  db: DbOrTx,
  input: { workspaceId: string; userId: string; now: Date; limits: HomeLimits },
): Promise<HomeData> {
  const { workspaceId, userId, now, limits } = input;
  const weekAhead = new Date(now.getTime() + 7 * DAY_MS);
  const open = { workspaceId, ownerId: userId, status: 'open' } as const;
  const order = [{ dueAt: 'asc' }, { number: 'asc' }] satisfies Prisma.CommitmentOrderByWithRelationInput[];

  const [ours, theirs, countRows, accountRows, rates] = await Promise.all([
    db.commitment.findMany({ where: { ...open, direction: 'ours' }, include: commitmentInclude, orderBy: order, take: limits.commitments }),
    db.commitment.findMany({ where: { ...open, direction: 'theirs' }, include: commitmentInclude, orderBy: order, take: limits.theirs }),
    db.$queryRaw<CountRow[]>`
      SELECT
        count(*) FILTER (WHERE direction = 'ours' AND due_at < ${now}) AS overdue,
        count(*) FILTER (WHERE direction = 'ours' AND due_at >= ${now} AND due_at < ${weekAhead}) AS this_week,
        count(*) FILTER (WHERE direction = 'ours' AND due_at >= ${weekAhead}) AS later,
        count(*) FILTER (WHERE direction = 'theirs') AS theirs,
        count(*) FILTER (WHERE direction = 'theirs' AND due_at < ${now}) AS theirs_overdue
      FROM commitments
      WHERE workspace_id = ${workspaceId}::uuid AND owner_id = ${userId}::uuid AND status = 'open'`,
    // The rank mirrors cadenceStatus (dark, overdue, due soon, on track) so the riskiest come
    // first across the whole list, not just the page fetched; the window counts see every row.
    db.$queryRaw<AccountRow[]>`
      WITH mine AS (
        SELECT id::text AS id, name, tier, cadence_warn_at, cadence_due_at, cadence_dark_at, last_touch_at,
          CASE
            WHEN cadence_dark_at <= ${now}::timestamptz THEN 0
            WHEN cadence_due_at <= ${now}::timestamptz THEN 1
            WHEN cadence_warn_at <= ${now}::timestamptz THEN 2
            ELSE 3
          END AS rank
        FROM accounts
        WHERE workspace_id = ${workspaceId}::uuid AND owner_id = ${userId}::uuid AND NOT archived
      )
      SELECT id, name, tier, cadence_warn_at, cadence_due_at, cadence_dark_at, last_touch_at,
        count(*) OVER () AS total,
        count(*) FILTER (WHERE rank = 0) OVER () AS dark,
        count(*) FILTER (WHERE rank = 1) OVER () AS overdue,
        count(*) FILTER (WHERE rank = 2) OVER () AS due_soon
      FROM mine
      ORDER BY rank, cadence_due_at ASC NULLS LAST, name, id
      LIMIT ${limits.accounts}`,
    onTimeRates(db, { workspaceId, ownerIds: [userId] }, 'owner', now, [4, 12]),
  ]);

  const c = countRows[0];
  const n = (v: Num | undefined) => Number(v ?? 0);
  const first = accountRows[0];
  const accountsTotal = n(first?.total);
  const [dark, overdue, dueSoon] = [n(first?.dark), n(first?.overdue), n(first?.due_soon)];
  const mine = rates.get(userId) ?? [];

  return {
    now,
    ours: {
      items: ours,
      total: n(c?.overdue) + n(c?.this_week) + n(c?.later),
      counts: { overdue: n(c?.overdue), thisWeek: n(c?.this_week), later: n(c?.later) },
    },
    theirs: { items: theirs, total: n(c?.theirs), overdue: n(c?.theirs_overdue) },
    accounts: {
      items: accountRows.map((r) => ({
        id: r.id,
        name: r.name,
        tier: r.tier,
        status: cadenceStatus({ warnAt: r.cadence_warn_at, dueAt: r.cadence_due_at, darkAt: r.cadence_dark_at }, now),
        nextDueAt: r.cadence_due_at,
        lastTouchAt: r.last_touch_at,
      })),
      total: accountsTotal,
      counts: { dark, overdue, due_soon: dueSoon, on_track: accountsTotal - dark - overdue - dueSoon },
    },
    onTime: { weeks4: mine[0] ?? rateOf(0, 0), weeks12: mine[1] ?? rateOf(0, 0) },
  };
}
