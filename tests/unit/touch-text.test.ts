import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { parseTouchText, TOUCH_KINDS } from '../../src/services/parse/touch-text.js';

// Monday 23 Nov 2026, 10:00 in New York.
const now = new Date('2026-11-23T15:00:00Z');
const ny = { now, timeZone: 'America/New_York' };
const local = (d: Date | undefined, zone = 'America/New_York') => (d ? DateTime.fromJSDate(d, { zone }).toFormat('ccc yyyy-MM-dd HH:mm') : undefined);

describe('parseTouchText', () => {
  it('reads account, kind, people, summary and an emoji sentiment', () => {
    const r = parseTouchText('acme call with Dana: renewal on track :+1:', ny);
    expect(r).toEqual({
      kind: 'complete',
      draft: { accountName: 'acme', kind: 'call', participants: ['Dana'], participantTitles: {}, mentions: [], summary: 'renewal on track', sentiment: 'positive', sentimentExplicit: true },
    });
  });

  it('reads a date, mentions and titles, with the account implied', () => {
    const r = parseTouchText('meeting yesterday 3pm with <@U123|maria> and Dana (CFO): pricing pushback :-1:', ny);
    expect(r.kind).toBe('complete');
    if (r.kind !== 'complete') return;
    expect(r.draft.accountName).toBeUndefined();
    expect(r.draft.kind).toBe('meeting');
    expect(local(r.draft.occurredAt)).toBe('Sun 2026-11-22 15:00');
    expect(r.draft.mentions).toEqual(['U123']);
    expect(r.draft.participants).toEqual(['Dana']);
    expect(r.draft.participantTitles).toEqual({ Dana: 'CFO' });
    expect(r.draft.summary).toBe('pricing pushback');
    expect(r.draft.sentiment).toBe('negative');
  });

  it.each([
    ['Acme Corp QBR Mon with Li, Sam & Priya: expansion to EU (positive)', 'review', 'Acme Corp', ['Li', 'Sam', 'Priya'], 'positive'],
    ['globex emailed Dana 2 days ago: sent the SOC2 report', 'email', 'globex', ['Dana'], 'neutral'],
    ['initech visit with the CTO: site tour, they are frustrated with support', 'visit', 'initech', ['CTO'], 'negative'],
    ['chat with Li: quick check-in', 'chat', undefined, ['Li'], 'neutral'],
  ])('%s', (text, kind, account, people, sentiment) => {
    const r = parseTouchText(text, ny);
    expect(r.kind).toBe('complete');
    if (r.kind !== 'complete') return;
    expect(r.draft.kind).toBe(kind);
    expect(r.draft.accountName).toBe(account);
    expect(r.draft.participants).toEqual(people);
    expect(r.draft.sentiment).toBe(sentiment);
  });

  it('takes a note without a colon', () => {
    const r = parseTouchText('note procurement is being reorganised', ny);
    expect(r).toMatchObject({ kind: 'complete', draft: { kind: 'note', summary: 'procurement is being reorganised' } });
  });

  it('reads a backdated touch across a daylight-saving change', () => {
    // Monday 2 Nov 2026 10:00 New York (EST); Friday 30 Oct 16:00 was EDT.
    const r = parseTouchText('call Fri 4pm with Dana: scoping', { now: new Date('2026-11-02T15:00:00Z'), timeZone: 'America/New_York' });
    expect(r.kind).toBe('complete');
    if (r.kind === 'complete') expect(r.draft.occurredAt?.toISOString()).toBe('2026-10-30T20:00:00.000Z');
  });

  it.each([
    ['acme call tomorrow with Dana: prep', /future/],
    ['acme had a good chat', /summary/],
    ['acme renewal went well', /What kind of touch/],
    ['acme call with Dana', /summary/],
    ['acme call blorp with Dana: x', /did not understand “blorp”/],
    [`acme call: ${'x'.repeat(1001)}`, /1000 characters/],
    [`acme call with ${Array.from({ length: 21 }, (_, i) => `P${i}`).join(', ')}: many`, /At most 20/],
  ])('asks the form for %s', (text, problem) => {
    const r = parseTouchText(text, ny);
    expect(r.kind).toBe('prefill');
    if (r.kind === 'prefill') expect(r.problems.join(' ')).toMatch(problem);
  });

  it('keeps what it understood when the kind is missing', () => {
    const r = parseTouchText('acme renewal went well', ny);
    expect(r.kind === 'prefill' && r.draft.summary).toBe('acme renewal went well');
  });

  it('is empty only for blank text', () => {
    expect(parseTouchText('   ', ny)).toEqual({ kind: 'empty' });
  });

  it('does not depend on the server’s zone (Sydney user)', () => {
    const r = parseTouchText('call yesterday 9am with Dana: hi', { now, timeZone: 'Australia/Sydney' });
    if (r.kind !== 'complete') throw new Error('expected complete');
    expect(local(r.draft.occurredAt, 'Australia/Sydney')).toBe('Mon 2026-11-23 09:00');
  });
});

describe('parseTouchText properties', () => {
  const zones = fc.constantFrom('America/New_York', 'Europe/Berlin', 'Australia/Sydney', 'UTC', 'Asia/Kolkata');
  const fragment = fc.oneof(
    fc.constantFrom('acme', 'Acme Corp', 'globex', ...TOUCH_KINDS, 'called', 'met', 'QBR', 'emailed'),
    fc.constantFrom('yesterday', 'Mon', 'yesterday 3pm', 'tomorrow', 'on Nov 2', '2 days ago', 'last week', 'in 3 days'),
    fc.constantFrom('with Dana', 'with <@U123|maria> and Li (CFO)', 'with', 'and', '&', ',', '(CTO)'),
    fc.constantFrom(':', ': ', ':+1:', ':-1:', ':tada:', '(negative)', '10:30', '::', ':x'),
    fc.constantFrom('renewal on track', 'pricing pushback', 'churn risk', '😀', '\u0000', '<@W999>', 'https://x.y/z'),
    fc.string({ maxLength: 12 }),
  );
  const assembled = fc.array(fragment, { maxLength: 12 }).map((parts) => parts.join(' '));

  it('never throws; empty only for blank; complete means complete; prefill always says why', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 100 }), assembled), zones, (text, timeZone) => {
        const r = parseTouchText(text, { now, timeZone });
        if (r.kind === 'empty') {
          expect(text.trim()).toBe('');
          return;
        }
        expect(text.trim()).not.toBe('');
        if (r.kind === 'complete') {
          expect(r.draft.kind).toBeDefined();
          expect(r.draft.summary?.length).toBeGreaterThan(0);
          expect(r.draft.participants.length).toBeLessThanOrEqual(20);
          if (r.draft.occurredAt) expect(r.draft.occurredAt.getTime()).toBeLessThanOrEqual(now.getTime() + 60_000);
        } else {
          expect(r.problems.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 1500 },
    );
  });
});
