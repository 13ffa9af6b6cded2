// Closest-name suggestions for "did you mean…" answers.

export function normalizeName(name: string): string {
  return name.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
}

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

/** Up to `n` candidates ranked by closeness to `query`; far-off names are left out. */
export function closest<T>(query: string, items: T[], keys: (item: T) => string[], n = 3): T[] {
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
  return scored
    .filter((s) => s.score <= 0.5)
    .sort((a, b) => a.score - b.score)
    .slice(0, n)
    .map((s) => s.item);
}
