// The prefill of "Track as commitment" and "Log as touch": the quick-add parsers over a message someone acted on.
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { commitmentFromMessage, touchFromMessage, type MessageContext } from '../../src/services/parse/message-text.js';

const NY = 'America/New_York';
const BERLIN = 'Europe/Berlin';
// Written Monday 23 Nov 2026, 09:00 in New York; tracked the next day.
const WRITTEN = new Date('2026-11-23T14:00:00Z');
const NOW = new Date('2026-11-24T14:00:00Z');
const wall = (iso: string, zone = NY) => DateTime.fromISO(iso, { zone }).toJSDate();

const base: Omit<MessageContext, 'text'> = {
  authorSlackId: 'UAUTHOR',
  clickerSlackId: 'UCLICKER',
  writtenAt: WRITTEN,
  now: NOW,
  timeZone: NY,
  customerNames: ['Acme', 'Acme Corp', 'Dana Smith'],
  names: { UMARIA: 'maria' },
};
const read = (text: string, over: Partial<MessageContext> = {}) => commitmentFromMessage({ ...base, ...over, text });

type Case = [text: string, expected: { title?: string; owner: string; direction: 'ours' | 'theirs'; due?: string | null; problems?: number }];

// Ours, first person: the author owes it.
const OURS: Case[] = [
  ["I'll send the revised pricing by Friday", { title: 'Send the revised pricing', owner: 'UAUTHOR', direction: 'ours', due: '2026-11-27T18:00' }],
  ['Thanks all! I’ll send the revised pricing by Friday.', { title: 'Send the revised pricing', owner: 'UAUTHOR', direction: 'ours', due: '2026-11-27T18:00' }],
  ['I’ll share the SOC2 report tomorrow', { title: 'Share the SOC2 report', owner: 'UAUTHOR', direction: 'ours', due: '2026-11-24T18:00' }],
  ['I will get you the security questionnaire by Dec 3 5pm', { title: 'Get you the security questionnaire', owner: 'UAUTHOR', direction: 'ours', due: '2026-12-03T17:00' }],
  ['Let me check with legal and come back by Thursday', { title: 'Check with legal and come back', owner: 'UAUTHOR', direction: 'ours', due: '2026-11-26T18:00' }],
  ["We'll ship the SSO fix next week", { title: 'Ship the SSO fix', owner: 'UAUTHOR', direction: 'ours', due: '2026-11-30T18:00' }],
  ['ok — I’m going to draft the migration plan by Thursday 3pm', { title: 'Draft the migration plan', owner: 'UAUTHOR', direction: 'ours', due: '2026-11-26T15:00' }],
  ["Great call today. I'll follow up with the renewal quote by Dec 4, thanks", { title: 'Follow up with the renewal quote', owner: 'UAUTHOR', direction: 'ours', due: '2026-12-04T18:00' }],
  ["I'll send it to <@UMARIA> tomorrow", { title: 'Send it to @maria', owner: 'UAUTHOR', direction: 'ours', due: '2026-11-24T18:00' }],
  ["acme: I'll send the roadmap by Friday", { title: 'Send the roadmap', owner: 'UAUTHOR', direction: 'ours', due: '2026-11-27T18:00' }],
  ['Sounds good, we will schedule the workshop by Dec 9', { title: 'Schedule the workshop', owner: 'UAUTHOR', direction: 'ours', due: '2026-12-09T18:00' }],
  ["<!here> I'll send the <https://docs.example.com/deck|renewal deck> to <#C0ACME|acme> by Friday", { title: 'Send the renewal deck to #acme', owner: 'UAUTHOR', direction: 'ours', due: '2026-11-27T18:00' }],
  ['I can send the invoice copy on Wednesday', { title: 'Send the invoice copy', owner: 'UAUTHOR', direction: 'ours', due: '2026-11-25T18:00' }],
  // Without a date: the form asks for one.
  ["I'll send the revised pricing", { title: 'Send the revised pricing', owner: 'UAUTHOR', direction: 'ours', due: null, problems: 1 }],
  ['Sounds good, we will schedule the workshop', { title: 'Schedule the workshop', owner: 'UAUTHOR', direction: 'ours', due: null, problems: 1 }],
];

// Ours, a colleague named: the mentioned person owes it.
const MENTIONED: Case[] = [
  ['<@UMARIA> will send the deck by Friday', { title: 'Send the deck', owner: 'UMARIA', direction: 'ours', due: '2026-11-27T18:00' }],
  ['<@UMARIA> can you send the deck to Dana by Wednesday?', { title: 'Send the deck to Dana', owner: 'UMARIA', direction: 'ours', due: '2026-11-25T18:00' }],
  ['<@UMARIA|maria>, please prepare the QBR slides by Dec 7', { title: 'Prepare the QBR slides', owner: 'UMARIA', direction: 'ours', due: '2026-12-07T18:00' }],
  ['Quick one: <@UMARIA> could you book the onsite for Dec 14?', { title: 'Book the onsite', owner: 'UMARIA', direction: 'ours', due: '2026-12-14T18:00' }],
  ['Send the onboarding plan by Dec 2 <@UMARIA>', { title: 'Send the onboarding plan', owner: 'UMARIA', direction: 'ours', due: '2026-12-02T18:00' }],
  ['<@UMARIA> will look into the SSO bug', { title: 'Look into the SSO bug', owner: 'UMARIA', direction: 'ours', due: null, problems: 1 }],
];

// Theirs: the customer owes it; whoever tracks it follows up.
const THEIRS: Case[] = [
  ["they'll get us the signed DPA next week", { title: 'Get us the signed DPA', owner: 'UCLICKER', direction: 'theirs', due: '2026-11-30T18:00' }],
  ['The customer will send the signed order form by next Tuesday', { title: 'Send the signed order form', owner: 'UCLICKER', direction: 'theirs', due: '2026-12-01T18:00' }],
  ['Acme will send us the PO by Dec 10', { title: 'Send us the PO', owner: 'UCLICKER', direction: 'theirs', due: '2026-12-10T18:00' }],
  ['Dana Smith will confirm the headcount by Friday', { title: 'Confirm the headcount', owner: 'UCLICKER', direction: 'theirs', due: '2026-11-27T18:00' }],
  ['they promised to share usage data by Friday', { title: 'Share usage data', owner: 'UCLICKER', direction: 'theirs', due: '2026-11-27T18:00' }],
  ['Customer needs to sign the amendment by Dec 15', { title: 'Sign the amendment', owner: 'UCLICKER', direction: 'theirs', due: '2026-12-15T18:00' }],
  ["The client said they'd send the logo files tomorrow", { title: 'Send the logo files', owner: 'UCLICKER', direction: 'theirs', due: '2026-11-24T18:00' }],
  ['Good news: the customer is going to sign off the SOW on Dec 8.', { title: 'Sign off the SOW', owner: 'UCLICKER', direction: 'theirs', due: '2026-12-08T18:00' }],
  ["They're going to send the security contacts", { title: 'Send the security contacts', owner: 'UCLICKER', direction: 'theirs', due: null, problems: 1 }],
  ['the customer will review the contract', { title: 'Review the contract', owner: 'UCLICKER', direction: 'theirs', due: null, problems: 1 }],
  // Quick add's own "customer sends…" reading, with nobody speaking.
  ['customer sends the signed order form by Dec 11', { title: 'Customer sends the signed order form', owner: 'UCLICKER', direction: 'theirs', due: '2026-12-11T18:00' }],
];

// Nobody speaks: the author owes it, as /commit would read it.
const PLAIN: Case[] = [
  ['Send the onboarding plan by Dec 1', { title: 'Send the onboarding plan', owner: 'UAUTHOR', direction: 'ours', due: '2026-12-01T18:00' }],
  ['Renewal quote due Dec 18', { title: 'Renewal quote', owner: 'UAUTHOR', direction: 'ours', due: '2026-12-18T18:00' }],
  // A date already past when tracked: kept, and the form says so.
  ['Send the onboarding plan by Monday', { title: 'Send the onboarding plan', owner: 'UAUTHOR', direction: 'ours', due: '2026-11-23T18:00', problems: 1 }],
];

describe('commitmentFromMessage', () => {
  it.each([...OURS, ...MENTIONED, ...THEIRS, ...PLAIN])('%s', (text, want) => {
    const got = read(text);
    expect(got.title).toBe(want.title);
    expect(got.ownerSlackId).toBe(want.owner);
    expect(got.direction).toBe(want.direction);
    if (want.due === null) expect(got.due).toBeUndefined();
    else if (want.due) expect(got.due?.at.toISOString()).toBe(wall(want.due).toISOString());
    expect(got.problems).toHaveLength(want.problems ?? 0);
  });

  it('has at least 30 phrasings, ours and theirs, with and without dates and mentions', () => {
    const all = [...OURS, ...MENTIONED, ...THEIRS, ...PLAIN];
    expect(all.length).toBeGreaterThanOrEqual(30);
    expect(all.filter(([, w]) => w.direction === 'theirs').length).toBeGreaterThanOrEqual(8);
    expect(all.filter(([, w]) => w.due === null).length).toBeGreaterThanOrEqual(4);
    expect(all.filter(([t]) => t.includes('<@')).length).toBeGreaterThanOrEqual(5);
  });

  it('reads the date in the clicking person’s zone', () => {
    const got = read("I'll send the revised pricing by Friday", { timeZone: BERLIN });
    expect(got.due?.at.toISOString()).toBe(wall('2026-11-27T18:00', BERLIN).toISOString());
  });

  it('reads a relative date from when the message was written, not when it is tracked', () => {
    // Written Friday 20 Nov; tracked Tuesday 24 Nov: "Monday" is 23 Nov, already past.
    const got = read("I'll send the pricing on Monday", { writtenAt: new Date('2026-11-20T15:00:00Z') });
    expect(got.due?.at.toISOString()).toBe(wall('2026-11-23T18:00').toISOString());
    expect(got.problems.join(' ')).toMatch(/in the past/);
  });

  it('keeps an account named as in quick add', () => {
    expect(read("acme: I'll send the roadmap by Friday").accountName).toBe('acme');
  });

  it('falls back to the clicking person when the author is unknown (a bot or an app)', () => {
    expect(read("I'll send the pricing by Friday", { authorSlackId: null }).ownerSlackId).toBe('UCLICKER');
  });

  it('leaves an empty message to the form', () => {
    expect(read('   ')).toEqual({ ownerSlackId: 'UAUTHOR', direction: 'ours', problems: [] });
  });
});

describe('touchFromMessage', () => {
  const ctx = { writtenAt: WRITTEN, now: NOW, timeZone: NY, contacts: [{ id: 'c-dana', name: 'Dana Smith' }, { id: 'c-lee', name: 'Lee Wong' }], names: { UMARIA: 'maria' } };

  it('reads a quick-add line as /touch does', () => {
    expect(touchFromMessage({ ...ctx, text: 'Call with Dana: renewal on track :+1:' })).toMatchObject({
      kind: 'call', summary: 'renewal on track', sentiment: 'positive', contactIds: ['c-dana'], participants: [], problems: [],
    });
  });

  it('takes a pasted email as an email, whole, with the contacts it names and its mood', () => {
    const text = 'Subject: Re: pricing\nHi team,\nDana pushed back on the price increase &amp; the budget.\nBest,\nBill';
    const got = touchFromMessage({ ...ctx, text });
    expect(got).toMatchObject({ kind: 'email', sentiment: 'negative', contactIds: ['c-dana'], problems: [] });
    expect(got.summary).toContain('price increase & the budget');
  });

  it('guesses the kind from a recap’s words and keeps unknown people as names', () => {
    const got = touchFromMessage({ ...ctx, text: 'Recap of today’s meeting with Dana and Bill: they are happy with the rollout' });
    expect(got.kind).toBe('meeting');
    expect(got.contactIds).toEqual(['c-dana']);
    expect(got.participants).toEqual(['Bill']);
    expect(got.sentiment).toBe('positive');
  });

  it('dates the touch when the message was posted, and names mentioned colleagues', () => {
    const got = touchFromMessage({ ...ctx, text: '<@UMARIA> and I called Lee about the migration, worried about timelines' });
    expect(got.occurredAt).toEqual(WRITTEN);
    expect(got.kind).toBe('call');
    expect(got.mentions).toEqual(['UMARIA']);
    expect(got.contactIds).toEqual(['c-lee']);
    expect(got.summary).toContain('@maria and I called Lee');
  });

  it('asks for the kind when the words do not say', () => {
    const got = touchFromMessage({ ...ctx, text: 'They are still deciding between the two plans' });
    expect(got.kind).toBeUndefined();
    expect(got.problems).toHaveLength(1);
    expect(got.summary).toBe('They are still deciding between the two plans');
  });
});
