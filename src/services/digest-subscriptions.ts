// A channel's weekly digest subscription: set up, changed or stopped (who may: digestPolicy in
// services/permissions.ts), each change recorded in the audit trail in its own transaction.
import type { DbOrTx } from '../db/client.js';
import type { DigestSubscription, Tier } from '../../generated/prisma/client.js';
import { inTransaction, recordAudit, type AuditValues, type ChangedBy } from './audit.js';

export interface DigestSubscriptionInput {
  workspaceId: string;
  channelId: string;
  weekday: number;
  time: string;
  timeZone: string;
  /** account (the channel's account), owners, tier or all. */
  scope: string;
  accountId: string | null;
  ownerIds: string[];
  tier: Tier | null;
  createdById: string;
}

export function digestSubscriptionOf(db: DbOrTx, workspaceId: string, channelId: string): Promise<DigestSubscription | null> {
  return db.digestSubscription.findUnique({ where: { workspaceId_channelId: { workspaceId, channelId } } });
}

/** What the trail keeps of a subscription. */
function summary(s: Pick<DigestSubscription, 'weekday' | 'time' | 'timeZone' | 'scope' | 'tier' | 'ownerIds'>): AuditValues {
  return { weekday: s.weekday, time: s.time, timeZone: s.timeZone, scope: s.scope, tier: s.tier, owners: s.ownerIds.length };
}

/** Creates or changes the channel's subscription. */
export async function saveDigestSubscription(db: DbOrTx, data: DigestSubscriptionInput, by: ChangedBy): Promise<DigestSubscription> {
  return inTransaction(db, async (tx) => {
    const existing = await digestSubscriptionOf(tx, data.workspaceId, data.channelId);
    const sub = await tx.digestSubscription.upsert({
      where: { workspaceId_channelId: { workspaceId: data.workspaceId, channelId: data.channelId } },
      create: { ...data, createdAt: by.at },
      update: { weekday: data.weekday, time: data.time, timeZone: data.timeZone, scope: data.scope, accountId: data.accountId, ownerIds: data.ownerIds, tier: data.tier },
    });
    await recordAudit(
      tx,
      { workspaceId: data.workspaceId, kind: 'digest_changed', accountId: sub.accountId ?? existing?.accountId ?? null, channelId: data.channelId, before: existing ? summary(existing) : null, after: summary(sub) },
      by,
    );
    return sub;
  });
}

/** Stops a subscription; false when it was already gone. */
export async function stopDigestSubscription(db: DbOrTx, sub: DigestSubscription, by: ChangedBy): Promise<boolean> {
  return inTransaction(db, async (tx) => {
    const { count } = await tx.digestSubscription.deleteMany({ where: { id: sub.id } });
    if (count) await recordAudit(tx, { workspaceId: sub.workspaceId, kind: 'digest_stopped', accountId: sub.accountId, channelId: sub.channelId, before: summary(sub) }, by);
    return count > 0;
  });
}
