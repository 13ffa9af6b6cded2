// The audit trail: who changed workspace settings, Kept admins, accounts, channel links and
// digests, when, from what to what. Each entry is written in the transaction of its change.
import type { Db, DbOrTx, Tx } from '../db/client.js';
import type { AuditKind, Prisma } from '../../generated/prisma/client.js';

/** Who made a change and when (from the caller's clock). Left out by operator tools and test setup: no actor, the database's time. */
export interface ChangedBy {
  actorId: string | null;
  at: Date;
}

export type AuditValues = Record<string, Prisma.InputJsonValue | null>;

export interface AuditInput {
  workspaceId: string;
  kind: AuditKind;
  accountId?: string | null;
  channelId?: string | null;
  before?: AuditValues | null;
  after?: AuditValues | null;
}

export async function recordAudit(db: DbOrTx, input: AuditInput, by: ChangedBy | undefined): Promise<void> {
  await db.auditEvent.create({
    data: {
      workspaceId: input.workspaceId,
      kind: input.kind,
      accountId: input.accountId ?? null,
      channelId: input.channelId ?? null,
      actorId: by?.actorId ?? null,
      ...(by ? { at: by.at } : {}),
      ...(input.before ? { before: input.before } : {}),
      ...(input.after ? { after: input.after } : {}),
    },
  });
}

/** Runs `fn` in a transaction, or in the one `db` already is. */
export function inTransaction<T>(db: DbOrTx, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return '$transaction' in db ? (db as Db).$transaction(fn) : fn(db as Tx);
}

/** An entry as views show it. */
export interface AuditEntry {
  kind: AuditKind;
  at: Date;
  actorSlackId: string | null;
  accountName: string | null;
  channelId: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

/** The newest entries of a workspace, or of one account, newest first: one query. */
export async function auditTrail(db: DbOrTx, scope: { workspaceId: string } | { accountId: string }, limit: number): Promise<AuditEntry[]> {
  const rows = await db.auditEvent.findMany({
    where: scope,
    orderBy: [{ at: 'desc' }, { id: 'desc' }],
    take: limit,
    include: { actor: { select: { slackUserId: true } }, account: { select: { name: true } } },
  });
  return rows.map((r) => ({
    kind: r.kind,
    at: r.at,
    actorSlackId: r.actor?.slackUserId ?? null,
    accountName: r.account?.name ?? null,
    channelId: r.channelId,
    before: (r.before as Record<string, unknown> | null) ?? null,
    after: (r.after as Record<string, unknown> | null) ?? null,
  }));
}
