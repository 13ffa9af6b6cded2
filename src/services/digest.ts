// The weekly account review: for each account in scope, whether the team kept its rhythm and its
// promises this week. Built with a fixed number of queries, however many accounts there are.
import type { Db } from '../db/client.js';
import { Prisma, type ContactRole, type Direction, type Tier } from '../../generated/prisma/client.js';
import { cadenceStatus, intervalDays, STATUS_ORDER, type AccountCadenceRow, type CadenceStatus } from './cadence.js';
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
  /** The Slack message it was tracked from. */
  permalink?: string | null;
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

function scopeSql(scope: DigestScope): Prisma.Sql {
  const base = Prisma.sql`a.workspace_id = ${scope.workspaceId}::uuid AND NOT a.archived`;
  switch (scope.kind) {
    case 'account':
      return Prisma.sql`${base} AND a.id = ${scope.accountId}::uuid`;
    case 'owners':
      return Prisma.sql`${base} AND a.owner_id = ANY(${scope.ownerIds}::uuid[])`;
    case 'tier':
      return Prisma.sql`${base} AND a.tier = ${scope.tier}::"Tier"`;
    case 'all':
      return base;
  }
}

interface AccountRow extends AccountCadenceRow {
  id: string;
  name: string;
}
interface OpenRow {
  id: string;
  account_id: string;
  number: number;
  title: string;
  direction: Direction;
  due_at: Date;
  due_time_zone: string;
  owner_slack_id: string;
  source_permalink: string | null;
}

/**
 * The review of the week before `now`: the accounts, then seven queries side by side (each takes
 * the account ids as one array parameter), whatever the number of accounts.
 */
export async function buildDigest(db: Db, scope: DigestScope, now: Date): Promise<Digest> {
  const since = new Date(now.getTime() - 7 * DAY_MS);
  const nextWeek = new Date(now.getTime() + 7 * DAY_MS);
  const [ws, accounts] = await Promise.all([
    db.workspace.findUniqueOrThrow({ where: { id: scope.workspaceId }, select: { settings: true } }),
    db.$queryRaw<AccountRow[]>`
      SELECT a.id, a.name, a.tier::text AS tier, a.cadence_days, a.renewal_date, a.last_touch_at,
             a.cadence_warn_at, a.cadence_due_at, a.cadence_dark_at, o.slack_user_id AS owner_slack_id
      FROM accounts a LEFT JOIN users o ON o.id = a.owner_id
      WHERE ${scopeSql(scope)}`,
  ]);
  const settings = readSettings(ws.settings);
  const ids = accounts.map((a) => a.id);
  const inScope = (table: string) => Prisma.sql`${Prisma.raw(table)}.account_id = ANY(${ids}::uuid[])`;

  // Side by side on the pool (a client, not a transaction, so they can).
  const [touches, negative, rates, open, renegotiated, contacts, lastByContact] = await Promise.all([
    db.$queryRaw<{ account_id: string; n: bigint }[]>`
      SELECT t.account_id, count(*) AS n FROM touches t
      WHERE ${inScope('t')} AND kind <> 'note' AND occurred_at > ${since} AND occurred_at <= ${now}
      GROUP BY t.account_id`,
    db.$queryRaw<{ account_id: string; kind: string; summary: string; occurred_at: Date; logged_by_slack_id: string }[]>`
      SELECT t.account_id, t.kind::text AS kind, t.summary, t.occurred_at, u.slack_user_id AS logged_by_slack_id
      FROM touches t JOIN users u ON u.id = t.logged_by_id
      WHERE ${inScope('t')} AND t.kind <> 'note' AND t.sentiment = 'negative' AND t.occurred_at > ${since} AND t.occurred_at <= ${now}
      ORDER BY t.occurred_at DESC`,
    // Delivered this week, and the on-time rates over 4 and 12 weeks, per account.
    onTimeRates(db, { workspaceId: scope.workspaceId, accountIds: ids }, 'account', now, [1, 4, 12]),
    db.$queryRaw<OpenRow[]>`
      SELECT c.id, c.account_id, c.number, c.title, c.direction::text AS direction, c.due_at, c.due_time_zone, c.source_permalink, u.slack_user_id AS owner_slack_id
      FROM commitments c JOIN users u ON u.id = c.owner_id
      WHERE ${inScope('c')} AND c.status = 'open' AND c.due_at < ${nextWeek}
      ORDER BY c.due_at, c.number`,
    db.$queryRaw<{ account_id: string; number: number; title: string; reason: string | null; before: unknown; after: unknown }[]>`
      SELECT c.account_id, c.number, c.title, e.reason, e.before, e.after
      FROM commitment_events e JOIN commitments c ON c.id = e.commitment_id
      WHERE ${inScope('c')} AND e.kind = 'due_changed' AND e.at > ${since} AND e.at <= ${now}
      ORDER BY e.at`,
    db.$queryRaw<{ id: string; account_id: string; name: string; role: ContactRole | null }[]>`
      SELECT k.id, k.account_id, k.name, k.role::text AS role FROM contacts k WHERE ${inScope('k')} ORDER BY k.name`,
    db.$queryRaw<{ contact_id: string; at: Date }[]>`
      SELECT tc.contact_id, max(t.occurred_at) AS at
      FROM touch_contacts tc JOIN touches t ON t.id = tc.touch_id
      WHERE ${inScope('t')} AND t.kind <> 'note' AND t.occurred_at <= ${now}
      GROUP BY tc.contact_id`,
  ]);

  const item = (c: OpenRow): DigestItem => ({
    id: c.id, number: c.number, title: c.title, direction: c.direction, dueAt: c.due_at, dueTimeZone: c.due_time_zone, ownerSlackId: c.owner_slack_id, permalink: c.source_permalink,
  });
  const lastTouched = new Map(lastByContact.map((r) => [r.contact_id, r.at]));
  const none = rateOf(0, 0);
  // Index once by account, so building each review is a lookup, not a scan of every list.
  const touchCount = new Map(touches.map((t) => [t.account_id, Number(t.n)]));
  const openBy = groupBy(open, (c) => c.account_id);
  const negativeBy = groupBy(negative, (t) => t.account_id);
  const renegotiatedBy = groupBy(renegotiated, (e) => e.account_id);
  const contactsBy = groupBy(contacts, (c) => c.account_id);

  const reviews: AccountReview[] = accounts.map((a) => {
    const interval = intervalDays({ cadenceDays: a.cadence_days, tier: a.tier }, settings);
    const [week = none, weeks4 = none, weeks12 = none] = rates.get(a.id) ?? [];
    const mine = openBy.get(a.id) ?? [];
    const renewalInDays = a.renewal_date ? Math.ceil((a.renewal_date.getTime() - now.getTime()) / DAY_MS) : null;
    return {
      id: a.id,
      name: a.name,
      tier: a.tier,
      ownerSlackId: a.owner_slack_id,
      status: cadenceStatus({ warnAt: a.cadence_warn_at, dueAt: a.cadence_due_at, darkAt: a.cadence_dark_at }, now),
      intervalDays: interval,
      nextDueAt: a.cadence_due_at,
      lastTouchAt: a.last_touch_at,
      touchesThisWeek: touchCount.get(a.id) ?? 0,
      delivered: { thisWeek: week.delivered, onTimeThisWeek: week.onTime },
      onTime4: weeks4,
      onTime12: weeks12,
      overdue: mine.filter((c) => c.due_at < now).map(item),
      dueNext7: mine.filter((c) => c.due_at >= now).map(item),
      renegotiated: (renegotiatedBy.get(a.id) ?? []).map((e) => ({
          number: e.number,
          title: e.title,
          reason: e.reason,
          from: dateOf(e.before),
          to: dateOf(e.after),
      })),
      negativeTouches: (negativeBy.get(a.id) ?? []).map((t) => ({ kind: t.kind, summary: t.summary, at: t.occurred_at, loggedBySlackId: t.logged_by_slack_id })),
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
      // The portfolio's rate is over all its deliveries, not an average of the accounts' rates.
      onTime4: sumRates(reviews.map((r) => r.onTime4)),
      onTime12: sumRates(reviews.map((r) => r.onTime12)),
    },
  };
}

function sumRates(rates: OnTime[]): OnTime {
  return rateOf(
    rates.reduce((n, r) => n + r.delivered, 0),
    rates.reduce((n, r) => n + r.onTime, 0),
  );
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
