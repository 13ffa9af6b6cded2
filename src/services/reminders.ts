// When Kept has something to say about a commitment. Each open commitment stores the next such
// moment (commitment_schedules.next_prompt_at, indexed), so the scheduler finds what is due with a range query.
import type { Direction } from '../../generated/prisma/client.js';
import { addWorkingDays } from './time.js';
import { workdayStart, type WorkingHours } from './working-hours.js';

export const MAX_CUSTOMER_FOLLOW_UPS = 3;
export const FOLLOW_UP_EVERY_WORKING_DAYS = 3;

export type CommitmentPromptKind = 'commitment_due_soon' | 'commitment_overdue' | 'customer_follow_up';

/**
 * Ours: the morning one working day before it is due, the morning it is due, and the moment it
 * becomes overdue. Theirs: when it becomes overdue, then every 3 working days, 3 times at most.
 * Mornings are the start of the owner's working hours in the owner's zone.
 */
export function promptMoments(c: { direction: Direction; dueAt: Date }, ownerZone: string, hours: WorkingHours): Date[] {
  if (c.direction === 'theirs') {
    return Array.from({ length: MAX_CUSTOMER_FOLLOW_UPS }, (_, k) => addWorkingDays(c.dueAt, k * FOLLOW_UP_EVERY_WORKING_DAYS, ownerZone));
  }
  const dueMorning = workdayStart(c.dueAt, ownerZone, hours);
  const dayBefore = workdayStart(addWorkingDays(c.dueAt, -1, ownerZone), ownerZone, hours);
  const moments = [dayBefore, dueMorning, c.dueAt].filter((m) => m <= c.dueAt);
  return moments.filter((m, i) => i === 0 || m.getTime() !== moments[i - 1]!.getTime());
}

/** The first prompt moment strictly after `after`, or null when nothing is left to say. */
export function nextPromptAt(c: { direction: Direction; dueAt: Date }, ownerZone: string, hours: WorkingHours, after: Date): Date | null {
  return promptMoments(c, ownerZone, hours).find((m) => m > after) ?? null;
}

/** What a prompt at `at` is about: before the due moment it is a reminder, after it the overdue kind. */
export function promptKindAt(c: { direction: Direction; dueAt: Date }, at: Date): CommitmentPromptKind {
  if (c.direction === 'theirs') return 'customer_follow_up';
  return at < c.dueAt ? 'commitment_due_soon' : 'commitment_overdue';
}
