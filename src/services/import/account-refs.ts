// Contacts and commitments name their account by external id, name or alias: one read of the
// workspace's accounts answers every row.
import type { DbOrTx } from '../../db/client.js';
import { closestAccounts, normalizeName } from '../match.js';

export interface AccountRef {
  id: string;
  name: string;
  ownerSlackId: string | null;
  ownerTimeZone: string | null;
  ownerId: string | null;
}

export interface AccountRefs {
  find(text: string): Promise<AccountRef | string>;
}

/** Suggestions cost a query each; a file full of unknown names gets them for its first few. */
const SUGGEST_AT_MOST = 20;

export async function loadAccountRefs(db: DbOrTx, workspaceId: string): Promise<AccountRefs> {
  const rows = await db.$queryRaw<{ id: string; name: string; normalized_name: string; aliases: string[]; external_id: string | null; owner_id: string | null; owner_slack_id: string | null; owner_time_zone: string | null }[]>`
    SELECT a.id, a.name, a.normalized_name, a.aliases, a.external_id, a.owner_id, u.slack_user_id AS owner_slack_id, u.time_zone AS owner_time_zone
    FROM accounts a LEFT JOIN users u ON u.id = a.owner_id WHERE a.workspace_id = ${workspaceId}::uuid`;
  const ref = (r: (typeof rows)[number]): AccountRef => ({ id: r.id, name: r.name, ownerSlackId: r.owner_slack_id, ownerTimeZone: r.owner_time_zone, ownerId: r.owner_id });
  const byExt = new Map(rows.filter((r) => r.external_id).map((r) => [r.external_id!, r]));
  const byName = new Map(rows.map((r) => [r.normalized_name, r]));
  const byAlias = new Map<string, (typeof rows)[number][]>();
  for (const r of rows) for (const a of r.aliases) byAlias.set(a, [...(byAlias.get(a) ?? []), r]);
  let suggested = 0;
  return {
    async find(text) {
      const hit = byExt.get(text.trim()) ?? byName.get(normalizeName(text));
      if (hit) return ref(hit);
      const aliased = byAlias.get(normalizeName(text)) ?? [];
      if (aliased.length === 1) return ref(aliased[0]!);
      if (aliased.length > 1) return `“${text}” is an alias of several accounts (${aliased.map((a) => a.name).join(', ')}); write the account’s full name.`;
      const near = suggested++ < SUGGEST_AT_MOST ? await closestAccounts(db, workspaceId, text) : [];
      const hint = near.length ? ` Did you mean ${near.map((n) => n.name).join(', ')}?` : '';
      return `There is no account “${text}”.${hint} Import the accounts first, or correct the name.`;
    },
  };
}
