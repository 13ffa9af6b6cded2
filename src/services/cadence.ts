// Cadence: the agreed interval between touches, and the moments derived from it. The moments are
// stored on the account (warn / due / dark) and recomputed on every touch and cadence change, so
// "which accounts became due" is an indexed range query, never a scan.
import { Prisma } from '../../generated/prisma/client.js';
import type { DbOrTx } from '../db/client.js';
import { readSettings, type TierName, type WorkspaceSettings } from './settings.js';
import { DateTime } from 'luxon';
import { isValidTimeZone } from './time.js';
import type { WorkingHours } from './working-hours.js';

/** Mon–Fri 09:00–18:00, the workspace default (settings.ts). */
const DEFAULT_WORKING_HOURS: WorkingHours = { start: '09:00', end: '18:00' };

export type CadenceStatus = 'on_track' | 'due_soon' | 'overdue' | 'dark';

export interface CadenceMoments {
  intervalDays: number;
  warnAt: Date;
  dueAt: Date;
  darkAt: Date;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** An account's cadence facts as raw queries read them (snake_case columns). */
export interface AccountCadenceRow {
  tier: TierName;
  cadence_days: number | null;
  renewal_date: Date | null;
  last_touch_at: Date | null;
  cadence_warn_at: Date | null;
  cadence_due_at: Date | null;
  cadence_dark_at: Date | null;
  owner_slack_id: string | null;
}

export function intervalDays(account: { cadenceDays: number | null; tier: TierName }, settings: WorkspaceSettings): number {
  return account.cadenceDays ?? settings.tierCadenceDays[account.tier];
}

/**
 * Cadence moments are days, like a commitment's due date without a time. From the day of the last
 * counted touch (or of the account's creation), in `zone` (the account owner's): the touch is due
 * by the end of working hours on the day the interval ends, the account goes dark at the end of
 * the day twice the interval on, and the warning comes at the start of working hours on the first
 * day of the last `warningFraction` of the interval, at least one working day before the due day.
 * Wall-clock maths in the zone, so the moments keep their local hour across daylight-saving changes.
 */
export function cadenceMoments(base: Date, days: number, warningFraction: number, zone = 'UTC', hours: WorkingHours = DEFAULT_WORKING_HOURS): CadenceMoments {
  const baseDay = DateTime.fromJSDate(base, { zone: isValidTimeZone(zone) ? zone : 'UTC' }).startOf('day');
  const at = (day: DateTime, hm: string) => {
    const [hour = 0, minute = 0] = hm.split(':').map(Number);
    return day.set({ hour, minute, second: 0, millisecond: 0 }).toJSDate();
  };
  const dueDay = baseDay.plus({ days });
  const byFraction = dueDay.minus({ days: Math.round(days * warningFraction) });
  let workingDayBefore = dueDay.minus({ days: 1 });
  while (workingDayBefore.weekday > 5) workingDayBefore = workingDayBefore.minus({ days: 1 });
  return {
    intervalDays: days,
    warnAt: at(byFraction < workingDayBefore ? byFraction : workingDayBefore, hours.start),
    dueAt: at(dueDay, hours.end),
    darkAt: at(baseDay.plus({ days: 2 * days }), hours.end),
  };
}

export function cadenceStatus(m: { warnAt: Date | null; dueAt: Date | null; darkAt: Date | null }, now: Date): CadenceStatus {
  if (m.darkAt && now >= m.darkAt) return 'dark';
  if (m.dueAt && now >= m.dueAt) return 'overdue';
  if (m.warnAt && now >= m.warnAt) return 'due_soon';
  return 'on_track';
}

/** Riskiest first: dark, overdue, due soon, on track. */
export const STATUS_ORDER: Record<CadenceStatus, number> = { dark: 0, overdue: 1, due_soon: 2, on_track: 3 };

/**
 * Recomputes and stores the cadence moments of the given accounts (or of a whole workspace, after
 * its tier defaults changed): one read, and one UPDATE per 5,000 accounts with the moments as one
 * JSON parameter (an import refreshes 10,000s at once; binding values one by one was most of it).
 */
export async function refreshCadence(db: DbOrTx, scope: { accountIds: string[] } | { workspaceId: string }): Promise<void> {
  if ('accountIds' in scope && scope.accountIds.length === 0) return;
  const where = 'accountIds' in scope ? Prisma.sql`a.id = ANY(${scope.accountIds}::uuid[])` : Prisma.sql`a.workspace_id = ${scope.workspaceId}::uuid`;
  // The owner's zone comes in the same read: the moments are days in it (no owner: UTC).
  const accounts = await db.$queryRaw<{ id: string; tier: TierName; cadence_days: number | null; last_touch_at: Date | null; created_at: Date; settings: unknown; zone: string | null }[]>`
    SELECT a.id, a.tier::text AS tier, a.cadence_days, a.last_touch_at, a.created_at, w.settings, o.time_zone AS zone
    FROM accounts a JOIN workspaces w ON w.id = a.workspace_id LEFT JOIN users o ON o.id = a.owner_id WHERE ${where}`;
  // Settings are validated once per workspace, not once per account.
  const parsed = new Map<string, WorkspaceSettings>();
  const settingsOf = (raw: unknown) => {
    const key = JSON.stringify(raw ?? null);
    let settings = parsed.get(key);
    if (!settings) parsed.set(key, (settings = readSettings(raw)));
    return settings;
  };
  for (let i = 0; i < accounts.length; i += 5000) {
    const rows = accounts.slice(i, i + 5000).map((a) => {
      const settings = settingsOf(a.settings);
      const days = intervalDays({ cadenceDays: a.cadence_days, tier: a.tier }, settings);
      const m = cadenceMoments(a.last_touch_at ?? a.created_at, days, settings.cadenceWarningFraction, a.zone ?? 'UTC', settings.workingHours);
      return { id: a.id, warn: m.warnAt, due: m.dueAt, dark: m.darkAt };
    });
    await db.$executeRaw`
      UPDATE accounts AS a SET cadence_warn_at = v.warn, cadence_due_at = v.due, cadence_dark_at = v.dark
      FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS v(id uuid, warn timestamptz, due timestamptz, dark timestamptz)
      WHERE a.id = v.id`;
  }
}

/**
 * "Snooze 2 days" on a cadence nudge: the due-soon reminder comes back after `days`, unless the
 * touch is due before then (the overdue post will say so). Returns the new reminder moment, or
 * null when there is nothing to snooze.
 */
export async function snoozeCadence(db: DbOrTx, accountId: string, now: Date, days: number): Promise<{ remindAt: Date | null; dueAt: Date | null }> {
  const remindAt = new Date(now.getTime() + days * DAY_MS);
  const rows = await db.$queryRaw<{ cadence_due_at: Date | null; cadence_warn_at: Date | null }[]>`
    UPDATE accounts SET cadence_warn_at = CASE WHEN cadence_due_at > ${remindAt} THEN ${remindAt} ELSE cadence_warn_at END
    WHERE id = ${accountId}::uuid
    RETURNING cadence_due_at, cadence_warn_at`;
  const row = rows[0];
  if (!row) return { remindAt: null, dueAt: null };
  return { remindAt: row.cadence_warn_at && row.cadence_warn_at.getTime() === remindAt.getTime() ? remindAt : null, dueAt: row.cadence_due_at };
}
