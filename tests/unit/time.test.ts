import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  WORKDAY_END,
  WORKDAY_START,
  addWorkingDays,
  endOfWorkday,
  findDate,
  findDates,
  formatWhen,
  isValidTimeZone,
  localDateString,
} from '../../src/services/time.js';

// These tests must pass whatever the process zone is; also run them with e.g. TZ=Pacific/Chatham.
const BERLIN = 'Europe/Berlin';
const NEW_YORK = 'America/New_York';
const KOLKATA = 'Asia/Kolkata';
const SYDNEY = 'Australia/Sydney';
const AUCKLAND = 'Pacific/Auckland';

const at = (iso: string) => new Date(iso);
/** A wall-clock time in a zone, as an ISO instant in UTC. */
const wall = (iso: string, zone: string) => DateTime.fromISO(iso, { zone }).toUTC().toISO();

function future(text: string, now: string, timeZone = BERLIN) {
  const found = findDate(text, { now: at(now), timeZone, prefer: 'future' });
  return found && { ...found, at: found.at.toISOString() };
}
function past(text: string, now: string, timeZone = BERLIN) {
  const found = findDate(text, { now: at(now), timeZone, prefer: 'past' });
  return found && { ...found, at: found.at.toISOString() };
}

// Fri 27 Nov 2026, 13:00 in Berlin.
const FRI_BERLIN = '2026-11-27T12:00:00Z';

describe('constants', () => {
  it('defines the working day', () => {
    expect(WORKDAY_START).toEqual({ hour: 9, minute: 0 });
    expect(WORKDAY_END).toEqual({ hour: 18, minute: 0 });
  });
});

describe('isValidTimeZone', () => {
  it.each([BERLIN, NEW_YORK, KOLKATA, SYDNEY, AUCKLAND, 'UTC', 'Pacific/Chatham'])('accepts %s', (zone) => {
    expect(isValidTimeZone(zone)).toBe(true);
  });
  it.each(['', '  ', 'Mars/Olympus', 'Europe/Berlinn', 'not a zone', '+25:00'])('rejects %j', (zone) => {
    expect(isValidTimeZone(zone)).toBe(false);
  });
  it('makes the other helpers throw a RangeError', () => {
    expect(() => findDate('tomorrow', { now: at(FRI_BERLIN), timeZone: 'Mars/Olympus', prefer: 'future' })).toThrow(RangeError);
    expect(() => localDateString(at(FRI_BERLIN), 'nope')).toThrow(RangeError);
    expect(() => endOfWorkday({ year: 2026, month: 1, day: 1 }, 'nope')).toThrow(RangeError);
  });
  it('an invalid instant is a RangeError too', () => {
    expect(() => findDate('tomorrow', { now: new Date(Number.NaN), timeZone: BERLIN, prefer: 'future' })).toThrow(RangeError);
    expect(() => formatWhen(new Date(Number.NaN), BERLIN, at(FRI_BERLIN))).toThrow(RangeError);
  });
});

describe('findDate, prefer future', () => {
  it.each([
    ['Friday', '2026-11-27T18:00', false],
    ['by Friday', '2026-11-27T18:00', false],
    ['Mon', '2026-11-30T18:00', false],
    ['next Tuesday', '2026-12-01T18:00', false],
    ['tomorrow', '2026-11-28T18:00', false],
    ['today', '2026-11-27T18:00', false],
    ['in 2 weeks', '2026-12-11T18:00', false],
    ['in 3 days', '2026-11-30T18:00', false],
    ['next week', '2026-12-04T18:00', false],
    ['2026-12-03', '2026-12-03T18:00', false],
    ['12/3', '2026-12-03T18:00', false],
    ['Dec 3', '2026-12-03T18:00', false],
    ['3 December', '2026-12-03T18:00', false],
    ['by Dec 3 5pm', '2026-12-03T17:00', true],
    ['Dec 3 at 9:30', '2026-12-03T09:30', true],
    ['2026-12-03T10:00', '2026-12-03T10:00', true],
    ['Wed 10am', '2026-12-02T10:00', true],
    ['end of month', '2026-11-30T18:00', false],
    ['eod', '2026-11-27T18:00', true],
    ['by end of day', '2026-11-27T18:00', true],
    ['COB', '2026-11-27T18:00', true],
    ['tomorrow eod', '2026-11-28T18:00', true],
    ['Tue eod', '2026-12-01T18:00', true],
    ['eow', '2026-11-27T18:00', true],
    ['end of the week', '2026-11-27T18:00', true],
    ['Monday morning', '2026-11-30T09:00', true],
    ['tonight', '2026-11-27T22:00', true],
    ['5pm', '2026-11-27T17:00', true],
    // An hour without am/pm is a working hour: "at 3" is the afternoon, "at 9" the morning.
    ['Friday at 3', '2026-11-27T15:00', true],
    ['tomorrow at 3:30', '2026-11-28T15:30', true],
    ['tomorrow at 9', '2026-11-28T09:00', true],
    ['tomorrow 3am', '2026-11-28T03:00', true],
    ['tomorrow 03:00', '2026-11-28T03:00', true],
    ['noon', '2026-11-28T12:00', true], // noon has passed today
    ['by March', '2027-03-01T18:00', false],
  ])('%j → %s local (hadTime %s)', (text, local, hadTime) => {
    expect(future(text, FRI_BERLIN)).toMatchObject({ at: wall(local, BERLIN), hadTime });
  });

  it('returns chrono’s index and text so the phrase can be cut out', () => {
    const text = 'SOC2 answers by Dec 3 5pm please';
    const found = findDate(text, { now: at(FRI_BERLIN), timeZone: BERLIN, prefer: 'future' });
    expect(found).toMatchObject({ index: 16, text: 'Dec 3 5pm' });
    expect(text.slice(found!.index, found!.index + found!.text.length)).toBe('Dec 3 5pm');
  });

  it('does not swallow a closing bracket', () => {
    expect(future('Review (by Friday) draft', FRI_BERLIN)).toMatchObject({ text: 'Friday' });
  });

  it('keeps relative times and explicit zones exact', () => {
    expect(future('in 2 hours', FRI_BERLIN)?.at).toBe('2026-11-27T14:00:00.000Z');
    expect(future('in 30 minutes', FRI_BERLIN)?.at).toBe('2026-11-27T12:30:00.000Z');
    expect(future('by 5pm PST', FRI_BERLIN)?.at).toBe('2026-11-28T01:00:00.000Z');
    // 02:30 CEST + 2 h is 03:30 CET: the clocks went back in between.
    expect(future('in 2 hours', '2026-10-25T00:30:00Z')?.at).toBe('2026-10-25T02:30:00.000Z');
  });

  it.each(['2', '10', 'send 2 files', 'top 3 priorities', 'a second look', '20 min call', '5h', 'Sun Microsystems deck', 'sat down with them', 'March numbers', 'this week', 'SOC 2 report', 'v2.0 notes', '', 'no dates here', '🎉🎉'])(
    'finds nothing plausible in %j',
    (text) => {
      expect(future(text, FRI_BERLIN)).toBeNull();
    },
  );

  it('skips implausible matches and finds the next one', () => {
    expect(future('March numbers by Friday', FRI_BERLIN)).toMatchObject({ text: 'Friday', index: 17 });
    expect(future('sat with them, send by sun', FRI_BERLIN)).toMatchObject({ text: 'sun', at: wall('2026-11-29T18:00', BERLIN) });
  });

  it('lists every plausible date in order', () => {
    const found = findDates('from Monday to Dec 3', { now: at(FRI_BERLIN), timeZone: BERLIN, prefer: 'future' });
    expect(found.map((f) => f.text)).toEqual(expect.arrayContaining([expect.stringMatching(/Monday/)]));
    expect(findDates('tomorrow, then Dec 3', { now: at(FRI_BERLIN), timeZone: BERLIN, prefer: 'future' }).map((f) => f.text)).toEqual(['tomorrow', 'Dec 3']);
    expect(findDates('tomorrow, then Dec 3', { now: at(FRI_BERLIN), timeZone: BERLIN, prefer: 'future' }, 1)).toHaveLength(1);
  });
});

describe('findDate on the same weekday', () => {
  // Fri 27 Nov 2026 in New York (EST, UTC−5).
  it('“by Friday” on Friday morning is today at the end of the working day', () => {
    expect(future('by Friday', '2026-11-27T14:00:00Z', NEW_YORK)?.at).toBe('2026-11-27T23:00:00.000Z');
  });
  it('…and still today in the early afternoon, when chrono’s implied noon has passed', () => {
    expect(future('by Friday', '2026-11-27T18:00:00Z', NEW_YORK)?.at).toBe('2026-11-27T23:00:00.000Z');
  });
  it('…and next Friday once the working day is over', () => {
    expect(future('by Friday', '2026-11-28T00:00:00Z', NEW_YORK)?.at).toBe('2026-12-04T23:00:00.000Z');
  });
  it('an explicit time that has passed today moves to next week', () => {
    expect(future('Friday 5pm', '2026-11-27T22:30:00Z', NEW_YORK)?.at).toBe('2026-12-04T22:00:00.000Z');
    expect(future('Friday 5pm', '2026-11-27T21:30:00Z', NEW_YORK)?.at).toBe('2026-11-27T22:00:00.000Z');
  });
  it('a weekday already past this week is next week', () => {
    expect(future('Wednesday', FRI_BERLIN)?.at).toBe(wall('2026-12-02T18:00', BERLIN));
  });
  it('eod after the working day is tomorrow', () => {
    expect(future('eod', '2026-11-27T20:00:00Z')?.at).toBe(wall('2026-11-28T18:00', BERLIN));
  });
  it('eow on a Friday evening is next Friday', () => {
    expect(future('eow', '2026-11-27T20:00:00Z')?.at).toBe(wall('2026-12-04T18:00', BERLIN));
    expect(future('eow', '2026-11-28T10:00:00Z')?.at).toBe(wall('2026-12-04T18:00', BERLIN));
  });
});

describe('findDate across daylight-saving changes', () => {
  it('Berlin, after the change: Monday 2 Nov 18:00 CET', () => {
    expect(future('by Monday', '2026-10-30T10:00:00Z')?.at).toBe('2026-11-02T17:00:00.000Z');
  });
  it('Berlin, from summer time into winter time (25 Oct)', () => {
    // Fri 23 Oct is CEST (UTC+2); Mon 26 Oct is CET (UTC+1).
    expect(future('by Monday', '2026-10-23T08:00:00Z')?.at).toBe('2026-10-26T17:00:00.000Z');
    expect(future('Monday 9am', '2026-10-23T08:00:00Z')?.at).toBe('2026-10-26T08:00:00.000Z');
  });
  it('New York, just before 1 Nov', () => {
    // Sat 31 Oct 12:00 EDT; Mon 2 Nov 18:00 EST is 23:00Z.
    expect(future('by Monday', '2026-10-31T16:00:00Z', NEW_YORK)?.at).toBe('2026-11-02T23:00:00.000Z');
    expect(future('tomorrow 5pm', '2026-10-31T16:00:00Z', NEW_YORK)?.at).toBe('2026-11-01T22:00:00.000Z');
  });
  it('New York, into summer time (8 Mar)', () => {
    expect(future('Monday', '2026-03-06T15:00:00Z', NEW_YORK)?.at).toBe('2026-03-09T22:00:00.000Z');
  });
  it('Sydney, into summer time (4 Oct)', () => {
    // Fri 2 Oct 10:00 AEST; Mon 5 Oct 18:00 AEDT (UTC+11).
    expect(future('by Monday', '2026-10-02T00:00:00Z', SYDNEY)?.at).toBe('2026-10-05T07:00:00.000Z');
  });
  it('Auckland, out of summer time (5 Apr)', () => {
    // Fri 3 Apr 12:00 NZDT (UTC+13); Tue 7 Apr 18:00 NZST (UTC+12).
    expect(future('by Tuesday', '2026-04-02T23:00:00Z', AUCKLAND)?.at).toBe('2026-04-07T06:00:00.000Z');
  });
});

describe('findDate in other zones', () => {
  it('Kolkata (UTC+5:30)', () => {
    const now = '2026-11-27T06:30:00Z'; // Fri 12:00 IST
    expect(future('by Dec 3 5pm', now, KOLKATA)?.at).toBe('2026-12-03T11:30:00.000Z');
    expect(future('tomorrow', now, KOLKATA)?.at).toBe('2026-11-28T12:30:00.000Z');
  });
  it('Auckland, where the local date is ahead of UTC', () => {
    const now = '2026-11-26T20:00:00Z'; // Fri 27 Nov 09:00 NZDT, still Thursday in UTC
    expect(future('today', now, AUCKLAND)?.at).toBe('2026-11-27T05:00:00.000Z');
    expect(future('by Friday', now, AUCKLAND)?.at).toBe('2026-11-27T05:00:00.000Z');
    expect(future('tomorrow', now, AUCKLAND)?.at).toBe('2026-11-28T05:00:00.000Z');
  });
  it('New York, where the local date is behind UTC', () => {
    const now = '2026-11-28T02:00:00Z'; // Fri 27 Nov 21:00 EST, already Saturday in UTC
    expect(future('tomorrow', now, NEW_YORK)?.at).toBe('2026-11-28T23:00:00.000Z');
    expect(future('Monday', now, NEW_YORK)?.at).toBe('2026-11-30T23:00:00.000Z');
  });
  it('the same words mean different instants in different zones', () => {
    const results = [BERLIN, NEW_YORK, KOLKATA, SYDNEY, AUCKLAND].map((zone) => future('Dec 3 5pm', FRI_BERLIN, zone)?.at);
    expect(results).toEqual([
      wall('2026-12-03T17:00', BERLIN),
      wall('2026-12-03T17:00', NEW_YORK),
      wall('2026-12-03T17:00', KOLKATA),
      wall('2026-12-03T17:00', SYDNEY),
      wall('2026-12-03T17:00', AUCKLAND),
    ]);
  });
});

describe('findDate around the new year', () => {
  const DEC_20 = '2026-12-20T10:00:00Z'; // Sun 20 Dec, Berlin
  it.each([
    ['by Jan 5', '2027-01-05T18:00'],
    ['1/5', '2027-01-05T18:00'],
    ['Dec 3', '2027-12-03T18:00'], // already past this year
    ['Dec 22', '2026-12-22T18:00'],
    ['in 2 weeks', '2027-01-03T18:00'],
    ['next Tuesday', '2026-12-22T18:00'],
  ])('%j → %s', (text, local) => {
    expect(future(text, DEC_20)?.at).toBe(wall(local, BERLIN));
  });
  it('tomorrow on New Year’s Eve', () => {
    expect(future('tomorrow', '2026-12-31T15:00:00Z')?.at).toBe(wall('2027-01-01T18:00', BERLIN));
  });
  it('keeps an explicit past year', () => {
    expect(future('Nov 3 2025', FRI_BERLIN)?.at).toBe(wall('2025-11-03T18:00', BERLIN));
  });
  it('an earlier date this year without a year means next year', () => {
    expect(future('Nov 20', FRI_BERLIN)?.at).toBe(wall('2027-11-20T18:00', BERLIN));
  });
});

describe('findDate, prefer past', () => {
  it.each([
    ['yesterday 3pm', '2026-11-26T15:00', true],
    ['yesterday', '2026-11-26T12:00', false],
    ['Monday', '2026-11-23T12:00', false],
    ['Wednesday', '2026-11-25T12:00', false],
    ['Nov 3', '2026-11-03T12:00', false],
    ['3pm', '2026-11-26T15:00', true], // 15:00 has not come yet today
    ['last week', '2026-11-20T12:00', false],
  ])('%j → %s', (text, local, hadTime) => {
    expect(past(text, FRI_BERLIN)).toMatchObject({ at: wall(local, BERLIN), hadTime });
  });
  it('a date without a time that is today is noon, or now if earlier', () => {
    expect(past('today', '2026-11-27T07:00:00Z')?.at).toBe('2026-11-27T07:00:00.000Z');
    expect(past('today', '2026-11-27T15:00:00Z')?.at).toBe(wall('2026-11-27T12:00', BERLIN));
  });
});

describe('endOfWorkday', () => {
  it('is 18:00 local, with that date’s offset', () => {
    expect(endOfWorkday({ year: 2026, month: 11, day: 2 }, BERLIN).toISOString()).toBe('2026-11-02T17:00:00.000Z');
    expect(endOfWorkday({ year: 2026, month: 10, day: 23 }, BERLIN).toISOString()).toBe('2026-10-23T16:00:00.000Z');
    expect(endOfWorkday({ year: 2026, month: 12, day: 3 }, KOLKATA).toISOString()).toBe('2026-12-03T12:30:00.000Z');
    expect(endOfWorkday({ year: 2026, month: 12, day: 3 }, AUCKLAND).toISOString()).toBe('2026-12-03T05:00:00.000Z');
    expect(endOfWorkday({ year: 2026, month: 7, day: 1 }, SYDNEY).toISOString()).toBe('2026-07-01T08:00:00.000Z');
  });
  it('rejects impossible dates', () => {
    expect(() => endOfWorkday({ year: 2026, month: 2, day: 30 }, BERLIN)).toThrow(RangeError);
  });
});

describe('formatWhen', () => {
  const now = at(FRI_BERLIN);
  it.each([
    ['2026-11-27T18:00', 'today 18:00'],
    ['2026-11-27T00:00', 'today 00:00'],
    ['2026-11-28T09:30', 'tomorrow 09:30'],
    ['2026-11-26T18:00', 'yesterday 18:00'],
    ['2026-11-29T18:00', 'Sun 18:00'],
    ['2026-12-03T17:00', 'Thu 17:00'],
    ['2026-12-04T18:00', 'Fri 4 Dec 18:00'],
    ['2026-11-24T18:00', 'Tue 24 Nov 18:00'],
    ['2026-11-03T18:00', 'Tue 3 Nov 18:00'],
    ['2027-01-05T18:00', 'Tue 5 Jan 2027 18:00'],
    ['2025-11-03T18:00', 'Mon 3 Nov 2025 18:00'],
    ['2026-09-14T18:00', 'Mon 14 Sep 18:00'],
  ])('%s local → %j', (local, expected) => {
    expect(formatWhen(at(wall(local, BERLIN)!), BERLIN, now)).toBe(expected);
  });
  it('can leave out the time', () => {
    expect(formatWhen(at(wall('2026-11-03T18:00', BERLIN)!), BERLIN, now, { withTime: false })).toBe('Tue 3 Nov');
    expect(formatWhen(at(wall('2026-11-26T18:00', BERLIN)!), BERLIN, now, { withTime: false })).toBe('yesterday');
  });
  it('uses the zone for both the instant and “today”', () => {
    const instant = at('2026-11-27T23:30:00Z');
    expect(formatWhen(instant, BERLIN, now)).toBe('tomorrow 00:30');
    expect(formatWhen(instant, NEW_YORK, now)).toBe('today 18:30');
    expect(formatWhen(instant, KOLKATA, now)).toBe('tomorrow 05:00');
    expect(formatWhen(instant, AUCKLAND, at('2026-11-27T20:00:00Z'))).toBe('today 12:30');
  });
  it('counts calendar days across a daylight-saving change', () => {
    expect(formatWhen(at('2026-10-26T17:00:00Z'), BERLIN, at('2026-10-24T20:00:00Z'))).toBe('Mon 18:00');
    expect(formatWhen(at('2026-10-25T22:00:00Z'), BERLIN, at('2026-10-24T21:59:00Z'))).toBe('tomorrow 23:00');
  });
});

describe('localDateString', () => {
  it.each([
    [BERLIN, '2026-11-28'],
    [NEW_YORK, '2026-11-27'],
    [KOLKATA, '2026-11-28'],
    [SYDNEY, '2026-11-28'],
    [AUCKLAND, '2026-11-28'],
    ['UTC', '2026-11-27'],
  ])('%s → %s', (zone, expected) => {
    expect(localDateString(at('2026-11-27T23:30:00Z'), zone)).toBe(expected);
  });
});

describe('addWorkingDays', () => {
  const fri = at(wall('2026-11-27T18:00', BERLIN)!);
  const local = (d: Date, zone = BERLIN) => DateTime.fromJSDate(d, { zone }).toFormat('ccc yyyy-MM-dd HH:mm');
  it.each([
    [0, 'Fri 2026-11-27 18:00'],
    [1, 'Mon 2026-11-30 18:00'],
    [3, 'Wed 2026-12-02 18:00'],
    [5, 'Fri 2026-12-04 18:00'],
    [6, 'Mon 2026-12-07 18:00'],
    [10, 'Fri 2026-12-11 18:00'],
    [-1, 'Thu 2026-11-26 18:00'],
    [-5, 'Fri 2026-11-20 18:00'],
    [-6, 'Thu 2026-11-19 18:00'],
  ])('Friday %+d → %s', (days, expected) => {
    expect(local(addWorkingDays(fri, days, BERLIN))).toBe(expected);
  });
  it('starts from a weekend as from the next (or previous) working day', () => {
    const sat = at(wall('2026-11-28T10:00', BERLIN)!);
    expect(local(addWorkingDays(sat, 1, BERLIN))).toBe('Mon 2026-11-30 10:00');
    expect(local(addWorkingDays(sat, 5, BERLIN))).toBe('Fri 2026-12-04 10:00');
    expect(local(addWorkingDays(sat, -1, BERLIN))).toBe('Fri 2026-11-27 10:00');
    expect(local(addWorkingDays(sat, 0, BERLIN))).toBe('Sat 2026-11-28 10:00');
  });
  it('keeps the wall time across a daylight-saving change', () => {
    const friCest = at('2026-10-23T16:00:00Z'); // 18:00 CEST
    expect(addWorkingDays(friCest, 1, BERLIN).toISOString()).toBe('2026-10-26T17:00:00.000Z');
    expect(addWorkingDays(at('2026-10-30T22:00:00Z'), 1, NEW_YORK).toISOString()).toBe('2026-11-02T23:00:00.000Z');
  });
  it('uses the user’s weekday, not UTC’s', () => {
    // Mon 07:00 in Auckland is still Sunday in UTC.
    const mon = at('2026-11-29T18:00:00Z');
    expect(local(addWorkingDays(mon, 1, AUCKLAND), AUCKLAND)).toBe('Tue 2026-12-01 07:00');
  });
  it('rejects a non-finite number of days', () => {
    expect(() => addWorkingDays(fri, Number.NaN, BERLIN)).toThrow(RangeError);
  });
  it('matches stepping one day at a time', () => {
    const naive = (start: Date, days: number, zone: string) => {
      const from = DateTime.fromJSDate(start, { zone });
      let offset = 0;
      for (let left = Math.abs(days); left > 0; left--) {
        do offset += Math.sign(days);
        while (from.plus({ days: offset }).weekday > 5);
      }
      return from.plus({ days: offset }).toJSDate();
    };
    fc.assert(
      fc.property(
        fc.date({ min: at('2000-01-01T00:00:00Z'), max: at('2040-01-01T00:00:00Z'), noInvalidDate: true }),
        fc.integer({ min: -40, max: 40 }),
        fc.constantFrom(BERLIN, NEW_YORK, KOLKATA, SYDNEY, AUCKLAND),
        (start, days, zone) => {
          expect(addWorkingDays(start, days, zone).getTime()).toBe(naive(start, days, zone).getTime());
        },
      ),
    );
  });
});
