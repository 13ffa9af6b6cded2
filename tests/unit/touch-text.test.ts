import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  KIND_PROBLEM,
  MAX_INPUT,
  SUMMARY_PROBLEM,
  TOUCH_KINDS,
  TOUCH_LIMITS,
  parseTouchText,
  type TouchDraft,
  type TouchParse,
} from '../../src/services/parse/touch-text.js';

// These tests must pass whatever the process zone is; also run them with e.g. TZ=Pacific/Chatham.
const NEW_YORK = 'America/New_York';
const BERLIN = 'Europe/Berlin';
const SYDNEY = 'Australia/Sydney';
const ZONES = [NEW_YORK, BERLIN, SYDNEY];

/** A wall-clock time in a zone, as a Date. */
const wall = (iso: string, zone: string) => DateTime.fromISO(iso, { zone }).toJSDate();
// Monday 23 Nov 2026, 10:00 in each zone.
const MONDAY_10 = Object.fromEntries(ZONES.map((z) => [z, wall('2026-11-23T10:00', z)])) as Record<string, Date>;
const NOW = MONDAY_10[NEW_YORK]!;

function parse(text: string, timeZone = NEW_YORK, now = MONDAY_10[timeZone] ?? NOW): TouchParse {
  return parseTouchText(text, { now, timeZone });
}
function complete(text: string, timeZone = NEW_YORK, now?: Date): TouchDraft {
  const result = parse(text, timeZone, now);
  if (result.kind !== 'complete') throw new Error(`expected complete for ${JSON.stringify(text)}, got ${JSON.stringify(result)}`);
  return result.draft;
}
function prefill(text: string, timeZone = NEW_YORK, now?: Date): { draft: TouchDraft; problems: string[] } {
  const result = parse(text, timeZone, now);
  if (result.kind !== 'prefill') throw new Error(`expected prefill for ${JSON.stringify(text)}, got ${JSON.stringify(result)}`);
  return { draft: result.draft, problems: result.problems };
}
const draft = (fields: Partial<TouchDraft>): TouchDraft => ({
  participants: [],
  participantTitles: {},
  mentions: [],
  sentiment: 'neutral',
  sentimentExplicit: false,
  ...fields,
});

describe('parseTouchText: the examples', () => {
  it('acme call with Dana: renewal on track :+1:', () => {
    expect(parse('acme call with Dana: renewal on track :+1:')).toEqual({
      kind: 'complete',
      draft: draft({ accountName: 'acme', kind: 'call', participants: ['Dana'], summary: 'renewal on track', sentiment: 'positive', sentimentExplicit: true }),
    });
  });

  it('meeting yesterday with @maria and Dana (CFO): pricing pushback :-1:', () => {
    expect(parse('meeting yesterday with <@U123|maria> and Dana (CFO): pricing pushback :-1:')).toEqual({
      kind: 'complete',
      draft: draft({
        kind: 'meeting',
        occurredAt: wall('2026-11-22T12:00', NEW_YORK),
        hadTime: false,
        participants: ['Dana'],
        participantTitles: { Dana: 'CFO' },
        mentions: ['U123'],
        summary: 'pricing pushback',
        sentiment: 'negative',
        sentimentExplicit: true,
      }),
    });
  });

  it('keeps a given time: meeting yesterday 3pm', () => {
    expect(complete('meeting yesterday 3pm with <@U123>: x')).toMatchObject({ occurredAt: wall('2026-11-22T15:00', NEW_YORK), hadTime: true, mentions: ['U123'] });
  });

  it('Acme Corp QBR Mon with Li, Sam & Priya: expansion to EU (positive)', () => {
    // Slack sends "&" as "&amp;". Now is Wednesday 25 Nov.
    expect(complete('Acme Corp QBR Mon with Li, Sam &amp; Priya: expansion to EU (positive)', NEW_YORK, wall('2026-11-25T10:00', NEW_YORK))).toEqual(
      draft({
        accountName: 'Acme Corp',
        kind: 'review',
        occurredAt: wall('2026-11-23T12:00', NEW_YORK),
        hadTime: false,
        participants: ['Li', 'Sam', 'Priya'],
        summary: 'expansion to EU',
        sentiment: 'positive',
        sentimentExplicit: true,
      }),
    );
  });

  it('globex emailed Dana 2 days ago: sent the SOC2 report (names after a verb are participants)', () => {
    expect(complete('globex emailed Dana 2 days ago: sent the SOC2 report')).toEqual(
      draft({ accountName: 'globex', kind: 'email', occurredAt: wall('2026-11-21T12:00', NEW_YORK), hadTime: false, participants: ['Dana'], summary: 'sent the SOC2 report' }),
    );
  });

  it('note …: a leading kind word means no account; a note takes the rest as its summary', () => {
    expect(complete('note acme is reorganising procurement')).toEqual(draft({ kind: 'note', summary: 'acme is reorganising procurement' }));
    expect(complete('note: acme is reorganising procurement')).toEqual(draft({ kind: 'note', summary: 'acme is reorganising procurement' }));
    expect(complete('acme note: procurement is reorganising')).toMatchObject({ accountName: 'acme', kind: 'note', participants: [] });
    // Without a separator a note's text is prose: "with" and later dates stay in it.
    expect(complete('note Dana is happy with the rollout since Friday')).toMatchObject({ participants: [], summary: 'Dana is happy with the rollout since Friday' });
    expect(complete('note yesterday procurement froze spend')).toMatchObject({ occurredAt: wall('2026-11-22T12:00', NEW_YORK), summary: 'procurement froze spend' });
  });

  it('acme call tomorrow: … is in the future', () => {
    const { draft: d, problems } = prefill('acme call tomorrow: prep');
    expect(problems).toEqual(['When it happened is in the future (tomorrow); a touch is logged after it happens.']);
    expect(d).toMatchObject({ accountName: 'acme', kind: 'call', summary: 'prep', hadTime: false });
    expect(d.occurredAt!.getTime()).toBeGreaterThan(NOW.getTime());
  });

  it('acme had a good chat: no summary, so the modal asks for one', () => {
    expect(prefill('acme had a good chat')).toEqual({ draft: draft({ accountName: 'acme', kind: 'chat' }), problems: [SUMMARY_PROBLEM] });
  });

  it('acme renewal went well: no kind, so everything is kept as the summary', () => {
    expect(prefill('acme renewal went well')).toEqual({ draft: draft({ summary: 'acme renewal went well', sentiment: 'positive' }), problems: [KIND_PROBLEM] });
  });
});

describe('parseTouchText: kinds', () => {
  it.each([
    ['call', 'call'], ['called', 'call'], ['phone call', 'call'], ['phoned', 'call'], ['calls', 'call'], ['rang', 'call'],
    ['meeting', 'meeting'], ['met', 'meeting'], ['meet', 'meeting'], ['zoom', 'meeting'], ['demo', 'meeting'], ['sync', 'meeting'], ['lunch', 'meeting'], ['workshop', 'meeting'],
    ['email', 'email'], ['emailed', 'email'], ['mail', 'email'], ['e-mail', 'email'],
    ['review', 'review'], ['QBR', 'review'], ['EBR', 'review'],
    ['visit', 'visit'], ['visited', 'visit'], ['onsite', 'visit'], ['on-site', 'visit'], ['on-site visit', 'visit'],
    ['chat', 'chat'], ['slack', 'chat'], ['message', 'chat'], ['DM', 'chat'], ['dm’d', 'chat'], ['chatted', 'chat'],
    ['note', 'note'], ['Call', 'call'], ['MEETING', 'meeting'],
  ])('"acme %s with Dana: x" is a %s', (word, kind) => {
    expect(complete(`acme ${word} with Dana: x`)).toMatchObject({ accountName: 'acme', kind, participants: ['Dana'], summary: 'x' });
  });

  it('reads a pair of kind words as one ("QBR call" is a review)', () => {
    expect(complete('acme QBR call: x')).toMatchObject({ accountName: 'acme', kind: 'review' });
  });

  it('skips a kind word inside the account name', () => {
    expect(complete('Zoom Video call with Dana: x')).toMatchObject({ accountName: 'Zoom Video', kind: 'call' });
    expect(complete('Royal Mail meeting with Li: x')).toMatchObject({ accountName: 'Royal Mail', kind: 'meeting' });
  });

  it('does not take kind words inside other words', () => {
    expect(prefill('recall of the callback').problems).toEqual([KIND_PROBLEM]);
    expect(prefill('Acme renewal is in review').draft.kind).toBeUndefined(); // "is … in" reads as a sentence
  });

  it.each([
    ['acme quick call with Dana: x', 'acme'],
    ['acme had a great call with Dana: x', 'acme'],
    ["acme's QBR with Dana: x", 'acme'],
    ['The Home Depot meeting with Li: x', 'The Home Depot'],
    ['Johnson &amp; Johnson call with Li: x', 'Johnson & Johnson'],
    ['Sun Microsystems call with Dana: x', 'Sun Microsystems'],
    ['Monday.com call with Dana: x', 'Monday.com'],
    ['we had a quick call with Dana: x', undefined],
    ['<@U1> call: x', undefined],
  ])('account of %s is %s', (text, account) => {
    expect(complete(text).accountName).toBe(account);
  });

  it('reads "acme: call …" as an account before the touch', () => {
    expect(complete('acme: call with Dana: renewal')).toMatchObject({ accountName: 'acme', kind: 'call', participants: ['Dana'], summary: 'renewal' });
    expect(prefill('acme: renewal went well').problems).toEqual([KIND_PROBLEM]);
    expect(prefill('acme: renewal went well').draft.summary).toBe('acme: renewal went well');
  });
});

describe('parseTouchText: people', () => {
  it.each([
    ['with Dana, Li; Sam + Priya / Bo and Al', ['Dana', 'Li', 'Sam', 'Priya', 'Bo', 'Al'], {}],
    ['with Dana (VP, Sales &amp; Ops) and Li', ['Dana', 'Li'], { Dana: 'VP, Sales & Ops' }],
    ['w/ Dana (VP: Sales)', ['Dana'], { Dana: 'VP: Sales' }],
    ['with the CTO', ['CTO'], {}],
    ['with Dana and dana', ['Dana'], {}],
    ['with Dana María Pérez-López', ['Dana María Pérez-López'], {}],
    ['with Anders and Sandra', ['Anders', 'Sandra'], {}],
  ])('call %s', (people, names, titles) => {
    expect(complete(`acme call ${people}: x`)).toMatchObject({ participants: names, participantTitles: titles });
  });

  it('collects mentions apart from names, with a mentioned user’s title keyed by id', () => {
    expect(complete('acme call with <@U1|ann> (CFO), <@W2> &amp; Li and <@U1>: x')).toMatchObject({
      participants: ['Li'],
      participantTitles: { U1: 'CFO' },
      mentions: ['U1', 'W2'],
    });
  });

  it('leaves mentions in the summary alone', () => {
    expect(complete('acme call with Dana: handed over to <@U9|sam>')).toMatchObject({ mentions: [], summary: 'handed over to <@U9|sam>' });
  });

  it('takes names after a verb up to the first word that is not part of one', () => {
    expect(complete('acme called Dana and Li: x').participants).toEqual(['Dana', 'Li']);
    expect(complete('acme emailed Dana the contract')).toMatchObject({ participants: ['Dana'], summary: 'the contract' });
    expect(complete('acme met Dana for lunch')).toMatchObject({ participants: ['Dana'], summary: 'for lunch' });
    expect(prefill('acme emailed the SOC2 report: x').problems).toEqual(['I did not understand “the SOC2 report”; the summary goes after a colon.']);
  });

  it('reads "email to" and "call from" as who', () => {
    expect(complete('acme email to Dana: sent deck').participants).toEqual(['Dana']);
    expect(complete('acme call from Dana: asked about SSO').participants).toEqual(['Dana']);
    expect(prefill('acme call to discuss pricing: x').problems[0]).toMatch(/did not understand “to discuss pricing”/);
  });

  it('asks who when "with" has no names', () => {
    expect(prefill('acme call with: x').problems).toEqual(['Who was it with? Add names or @mentions after “with”.']);
  });

  it('needs no participants', () => {
    expect(complete('acme call: x').participants).toEqual([]);
  });
});

describe('parseTouchText: summary and separators', () => {
  it('takes the text after the first real colon', () => {
    expect(complete('acme call at 9:30 with Dana: agenda: pricing, SSO').summary).toBe('agenda: pricing, SSO');
    expect(complete('acme call :coffee: with Dana: x').summary).toBe('x');
    expect(complete('acme call with Dana: see https://docs.example.com/a:b').summary).toBe('see https://docs.example.com/a:b');
  });

  it('keeps lines and decodes Slack’s escapes', () => {
    expect(complete('acme call: Q&amp;A went fine\n- SSO &lt;soon&gt;\n- pricing').summary).toBe('Q&A went fine\n- SSO <soon>\n- pricing');
  });

  it('moves a link in the head into the summary', () => {
    expect(complete('acme call with Dana <https://zoom.us/j/1|zoom>: notes')).toMatchObject({ participants: ['Dana'], summary: 'notes <https://zoom.us/j/1|zoom>' });
    expect(complete('acme call with Dana https://zoom.us/j/1: notes')).toMatchObject({ participants: ['Dana'], summary: 'notes https://zoom.us/j/1' });
  });

  it('without a colon, uses " - " or "about" as the separator', () => {
    expect(complete('we had a quick call with Dana - went great')).toMatchObject({ kind: 'call', participants: ['Dana'], summary: 'went great', sentiment: 'positive' });
    expect(complete('acme call with Dana about pricing')).toMatchObject({ participants: ['Dana'], summary: 'about pricing' });
    expect(complete('acme called Dana yesterday about renewal')).toMatchObject({ participants: ['Dana'], summary: 'about renewal', occurredAt: wall('2026-11-22T12:00', NEW_YORK) });
  });

  it('without any separator, the words after the kind and date are the summary', () => {
    expect(complete('acme call yesterday renewal on track')).toMatchObject({ occurredAt: wall('2026-11-22T12:00', NEW_YORK), summary: 'renewal on track' });
    expect(complete('acme call renewal on track Friday')).toMatchObject({ occurredAt: wall('2026-11-20T12:00', NEW_YORK), summary: 'renewal on track' });
    expect(complete('acme call renewal moved to Friday')).toMatchObject({ occurredAt: wall('2026-11-20T12:00', NEW_YORK), summary: 'renewal moved to' });
    expect(complete('acme call, they renew since Monday is fine')).toMatchObject({ summary: 'they renew since Monday is fine' });
  });

  it('without a separator, a "with" list runs to the end, so it asks for a summary', () => {
    expect(prefill('acme call with Dana yesterday')).toEqual({
      draft: draft({ accountName: 'acme', kind: 'call', participants: ['Dana'], occurredAt: wall('2026-11-22T12:00', NEW_YORK), hadTime: false }),
      problems: [SUMMARY_PROBLEM],
    });
    expect(prefill('acme called Dana').draft.participants).toEqual(['Dana']);
  });

  it('names what it did not understand', () => {
    const { draft: d, problems } = prefill('acme call blorp with Dana: x');
    expect(problems).toEqual(['I did not understand “blorp”; the summary goes after a colon.']);
    expect(d).toMatchObject({ accountName: 'acme', kind: 'call', participants: ['Dana'], summary: 'x' });
  });

  it('asks for the kind and the summary of emoji alone', () => {
    expect(prefill(':+1:')).toEqual({ draft: draft({ sentiment: 'positive', sentimentExplicit: true }), problems: [KIND_PROBLEM] });
    expect(prefill('acme call: :tada:').problems).toEqual([SUMMARY_PROBLEM]);
    expect(prefill('call').problems).toEqual([SUMMARY_PROBLEM]);
  });
});

describe('parseTouchText: sentiment', () => {
  it.each([
    ['renewal on track :+1:', 'positive', true, 'renewal on track'],
    ['renewal on track :thumbsup::skin-tone-3:', 'positive', true, 'renewal on track'],
    ['signed! :tada: :rocket:', 'positive', true, 'signed!'],
    ['all good 👍🏽', 'positive', true, 'all good'],
    ['pricing :warning:', 'negative', true, 'pricing'],
    ['the outage :fire: :x:', 'negative', true, 'the outage'],
    ['mixed :+1: :-1:', 'neutral', false, 'mixed'],
    ['mixed :+1: :-1: but happy', 'positive', false, 'mixed but happy'],
    ['great news :-1: (neutral)', 'neutral', true, 'great news'],
    ['happy [negative]', 'negative', true, 'happy'],
    ['they are happy and excited', 'positive', false, 'they are happy and excited'],
    ['we love it', 'positive', false, 'we love it'],
    ['renewal on track but pushback on price', 'negative', false, 'renewal on track but pushback on price'],
    ['churn risk flagged', 'negative', false, 'churn risk flagged'],
    ['they complained about SSO', 'negative', false, 'they complained about SSO'],
    ['concerned about the cancellation', 'negative', false, 'concerned about the cancellation'],
    ['it was not great', 'negative', false, 'it was not great'],
    ["they weren't happy", 'negative', false, "they weren't happy"],
    ['no concerns, not risky', 'neutral', false, 'no concerns, not risky'],
    ['it went great', 'positive', false, 'it went great'],
    ['we want great pricing', 'positive', false, 'we want great pricing'],
    ['unhappy about the de-risked plan', 'negative', false, 'unhappy about the de-risked plan'],
    ['positively surprised', 'neutral', false, 'positively surprised'],
    ['sent the deck', 'neutral', false, 'sent the deck'],
  ])('%s → %s', (summary, sentiment, explicit, cleaned) => {
    expect(complete(`acme call: ${summary}`)).toMatchObject({ sentiment, sentimentExplicit: explicit, summary: cleaned });
  });

  it('reads markers and emoji anywhere, but words only in the summary', () => {
    expect(complete('acme call (negative) with Dana: x')).toMatchObject({ sentiment: 'negative', sentimentExplicit: true, participants: ['Dana'] });
    expect(complete('acme had a great call: sent the deck')).toMatchObject({ sentiment: 'neutral', sentimentExplicit: false });
  });
});

describe('parseTouchText: when', () => {
  it.each(ZONES)('reads dates in the user’s zone (%s)', (zone) => {
    const at = (text: string) => complete(`acme call ${text}: x`, zone).occurredAt;
    expect(at('yesterday 3pm')).toEqual(wall('2026-11-22T15:00', zone));
    expect(at('yesterday')).toEqual(wall('2026-11-22T12:00', zone));
    expect(at('on Nov 2')).toEqual(wall('2026-11-02T12:00', zone));
    expect(at('last Friday at 4:30pm')).toEqual(wall('2026-11-20T16:30', zone));
    expect(at('this morning')).toEqual(wall('2026-11-23T09:00', zone));
    expect(at('today 8am')).toEqual(wall('2026-11-23T08:00', zone));
    expect(at('today')).toEqual(MONDAY_10[zone]);
    expect(at('earlier today')).toEqual(MONDAY_10[zone]);
    expect(at('2 hours ago')).toEqual(wall('2026-11-23T08:00', zone));
    expect(at('9am')).toEqual(wall('2026-11-23T09:00', zone));
    expect(at('11pm')).toEqual(wall('2026-11-22T23:00', zone)); // nearer than tonight's
    expect(complete(`yesterday acme call with Dana: x`, zone).occurredAt).toEqual(wall('2026-11-22T12:00', zone));
    expect(complete(`acme Friday call with Dana: x`, zone).occurredAt).toEqual(wall('2026-11-20T12:00', zone));
    expect(complete(`acme call with Dana on Friday: x`, zone)).toMatchObject({ occurredAt: wall('2026-11-20T12:00', zone), participants: ['Dana'] });
  });

  it.each([
    ['tomorrow', 'tomorrow'],
    ['tomorrow 3pm', 'tomorrow 15:00'],
    ['tonight', 'today 22:00'],
    ['4pm', 'today 16:00'],
    ['at 10:30', 'today 10:30'],
    ['this afternoon', 'today 15:00'],
    ['in 2 days', 'Wed'],
    ['in 2 hours', 'today 12:00'],
    ['next week', 'Mon 30 Nov'],
    ['Nov 30', 'Mon 30 Nov'],
  ])('refuses a future "%s"', (when, shown) => {
    for (const zone of ZONES) {
      const { problems, draft: d } = prefill(`acme call ${when}: prep`, zone);
      expect(problems).toEqual([`When it happened is in the future (${shown}); a touch is logged after it happens.`]);
      expect(d.occurredAt!.getTime()).toBeGreaterThan(MONDAY_10[zone]!.getTime());
    }
  });

  it('reads a bare time as the nearer of today’s and yesterday’s', () => {
    const justAfterMidnight = wall('2026-11-23T00:30', BERLIN);
    expect(complete('acme call 11pm: x', BERLIN, justAfterMidnight).occurredAt).toEqual(wall('2026-11-22T23:00', BERLIN));
    expect(prefill('acme call 1am: x', BERLIN, justAfterMidnight).problems[0]).toMatch(/future \(today 01:00\)/);
    expect(complete('acme call 0:15: x', BERLIN, justAfterMidnight).occurredAt).toEqual(wall('2026-11-23T00:15', BERLIN));
  });

  it.each([
    // Monday 2 Nov 2026 in New York is EST; Friday 30 Oct was EDT.
    [NEW_YORK, '2026-11-02T10:00', '2026-10-30T20:00:00.000Z'],
    // Europe left summer time on 25 Oct 2026.
    [BERLIN, '2026-10-26T10:00', '2026-10-23T14:00:00.000Z'],
    // Sydney began summer time on 4 Oct 2026.
    [SYDNEY, '2026-10-05T10:00', '2026-10-02T06:00:00.000Z'],
  ])('backdates across a daylight-saving change (%s)', (zone, now, expected) => {
    const d = complete('call Fri 4pm with Dana: scoping', zone, wall(now, zone));
    expect(d.occurredAt?.toISOString()).toBe(expected);
    expect(d.hadTime).toBe(true);
  });

  it('does not read dates inside names or the summary', () => {
    expect(complete('acme call with May and June: x')).not.toHaveProperty('occurredAt');
    expect(complete('acme call: they renew on Dec 1')).not.toHaveProperty('occurredAt');
    expect(complete('Sun Microsystems call: x')).not.toHaveProperty('occurredAt');
  });
});

describe('parseTouchText: limits and odd input', () => {
  it('is empty only for blank text', () => {
    for (const blank of ['', '   ', '\n\t ', '\u00a0']) expect(parse(blank)).toEqual({ kind: 'empty' });
  });

  it('checks the summary length', () => {
    expect(complete(`acme call: ${'x'.repeat(TOUCH_LIMITS.summary)}`).summary).toHaveLength(TOUCH_LIMITS.summary);
    expect(prefill(`acme call: ${'x'.repeat(TOUCH_LIMITS.summary + 1)}`).problems).toEqual(['The summary is 1001 characters long; the limit is 1000.']);
  });

  it('checks the number of people and the length of names and the account', () => {
    const names = (n: number) => Array.from({ length: n }, (_, i) => `P${i}`).join(', ');
    expect(complete(`acme call with ${names(20)}: x`).participants).toHaveLength(20);
    expect(prefill(`acme call with ${names(21)}: x`).problems).toEqual(['That is 21 people; the limit is 20.']);
    expect(prefill(`acme call with ${names(19)}, <@U1>, <@U2>: x`).problems).toEqual(['That is 21 people; the limit is 20.']);
    expect(prefill(`acme call with ${'D'.repeat(81)}: x`).problems[0]).toMatch(/too long for a name; the limit is 80/);
    expect(prefill(`${'A'.repeat(81)} call: x`).problems).toEqual(['The account name is too long; the limit is 80 characters.']);
  });

  it('reads only the first 4000 characters of long input', () => {
    const text = `acme call: ${'word '.repeat(900)}`.padEnd(MAX_INPUT, 'x') + ' (negative)';
    const { problems, draft: d } = prefill(text);
    expect(problems).toContain(`That was long, so I only read the first ${MAX_INPUT} characters.`);
    expect(d.sentiment).toBe('neutral');
    // Never splits a surrogate pair.
    const emoji = prefill(`acme call: ${'😀'.repeat(3000)}`).draft.summary!;
    expect(emoji).not.toMatch(/[\uD800-\uDBFF]$/);
    expect(parse(`${' '.repeat(MAX_INPUT)}acme call: x`)).toEqual({ kind: 'prefill', draft: draft({}), problems: expect.arrayContaining([KIND_PROBLEM]) });
  });

  it('falls back to UTC for an unknown zone', () => {
    const { problems, draft: d } = prefill('acme call yesterday 3pm: x', 'Mars/Olympus', NOW);
    expect(problems).toEqual(['I do not know the time zone “Mars/Olympus”, so dates were read in UTC.']);
    expect(d.occurredAt).toEqual(new Date('2026-11-22T15:00:00Z'));
  });

  it('never throws, even for an invalid now or non-string input', () => {
    expect(parseTouchText('acme call yesterday: x', { now: new Date(Number.NaN), timeZone: NEW_YORK }).kind).toBe('prefill');
    expect(parseTouchText(undefined as unknown as string, { now: NOW, timeZone: NEW_YORK })).toEqual({ kind: 'empty' });
    expect(parse('\uE000\uE001 call with \uE000: x').kind).not.toBe('empty');
    expect(parse('call with ((((: x').kind).toBeDefined();
  });
});

describe('parseTouchText: properties', () => {
  const ctx = fc.record({
    now: fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2060-01-01T00:00:00Z'), noInvalidDate: true }),
    timeZone: fc.constantFrom(...ZONES, 'UTC', 'Asia/Kolkata', 'Pacific/Chatham', 'America/St_Johns', 'Not/AZone'),
  });
  const fragment = fc.oneof(
    fc.constantFrom('acme', 'Acme Corp', 'globex', "acme's", 'Zoom Video', 'Johnson &amp; Johnson', 'we had a quick', 'Monday.com', 'Sun Microsystems'),
    fc.constantFrom(...TOUCH_KINDS, 'called', 'met', 'QBR', 'emailed', 'phone call', 'on-site', 'DM', 'slack', 'Zoom'),
    fc.constantFrom('yesterday', 'Mon', 'Fri 4pm', 'yesterday 3pm', 'tomorrow', 'on Nov 2', '2 days ago', 'this morning', 'tonight', 'in 3 days', '11pm', '10:30', 'today', 'next week', 'Dec 25'),
    fc.constantFrom('with Dana', 'with <@U123|maria> and Li (CFO)', 'with', 'w/ Sam & Priya', 'and', '&amp;', ',', '(CTO)', '(VP: Sales)', 'to', 'from Li', 'the', '<@W9>'),
    fc.constantFrom(':', ': ', ':+1:', ':-1:', ':tada:', ':thumbsup::skin-tone-2:', '👍', '(negative)', '(positive)', '[neutral]', '::', ':x', ' - ', 'about'),
    fc.constantFrom('renewal on track', 'pricing pushback', 'churn risk', 'not happy', 'no concerns', '<https://zoom.us/j/1|zoom>', 'https://x.y/z:1', '\n', '&lt;b&gt;'),
    fc.string({ maxLength: 8 }),
  );
  const builtText = fc.array(fragment, { maxLength: 14 }).map((parts) => parts.join(' '));
  const anyText = fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 200 }), fc.string({ unit: 'grapheme', maxLength: 200 }), builtText);

  const FALLBACK = 'I could not read that; please check the form.';

  function check(text: string, c: { now: Date; timeZone: string }): void {
    const result = parseTouchText(text, c);
    if (result.kind === 'empty') {
      expect(text.trim()).toBe('');
      return;
    }
    expect(text.trim()).not.toBe('');
    const d = result.draft;
    if (d.kind) expect(TOUCH_KINDS).toContain(d.kind);
    expect(['positive', 'neutral', 'negative']).toContain(d.sentiment);
    if (d.summary !== undefined) expect(d.summary).toBe(d.summary.trim());
    if (d.occurredAt) expect(Number.isNaN(d.occurredAt.getTime())).toBe(false);
    for (const id of d.mentions) expect(text).toContain(`<@${id}`);
    if (!/[\uE000-\uF8FF]/.test(text)) {
      for (const s of [d.accountName ?? '', ...d.participants, ...Object.keys(d.participantTitles)]) expect(s).not.toMatch(/[\uE000-\uF8FF]/);
    }
    if (result.kind === 'complete') {
      expect(d.kind).toBeDefined();
      expect(d.summary?.length).toBeGreaterThan(0);
      expect(Array.from(d.summary ?? '').length).toBeLessThanOrEqual(TOUCH_LIMITS.summary);
      expect(d.participants.length).toBeLessThanOrEqual(TOUCH_LIMITS.participants);
      if (d.occurredAt) expect(d.occurredAt.getTime()).toBeLessThanOrEqual(c.now.getTime());
    } else {
      expect(result.problems.length).toBeGreaterThan(0);
      for (const p of result.problems) expect(p.length).toBeGreaterThan(0);
      expect(result.problems).not.toContain(FALLBACK); // the safety net is never needed
    }
  }

  it('never throws; empty only for blank; complete means complete; prefill says why', () => {
    fc.assert(fc.property(anyText, ctx, (text, c) => check(text, c)), { numRuns: 1000 });
  });

  it('holds for realistic fragments in the test zones', () => {
    fc.assert(fc.property(builtText, fc.constantFrom(...ZONES), (text, timeZone) => check(text, { now: NOW, timeZone })), { numRuns: 1000 });
  });

  it('holds for long input', () => {
    fc.assert(
      fc.property(builtText, fc.integer({ min: MAX_INPUT + 1, max: 12_000 }), ctx, (text, size, c) => {
        const long = (text + ' ').repeat(Math.ceil(size / (text.length + 1))).slice(0, size);
        check(long, c);
        const result = parseTouchText(long, c);
        if (long.trim()) expect(result.kind === 'prefill' && result.problems.some((p) => p.includes(String(MAX_INPUT)))).toBe(true);
      }),
      { numRuns: 15 },
    );
  });

  it('does not depend on the order of the zone-free parts: account, kind, people and summary survive', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('acme', 'Acme Corp', 'Globex Industries', 'Initech'),
        fc.constantFrom('call', 'meeting', 'QBR', 'visit', 'chat'),
        fc.uniqueArray(fc.constantFrom('Dana', 'Li', 'Sam', 'Priya', 'Bo', 'Ann-Marie', 'José'), { minLength: 1, maxLength: 5 }),
        fc.constantFrom('renewal on track', 'sent the deck', 'SSO questions', 'pricing: next steps'),
        (account, kind, names, summary) => {
          const d = complete(`${account} ${kind} with ${names.join(', ')}: ${summary}`);
          expect(d).toMatchObject({ accountName: account, participants: names, summary });
        },
      ),
      { numRuns: 200 },
    );
  });
});
