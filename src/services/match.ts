// Closest-name suggestions for "did you mean…" answers, found by Postgres: pg_trgm's trigram
// similarity, with a GIN trigram index on accounts.normalized_name (migration
// 20261206010000_trigram_names). Comparing a query with every account name in JavaScript blocked
// the process for seconds on a long query (issue 12, item 6).
import type { DbOrTx } from '../db/client.js';

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
 * far-off names are left out. Close means pg_trgm's similarity (a typo: "acmee" → Acme) or word
 * similarity either way (a part of the name, "initech" → Initech Global; or the name inside a
 * longer query), at pg_trgm's default thresholds (0.3 and 0.6).
 */
export async function closestAccounts(db: DbOrTx, workspaceId: string, query: string, n = 3): Promise<NameMatch[]> {
  const q = normalizeName(query.slice(0, NAME_QUERY_MAX * 2)).slice(0, NAME_QUERY_MAX);
  if (!q) return [];
  // Names through the trigram index; aliases (a few per account, most have none) by unnest.
  return db.$queryRaw<NameMatch[]>`
    SELECT id, name FROM (
      SELECT a.id, a.name, GREATEST(similarity(a.normalized_name, ${q}), word_similarity(${q}, a.normalized_name), word_similarity(a.normalized_name, ${q})) AS score
      FROM accounts a
      WHERE a.workspace_id = ${workspaceId}::uuid AND NOT a.archived
        AND (a.normalized_name % ${q} OR ${q} <% a.normalized_name OR a.normalized_name <% ${q})
      UNION ALL
      SELECT a.id, a.name, GREATEST(similarity(x, ${q}), word_similarity(${q}, x), word_similarity(x, ${q}))
      FROM accounts a CROSS JOIN LATERAL unnest(a.aliases) AS x
      WHERE a.workspace_id = ${workspaceId}::uuid AND NOT a.archived AND cardinality(a.aliases) > 0
        AND (x % ${q} OR ${q} <% x OR x <% ${q})
    ) m
    GROUP BY id, name
    ORDER BY max(score) DESC, name
    LIMIT ${n}`;
}
