import { describe, expect, it } from 'vitest';
import { cadenceMoments, cadenceStatus } from '../../src/services/cadence.js';

const at = (s: string) => new Date(s);

describe('cadence moments', () => {
  it('is due after the interval and dark after twice the interval', () => {
    const m = cadenceMoments(at('2026-11-02T15:00:00Z'), 30, 0.2);
    expect(m.dueAt).toEqual(at('2026-12-02T15:00:00Z'));
    expect(m.darkAt).toEqual(at('2027-01-01T15:00:00Z'));
    // The last 20% of 30 days: 6 days before.
    expect(m.warnAt).toEqual(at('2026-11-26T15:00:00Z'));
  });

  it('warns at least one working day ahead, even for a short cadence', () => {
    // Weekly: 20% is 1.4 days. Due Monday 9 Nov 15:00 → one working day before is Friday 6 Nov.
    const m = cadenceMoments(at('2026-11-02T15:00:00Z'), 7, 0.2);
    expect(m.dueAt).toEqual(at('2026-11-09T15:00:00Z'));
    expect(m.warnAt).toEqual(at('2026-11-06T15:00:00Z'));
  });

  it('can be configured to warn earlier', () => {
    const m = cadenceMoments(at('2026-11-02T00:00:00Z'), 10, 0.5);
    expect(m.warnAt).toEqual(at('2026-11-07T00:00:00Z'));
  });
});

describe('cadence status', () => {
  const m = cadenceMoments(at('2026-11-02T15:00:00Z'), 30, 0.2);
  it.each([
    ['2026-11-20T00:00:00Z', 'on_track'],
    ['2026-11-26T15:00:00Z', 'due_soon'],
    ['2026-12-02T15:00:00Z', 'overdue'],
    ['2026-12-20T00:00:00Z', 'overdue'],
    ['2027-01-01T15:00:00Z', 'dark'],
  ])('at %s it is %s', (now, status) => {
    expect(cadenceStatus(m, at(now))).toBe(status);
  });
});
