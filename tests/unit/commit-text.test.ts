import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { LIMITS, MAX_INPUT, parseCommitText, type CommitDraft, type CommitParse } from '../../src/services/parse/commit-text.js';

// These tests must pass whatever the process zone is; also run them with e.g. TZ=Pacific/Chatham.
const BERLIN = 'Europe/Berlin';
const NEW_YORK = 'America/New_York';
const KOLKATA = 'Asia/Kolkata';
const SYDNEY = 'Australia/Sydney';
const AUCKLAND = 'Pacific/Auckland';
const ZONES = [BERLIN, NEW_YORK, KOLKATA, SYDNEY, AUCKLAND];

const FRI = new Date('2026-11-27T12:00:00Z'); // Fri 27 Nov 2026: 13:00 Berlin, 07:00 New York
const wall = (iso: string, zone: string) => DateTime.fromISO(iso, { zone }).toJSDate();

function parsed(text: string, now = FRI, timeZone = BERLIN) {
  const result = parseCommitText(text, { now, timeZone });
  if (result.kind !== 'parsed') throw new Error(`expected a parse of ${JSON.stringify(text)}`);
  return result;
}
const draft = (text: string, now = FRI, timeZone = BERLIN): CommitDraft => parsed(text, now, timeZone).draft;

describe('parseCommitText: the examples', () => {
  it('Send revised pricing by Friday', () => {
    expect(parsed('Send revised pricing by Friday')).toEqual({
      kind: 'parsed',
      draft: {
        title: 'Send revised pricing',
        direction: 'ours',
        due: { at: wall('2026-11-27T18:00', BERLIN), timeZone: BERLIN, hadTime: false, text: 'Friday' },
      },
      missing: [],
      problems: [],
    });
  });

  it('acme: SOC2 answers by Dec 3 5pm @maria', () => {
    expect(parsed('acme: SOC2 answers by Dec 3 5pm <@U123|maria>')).toEqual({
      kind: 'parsed',
      draft: {
        accountName: 'acme',
        title: 'SOC2 answers',
        ownerSlackId: 'U123',
        direction: 'ours',
        due: { at: wall('2026-12-03T17:00', BERLIN), timeZone: BERLIN, hadTime: true, text: 'Dec 3 5pm' },
      },
      missing: [],
      problems: [],
    });
  });

  it('acme: customer sends the signed order form by next Tuesday', () => {
    expect(draft('acme: customer sends the signed order form by next Tuesday')).toEqual({
      accountName: 'acme',
      title: 'Customer sends the signed order form',
      direction: 'theirs',
      due: { at: wall('2026-12-01T18:00', BERLIN), timeZone: BERLIN, hadTime: false, text: 'next Tuesday' },
    });
  });

  it('acme: Acme sends logo files by Fri', () => {
    expect(draft('acme: Acme sends logo files by Fri')).toMatchObject({ accountName: 'acme', title: 'Acme sends logo files', direction: 'theirs' });
  });
});

describe('parseCommitText: owner mentions', () => {
  it.each([
    ['<@U123> send the deck by Friday', 'U123', 'Send the deck'],
    ['send the deck by Friday <@W0ABC|jo>', 'W0ABC', 'Send the deck'],
    ['acme: <@U1|ann> to review the MSA by Dec 3', 'U1', 'To review the MSA'],
    ['intro <@U2|bob> to <@U3|cy> by Mon', 'U2', 'Intro to <@U3|cy>'],
  ])('%j → owner %s, title %j', (text, owner, title) => {
    expect(draft(text)).toMatchObject({ ownerSlackId: owner, title });
  });
  it('has no owner without a mention', () => {
    expect(draft('send the deck by Friday').ownerSlackId).toBeUndefined();
  });
  it('does not read dates inside a mention’s label', () => {
    expect(draft('<@U9|may> send the deck')).toMatchObject({ ownerSlackId: 'U9', title: 'Send the deck' });
    expect(parsed('ping <@U9|monday> about it').missing).toEqual(['due']);
  });
});

describe('parseCommitText: account prefix', () => {
  it.each([
    ['acme: send pricing by Friday', 'acme'],
    ['Acme Corp: send pricing by Friday', 'Acme Corp'],
    ['Müller & Söhne GmbH: send pricing by Friday', 'Müller & Söhne GmbH'],
    ['AT&amp;T: send pricing by Friday', 'AT&T'],
    ['acme :send pricing by Friday', undefined], // no space after the colon
    ['Friday: send pricing', undefined], // a date, not a name
    ['by tomorrow: send pricing', undefined],
    ['https://example.com/deck review by Friday', undefined],
    ['<@U1|ann>: send pricing by Friday', undefined],
    ['re: pricing by Monday', undefined],
    ['meet at 10:30 about pricing', undefined],
    [`${'a'.repeat(LIMITS.accountName + 1)}: send pricing by Friday`, undefined],
    [`${'a'.repeat(LIMITS.accountName)}: send pricing by Friday`, 'a'.repeat(LIMITS.accountName)],
    ['this is a long sentence that goes on and on: send pricing', undefined],
  ])('%j → %j', (text, account) => {
    expect(draft(text).accountName).toBe(account);
  });
  it('takes the title from after the colon', () => {
    expect(draft('acme: send pricing by Friday').title).toBe('Send pricing');
    expect(draft('Friday: send pricing')).toMatchObject({ title: 'Send pricing', due: { text: 'Friday' } });
  });
  it('an account with nothing after it is missing title and due', () => {
    expect(parsed('acme:')).toMatchObject({ draft: { accountName: 'acme' }, missing: ['title', 'due'] });
  });
});

describe('parseCommitText: direction', () => {
  it.each([
    ['send the deck by Friday', 'ours'],
    ['customer sends the PO by Friday', 'theirs'],
    ['The customer signs the order form by Friday', 'theirs'],
    ['client returns the DPA by Friday', 'theirs'],
    ['the client to confirm dates by Friday', 'theirs'],
    ['they send the logo by Friday', 'theirs'],
    ['acme: Acme sends logo files by Fri', 'theirs'],
    ['acme: acme will share the SSO metadata by Fri', 'theirs'],
    ['acme: Acme to confirm headcount by Fri', 'theirs'],
    ['acme: Acme onboarding deck by Fri', 'ours'],
    ['globex: Acme sends logo files by Fri', 'ours'], // not this account's name
    ['themes review by Friday', 'ours'],
    ['logo files (theirs) by Fri', 'theirs'],
    ['logo files [theirs] by Fri', 'theirs'],
    ['logo files owed by customer, due Fri', 'theirs'],
    ['logo files owed by the client due Fri', 'theirs'],
    ['customer list cleanup (ours) by Fri', 'ours'],
  ])('%j → %s', (text, direction) => {
    expect(draft(text).direction).toBe(direction);
  });
  it('removes the markers from the title', () => {
    expect(draft('logo files (theirs) by Fri').title).toBe('Logo files');
    expect(draft('logo files [theirs] by Fri').title).toBe('Logo files');
    expect(draft('logo files owed by customer, due Fri').title).toBe('Logo files');
    expect(draft('customer list cleanup (ours) by Fri').title).toBe('Customer list cleanup');
  });
});

describe('parseCommitText: due phrases', () => {
  it.each([
    ['Send deck by Friday', 'Send deck', '2026-11-27T18:00'],
    ['Send deck due Friday', 'Send deck', '2026-11-27T18:00'],
    ['Send deck due by Friday', 'Send deck', '2026-11-27T18:00'],
    ['Send deck due: Friday', 'Send deck', '2026-11-27T18:00'],
    ['Send deck before Dec 3', 'Send deck', '2026-12-03T18:00'],
    ['Send deck on Monday', 'Send deck', '2026-11-30T18:00'],
    ['Send deck until 12/3', 'Send deck', '2026-12-03T18:00'],
    ['Send deck Friday', 'Send deck', '2026-11-27T18:00'],
    ['Send deck tomorrow.', 'Send deck.', '2026-11-28T18:00'],
    ['Send deck, by Friday', 'Send deck', '2026-11-27T18:00'],
    ['Tomorrow: send the deck', 'Send the deck', '2026-11-28T18:00'],
    ['tomorrow send the deck', 'Send the deck', '2026-11-28T18:00'],
    ['Send deck by Friday to the CFO', 'Send deck to the CFO', '2026-11-27T18:00'],
    ['Review (by Friday) draft', 'Review draft', '2026-11-27T18:00'],
    ['Send deck by eod', 'Send deck', '2026-11-27T18:00'],
    ['Send deck by end of day', 'Send deck', '2026-11-27T18:00'],
    ['Send deck in 2 weeks', 'Send deck', '2026-12-11T18:00'],
    ['Send deck by 2026-12-03', 'Send deck', '2026-12-03T18:00'],
    ['Send deck by Dec 3 at 9am', 'Send deck', '2026-12-03T09:00'],
    ['Send deck by Monday morning', 'Send deck', '2026-11-30T09:00'],
    ['Send 3 decks by Fri', 'Send 3 decks', '2026-11-27T18:00'],
    ['March numbers by Friday', 'March numbers', '2026-11-27T18:00'],
    ['Prep for Monday call, due Friday', 'Prep for Monday call', '2026-11-27T18:00'],
    ['Send notes from Monday by Wednesday', 'Send notes from Monday', '2026-12-02T18:00'],
    ['R&amp;D roadmap by Jan 5', 'R&D roadmap', '2027-01-05T18:00'],
    ['iPhone case study by Friday', 'iPhone case study', '2026-11-27T18:00'],
    ['🚀 launch plan by tomorrow 9am 🎉', '🚀 launch plan 🎉', '2026-11-28T09:00'],
  ])('%j → %j due %s', (text, title, local) => {
    expect(draft(text)).toMatchObject({ title, due: { at: wall(local, BERLIN) } });
  });

  it('ignores a date in the middle without a connecting word', () => {
    expect(parsed('Send Monday notes to the team')).toMatchObject({ draft: { title: 'Send Monday notes to the team' }, missing: ['due'] });
    expect(parsed('Send notes from last week')).toMatchObject({ missing: ['due'] });
  });

  it('keeps the phrase as typed in due.text', () => {
    expect(draft('Send deck by Dec 3 5pm').due?.text).toBe('Dec 3 5pm');
  });
});

describe('parseCommitText: zones and daylight saving', () => {
  it.each([
    [BERLIN, '2026-12-03T16:00:00.000Z'],
    [NEW_YORK, '2026-12-03T22:00:00.000Z'],
    [KOLKATA, '2026-12-03T11:30:00.000Z'],
    [SYDNEY, '2026-12-03T06:00:00.000Z'],
    [AUCKLAND, '2026-12-03T04:00:00.000Z'],
  ])('“by Dec 3 5pm” in %s is %s', (zone, iso) => {
    expect(draft('SOC2 answers by Dec 3 5pm', FRI, zone).due).toMatchObject({ timeZone: zone, hadTime: true });
    expect(draft('SOC2 answers by Dec 3 5pm', FRI, zone).due?.at.toISOString()).toBe(iso);
  });
  it('Berlin, 30 Oct: by Monday is Mon 2 Nov 18:00 CET', () => {
    expect(draft('Send deck by Monday', new Date('2026-10-30T10:00:00Z')).due?.at.toISOString()).toBe('2026-11-02T17:00:00.000Z');
  });
  it('Berlin, across the change on 25 Oct', () => {
    expect(draft('Send deck by Monday', new Date('2026-10-23T08:00:00Z')).due?.at.toISOString()).toBe('2026-10-26T17:00:00.000Z');
  });
  it('New York, Saturday 31 Oct: by Monday is Mon 2 Nov 18:00 EST', () => {
    expect(draft('Send deck by Monday', new Date('2026-10-31T16:00:00Z'), NEW_YORK).due?.at.toISOString()).toBe('2026-11-02T23:00:00.000Z');
  });
  it('Auckland, where it is already Friday while UTC is on Thursday', () => {
    expect(draft('Send deck by Friday', new Date('2026-11-26T20:00:00Z'), AUCKLAND).due?.at.toISOString()).toBe('2026-11-27T05:00:00.000Z');
  });
});

describe('parseCommitText: “by Friday” on a Friday (New York)', () => {
  it('in the morning is today 18:00', () => {
    expect(parsed('Send deck by Friday', new Date('2026-11-27T14:00:00Z'), NEW_YORK)).toMatchObject({
      draft: { due: { at: new Date('2026-11-27T23:00:00Z') } },
      problems: [],
    });
  });
  it('after 18:00 is next Friday, not a due date in the past', () => {
    expect(parsed('Send deck by Friday', new Date('2026-11-27T23:30:00Z'), NEW_YORK)).toMatchObject({
      draft: { due: { at: new Date('2026-12-04T23:00:00Z') } },
      problems: [],
    });
  });
});

describe('parseCommitText: month and year rollover', () => {
  const DEC_20 = new Date('2026-12-20T10:00:00Z');
  it.each([
    ['Send deck by Jan 5', '2027-01-05T18:00'],
    ['Send deck by 1/5', '2027-01-05T18:00'],
    ['Send deck by Dec 3', '2027-12-03T18:00'],
    ['Send deck by Dec 31', '2026-12-31T18:00'],
    ['Send deck in 2 weeks', '2027-01-03T18:00'],
  ])('%j in December → %s', (text, local) => {
    expect(draft(text, DEC_20).due?.at).toEqual(wall(local, BERLIN));
  });
});

describe('parseCommitText: what is missing and what is wrong', () => {
  it('blank text opens the modal', () => {
    for (const text of ['', '   ', '\n\t ', '\u3000']) expect(parseCommitText(text, { now: FRI, timeZone: BERLIN })).toEqual({ kind: 'empty' });
  });
  it('no date → missing due', () => {
    expect(parsed('Send revised pricing')).toEqual({ kind: 'parsed', draft: { title: 'Send revised pricing', direction: 'ours' }, missing: ['due'], problems: [] });
  });
  it('no title → missing title', () => {
    expect(parsed('by Friday')).toMatchObject({ missing: ['title'], draft: { due: { text: 'Friday' } } });
    expect(parsed('<@U1|ann> by Friday')).toMatchObject({ missing: ['title'], draft: { ownerSlackId: 'U1' } });
    expect(parsed('acme: (theirs)')).toMatchObject({ missing: ['title', 'due'], draft: { direction: 'theirs' } });
  });
  it('a due date in the past is a problem', () => {
    expect(parsed('Send deck by yesterday').problems).toEqual(['The due date (yesterday) is in the past.']);
    expect(parsed('Send deck by Nov 3 2025').problems).toEqual(['The due date (Mon 3 Nov 2025) is in the past.']);
    expect(parsed('Send deck by 2026-11-03').problems).toEqual(['The due date (Tue 3 Nov) is in the past.']);
    expect(parsed('Send deck by today 9am').problems).toEqual(['The due date (today 09:00) is in the past.']);
  });
  it('“today” after the working day is a problem, not silently tomorrow', () => {
    expect(parsed('Send deck today', new Date('2026-11-27T19:00:00Z')).problems).toEqual(['The due date (today) is in the past.']);
  });
  it('a title over the limit is a problem', () => {
    const title = `Send ${'x'.repeat(LIMITS.title)}`;
    const result = parsed(`${title} by Friday`);
    expect(result.draft.title).toBe(title);
    expect(result.problems).toEqual([`The title is ${LIMITS.title + 5} characters long; the limit is ${LIMITS.title}.`]);
    expect(parsed(`${'x'.repeat(LIMITS.title)} by Friday`).problems).toEqual([]);
  });
  it('counts characters, not UTF-16 units', () => {
    expect(parsed(`${'🎉'.repeat(LIMITS.title)} by Friday`).problems).toEqual([]);
  });
  it('reads only the first MAX_INPUT characters', () => {
    const result = parsed(`Send deck by Friday ${'word '.repeat(2000)}`);
    expect(result.problems).toContain(`That was long, so I only read the first ${MAX_INPUT} characters.`);
    expect(result.draft.due?.text).toBe('Friday');
  });
  it('does not split an emoji when cutting', () => {
    const result = parsed(`${'a'.repeat(MAX_INPUT - 1)}🎉🎉`);
    expect(result.draft.title).toBe(`A${'a'.repeat(MAX_INPUT - 2)}`);
  });
  it('an unknown zone falls back to UTC with a problem', () => {
    const result = parsed('Send deck by Dec 3 5pm', FRI, 'Mars/Olympus');
    expect(result.draft.due).toMatchObject({ at: new Date('2026-12-03T17:00:00Z'), timeZone: 'UTC' });
    expect(result.problems).toEqual(['I do not know the time zone “Mars/Olympus”, so dates were read in UTC.']);
  });
  it('never throws, even with an invalid clock', () => {
    expect(parseCommitText('Send deck by Friday', { now: new Date(Number.NaN), timeZone: BERLIN })).toMatchObject({ kind: 'parsed', missing: ['title', 'due'] });
    expect(parseCommitText(undefined as unknown as string, { now: FRI, timeZone: BERLIN })).toEqual({ kind: 'empty' });
  });
});

describe('parseCommitText: properties', () => {
  const ctx = fc.record({
    now: fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2060-01-01T00:00:00Z'), noInvalidDate: true }),
    timeZone: fc.constantFrom(...ZONES, 'UTC', 'Pacific/Chatham', 'America/St_Johns', 'Not/AZone'),
  });
  const fragment = fc.constantFrom(
    'acme', 'Acme Corp', 'customer', 'the client', 'they', 'send', 'the deck', 'SOC2', 'pricing',
    'by', 'due', 'before', 'on', 'until', 'Friday', 'next Tuesday', 'tomorrow', 'yesterday', 'eod', 'end of day',
    'Dec 3', '5pm', '12/3', '2026-12-03', 'Jan 5 2020', 'in 2 weeks', 'at 3', 'noon', 'Mon',
    '<@U123|maria>', '<@U9>', '<#C1|general>', '<https://x.io/2026/12/03|link>', 'https://x.io/a:b',
    ':', ': ', '(theirs)', '[ours]', 'owed by customer', '🎉', '👩‍💻', '\u0000', '\n', '&amp;', '()', '2', '10:30',
  );
  const builtText = fc.array(fragment, { maxLength: 12 }).map((parts) => parts.join(' '));
  const anyText = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme', maxLength: 300 }), builtText);

  function check(text: string, c: { now: Date; timeZone: string }, result: CommitParse) {
    if (result.kind === 'empty') {
      expect(text.trim()).toBe('');
      return;
    }
    const { draft, missing, problems } = result;
    expect(missing.includes('title')).toBe(!draft.title);
    expect(missing.includes('due')).toBe(!draft.due);
    if (draft.title) expect(draft.title).toBe(draft.title.trim());
    if (draft.due) {
      expect(Number.isNaN(draft.due.at.getTime())).toBe(false);
      expect(draft.due.timeZone).toBe(c.timeZone === 'Not/AZone' ? 'UTC' : c.timeZone);
      if (problems.length === 0) expect(draft.due.at.getTime()).toBeGreaterThanOrEqual(c.now.getTime());
    }
    if (draft.accountName) expect(Array.from(draft.accountName).length).toBeLessThanOrEqual(LIMITS.accountName);
    expect(draft.ownerSlackId).toBe(/<@([A-Z0-9]+)(?:\|[^<>]*)?>/.exec(text.slice(0, MAX_INPUT))?.[1]);
  }

  it('never throws and is either complete or says what is missing', () => {
    fc.assert(
      fc.property(anyText, ctx, (text, c) => {
        check(text, c, parseCommitText(text, c));
      }),
      { numRuns: 400 },
    );
  });

  it('survives huge inputs', () => {
    fc.assert(
      fc.property(builtText, fc.integer({ min: 4001, max: 20000 }), ctx, (text, size, c) => {
        const huge = text.padEnd(size, ' by Friday 🎉');
        const result = parseCommitText(huge, c);
        check(huge, c, result);
        expect(result.kind === 'parsed' && result.problems.some((p) => p.includes(String(MAX_INPUT)))).toBe(true);
      }),
      { numRuns: 15 },
    );
  });

  it('gives the same answer for the same input', () => {
    fc.assert(
      fc.property(builtText, ctx, (text, c) => {
        expect(parseCommitText(text, c)).toEqual(parseCommitText(text, c));
      }),
      { numRuns: 50 },
    );
  });
});
