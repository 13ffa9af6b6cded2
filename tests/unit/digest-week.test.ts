import { describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { weekCovered } from '../../src/messages/digest.js';

const DAY_MS = 24 * 60 * 60 * 1000;
/** A review posted at a local moment covers the seven days before it, as buildDigest reads them. */
const covered = (local: string, zone: string) => {
  const now = DateTime.fromISO(local, { zone }).toJSDate();
  return weekCovered(new Date(now.getTime() - 7 * DAY_MS), now, zone);
};

describe('the week a weekly review is headed with', () => {
  it('is the week that ended, not the day seven days back or a Saturday', () => {
    // Issue 13: the review due on Monday 7 December was headed "week of 5 Dec".
    expect(covered('2026-12-07T09:00', 'America/New_York')).toBe('30 Nov – 6 Dec');
  });

  it('crosses a month boundary', () => {
    expect(covered('2026-11-02T09:00', 'Europe/Berlin')).toBe('26 Oct – 1 Nov');
  });

  it('shows both years when the week spans the turn of the year', () => {
    expect(covered('2027-01-04T09:00', 'Australia/Sydney')).toBe('28 Dec 2026 – 3 Jan 2027');
    expect(covered('2027-01-01T09:00', 'UTC')).toBe('25 Dec – 31 Dec');
  });

  it('reads the dates in the review\'s zone, not UTC', () => {
    // Monday 09:00 in Sydney is still Sunday in UTC.
    expect(covered('2026-12-07T09:00', 'Australia/Sydney')).toBe('30 Nov – 6 Dec');
    // Monday 00:30 in Berlin is Sunday 23:30 in UTC.
    expect(covered('2026-12-07T00:30', 'Europe/Berlin')).toBe('30 Nov – 6 Dec');
  });

  it('holds across a daylight-saving change and in a leap year', () => {
    expect(covered('2027-03-15T09:00', 'America/New_York')).toBe('8 Mar – 14 Mar');
    expect(covered('2028-03-02T09:00', 'UTC')).toBe('24 Feb – 1 Mar');
    expect(covered('2028-03-06T09:00', 'UTC')).toBe('28 Feb – 5 Mar');
  });
});
