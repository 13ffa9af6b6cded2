// The weekly account review: for each account in scope, whether the team kept its rhythm and its
// promises this week. Built with a fixed number of queries, however many accounts there are.
import type { DbOrTx } from '../db/client.js';
import { Prisma, type ContactRole, type Direction, type Tier } from '../generated/prisma/client.js';
import { cadenceStatus, intervalDays, STATUS_ORDER, type CadenceStatus } from './cadence.js';
import { onTimeRates, rateOf, type OnTime } from './reliability.js';
import { readSettings } from './settings.js';

export type DigestScope =
  | { kind: 'account'; workspaceId: string; accountId: string }
  | { kind: 'owners'; workspaceId: string; ownerIds: string[] }
  | { kind: 'tier'; workspaceId: string; tier: Tier }
  | { kind: 'all'; workspaceId: string };

export interface DigestItem {
  id: string;
  number: number;
  title: string;
  direction: Direction;
  dueAt: Date;
  dueTimeZone: string;
  ownerSlackId: string;
}

export interface AccountReview {
  id: string;
  name: string;
  tier: Tier;
  ownerSlackId: string | null;
  status: CadenceStatus;
  intervalDays: number;
  nextDueAt: Date | null;
  lastTouchAt: Date | null;
  touchesThisWeek: number;
  delivered: { thisWeek: number; onTimeThisWeek: number };
  onTime4: OnTime;
  onTime12: OnTime;
  overdue: DigestItem[];
  dueNext7: DigestItem[];
  renegotiated: { number: number; title: string; reason: string | null; from: Date | null; to: Date | null }[];
  negativeTouches: { kind: string; summary: string; at: Date; loggedBySlackId: string }[];
  renewalInDays: number | null;
  quietContacts: { name: string; role: ContactRole | null; lastTouchedAt: Date | null }[];
}

export interface Digest {
  since: Date;
  now: Date;
  accounts: AccountReview[];
  summary: { accounts: number; onTrack: number; dueSoon: number; overdue: number; dark: number; overdueItems: number; onTime4: OnTime; onTime12: OnTime };
}

const DAY_MS = 24 * 60 * 60 * 1000;

function scopeWhere(scope: DigestScope): Prisma.AccountWhereInput {
  const base = { workspaceId: scope.workspaceId, archived: false };
  switch (scope.kind) {
    case 'account':
      return { ...base, id: scope.accountId };
    case 'owners':
      return { ...base, ownerId: { in: scope.ownerIds } };
    case 'tier':
      return { ...base, tier: scope.tier };
    case 'all':
      return base;
  }
}

/** The review of the week before `now`: ten queries, whatever the number of accounts. */
export async function buildDigest(db: DbOrTx, scope: DigestScope, now: Date): Promise<Digest> {
  const since = new Date(now.getTime() - 7 * DAY_MS);
  const nextWeek = new Date(now.getTime() + 7 * DAY_MS);
  const ws = await db.workspace.findUniqueOrThrow({ where: { id: scope.workspaceId }, select: { settings: true } });
  const settings = readSettings(ws.settings);
  const accounts = await db.account.findMany({ where: scopeWhere(scope), include: { owner: { select: { slackUserId: true } } } });
  const ids = accounts.map((a) => a.id);
  const inScope = { accountId: { in: ids } };

  const touches = await db.touch.groupBy({ by: ['accountId'], where: { ...inScope, kind: { not: 'note' }, occurredAt: { gt: since, lte: now } }, _count: { _all: true } });
  const negative = await db.touch.findMany({
    where: { ...inScope, kind: { not: 'note' }, sentiment: 'negative', occurredAt: { gt: since, lte: now } },
    include: { loggedBy: { select: { slackUserId: true } } },
    orderBy: { occurredAt: 'desc' },
  });
  const deliveredRows = await db.$queryRaw<{ account_id: string; delivered: bigint; on_time: bigint }[]>`
    SELECT account_id, count(*) AS delivered, count(*) FILTER (WHERE completed_at <= original_due_at) AS on_time
    FROM commitments
    WHERE account_id = ANY(${ids}::uuid[]) AND direction = 'ours' AND status = 'done' AND completed_at > ${since} AND completed_at <= ${now}
    GROUP BY account_id`;
  const rates = await onTimeRates(db, { workspaceId: scope.workspaceId, accountIds: ids }, 'account', now, [4, 12]);
  const open = await db.commitment.findMany({
    where: { ...inScope, status: 'open', dueAt: { lt: nextWeek } },
    include: { owner: { select: { slackUserId: true } } },
    orderBy: [{ dueAt: 'asc' }, { number: 'asc' }],
  });
  const renegotiated = await db.commitmentEvent.findMany({
    where: { kind: 'due_changed', at: { gt: since, lte: now }, commitment: inScope },
    include: { commitment: { select: { accountId: true, number: true, title: true } } },
    orderBy: { at: 'asc' },
  });
  const contacts = await db.contact.findMany({ where: inScope, orderBy: { name: 'asc' } });
  const lastByContact = await db.$queryRaw<{ contact_id: string; at: Date }[]>`
    SELECT tc.contact_id, max(t.occurred_at) AS at
    FROM touch_contacts tc JOIN touches t ON t.id = tc.touch_id
    WHERE t.account_id = ANY(${ids}::uuid[]) AND t.kind <> 'note' AND t.occurred_at <= ${now}
    GROUP BY tc.contact_id`;
  const totals = (await onTimeRates(db, { workspaceId: scope.workspaceId, accountIds: ids }, 'all', now, [4, 12])).get('all');

  const item = (c: (typeof open)[number]): DigestItem => ({
    id: c.id, number: c.number, title: c.title, direction: c.direction, dueAt: c.dueAt, dueTimeZone: c.dueTimeZone, ownerSlackId: c.owner.slackUserId,
  });
  const lastTouched = new Map(lastByContact.map((r) => [r.contact_id, r.at]));
  const none = rateOf(0, 0);
  // Index once by account, so building each review is a lookup, not a scan of every list.
  const touchCount = new Map(touches.map((t) => [t.accountId, t._count._all]));
  const deliveredBy = new Map(deliveredRows.map((r) => [r.account_id, r]));
  const openBy = groupBy(open, (c) => c.accountId);
  const negativeBy = groupBy(negative, (t) => t.accountId);
  const renegotiatedBy = groupBy(renegotiated, (e) => e.commitment.accountId);
  const contactsBy = groupBy(contacts, (c) => c.accountId);

  const reviews: AccountReview[] = accounts.map((a) => {
    const interval = intervalDays(a, settings);
    const delivered = deliveredBy.get(a.id);
    const mine = openBy.get(a.id) ?? [];
    const renewalInDays = a.renewalDate ? Math.ceil((a.renewalDate.getTime() - now.getTime()) / DAY_MS) : null;
    return {
      id: a.id,
      name: a.name,
      tier: a.tier,
      ownerSlackId: a.owner?.slackUserId ?? null,
      status: cadenceStatus({ warnAt: a.cadenceWarnAt, dueAt: a.cadenceDueAt, darkAt: a.cadenceDarkAt }, now),
      intervalDays: interval,
      nextDueAt: a.cadenceDueAt,
      lastTouchAt: a.lastTouchAt,
      touchesThisWeek: touchCount.get(a.id) ?? 0,
      delivered: { thisWeek: Number(delivered?.delivered ?? 0), onTimeThisWeek: Number(delivered?.on_time ?? 0) },
      onTime4: rates.get(a.id)?.[0] ?? none,
      onTime12: rates.get(a.id)?.[1] ?? none,
      overdue: mine.filter((c) => c.dueAt < now).map(item),
      dueNext7: mine.filter((c) => c.dueAt >= now).map(item),
      renegotiated: (renegotiatedBy.get(a.id) ?? []).map((e) => ({
          number: e.commitment.number,
          title: e.commitment.title,
          reason: e.reason,
          from: dateOf(e.before),
          to: dateOf(e.after),
      })),
      negativeTouches: (negativeBy.get(a.id) ?? []).map((t) => ({ kind: t.kind, summary: t.summary, at: t.occurredAt, loggedBySlackId: t.loggedBy.slackUserId })),
      renewalInDays: renewalInDays !== null && renewalInDays >= 0 && renewalInDays <= 90 ? renewalInDays : null,
      quietContacts: (contactsBy.get(a.id) ?? [])
        .map((c) => ({ name: c.name, role: c.role, lastTouchedAt: lastTouched.get(c.id) ?? null }))
        .filter((c) => !c.lastTouchedAt || c.lastTouchedAt.getTime() < now.getTime() - 2 * interval * DAY_MS),
    };
  });

  // Riskiest first: cadence status, then overdue items, then name.
  reviews.sort((x, y) => STATUS_ORDER[x.status] - STATUS_ORDER[y.status] || y.overdue.length - x.overdue.length || x.name.localeCompare(y.name));
  const count = (s: CadenceStatus) => reviews.filter((r) => r.status === s).length;
  return {
    since,
    now,
    accounts: reviews,
    summary: {
      accounts: reviews.length,
      onTrack: count('on_track'),
      dueSoon: count('due_soon'),
      overdue: count('overdue'),
      dark: count('dark'),
      overdueItems: reviews.reduce((n, r) => n + r.overdue.length, 0),
      onTime4: totals?.[0] ?? none,
      onTime12: totals?.[1] ?? none,
    },
  };
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}

function dateOf(json: unknown): Date | null {
  const v = (json as { dueAt?: string } | null)?.dueAt;
  return v ? new Date(v) : null;
}
