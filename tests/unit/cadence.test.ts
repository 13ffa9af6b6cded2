import { describe, expect, it } from 'vitest';
import { cadenceMoments, cadenceStatus } from '../../src/services/cadence.js';
import { touchConfirmation } from '../../src/messages/touch.js';
import type { TouchFull } from '../../src/services/touches.js';

const at = (s: string) => new Date(s);
const HOURS = { start: '09:00', end: '18:00' };

describe('cadence moments are days (issue 14)', () => {
  it('is due by the end of the working day the interval ends, dark by the end of the day twice as far', () => {
    // Mon 2 Nov 2026 15:00Z; UTC owner.
    const m = cadenceMoments(at('2026-11-02T15:00:00Z'), 30, 0.2);
    expect(m.dueAt).toEqual(at('2026-12-02T18:00:00Z'));
    expect(m.darkAt).toEqual(at('2027-01-01T18:00:00Z'));
    // The last 20% of 30 days: 6 days before, at the start of working hours.
    expect(m.warnAt).toEqual(at('2026-11-26T09:00:00Z'));
  });

  it('counts days in the owner’s zone: a touch at 19:54 in London is due 14 days later by 18:00 London', () => {
    const m = cadenceMoments(at('2026-12-02T19:54:00Z'), 14, 0.2, 'Europe/London', HOURS);
    expect(m.dueAt).toEqual(at('2026-12-16T18:00:00Z'));
    // 20% of 14 days is 3 days: Sun 13 Dec is before the working day before (Tue 15), so Sun 13 Dec 09:00.
    expect(m.warnAt).toEqual(at('2026-12-13T09:00:00Z'));
    // Late evening in New York is already the next day in UTC; the day is New York's.
    const ny = cadenceMoments(at('2026-12-03T03:00:00Z'), 7, 0.2, 'America/New_York', HOURS);
    expect(ny.dueAt).toEqual(at('2026-12-09T23:00:00Z')); // Wed 9 Dec 18:00 New York
  });

  it('warns at least one working day ahead, at the start of that day, even for a short cadence', () => {
    // Weekly: 20% is 1.4 days (1 day: Sunday). Due Monday 9 Nov → the working day before is Friday 6 Nov.
    const m = cadenceMoments(at('2026-11-02T15:00:00Z'), 7, 0.2);
    expect(m.dueAt).toEqual(at('2026-11-09T18:00:00Z'));
    expect(m.warnAt).toEqual(at('2026-11-06T09:00:00Z'));
  });

  it('follows the workspace’s working hours', () => {
    const m = cadenceMoments(at('2026-11-02T00:00:00Z'), 10, 0.5, 'UTC', { start: '08:30', end: '17:00' });
    expect(m.warnAt).toEqual(at('2026-11-07T08:30:00Z'));
    expect(m.dueAt).toEqual(at('2026-11-12T17:00:00Z'));
  });

  it('keeps the local hour across a daylight-saving change', () => {
    // Berlin leaves summer time on Sun 25 Oct 2026: due 18:00 local is 17:00Z after it, 16:00Z before.
    const m = cadenceMoments(at('2026-10-20T10:00:00Z'), 14, 0.2, 'Europe/Berlin', HOURS);
    expect(m.dueAt).toEqual(at('2026-11-03T17:00:00Z'));
    const before = cadenceMoments(at('2026-10-10T10:00:00Z'), 7, 0.2, 'Europe/Berlin', HOURS);
    expect(before.dueAt).toEqual(at('2026-10-17T16:00:00Z'));
  });

  it('the touch confirmation shows the next due moment as a day, in the owner’s zone', () => {
    const touch = {
      id: 't1', kind: 'call', summary: 'migration worries', sentiment: 'negative', occurredAt: at('2026-12-02T19:54:00Z'),
      participants: [], contacts: [], loggedBy: { slackUserId: 'U0001' },
    } as unknown as TouchFull;
    const m = touchConfirmation(touch, { name: 'Acme', cadenceDueAt: at('2026-12-16T18:00:00Z'), owner: { timeZone: 'Europe/London' } }, 'Asia/Tokyo');
    const shown = JSON.stringify(m.blocks);
    expect(shown).toContain('Next touch due Wed 16 Dec');
    expect(shown).not.toMatch(/Next touch due[^"]*(18:00|19:54|GMT)/);
  });
});

describe('cadence status', () => {
  const m = cadenceMoments(at('2026-11-02T15:00:00Z'), 30, 0.2);
  it.each([
    ['2026-11-20T00:00:00Z', 'on_track'],
    ['2026-11-26T09:00:00Z', 'due_soon'],
    ['2026-12-02T17:59:00Z', 'due_soon'],
    ['2026-12-02T18:00:00Z', 'overdue'],
    ['2026-12-20T00:00:00Z', 'overdue'],
    ['2027-01-01T18:00:00Z', 'dark'],
  ])('at %s it is %s', (now, status) => {
    expect(cadenceStatus(m, at(now))).toBe(status);
  });
});
