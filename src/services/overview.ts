// What the account card shows: a fixed handful of queries, whatever the account's size.
import type { DbOrTx } from '../db/client.js';
import type { Prisma } from '../../generated/prisma/client.js';
import { auditTrail, type AuditEntry } from './audit.js';
import { cadenceStatus, intervalDays, type CadenceStatus } from './cadence.js';
import { contactsWithLastTouch, type ContactWithLastTouch } from './contacts.js';
import { readSettings } from './settings.js';

export interface AccountOverview {
  account: Prisma.AccountGetPayload<{ include: { owner: true; channels: true } }>;
  intervalDays: number;
  status: CadenceStatus;
  lastTouch: { at: Date; kind: string; summary: string } | null;
  open: { ours: number; theirs: number; overdue: number };
  contacts: ContactWithLastTouch[];
  /** The last few changes to the account (owner, name, cadence, channels, digest…), newest first. */
  changes: AuditEntry[];
}

const CHANGES_SHOWN = 3;

export async function accountOverview(db: DbOrTx, accountId: string, now: Date): Promise<AccountOverview> {
  const [account, lastTouch, open, overdue, contacts, changes] = await Promise.all([
    db.account.findUniqueOrThrow({ where: { id: accountId }, include: { owner: true, channels: true, workspace: { select: { settings: true } } } }),
    db.touch.findFirst({ where: { accountId, kind: { not: 'note' } }, orderBy: { occurredAt: 'desc' }, select: { occurredAt: true, kind: true, summary: true } }),
    db.commitment.groupBy({ by: ['direction'], where: { accountId, status: 'open' }, _count: { _all: true } }),
    db.commitment.count({ where: { accountId, status: 'open', dueAt: { lt: now } } }),
    contactsWithLastTouch(db, accountId),
    auditTrail(db, { accountId }, CHANGES_SHOWN),
  ]);
  const { workspace, ...rest } = account;
  const count = (d: string) => open.find((g) => g.direction === d)?._count._all ?? 0;
  return {
    account: rest,
    intervalDays: intervalDays(account, readSettings(workspace.settings)),
    status: cadenceStatus({ warnAt: account.cadenceWarnAt, dueAt: account.cadenceDueAt, darkAt: account.cadenceDarkAt }, now),
    lastTouch: lastTouch ? { at: lastTouch.occurredAt, kind: lastTouch.kind, summary: lastTouch.summary } : null,
    open: { ours: count('ours'), theirs: count('theirs'), overdue },
    contacts,
    changes,
  };
}
