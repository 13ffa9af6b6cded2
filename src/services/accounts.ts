// Accounts: customer organisations, with an owner, a tier, a cadence, a renewal date and linked channels.
import { DateTime } from 'luxon';
import type { DbOrTx } from '../db/client.js';
import type { Account, Tier } from '../../generated/prisma/client.js';
import { inTransaction, recordAudit, type AuditValues, type ChangedBy } from './audit.js';
import { refreshCadence } from './cadence.js';
import { UserError, isUniqueViolation } from './errors.js';
import { closestAccounts, NAME_QUERY_MAX, normalizeName } from './match.js';

export const ACCOUNT_NAME_MAX = 80;

export type AccountLookup =
  | { kind: 'found'; account: Account }
  | { kind: 'ambiguous'; query: string; candidates: Account[] }
  | { kind: 'unknown'; query: string; suggestions: Account[] };

export function validateAccountName(name: string): string {
  const clean = name.trim().replace(/\s+/g, ' ');
  if (!clean) throw new UserError('The account needs a name, for example `/kept account add Acme`.');
  if (clean.length > ACCOUNT_NAME_MAX) {
    throw new UserError(`An account name can be at most ${ACCOUNT_NAME_MAX} characters (this one has ${clean.length}).`);
  }
  if (/[<>]/.test(clean)) throw new UserError('An account name cannot contain a mention or a link.');
  return clean;
}

/**
 * Finds an account by name or alias, case-insensitively. A unique prefix also matches
 * ("acme" finds "Acme Corp" when nothing else starts with "acme").
 */
export async function findAccount(db: DbOrTx, workspaceId: string, query: string): Promise<AccountLookup> {
  // Names have at most ACCOUNT_NAME_MAX characters: a longer query is cut before it costs anything.
  const q = normalizeName(query.slice(0, NAME_QUERY_MAX));
  const exact = await db.account.findMany({
    where: { workspaceId, archived: false, OR: [{ normalizedName: q }, { aliases: { has: q } }] },
    take: 5,
  });
  if (exact.length === 1) return { kind: 'found', account: exact[0]! };
  if (exact.length > 1) return { kind: 'ambiguous', query, candidates: exact };

  const prefixed = await db.account.findMany({
    where: { workspaceId, archived: false, normalizedName: { startsWith: q } },
    orderBy: { normalizedName: 'asc' },
    take: 6,
  });
  if (prefixed.length === 1) return { kind: 'found', account: prefixed[0]! };
  if (prefixed.length > 1) return { kind: 'ambiguous', query, candidates: prefixed };

  const near = await closestAccounts(db, workspaceId, query);
  const suggestions = near.length
    ? await db.account.findMany({ where: { id: { in: near.map((a) => a.id) } } })
    : [];
  suggestions.sort((a, b) => near.findIndex((n) => n.id === a.id) - near.findIndex((n) => n.id === b.id));
  return { kind: 'unknown', query, suggestions };
}

/** Like findAccount, but a miss becomes a UserError listing the closest names. */
export async function requireAccount(db: DbOrTx, workspaceId: string, query: string): Promise<Account> {
  const found = await findAccount(db, workspaceId, query);
  if (found.kind === 'found') return found.account;
  throw new UserError(describeMiss(found));
}

export function describeMiss(miss: Exclude<AccountLookup, { kind: 'found' }>): string {
  const names = (list: Account[]) => list.map((a) => `*${a.name}*`).join(', ');
  if (miss.kind === 'ambiguous') {
    return `“${miss.query}” matches several accounts: ${names(miss.candidates)}. Write more of the name.`;
  }
  const hint = miss.suggestions.length ? ` Did you mean ${names(miss.suggestions)}?` : '';
  if (miss.query.length > ACCOUNT_NAME_MAX) return `There is no account called “${miss.query.slice(0, ACCOUNT_NAME_MAX)}…” (an account name has at most ${ACCOUNT_NAME_MAX} characters).${hint}`;
  return `There is no account called “${miss.query}”.${hint} Create it with \`/kept account add ${miss.query}\`.`;
}

export async function accountForChannel(db: DbOrTx, workspaceId: string, channelId: string): Promise<Account | null> {
  const link = await db.accountChannel.findUnique({
    where: { workspaceId_channelId: { workspaceId, channelId } },
    include: { account: true },
  });
  return link && !link.account.archived ? link.account : null;
}

/** Any member may create an account (services/permissions.ts); `by` is recorded in the audit trail. */
export async function createAccount(
  db: DbOrTx,
  input: { workspaceId: string; name: string; ownerId?: string | null; tier?: Tier; now?: Date },
  by?: ChangedBy,
): Promise<Account> {
  const name = validateAccountName(input.name);
  try {
    return await inTransaction(db, async (tx) => {
      const account = await tx.account.create({
        data: {
          workspaceId: input.workspaceId,
          name,
          normalizedName: normalizeName(name),
          ownerId: input.ownerId ?? null,
          tier: input.tier ?? 'standard',
          // The cadence clock of an account never touched starts when it was created.
          ...(input.now ? { createdAt: input.now, updatedAt: input.now } : {}),
        },
        include: { owner: { select: { slackUserId: true } } },
      });
      await recordAudit(tx, { workspaceId: input.workspaceId, kind: 'account_created', accountId: account.id, after: { name, owner: account.owner?.slackUserId ?? null, tier: account.tier } }, by);
      await refreshCadence(tx, { accountIds: [account.id] });
      return tx.account.findUniqueOrThrow({ where: { id: account.id } });
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new UserError(`There is already an account called *${name}*.`);
    throw err;
  }
}

/** Returns the existing account of that name, or creates it. Used by the modal's "new account" field. */
export async function findOrCreateAccount(
  db: DbOrTx,
  input: { workspaceId: string; name: string; ownerId?: string | null; now?: Date },
  by?: ChangedBy,
): Promise<{ account: Account; created: boolean }> {
  const name = validateAccountName(input.name);
  const existing = await db.account.findFirst({
    where: { workspaceId: input.workspaceId, OR: [{ normalizedName: normalizeName(name) }, { aliases: { has: normalizeName(name) } }] },
  });
  if (existing) return { account: existing, created: false };
  try {
    return { account: await createAccount(db, input, by), created: true };
  } catch (err) {
    // Two submissions creating the same new account at once: the other one won.
    const again = await db.account.findFirst({ where: { workspaceId: input.workspaceId, normalizedName: normalizeName(name) } });
    if (again) return { account: again, created: false };
    throw err;
  }
}

/**
 * Links a channel to an account; a channel linked elsewhere moves (who may: linkPolicies in
 * services/permissions.ts). The audit trail of both accounts records it. Returns the account it
 * was linked to before, if another.
 */
export async function linkChannel(
  db: DbOrTx,
  workspaceId: string,
  accountId: string,
  channelId: string,
  by?: ChangedBy,
): Promise<{ previousAccountId: string | null }> {
  return inTransaction(db, async (tx) => {
    const before = await tx.accountChannel.findUnique({ where: { workspaceId_channelId: { workspaceId, channelId } }, include: { account: { select: { name: true } } } });
    if (before?.accountId === accountId) return { previousAccountId: null };
    const link = await tx.accountChannel.upsert({
      where: { workspaceId_channelId: { workspaceId, channelId } },
      create: { workspaceId, accountId, channelId },
      update: { accountId },
      include: { account: { select: { name: true } } },
    });
    const entry = { workspaceId, kind: 'channel_linked' as const, channelId, before: { account: before?.account.name ?? null }, after: { account: link.account.name } };
    await recordAudit(tx, { ...entry, accountId }, by);
    if (before) await recordAudit(tx, { ...entry, accountId: before.accountId }, by);
    return { previousAccountId: before?.accountId ?? null };
  });
}

export async function accountChannels(db: DbOrTx, accountId: string): Promise<string[]> {
  const rows = await db.accountChannel.findMany({ where: { accountId }, orderBy: { createdAt: 'asc' } });
  return rows.map((r) => r.channelId);
}

export type AccountChange =
  | { field: 'owner'; ownerId: string }
  | { field: 'cadence'; days: number }
  | { field: 'tier'; tier: Tier }
  | { field: 'renewal'; date: Date | null }
  | { field: 'alias'; alias: string }
  | { field: 'name'; name: string };

/**
 * Changes one or several of an account's details (who may: accountPolicy in services/permissions.ts)
 * and records before and after in the audit trail, in one transaction: when one change is refused
 * (a taken name or alias, a cadence out of range) none is applied. The cadence moments are
 * recomputed once, after every change, when the cadence, the tier or the owner changed.
 */
export async function updateAccount(db: DbOrTx, accountId: string, change: AccountChange | AccountChange[], by?: ChangedBy): Promise<Account> {
  const changes = Array.isArray(change) ? change : [change];
  return inTransaction(db, async (tx) => {
    const before = await tx.account.findUniqueOrThrow({ where: { id: accountId }, include: { owner: { select: { slackUserId: true } } } });
    for (const c of changes) await applyChange(tx, accountId, c);
    // The moments are days in the owner's zone, so a new owner can move them too.
    if (changes.some((c) => c.field === 'cadence' || c.field === 'tier' || c.field === 'owner')) await refreshCadence(tx, { accountIds: [accountId] });
    const after = await tx.account.findUniqueOrThrow({ where: { id: accountId }, include: { owner: { select: { slackUserId: true } } } });
    const was = auditedDetails(before);
    const now = auditedDetails(after);
    const changed = Object.keys(now).filter((k) => JSON.stringify(was[k]) !== JSON.stringify(now[k]));
    if (changed.length) {
      await recordAudit(
        tx,
        { workspaceId: before.workspaceId, kind: 'account_changed', accountId, before: pick(was, changed), after: pick(now, changed) },
        by,
      );
    }
    const { owner: _owner, ...account } = after;
    return account;
  });
}

/** The details of an account the trail records, by the words people use for them. */
function auditedDetails(a: Account & { owner: { slackUserId: string } | null }): AuditValues {
  return {
    name: a.name,
    owner: a.owner?.slackUserId ?? null,
    cadence: a.cadenceDays,
    tier: a.tier,
    renewal: a.renewalDate ? DateTime.fromJSDate(a.renewalDate, { zone: 'UTC' }).toISODate() : null,
    aliases: a.aliases,
  };
}

const pick = (values: AuditValues, keys: string[]): AuditValues => Object.fromEntries(keys.map((k) => [k, values[k] ?? null]));

async function applyChange(db: DbOrTx, accountId: string, change: AccountChange): Promise<Account> {
  switch (change.field) {
    case 'owner':
      return db.account.update({ where: { id: accountId }, data: { ownerId: change.ownerId } });
    case 'cadence':
      if (!Number.isInteger(change.days) || change.days < 1 || change.days > 365) {
        throw new UserError('The cadence is a number of days from 1 to 365, for example `cadence 14`.');
      }
      return db.account.update({ where: { id: accountId }, data: { cadenceDays: change.days } });
    case 'tier':
      return db.account.update({ where: { id: accountId }, data: { tier: change.tier } });
    case 'renewal':
      return db.account.update({ where: { id: accountId }, data: { renewalDate: change.date } });
    case 'alias': {
      const alias = normalizeName(validateAccountName(change.alias));
      const account = await db.account.findUniqueOrThrow({ where: { id: accountId } });
      const clash = await db.account.findFirst({
        where: { workspaceId: account.workspaceId, id: { not: accountId }, OR: [{ normalizedName: alias }, { aliases: { has: alias } }] },
      });
      if (clash) throw new UserError(`“${change.alias}” already names *${clash.name}*.`);
      if (account.aliases.includes(alias)) return account;
      return db.account.update({ where: { id: accountId }, data: { aliases: { push: alias } } });
    }
    case 'name': {
      const name = validateAccountName(change.name);
      try {
        return await db.account.update({ where: { id: accountId }, data: { name, normalizedName: normalizeName(name) } });
      } catch (err) {
        if (isUniqueViolation(err)) throw new UserError(`There is already an account called *${name}*.`);
        throw err;
      }
    }
  }
}
