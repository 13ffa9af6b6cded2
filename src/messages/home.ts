// The App Home dashboard: what I owe, what customers owe me, my accounts by risk, my on-time
// rate. Pure: (data, options) → view. It never exceeds the Home tab's 100 blocks.
import type { KnownBlock, View } from '@slack/types';
import { z } from 'zod';
import type { CadenceStatus } from '../services/cadence.js';
import type { CommitmentFull } from '../services/commitments.js';
import { dueBucket, type DueBucket, type HomeAccount, type HomeData, type HomeLimits, type HomeList } from '../services/home.js';
import { formatRate } from '../services/reliability.js';
import { ACTIONS } from './ids.js';
import { commitmentLine } from './commitment.js';
import { LIMITS, type Mrkdwn, context, md, mrkdwnText, section, slackDate, slackDay } from './format.js';
import { STATUS_LABEL } from './touch.js';

/** Items per list on the first page; "Show more" asks for page 2, 3… of that list. */
export const HOME_PAGE_SIZE: HomeLimits = { commitments: 10, theirs: 10, accounts: 15 };
/** Beyond this the Home tab could not show them anyway (100 blocks); the slash commands list the rest. */
export const HOME_MAX_PAGE = 5;

export const homePages = z.object({
  commitments: z.number().int().min(1).max(HOME_MAX_PAGE).catch(1),
  theirs: z.number().int().min(1).max(HOME_MAX_PAGE).catch(1),
  accounts: z.number().int().min(1).max(HOME_MAX_PAGE).catch(1),
});
export type HomePages = z.infer<typeof homePages>;
export const FIRST_PAGES: HomePages = { commitments: 1, theirs: 1, accounts: 1 };

/** The pages a published Home was showing, from its private_metadata; anything unreadable is page 1. */
export function readHomePages(metadata: string | undefined | null): HomePages {
  try {
    const parsed = homePages.safeParse(JSON.parse(metadata || '{}'));
    return parsed.success ? parsed.data : { ...FIRST_PAGES };
  } catch {
    return { ...FIRST_PAGES };
  }
}

export function homeLimits(pages: HomePages): HomeLimits {
  return {
    commitments: HOME_PAGE_SIZE.commitments * pages.commitments,
    theirs: HOME_PAGE_SIZE.theirs * pages.theirs,
    accounts: HOME_PAGE_SIZE.accounts * pages.accounts,
  };
}

/** "commitments:2" → the list and the page wanted; null for anything else. */
export function parseShowMore(value: string | undefined): { list: HomeList; page: number } | null {
  const m = /^(commitments|theirs|accounts):(\d{1,2})$/.exec(value ?? '');
  if (!m) return null;
  return { list: m[1] as HomeList, page: Math.min(Math.max(Number(m[2]), 1), HOME_MAX_PAGE) };
}

const plain = (text: string) => ({ type: 'plain_text' as const, text });
const LISTS: HomeList[] = ['commitments', 'theirs', 'accounts'];
const BUCKETS: DueBucket[] = ['overdue', 'thisWeek', 'later'];
const BUCKET_LABEL: Record<DueBucket, string> = { overdue: ':warning: *Overdue*', thisWeek: '*Due this week*', later: '*Later*' };
const BUCKET_WORDS: Record<DueBucket, string> = { overdue: 'overdue', thisWeek: 'due this week', later: 'due later' };
const STATUS_WORDS: Record<CadenceStatus, string> = { dark: 'dark', overdue: 'overdue', due_soon: 'due soon', on_track: 'on track' };

export const HOME_EMPTY = {
  commitments: 'Nothing you owe is open. Record a promise with `/commit Acme: send the pricing by Friday`, or press *New commitment*.',
  theirs: 'No customer owes you anything right now. When one promises you something, record it with `/commit` and choose *The customer owes us*.',
  accounts: 'You own no accounts yet. Add one with `/kept account add <name>`, or ask an account’s owner (or a Kept admin) to hand it to you with `/kept account set <name> owner @you`.',
} as const;

function showMore(list: HomeList, page: number, label: string): KnownBlock {
  return {
    type: 'actions',
    block_id: `home_more_${list}`,
    elements: [{ type: 'button', action_id: ACTIONS.homeShowMore, text: plain(label), value: `${list}:${page + 1}` }],
  };
}

/** The more-button when fetching more would show more; otherwise nothing (the list is complete or the tab is full). */
function moreBlocks(list: HomeList, fetched: number, shown: number, total: number, page: number, hiddenText: string): KnownBlock[] {
  if (total <= shown) return [];
  const blocks: KnownBlock[] = [context(hiddenText)];
  if (shown === fetched && page < HOME_MAX_PAGE) blocks.push(showMore(list, page, 'Show more'));
  return blocks;
}

export function onTimeText(onTime: HomeData['onTime']): string {
  if (onTime.weeks12.delivered === 0) return 'On time: nothing delivered in the last 12 weeks, so no rate yet.';
  return `On time: 4 weeks ${formatRate(onTime.weeks4)} · 12 weeks ${formatRate(onTime.weeks12)}`;
}

function accountLine(a: HomeAccount, zone: string): Mrkdwn {
  const due = a.nextDueAt ? md`Touch due ${slackDay(a.nextDueAt, zone)}` : 'No touch due';
  const last = a.lastTouchAt ? md`last touch ${slackDate(a.lastTouchAt, zone)}` : 'never touched';
  return md`${STATUS_LABEL[a.status]} · *${a.name}*\n${due} · ${last}`;
}

function accountBlock(a: HomeAccount, zone: string): KnownBlock {
  return {
    type: 'section',
    text: mrkdwnText(accountLine(a, zone)),
    accessory: { type: 'button', action_id: ACTIONS.logTouch, text: plain('Log touch'), value: a.id },
  };
}

function oursBlocks(data: HomeData, shown: number, page: number): KnownBlock[] {
  const { items, total, counts } = data.ours;
  const extra = counts.overdue ? ` · ${counts.overdue} overdue` : '';
  const blocks: KnownBlock[] = [section(`*What you owe* · ${total} open${extra}`)];
  if (total === 0) return [...blocks, section(HOME_EMPTY.commitments)];
  const visible = items.slice(0, shown);
  const byBucket = new Map<DueBucket, CommitmentFull[]>(BUCKETS.map((b) => [b, []]));
  for (const c of visible) byBucket.get(dueBucket(c.dueAt, data.now))!.push(c);
  for (const b of BUCKETS) {
    const group = byBucket.get(b)!;
    if (!group.length) continue;
    blocks.push(context(`${BUCKET_LABEL[b]} (${counts[b]})`));
    for (const c of group) blocks.push(section(commitmentLine(c, data.now)));
  }
  const hidden = BUCKETS.map((b) => [b, counts[b] - byBucket.get(b)!.length] as const).filter(([, n]) => n > 0);
  const hiddenText = `…and ${total - visible.length} more: ${hidden.map(([b, n]) => `${n} ${BUCKET_WORDS[b]}`).join(', ')}. \`/commit list\` shows them all.`;
  return [...blocks, ...moreBlocks('commitments', items.length, visible.length, total, page, hiddenText)];
}

function theirsBlocks(data: HomeData, shown: number, page: number): KnownBlock[] {
  const { items, total, overdue } = data.theirs;
  const extra = overdue ? ` · ${overdue} overdue` : '';
  const blocks: KnownBlock[] = [section(`*What customers owe you* · ${total} open${extra}`)];
  if (total === 0) return [...blocks, section(HOME_EMPTY.theirs)];
  const visible = items.slice(0, shown);
  for (const c of visible) blocks.push(section(commitmentLine(c, data.now)));
  return [...blocks, ...moreBlocks('theirs', items.length, visible.length, total, page, `…and ${total - visible.length} more, due later.`)];
}

function accountsBlocks(data: HomeData, shown: number, page: number, zone: string): KnownBlock[] {
  const { items, total, counts } = data.accounts;
  const risky = (['dark', 'overdue', 'due_soon'] as const).filter((s) => counts[s] > 0).map((s) => ` · ${counts[s]} ${STATUS_WORDS[s]}`).join('');
  const blocks: KnownBlock[] = [section(`*Your accounts* · ${total}${risky}`)];
  if (total === 0) return [...blocks, section(HOME_EMPTY.accounts)];
  const visible = items.slice(0, shown);
  for (const a of visible) blocks.push(accountBlock(a, zone));
  return [...blocks, ...moreBlocks('accounts', items.length, visible.length, total, page, `…and ${total - visible.length} more, less urgent. \`/kept account <name>\` shows any of them.`)];
}

function render(data: HomeData, zone: string, pages: HomePages, shown: Record<HomeList, number>, trimmed: boolean): KnownBlock[] {
  const newCommitment = JSON.stringify({ prefill: { direction: 'ours' }, meta: { channelId: null, timeZone: zone } });
  const blocks: KnownBlock[] = [
    { type: 'header', text: plain('Your promises and accounts') },
    {
      type: 'actions',
      block_id: 'home_actions',
      elements: [
        { type: 'button', action_id: ACTIONS.openCommitModal, text: plain('New commitment'), value: newCommitment, style: 'primary' },
        { type: 'button', action_id: ACTIONS.homeLogTouch, text: plain('Log a touch'), value: 'home' },
      ],
    },
    context(onTimeText(data.onTime)),
    { type: 'divider' },
    ...oursBlocks(data, shown.commitments, pages.commitments),
    { type: 'divider' },
    ...theirsBlocks(data, shown.theirs, pages.theirs),
    { type: 'divider' },
    ...accountsBlocks(data, shown.accounts, pages.accounts, zone),
  ];
  if (trimmed) blocks.push(context(':information_source: Some items are left out: the Home tab holds at most 100 blocks. The slash commands list everything.'));
  return blocks;
}

export function homeView(data: HomeData, opts: { zone: string; page?: HomePages }): View {
  const pages = opts.page ?? FIRST_PAGES;
  const shown: Record<HomeList, number> = { commitments: data.ours.items.length, theirs: data.theirs.items.length, accounts: data.accounts.items.length };
  let blocks = render(data, opts.zone, pages, shown, false);
  // Too many blocks: take items off the longest list until it fits (every section stays visible).
  while (blocks.length > LIMITS.surfaceBlocks) {
    const longest = LISTS.reduce((a, b) => (shown[b] > shown[a] ? b : a));
    if (shown[longest] === 0) break;
    shown[longest] = Math.max(0, shown[longest] - (blocks.length - LIMITS.surfaceBlocks));
    blocks = render(data, opts.zone, pages, shown, true);
  }
  if (blocks.length > LIMITS.surfaceBlocks) throw new Error(`home view has ${blocks.length} blocks, over Slack's ${LIMITS.surfaceBlocks}`);
  return { type: 'home', private_metadata: JSON.stringify(pages), blocks };
}
