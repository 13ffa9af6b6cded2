// What the workers should say, and to whom: everything that crossed a line in a time window.
// Each query is an indexed range over what is due (cadence moments, commitment schedules, touch
// creation, renewal dates), so a tick costs what is due, not what is stored.
import type { DbOrTx } from '../db/client.js';
import { Prisma, type Direction } from '../../generated/prisma/client.js';
import { intervalDays, type AccountCadenceRow } from './cadence.js';
import { promptKindAt, promptMoments } from './reminders.js';
import { readSettings, type PromptName, type WorkspaceSettings } from './settings.js';

export type PromptKind =
  | 'cadence_due_soon'
  | 'cadence_overdue'
  | 'going_dark'
  | 'commitment_due_soon'
  | 'commitment_overdue'
  | 'customer_follow_up'
  | 'negative_touch'
  | 'renewal';

const SETTING: Record<PromptKind, PromptName> = {
  cadence_due_soon: 'cadenceDueSoon',
  cadence_overdue: 'cadenceOverdue',
  going_dark: 'goingDark',
  commitment_due_soon: 'commitmentDueSoon',
  commitment_overdue: 'commitmentOverdue',
  customer_follow_up: 'customerFollowUp',
  negative_touch: 'negativeTouch',
  renewal: 'renewal',
};

export type Recipient =
  | { kind: 'dm'; slackUserId: string; timeZone: string }
  | { kind: 'channel'; channelId: string };

interface AccountRef {
  accountId: string;
  accountName: string;
  ownerSlackId: string | null;
}

/** What a message shows about one item, read from the item's state when the message is sent. */
export type PromptPayload =
  /** dueZone: the owner's, in which the due day is shown (cadence moments are days). */
  | ({ kind: 'cadence_due_soon' | 'cadence_overdue' | 'going_dark'; dueAt: string; dueZone: string; lastTouchAt: string | null; intervalDays: number } & AccountRef)
  | ({ kind: 'commitment_due_soon' | 'commitment_overdue' | 'customer_follow_up'; commitmentId: string; number: number; title: string; direction: Direction; dueAt: string; dueTimeZone: string; followUp: number; permalink?: string | null } & AccountRef)
  | ({ kind: 'negative_touch'; touchId: string; touchKind: string; summary: string; loggedBySlackId: string; occurredAt: string } & AccountRef)
  | ({ kind: 'renewal'; renewalDate: string; daysBefore: number; lastTouchAt: string | null; intervalDays: number } & AccountRef);

/**
 * What to send, by reference (prompt_items.payload): the item and what was true of it when the
 * scan raised it. The sender reads the item again when the delivery's moment comes.
 */
export type PromptRef =
  /** `moment`: the warn, due or dark moment that was crossed; `lastTouchAt`: the last touch then. */
  | { kind: 'cadence_due_soon' | 'cadence_overdue' | 'going_dark'; accountId: string; moment: string; lastTouchAt: string | null }
  /** `dueAt` as it was; `next`: where the scan moved the reminder on (a different one later means a snooze). */
  | { kind: 'commitment_due_soon' | 'commitment_overdue' | 'customer_follow_up'; commitmentId: string; dueAt: string; followUp: number; next?: string | null }
  | { kind: 'negative_touch'; touchId: string }
  | { kind: 'renewal'; accountId: string; renewalDate: string; daysBefore: number; lastTouchAt: string | null };

export interface PromptDraft {
  workspaceId: string;
  /** kind:target:period — the same key is never raised twice. */
  key: string;
  kind: PromptKind;
  recipient: Recipient;
  /** Due-soon items for one person are combined into one DM a day. */
  combine: boolean;
  /** Direct messages wait for the recipient's working hours. */
  workingHours: WorkspaceSettings['workingHours'];
  ref: PromptRef;
}

export const RENEWAL_DAYS = [90, 60, 30] as const;
const DAY_MS = 24 * 60 * 60 * 1000;

/** An account with what a prompt about it needs: owner, first linked channel, workspace settings. */
interface AccountRow extends AccountCadenceRow {
  account_id: string;
  workspace_id: string;
  account_name: string;
  owner_time_zone: string | null;
  channel_id: string | null;
  settings: unknown;
}

const ACCOUNT_COLUMNS = Prisma.sql`
  a.id AS account_id, a.workspace_id, a.name AS account_name, a.tier::text AS tier, a.cadence_days, a.renewal_date,
  a.last_touch_at, a.cadence_warn_at, a.cadence_due_at, a.cadence_dark_at,
  o.slack_user_id AS owner_slack_id, o.time_zone AS owner_time_zone, ch.channel_id, w.settings`;
const ACCOUNT_JOINS = Prisma.sql`
  JOIN workspaces w ON w.id = a.workspace_id
  LEFT JOIN users o ON o.id = a.owner_id
  LEFT JOIN LATERAL (SELECT channel_id FROM account_channels c WHERE c.account_id = a.id ORDER BY c.created_at LIMIT 1) ch ON true`;

/** The account's channel, or its owner's DM when it has none; null when there is nobody to tell. */
function accountRecipient(a: AccountRow): Recipient | null {
  if (a.channel_id) return { kind: 'channel', channelId: a.channel_id };
  return a.owner_slack_id ? { kind: 'dm', slackUserId: a.owner_slack_id, timeZone: a.owner_time_zone ?? 'UTC' } : null;
}

interface CommitmentRow extends AccountRow {
  id: string;
  status: string;
  number: number;
  title: string;
  direction: Direction;
  due_at: Date;
  due_time_zone: string;
  /** The Slack message it was tracked from, linked in the prompt. */
  source_permalink: string | null;
  next_prompt_at: Date;
  prompt_count: number;
  commitment_owner_slack_id: string;
  commitment_owner_time_zone: string;
}

interface TouchRow extends AccountRow {
  id: string;
  kind: string;
  summary: string;
  occurred_at: Date;
  logged_by_slack_id: string;
}

const ref = (a: AccountRow): AccountRef => ({ accountId: a.account_id, accountName: a.account_name, ownerSlackId: a.owner_slack_id });

/**
 * Settings are JSON validated with zod; a tick reads them once per workspace, not once per row.
 * Keyed by the row's settings object, which the driver parses afresh per row, so by its text.
 */
function settingsReader(): (raw: unknown) => WorkspaceSettings {
  const cache = new Map<string, WorkspaceSettings>();
  return (raw) => {
    const key = JSON.stringify(raw ?? null);
    let settings = cache.get(key);
    if (!settings) cache.set(key, (settings = readSettings(raw)));
    return settings;
  };
}

/** A due commitment's next prompt moment (null: nothing left to say) and its follow-up count. */
export interface Advance {
  id: string;
  next: string | null;
  count: number;
}

/**
 * Everything that became due in (from, to]. Read only. Commitment prompts are a work queue
 * instead (their next_prompt_at ≤ to): `advances` says where each one returned moves next, for
 * `advanceCommitments` to write in the same transaction.
 */
export async function collectPrompts(tx: DbOrTx, window: { from: Date; to: Date }): Promise<{ drafts: PromptDraft[]; advances: Advance[] }> {
  const { from, to } = window;
  // One transaction, one connection: the queries run one after another.
  // Each query is an indexed range over what is due; relations come by join, not by id lists.
  const accountsWhere = (cond: Prisma.Sql) =>
    tx.$queryRaw<AccountRow[]>`SELECT ${ACCOUNT_COLUMNS} FROM accounts a ${ACCOUNT_JOINS} WHERE NOT a.archived AND ${cond}`;
  const warned = await accountsWhere(Prisma.sql`a.owner_id IS NOT NULL AND a.cadence_warn_at > ${from} AND a.cadence_warn_at <= ${to} AND a.cadence_due_at > ${to}`);
  const due = await accountsWhere(Prisma.sql`a.cadence_due_at > ${from} AND a.cadence_due_at <= ${to} AND a.cadence_dark_at > ${to}`);
  const dark = await accountsWhere(Prisma.sql`a.cadence_dark_at > ${from} AND a.cadence_dark_at <= ${to}`);
  const renewals = await accountsWhere(
    Prisma.sql`(${Prisma.join(
      RENEWAL_DAYS.map((d) => Prisma.sql`(a.renewal_date > ${new Date(from.getTime() + (d - 1) * DAY_MS)} AND a.renewal_date <= ${new Date(to.getTime() + d * DAY_MS)})`),
      ' OR ',
    )})`,
  );
  const commitments = await tx.$queryRaw<CommitmentRow[]>`
    SELECT ${ACCOUNT_COLUMNS}, c.id, c.number, c.title, c.status::text AS status, c.direction::text AS direction, c.due_at, c.due_time_zone, c.source_permalink,
           s.next_prompt_at, s.prompt_count, co.slack_user_id AS commitment_owner_slack_id, co.time_zone AS commitment_owner_time_zone
    FROM commitment_schedules s JOIN commitments c ON c.id = s.commitment_id
      JOIN users co ON co.id = c.owner_id JOIN accounts a ON a.id = c.account_id ${ACCOUNT_JOINS}
    WHERE s.next_prompt_at <= ${to}`;
  const touches = await tx.$queryRaw<TouchRow[]>`
    SELECT ${ACCOUNT_COLUMNS}, t.id, t.kind::text AS kind, t.summary, t.occurred_at, lb.slack_user_id AS logged_by_slack_id
    FROM touches t JOIN users lb ON lb.id = t.logged_by_id JOIN accounts a ON a.id = t.account_id ${ACCOUNT_JOINS}
    WHERE t.sentiment = 'negative' AND t.kind <> 'note' AND t.created_at > ${from} AND t.created_at <= ${to}`;
  const settingsOf = settingsReader();

  const drafts: PromptDraft[] = [];
  const push = (settingsRaw: unknown, d: Omit<PromptDraft, 'workingHours'>) => {
    const settings = settingsOf(settingsRaw);
    if (settings.prompts[SETTING[d.kind]]) drafts.push({ ...d, workingHours: settings.workingHours });
  };
  const cadence = (a: AccountRow, moment: Date) => ({ accountId: a.account_id, moment: moment.toISOString(), lastTouchAt: a.last_touch_at?.toISOString() ?? null });

  for (const a of warned) {
    push(a.settings, {
      workspaceId: a.workspace_id,
      // The warn moment is the period: a snooze re-arms it, a touch moves it.
      key: `cadence_due_soon:${a.account_id}:${a.cadence_warn_at!.toISOString()}`,
      kind: 'cadence_due_soon',
      recipient: { kind: 'dm', slackUserId: a.owner_slack_id!, timeZone: a.owner_time_zone! },
      combine: true,
      ref: { kind: 'cadence_due_soon', ...cadence(a, a.cadence_warn_at!) },
    });
  }
  for (const [rows, kind] of [[due, 'cadence_overdue'], [dark, 'going_dark']] as const) {
    for (const a of rows) {
      const recipient = accountRecipient(a);
      if (!recipient) continue;
      const moment = kind === 'cadence_overdue' ? a.cadence_due_at! : a.cadence_dark_at!;
      push(a.settings, { workspaceId: a.workspace_id, key: `${kind}:${a.account_id}:${moment.toISOString()}`, kind, recipient, combine: false, ref: { kind, ...cadence(a, moment) } });
    }
  }

  const advances: Advance[] = [];
  for (const c of commitments) {
    // A schedule left by a commitment that is no longer open ends here, unspoken.
    if (c.status !== 'open') {
      advances.push({ id: c.id, next: null, count: c.prompt_count });
      continue;
    }
    const settings = settingsOf(c.settings);
    const zone = c.commitment_owner_time_zone;
    const commitment = { direction: c.direction, dueAt: c.due_at };
    // After a gap (workers down, a snooze), speak for the latest moment that has passed, once.
    const moments = promptMoments(commitment, zone, settings.workingHours);
    const at = [c.next_prompt_at, ...moments].filter((m) => m <= to).reduce((a, b) => (b > a ? b : a));
    const kind = promptKindAt(commitment, at);
    const next = moments.find((m) => m > to) ?? null;
    advances.push({ id: c.id, next: next?.toISOString() ?? null, count: kind === 'customer_follow_up' ? c.prompt_count + 1 : c.prompt_count });
    const recipient: Recipient | null =
      kind === 'commitment_overdue' ? accountRecipient(c) : { kind: 'dm', slackUserId: c.commitment_owner_slack_id, timeZone: zone };
    if (!recipient) continue;
    push(c.settings, {
      workspaceId: c.workspace_id,
      key: `${kind}:${c.id}:${kind === 'commitment_overdue' ? c.due_at.toISOString() : at.toISOString()}`,
      kind,
      recipient,
      combine: kind === 'commitment_due_soon',
      ref: { kind, commitmentId: c.id, dueAt: c.due_at.toISOString(), followUp: c.prompt_count + 1, next: next?.toISOString() ?? null },
    });
  }
  for (const t of touches) {
    const recipient = accountRecipient(t);
    if (!recipient) continue;
    push(t.settings, {
      workspaceId: t.workspace_id,
      key: `negative_touch:${t.id}`,
      kind: 'negative_touch',
      recipient,
      combine: false,
      ref: { kind: 'negative_touch', touchId: t.id },
    });
  }

  for (const a of renewals) {
    const interval = intervalDays({ cadenceDays: a.cadence_days, tier: a.tier }, settingsOf(a.settings));
    // Thin contact: no counted touch within the cadence interval.
    if (a.last_touch_at && a.last_touch_at.getTime() > to.getTime() - interval * DAY_MS) continue;
    const recipient = accountRecipient(a);
    if (!recipient) continue;
    for (const d of RENEWAL_DAYS) {
      const moment = new Date(a.renewal_date!.getTime() - d * DAY_MS);
      if (!(moment > from && moment <= to)) continue;
      const renewalDate = a.renewal_date!.toISOString().slice(0, 10);
      push(a.settings, {
        workspaceId: a.workspace_id,
        key: `renewal_${d}:${a.account_id}:${renewalDate}`,
        kind: 'renewal',
        recipient,
        combine: false,
        ref: { kind: 'renewal', accountId: a.account_id, renewalDate, daysBefore: d, lastTouchAt: a.last_touch_at?.toISOString() ?? null },
      });
    }
  }
  return { drafts, advances };
}

/** Moves the commitments a tick spoke for to their next prompt moment (or ends their schedule): one statement. */
export async function advanceCommitments(tx: DbOrTx, advances: Advance[]): Promise<void> {
  if (advances.length === 0) return;
  // One JSON parameter rather than three per row: binding thousands of values is the slow part.
  await tx.$executeRaw`
    WITH v AS (SELECT * FROM jsonb_to_recordset(${JSON.stringify(advances)}::jsonb) AS v(id uuid, next timestamptz, count int)),
    ended AS (DELETE FROM commitment_schedules s USING v WHERE s.commitment_id = v.id AND v.next IS NULL)
    UPDATE commitment_schedules s SET next_prompt_at = v.next, prompt_count = v.count
    FROM v WHERE s.commitment_id = v.id AND v.next IS NOT NULL`;
}

/** One item of a delivery as it stands now: what to show, or why it is no longer true. */
export type CurrentItem = { live: PromptPayload } | { stale: string };

interface CurrentAccountRow extends AccountRow {
  archived: boolean;
}

interface CurrentCommitmentRow extends CommitmentRow {
  archived: boolean;
  next_prompt_at: Date;
}

interface CurrentTouchRow extends TouchRow {
  archived: boolean;
}

const idList = (ids: Iterable<string>) => Prisma.sql`(SELECT jsonb_array_elements_text(${JSON.stringify([...new Set(ids)])}::jsonb)::uuid)`;
const iso = (d: Date | null | undefined) => d?.toISOString() ?? null;

/**
 * Reads the current state of the items a delivery carries, when its moment comes, and says of each
 * whether what it would say is still true. `destination` is where the delivery goes (a user id for
 * a DM). One query per kind of item (accounts, commitments, touches), however many items: pass the
 * items of several deliveries at once and split the answer.
 */
export async function currentPrompts(db: DbOrTx, refs: PromptRef[], destination: string, now: Date): Promise<CurrentItem[]> {
  const accountIds = refs.flatMap((r) => ('accountId' in r ? [r.accountId] : []));
  const commitmentIds = refs.flatMap((r) => ('commitmentId' in r ? [r.commitmentId] : []));
  const touchIds = refs.flatMap((r) => (r.kind === 'negative_touch' ? [r.touchId] : []));
  const [accounts, commitments, touches] = [
    accountIds.length
      ? await db.$queryRaw<CurrentAccountRow[]>`SELECT ${ACCOUNT_COLUMNS}, a.archived FROM accounts a ${ACCOUNT_JOINS} WHERE a.id IN ${idList(accountIds)}`
      : [],
    commitmentIds.length
      ? await db.$queryRaw<CurrentCommitmentRow[]>`
          SELECT ${ACCOUNT_COLUMNS}, a.archived, c.id, c.number, c.title, c.status::text AS status, c.direction::text AS direction, c.due_at, c.due_time_zone, c.source_permalink,
                 s.next_prompt_at, co.slack_user_id AS commitment_owner_slack_id, co.time_zone AS commitment_owner_time_zone
          FROM commitments c JOIN users co ON co.id = c.owner_id JOIN accounts a ON a.id = c.account_id ${ACCOUNT_JOINS}
            LEFT JOIN commitment_schedules s ON s.commitment_id = c.id
          WHERE c.id IN ${idList(commitmentIds)}`
      : [],
    touchIds.length
      ? await db.$queryRaw<CurrentTouchRow[]>`
          SELECT ${ACCOUNT_COLUMNS}, a.archived, t.id, t.kind::text AS kind, t.summary, t.occurred_at, lb.slack_user_id AS logged_by_slack_id
          FROM touches t JOIN users lb ON lb.id = t.logged_by_id JOIN accounts a ON a.id = t.account_id ${ACCOUNT_JOINS}
          WHERE t.id IN ${idList(touchIds)}`
      : [],
  ];
  const accountById = new Map(accounts.map((a) => [a.account_id, a]));
  const commitmentById = new Map(commitments.map((c) => [c.id, c]));
  const touchById = new Map(touches.map((t) => [t.id, t]));
  const settingsOf = settingsReader();
  const toDm = /^[UW]/.test(destination);
  return refs.map((r): CurrentItem => {
    if (r.kind === 'negative_touch') {
      const t = touchById.get(r.touchId);
      if (!t) return { stale: 'the touch is no longer recorded' };
      if (t.archived) return { stale: `${t.account_name} is archived` };
      if (!settingsOf(t.settings).prompts[SETTING[r.kind]]) return { stale: `the ${r.kind} prompt was turned off` };
      return { live: { kind: r.kind, ...ref(t), touchId: t.id, touchKind: t.kind, summary: t.summary, loggedBySlackId: t.logged_by_slack_id, occurredAt: t.occurred_at.toISOString() } };
    }
    if ('commitmentId' in r) {
      const c = commitmentById.get(r.commitmentId);
      return c ? currentCommitment(r, c, settingsOf(c.settings), toDm ? destination : null, now) : { stale: 'the commitment is no longer recorded' };
    }
    const a = accountById.get(r.accountId);
    if (!a) return { stale: 'the account is no longer recorded' };
    const settings = settingsOf(a.settings);
    if (a.archived) return { stale: `${a.account_name} is archived` };
    if (!settings.prompts[SETTING[r.kind]]) return { stale: `the ${r.kind} prompt was turned off` };
    const interval = intervalDays({ cadenceDays: a.cadence_days, tier: a.tier }, settings);
    const touchedSince = (a.last_touch_at?.getTime() ?? 0) > (r.lastTouchAt ? Date.parse(r.lastTouchAt) : 0);
    if (r.kind === 'renewal') {
      const renewalDate = a.renewal_date?.toISOString().slice(0, 10) ?? null;
      if (renewalDate !== r.renewalDate) return { stale: `${a.account_name}'s renewal date changed from ${r.renewalDate} to ${renewalDate ?? 'none'}` };
      if (a.last_touch_at && a.last_touch_at.getTime() > now.getTime() - interval * DAY_MS) return { stale: `${a.account_name} was touched since (${iso(a.last_touch_at)}), within its cadence` };
      return { live: { kind: r.kind, ...ref(a), renewalDate, daysBefore: r.daysBefore, lastTouchAt: iso(a.last_touch_at), intervalDays: interval } };
    }
    // A cadence prompt is true while the account is still past the moment it speaks of: a touch
    // (or a snooze, for the due-soon nudge) moves that moment on.
    const moment = r.kind === 'cadence_due_soon' ? a.cadence_warn_at : r.kind === 'cadence_overdue' ? a.cadence_due_at : a.cadence_dark_at;
    if (!moment || moment > now) {
      if (touchedSince) return { stale: `${a.account_name} was touched since (${iso(a.last_touch_at)})` };
      return { stale: `${a.account_name}'s ${r.kind === 'cadence_due_soon' ? 'nudge was snoozed' : 'cadence changed'}: next at ${iso(moment) ?? 'never'}` };
    }
    if (toDm && r.kind === 'cadence_due_soon' && a.owner_slack_id !== destination) return { stale: `${a.account_name} has a new owner` };
    return { live: { kind: r.kind, ...ref(a), dueAt: a.cadence_due_at!.toISOString(), dueZone: a.owner_time_zone ?? 'UTC', lastTouchAt: iso(a.last_touch_at), intervalDays: interval } };
  });
}

/** Whether a commitment prompt still says something true, and what, from the commitment as it is now. */
function currentCommitment(
  r: PromptRef & { kind: 'commitment_due_soon' | 'commitment_overdue' | 'customer_follow_up' },
  c: CurrentCommitmentRow,
  settings: WorkspaceSettings,
  dmTo: string | null,
  now: Date,
): CurrentItem {
  const name = `C-${c.number}`;
  if (c.status === 'done') return { stale: c.direction === 'theirs' ? `${name} was received` : `${name} is done` };
  if (c.status !== 'open') return { stale: `${name} was dropped` };
  if (c.archived) return { stale: `${c.account_name} is archived` };
  if (!settings.prompts[SETTING[r.kind]]) return { stale: `the ${r.kind} prompt was turned off` };
  // A DM goes to whoever owns it: reassigned, it is someone else's to hear about.
  if (dmTo && c.commitment_owner_slack_id !== dmTo) return { stale: `${name} was reassigned to someone else` };
  const zone = c.commitment_owner_time_zone;
  const commitment = { direction: c.direction, dueAt: c.due_at };
  const moments = promptMoments(commitment, zone, settings.workingHours);
  const moved = c.due_at.toISOString() !== r.dueAt;
  if (r.kind === 'commitment_due_soon') {
    if (c.due_at <= now) return { stale: `${name} is overdue now (due ${c.due_at.toISOString()}): the overdue post says so` };
    if (moments[0]! > now) return { stale: `${name} was rescheduled to ${c.due_at.toISOString()}: not due soon any more` };
  } else if (c.due_at > now) {
    return { stale: `${name} was rescheduled to ${c.due_at.toISOString()}: not overdue any more` };
  }
  // Snoozed: the reminder was moved past now, and not by the scan (to where it left it) or by a
  // reschedule or reassignment (to a moment of the commitment's own).
  const next = c.next_prompt_at;
  if (!moved && next && next > now && iso(next) !== r.next && !moments.some((m) => m.getTime() === next.getTime())) {
    return { stale: `${name} is snoozed until ${next.toISOString()}` };
  }
  return {
    live: {
      kind: r.kind,
      ...ref(c),
      ownerSlackId: c.commitment_owner_slack_id,
      commitmentId: c.id,
      number: c.number,
      title: c.title,
      direction: c.direction,
      dueAt: c.due_at.toISOString(),
      dueTimeZone: c.due_time_zone,
      followUp: r.followUp,
      permalink: c.source_permalink,
    },
  };
}
