// Scenario 8 — "did you mean" (issue 12, item 6). One `/commit list` with a 4,000-character
// account name in a workspace of 5,000 accounts (1,000 with --quick): findAccount as the listener
// calls it (exact name or alias, unique prefix, then the closest names from Postgres: pg_trgm on a
// trigram index, input cut to 200 characters). Reference, same run: the matcher it replaced, kept
// below verbatim — every account name loaded and compared with the whole query by Levenshtein in
// JavaScript, which blocked the process for the whole comparison.
import { findAccount } from '../src/services/accounts.js';
import type { Db } from '../src/db/client.js';
import { normalizeName } from '../src/services/match.js';
import { createTestDatabase } from '../tests/helpers/db.js';
import { median, row, timed, type Row } from './common.js';

// ---- the matcher before (src/services/match.ts until issue 12), for the reference only ---------

function levenshtein(a: string, b: string): number {
  if (a === b) return 0;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}

function closestBefore<T>(query: string, items: T[], keys: (item: T) => string[], n = 3): T[] {
  const q = normalizeName(query);
  const scored = items.map((item) => {
    const score = Math.min(
      ...keys(item).map((k) => {
        const key = normalizeName(k);
        if (key.startsWith(q) || q.startsWith(key)) return 0.1;
        if (key.includes(q)) return 0.2;
        return levenshtein(q, key) / Math.max(q.length, key.length, 1);
      }),
    );
    return { item, score };
  });
  return scored.filter((s) => s.score <= 0.5).sort((a, b) => a.score - b.score).slice(0, n).map((s) => s.item);
}

/** The suggestion step as it was: load every name, compare in JavaScript. */
async function suggestBefore(db: Db, workspaceId: string, query: string) {
  const all = await db.account.findMany({ where: { workspaceId, archived: false }, select: { id: true, name: true, aliases: true }, take: 5000 });
  return closestBefore(query, all, (a) => [a.name, ...a.aliases]);
}

// ---- the scenario ------------------------------------------------------------------------------

const WORDS = ['north', 'star', 'global', 'systems', 'labs', 'health', 'retail', 'logistics', 'capital', 'foods', 'energy', 'media'];

export async function benchMatch(opts: { quick: boolean }): Promise<{ rows: Row[]; details: unknown }> {
  const accounts = Number(process.env.BENCH_MATCH_ACCOUNTS ?? (opts.quick ? 1_000 : 5_000));
  const runs = opts.quick ? 3 : 10;
  const database = await createTestDatabase();
  try {
    const { db } = database;
    const workspaceId = (await db.workspace.create({ data: { slackTeamId: 'TMATCH' } })).id;
    const names = Array.from({ length: accounts }, (_, i) => `${WORDS[i % 12]} ${WORDS[(i * 7) % 12]} ${i}`);
    // One name unlike the numbered ones, for the typo check below (a typo in a number ties with
    // dozens of numbered neighbours at 5,000 names, so it says nothing about the matcher).
    names[42] = 'initech global holdings';
    await db.account.createMany({
      data: names.map((name, i) => ({ workspaceId, name, normalizedName: name, aliases: i % 5 ? [] : [`${WORDS[(i * 5) % 12]}${i}`] })),
    });
    await db.$executeRawUnsafe('ANALYZE accounts');
    // What one person typed: 4,000 characters of words, matching no account.
    const query = Array.from({ length: 800 }, (_, i) => WORDS[(i * 5) % 12]!.slice(0, 4)).join(' ').slice(0, 4000);

    const after: number[] = [];
    let answer = '';
    for (let i = 0; i < runs; i++) {
      const t = await timed(() => findAccount(db, workspaceId, query));
      after.push(t.ms);
      answer = t.value.kind;
    }
    if (answer !== 'unknown') throw new Error(`the long query should match nothing, got ${answer}`);
    // The typo case still finds its account.
    const typo = await findAccount(db, workspaceId, 'initech globl holdings');
    if (typo.kind !== 'unknown' || !typo.suggestions.some((a) => a.name === names[42])) throw new Error('a one-letter typo found no suggestion');

    const before: number[] = [];
    for (let i = 0; i < (opts.quick ? 1 : 2); i++) before.push((await timed(() => suggestBefore(db, workspaceId, query))).ms);

    const rows = [
      row({
        scenario: 'match',
        metric: `did you mean: 4,000-char name, ${accounts.toLocaleString('en-US')} accounts (median of ${runs})`,
        value: median(after),
        unit: 'ms',
        reference: median(before),
        referenceLabel: 'Levenshtein in JS (before; blocks the process)',
        target: '< 100 ms',
        ok: median(after) < 100,
      }),
    ];
    return { rows, details: { accounts, queryLength: query.length, afterMs: after, beforeMs: before } };
  } finally {
    await database.drop();
  }
}
