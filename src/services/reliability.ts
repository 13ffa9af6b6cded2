// Whether promises were kept: the on-time rate of what we delivered, measured against the
// original due date (a renegotiated date does not make a late delivery on time).
import type { DbOrTx } from '../db/client.js';
import { Prisma } from '../../generated/prisma/client.js';

export interface OnTime {
  delivered: number;
  onTime: number;
  /** onTime / delivered, or null when nothing was delivered. */
  rate: number | null;
}

const WEEK_MS = 7 * 24 * 60 * 60 * 1000;

export function rateOf(delivered: number, onTime: number): OnTime {
  return { delivered, onTime, rate: delivered ? onTime / delivered : null };
}

/**
 * On-time rates of our commitments delivered in the last N weeks (for each N in `weeks`), grouped
 * by account or owner — one query however many groups. Dropped commitments do not count.
 */
export async function onTimeRates(
  db: DbOrTx,
  scope: { workspaceId: string; accountIds?: string[]; ownerIds?: string[] },
  groupBy: 'account' | 'owner' | 'all',
  now: Date,
  weeks: number[],
): Promise<Map<string, OnTime[]>> {
  const key = groupBy === 'account' ? Prisma.sql`account_id::text` : groupBy === 'owner' ? Prisma.sql`owner_id::text` : Prisma.sql`'all'`;
  const since = weeks.map((w) => new Date(now.getTime() - w * WEEK_MS));
  const longest = since.reduce((a, b) => (a < b ? a : b));
  const columns = since.map(
    (s, i) => Prisma.sql`count(*) FILTER (WHERE completed_at > ${s}) AS d${Prisma.raw(String(i))},
      count(*) FILTER (WHERE completed_at > ${s} AND completed_at <= original_due_at) AS o${Prisma.raw(String(i))}`,
  );
  const rows = await db.$queryRaw<Record<string, string | bigint>[]>`
    SELECT ${key} AS k, ${Prisma.join(columns)}
    FROM commitments
    WHERE workspace_id = ${scope.workspaceId}::uuid AND direction = 'ours' AND status = 'done'
      AND completed_at > ${longest} AND completed_at <= ${now}
      ${scope.accountIds ? Prisma.sql`AND account_id = ANY(${scope.accountIds}::uuid[])` : Prisma.empty}
      ${scope.ownerIds ? Prisma.sql`AND owner_id = ANY(${scope.ownerIds}::uuid[])` : Prisma.empty}
    GROUP BY 1`;
  return new Map(rows.map((r) => [String(r.k), weeks.map((_, i) => rateOf(Number(r[`d${i}`]), Number(r[`o${i}`])))]));
}

export function formatRate(r: OnTime | undefined): string {
  if (!r || r.rate === null) return '—';
  return `${Math.round(r.rate * 100)}% (${r.onTime}/${r.delivered})`;
}
