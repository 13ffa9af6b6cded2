// Closest-name suggestions for "did you mean…" answers, found by Postgres: pg_trgm's trigram
// similarity, with a GIN trigram index on accounts.normalized_name (migration
// 20261206010000_trigram_names). Comparing a query with every account name in JavaScript blocked
// the process for seconds on a long query (issue 12, item 6).
import type { Db, DbOrTx } from '../db/client.js';

/** Longer input is cut to this before it is matched: no account name is near that long (they have at most 80 characters). */
export const NAME_QUERY_MAX = 200;

export function normalizeName(name: string): string {
  return name.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
}

export interface NameMatch {
  id: string;
  name: string;
}

/**
 * Up to `n` of a workspace's accounts whose name or an alias is closest to `query`, closest first;
 * far-off names are left out. Close means pg_trgm's similarity (a typo: "acmee" → Acme), the query
 * being a part of the name ("initech" → Initech Global: word similarity), or the name starting the
 * query ("acme corp international" → Acme), at pg_trgm's default thresholds (0.3 and 0.6).
 */
export async function closestAccounts(db: DbOrTx, workspaceId: string, query: string, n = 3): Promise<NameMatch[]> {
  const q = normalizeName(query.slice(0, NAME_QUERY_MAX * 2)).slice(0, NAME_QUERY_MAX);
  if (!q) return [];
  // Names come from the trigram index: its lookup needs the query's trigrams once, where a scan
  // computes them for every row (~20 µs each for a long query). With one workspace's few thousand
  // rows the planner still prefers the scan, so it is told not to (SET LOCAL: this query only).
  // Aliases (a few accounts have one or two) are compared one by one.
  const select = (tx: DbOrTx) => tx.$queryRaw<NameMatch[]>`
    WITH near AS MATERIALIZED (
      SELECT id FROM accounts WHERE normalized_name % ${q}
      UNION
      SELECT id FROM accounts WHERE ${q} <% normalized_name
    )
    SELECT id, name FROM (
      SELECT a.id, a.name, GREATEST(similarity(a.normalized_name, ${q}), word_similarity(${q}, a.normalized_name)) AS score
      FROM accounts a WHERE a.id IN (SELECT id FROM near) AND a.workspace_id = ${workspaceId}::uuid AND NOT a.archived
      UNION ALL
      SELECT a.id, a.name, 0.9 FROM accounts a
      WHERE a.workspace_id = ${workspaceId}::uuid AND NOT a.archived AND starts_with(${q}, a.normalized_name)
      UNION ALL
      SELECT a.id, a.name, GREATEST(similarity(x, ${q}), word_similarity(${q}, x))
      FROM accounts a CROSS JOIN LATERAL unnest(a.aliases) AS x
      WHERE a.workspace_id = ${workspaceId}::uuid AND NOT a.archived AND cardinality(a.aliases) > 0 AND (x % ${q} OR ${q} <% x)
    ) m
    GROUP BY id, name
    ORDER BY max(score) DESC, name
    LIMIT ${n}`;
  const root = db as Db;
  // An interactive transaction's client has no $transaction.
  if (typeof root.$transaction === 'function') {
    const [, rows] = await root.$transaction([root.$executeRaw`SET LOCAL enable_seqscan = off`, select(root) as ReturnType<Db['$queryRaw']>]);
    return rows as NameMatch[];
  }
  // Already in a transaction (an import): off for this query, then back on.
  await db.$queryRaw`SELECT set_config('enable_seqscan', 'off', true)`;
  try {
    return await select(db);
  } finally {
    await db.$queryRaw`SELECT set_config('enable_seqscan', 'on', true)`;
  }
}
