import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { nextPromptAt, promptKindAt, promptMoments } from '../../src/services/reminders.js';
import { nextWorkingMoment } from '../../src/services/working-hours.js';

const hours = { start: '09:00', end: '18:00' };
const local = (d: Date | null, zone: string) => (d ? DateTime.fromJSDate(d, { zone }).toFormat('ccc yyyy-MM-dd HH:mm') : null);

describe('commitment prompt moments', () => {
  it('ours: the morning a working day before, the morning it is due, and when it is overdue', () => {
    const zone = 'America/New_York';
    const dueAt = DateTime.fromISO('2026-11-30T17:00', { zone }).toJSDate(); // a Monday
    expect(promptMoments({ direction: 'ours', dueAt }, zone, hours).map((m) => local(m, zone))).toEqual([
      'Fri 2026-11-27 09:00',
      'Mon 2026-11-30 09:00',
      'Mon 2026-11-30 17:00',
    ]);
  });

  it('ours due before the working day starts: no same-morning reminder after the deadline', () => {
    const zone = 'Europe/Berlin';
    const dueAt = DateTime.fromISO('2026-12-02T08:00', { zone }).toJSDate();
    expect(promptMoments({ direction: 'ours', dueAt }, zone, hours).map((m) => local(m, zone))).toEqual(['Tue 2026-12-01 09:00', 'Wed 2026-12-02 08:00']);
  });

  it('theirs: when overdue, then every 3 working days, 3 times', () => {
    const zone = 'Australia/Sydney';
    const dueAt = DateTime.fromISO('2026-12-03T18:00', { zone }).toJSDate(); // Thursday
    expect(promptMoments({ direction: 'theirs', dueAt }, zone, hours).map((m) => local(m, zone))).toEqual([
      'Thu 2026-12-03 18:00',
      'Tue 2026-12-08 18:00',
      'Fri 2026-12-11 18:00',
    ]);
  });

  it('next moment and kind', () => {
    const zone = 'UTC';
    const c = { direction: 'ours' as const, dueAt: new Date('2026-12-02T17:00:00Z') };
    expect(local(nextPromptAt(c, zone, hours, new Date('2026-12-01T10:00:00Z')), zone)).toBe('Wed 2026-12-02 09:00');
    expect(nextPromptAt(c, zone, hours, new Date('2026-12-02T17:00:00Z'))).toBeNull();
    expect(promptKindAt(c, new Date('2026-12-02T09:00:00Z'))).toBe('commitment_due_soon');
    expect(promptKindAt(c, new Date('2026-12-02T17:00:00Z'))).toBe('commitment_overdue');
  });
});

describe('working hours', () => {
  it.each([
    ['2026-11-27T16:30:00Z', 'Fri 2026-11-27 11:30'], // inside working hours: now
    ['2026-11-27T12:00:00Z', 'Fri 2026-11-27 09:00'], // 07:00: wait for 09:00
    ['2026-11-27T23:30:00Z', 'Mon 2026-11-30 09:00'], // Fri 18:30: Monday
    ['2026-11-28T15:00:00Z', 'Mon 2026-11-30 09:00'], // Saturday
  ])('from %s the next working moment is %s (New York)', (at, expected) => {
    const got = nextWorkingMoment(new Date(at), 'America/New_York', hours);
    expect(local(got, 'America/New_York')).toBe(expected);
  });

  it('keeps 09:00 local across the autumn change', () => {
    const got = nextWorkingMoment(new Date('2026-10-31T20:00:00Z'), 'America/New_York', hours); // Sat
    expect(got.toISOString()).toBe('2026-11-02T14:00:00.000Z'); // Mon 09:00 EST
  });
});
