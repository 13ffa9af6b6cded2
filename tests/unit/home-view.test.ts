import { describe, expect, it } from 'vitest';
import { ACTIONS } from '../../src/messages/ids.js';
import { esc } from '../../src/messages/format.js';
import { HOME_EMPTY, homeLimits, homeView, parseShowMore, readHomePages } from '../../src/messages/home.js';
import type { CommitmentFull } from '../../src/services/commitments.js';
import type { HomeAccount, HomeData } from '../../src/services/home.js';
import { rateOf } from '../../src/services/reliability.js';

const now = new Date('2026-11-23T14:00:00Z');
const DAY = 24 * 3600 * 1000;
const zone = 'Europe/Berlin';

const user = (slackUserId: string) => ({
  id: `id-${slackUserId}`, workspaceId: 'w', slackUserId, displayName: slackUserId, timeZone: zone, isAdmin: false, fetchedAt: now, createdAt: now, updatedAt: now,
});
let n = 0;
function commitment(days: number, over: Partial<CommitmentFull> = {}): CommitmentFull {
  n += 1;
  const dueAt = new Date(now.getTime() + days * DAY);
  return {
    id: `c${n}`, workspaceId: 'w', number: n, title: `Thing ${n}`, notes: null, accountId: 'a1', ownerId: 'id-U1', direction: 'ours',
    dueAt, dueTimeZone: zone, originalDueAt: dueAt, status: 'open', createdById: 'id-U1', source: 'slash_command', sourceKey: `k${n}`,
    channelId: null, messageTs: null, completedAt: null, createdAt: now, updatedAt: now,
    account: { id: 'a1', workspaceId: 'w', name: 'Acme', normalizedName: 'acme', aliases: [], ownerId: 'id-U1', tier: 'standard', cadenceDays: null, renewalDate: null, archived: false, lastTouchAt: null, cadenceWarnAt: null, cadenceDueAt: null, cadenceDarkAt: null, createdAt: now, updatedAt: now },
    owner: user('U1'),
    createdBy: user('U1'),
    ...over,
  } as CommitmentFull;
}
function account(i: number, status: HomeAccount['status'] = 'on_track'): HomeAccount {
  return { id: `a${i}`, name: `Account ${i}`, tier: 'standard', status, nextDueAt: new Date(now.getTime() + DAY), lastTouchAt: i % 2 ? new Date(now.getTime() - DAY) : null };
}

function data(over: Partial<HomeData> = {}): HomeData {
  return {
    now,
    ours: { items: [commitment(-2), commitment(3), commitment(20)], total: 3, counts: { overdue: 1, thisWeek: 1, later: 1 } },
    theirs: { items: [commitment(5, { direction: 'theirs', title: 'Signed DPA' })], total: 1, overdue: 0 },
    accounts: { items: [account(1, 'dark'), account(2, 'overdue'), account(3)], total: 3, counts: { dark: 1, overdue: 1, due_soon: 0, on_track: 1 } },
    onTime: { weeks4: rateOf(5, 4), weeks12: rateOf(12, 9) },
    ...over,
  };
}
const empty = (): HomeData => ({
  now,
  ours: { items: [], total: 0, counts: { overdue: 0, thisWeek: 0, later: 0 } },
  theirs: { items: [], total: 0, overdue: 0 },
  accounts: { items: [], total: 0, counts: { dark: 0, overdue: 0, due_soon: 0, on_track: 0 } },
  onTime: { weeks4: rateOf(0, 0), weeks12: rateOf(0, 0) },
});

const json = (v: unknown) => JSON.stringify(v);
const buttons = (blocks: any[]) => blocks.flatMap((b) => (b.type === 'actions' ? b.elements : b.accessory ? [b.accessory] : []));
const moreButtons = (blocks: any[]) => buttons(blocks).filter((e: any) => e.action_id === ACTIONS.homeShowMore).map((e: any) => e.value);
const texts = (blocks: any[]) => blocks.map((b) => b.text?.text ?? b.elements?.[0]?.text ?? '').join('\n');

describe('home view', () => {
  it('is a home view with a header, the two buttons and every section', () => {
    const v = homeView(data(), { zone }) as any;
    expect(v.type).toBe('home');
    expect(v.blocks[0].type).toBe('header');
    const [newCommitment, logTouch] = v.blocks[1].elements;
    expect(newCommitment.action_id).toBe(ACTIONS.openCommitModal);
    expect(JSON.parse(newCommitment.value)).toEqual({ prefill: { direction: 'ours' }, meta: { channelId: null, timeZone: zone } });
    expect(logTouch.action_id).toBe(ACTIONS.homeLogTouch);
    const t = texts(v.blocks);
    expect(t).toContain('*What you owe* · 3 open · 1 overdue');
    expect(t).toContain(':warning: *Overdue* (1)');
    expect(t).toContain('*Due this week* (1)');
    expect(t).toContain('*Later* (1)');
    expect(t).toContain('*What customers owe you* · 1 open');
    expect(t).toContain('Signed DPA');
    expect(t).toContain('*Your accounts* · 3 · 1 dark · 1 overdue');
    expect(t).toContain(':black_circle: dark · *Account 1*');
    expect(t).toContain('never touched');
    // Groups in order: overdue, this week, later.
    expect(t.indexOf('Overdue')).toBeLessThan(t.indexOf('Due this week'));
    expect(t.indexOf('Due this week')).toBeLessThan(t.indexOf('*Later*'));
    expect(moreButtons(v.blocks)).toEqual([]);
    // Each account row carries the existing Log touch button for that account.
    expect(buttons(v.blocks).filter((e: any) => e.action_id === ACTIONS.logTouch).map((e: any) => e.value)).toEqual(['a1', 'a2', 'a3']);
  });

  it('shows the on-time rates, or says there is none yet', () => {
    expect(texts(homeView(data(), { zone }).blocks)).toContain('On time: 4 weeks 80% (4/5) · 12 weeks 75% (9/12)');
    expect(texts(homeView(data({ onTime: { weeks4: rateOf(0, 0), weeks12: rateOf(2, 1) } }), { zone }).blocks)).toContain('On time: 4 weeks — · 12 weeks 50% (1/2)');
    expect(texts(homeView(empty(), { zone }).blocks)).toContain('nothing delivered in the last 12 weeks');
  });

  it('says what to do when a list is empty', () => {
    const t = texts(homeView(empty(), { zone }).blocks);
    for (const hint of Object.values(HOME_EMPTY)) expect(t).toContain(esc(hint).text);
    expect(moreButtons(homeView(empty(), { zone }).blocks)).toEqual([]);
  });

  it('offers Show more per list when there are more, for the next page', () => {
    const d = data({
      ours: { items: [commitment(-2), commitment(3)], total: 9, counts: { overdue: 4, thisWeek: 1, later: 4 } },
      theirs: { items: [commitment(5, { direction: 'theirs' })], total: 2, overdue: 1 },
      accounts: { items: [account(1)], total: 40, counts: { dark: 0, overdue: 0, due_soon: 0, on_track: 40 } },
    });
    const v = homeView(d, { zone, page: { commitments: 1, theirs: 2, accounts: 1 } });
    expect(moreButtons(v.blocks)).toEqual(['commitments:2', 'theirs:3', 'accounts:2']);
    const t = texts(v.blocks);
    expect(t).toContain('…and 7 more: 3 overdue, 4 due later.');
    expect(t).toContain('…and 39 more');
    expect(JSON.parse(v.private_metadata!)).toEqual({ commitments: 1, theirs: 2, accounts: 1 });
  });

  it('never goes over 100 blocks, keeps every section, and says items were left out', () => {
    const ours = Array.from({ length: 150 }, (_, i) => commitment(i - 50));
    const theirs = Array.from({ length: 150 }, (_, i) => commitment(i, { direction: 'theirs' }));
    const accounts = Array.from({ length: 150 }, (_, i) => account(i, 'overdue'));
    const d = data({
      ours: { items: ours, total: 500, counts: { overdue: 50, thisWeek: 7, later: 443 } },
      theirs: { items: theirs, total: 150, overdue: 0 },
      accounts: { items: accounts, total: 150, counts: { dark: 0, overdue: 150, due_soon: 0, on_track: 0 } },
    });
    const v = homeView(d, { zone, page: { commitments: 5, theirs: 5, accounts: 5 } });
    expect(v.blocks.length).toBeLessThanOrEqual(100);
    expect(v.blocks.length).toBeGreaterThan(90);
    const t = texts(v.blocks);
    for (const s of ['*What you owe* · 500 open', '*What customers owe you* · 150 open', '*Your accounts* · 150']) expect(t).toContain(s);
    expect(t).toContain('the Home tab holds at most 100 blocks');
    // Fetching more would not show more: no Show more buttons.
    expect(moreButtons(v.blocks)).toEqual([]);
    for (const b of v.blocks as any[]) if (b.type === 'section') expect(b.text.text.length).toBeLessThanOrEqual(3000);
    expect(json(v).length).toBeGreaterThan(0);
  });

  it('keeps section texts within 3000 characters', () => {
    const long = commitment(1, { title: 'x'.repeat(5000) });
    const v = homeView(data({ ours: { items: [long], total: 1, counts: { overdue: 0, thisWeek: 1, later: 0 } } }), { zone });
    for (const b of v.blocks as any[]) if (b.type === 'section') expect(b.text.text.length).toBeLessThanOrEqual(3000);
  });
});

describe('home pages', () => {
  it('reads show-more values and the pages kept in the view', () => {
    expect(parseShowMore('commitments:2')).toEqual({ list: 'commitments', page: 2 });
    expect(parseShowMore('accounts:99')).toEqual({ list: 'accounts', page: 5 });
    expect(parseShowMore('nope:2')).toBeNull();
    expect(readHomePages('{"commitments":2,"theirs":1,"accounts":3}')).toEqual({ commitments: 2, theirs: 1, accounts: 3 });
    expect(readHomePages('garbage')).toEqual({ commitments: 1, theirs: 1, accounts: 1 });
    expect(readHomePages(undefined)).toEqual({ commitments: 1, theirs: 1, accounts: 1 });
    expect(homeLimits({ commitments: 2, theirs: 1, accounts: 1 })).toEqual({ commitments: 20, theirs: 10, accounts: 15 });
  });
});
