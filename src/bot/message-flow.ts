// Acting on a Slack message ("Track as commitment", "Log as touch"): the forms open prefilled by
// the quick-add parsers over the message, in the clicking person's zone, for the channel's account.
// Slack and the console both arrive here with a plain description of the message.
import type { WebClient } from '@slack/web-api';
import { DateTime } from 'luxon';
import { accountForChannel, describeMiss, findAccount } from '../services/accounts.js';
import { findBySourceMessage, type CommitmentFull } from '../services/commitments.js';
import { commitmentFromMessage, touchFromMessage } from '../services/parse/message-text.js';
import type { CommitModalMeta, CommitPrefill } from '../messages/commit-modal.js';
import type { SourceMessageMeta } from '../messages/source.js';
import { unreachableNote } from '../messages/source.js';
import type { TouchModalMeta, TouchPrefill } from '../messages/touch.js';
import type { ListenerDeps } from './listeners/deps.js';
import type { Actor } from './people.js';

/** The message a shortcut was used on, as Slack's message_action payload describes it. */
export interface ActedMessage {
  channelId: string;
  ts: string;
  threadTs?: string | null;
  text: string;
  /** Absent for a bot's message. */
  authorSlackId?: string | null;
  responseUrl?: string | null;
}

const MENTION = /<@([UW][A-Z0-9]+)(?:\|[^<>]*)?>/g;

/** Slack's ts is seconds since the epoch: when the message was posted. */
export function postedAt(ts: string, fallback: Date): Date {
  const seconds = Number(ts);
  return Number.isFinite(seconds) && seconds > 0 ? new Date(seconds * 1000) : fallback;
}

export function sourceMeta(m: ActedMessage): SourceMessageMeta {
  return { channelId: m.channelId, ts: m.ts, threadTs: m.threadTs || m.ts, responseUrl: m.responseUrl ?? null };
}

/** Display names of the first people mentioned, so titles and summaries read as names. */
async function mentionedNames(deps: ListenerDeps, actor: Actor, text: string): Promise<Record<string, string>> {
  const ids = [...new Set([...text.matchAll(MENTION)].map((m) => m[1]!))].slice(0, 5);
  const users = await Promise.all(ids.map((id) => deps.directory.user(actor.workspace.id, id).catch(() => null)));
  return Object.fromEntries(users.flatMap((u, i) => (u ? [[ids[i]!, u.displayName]] : [])));
}

export type TrackPlan =
  | { kind: 'tracked'; commitment: CommitmentFull }
  | { kind: 'form'; prefill: CommitPrefill; meta: CommitModalMeta };

/** What "Track as commitment" opens: the existing commitment when the message has one, else the prefilled form. */
export async function planTrack(deps: ListenerDeps, actor: Actor, m: ActedMessage): Promise<TrackPlan> {
  const existing = await findBySourceMessage(deps.db, actor.workspace.id, { channelId: m.channelId, ts: m.ts });
  if (existing) return { kind: 'tracked', commitment: existing };
  const now = deps.clock.now();
  const zone = actor.user.timeZone;
  const channelAccount = await accountForChannel(deps.db, actor.workspace.id, m.channelId);
  const contacts = channelAccount ? await deps.db.contact.findMany({ where: { accountId: channelAccount.id }, select: { name: true } }) : [];
  const read = commitmentFromMessage({
    text: m.text,
    authorSlackId: m.authorSlackId ?? null,
    clickerSlackId: actor.user.slackUserId,
    writtenAt: postedAt(m.ts, now),
    now,
    timeZone: zone,
    customerNames: channelAccount ? [channelAccount.name, ...channelAccount.aliases, ...contacts.map((c) => c.name)] : [],
    names: await mentionedNames(deps, actor, m.text),
  });
  const problems = [...read.problems];
  const prefill: CommitPrefill = {
    ...(read.title ? { title: read.title } : {}),
    ownerSlackId: read.ownerSlackId,
    direction: read.direction,
    ...(read.due ? localDue(read.due.at, zone) : {}),
  };
  if (read.accountName) {
    const found = await findAccount(deps.db, actor.workspace.id, read.accountName);
    if (found.kind === 'found') prefill.account = found.account;
    // "Quick one: I'll…" names no account; in an account's channel, that account stands.
    else if (!channelAccount) problems.push(describeMiss(found).replace(/\*/g, ''));
  }
  if (!prefill.account && channelAccount) prefill.account = channelAccount;
  if (!prefill.account) problems.push('This channel is not linked to an account: pick one (`/kept account link` links the channel).');
  if (m.channelId.startsWith('D')) problems.push(unreachableNote('dm'));
  if (problems.length) prefill.problems = problems;
  return { kind: 'form', prefill, meta: { channelId: m.channelId, timeZone: zone, source: sourceMeta(m) } };
}

/** The /commit form from Slack's shortcut menu: like `/commit` with nothing typed. */
export function planNewCommitment(actor: Actor): { prefill: CommitPrefill; meta: CommitModalMeta } {
  return { prefill: { ownerSlackId: actor.user.slackUserId, direction: 'ours' }, meta: { channelId: null, timeZone: actor.user.timeZone } };
}

/** What "Log as touch" opens: the /touch form prefilled from the message. */
export async function planTouch(deps: ListenerDeps, actor: Actor, m: ActedMessage): Promise<{ prefill: TouchPrefill; meta: TouchModalMeta }> {
  const now = deps.clock.now();
  const zone = actor.user.timeZone;
  const account = await accountForChannel(deps.db, actor.workspace.id, m.channelId);
  const contacts = account ? await deps.db.contact.findMany({ where: { accountId: account.id }, orderBy: { name: 'asc' } }) : [];
  const read = touchFromMessage({ text: m.text, writtenAt: postedAt(m.ts, now), now, timeZone: zone, contacts, names: await mentionedNames(deps, actor, m.text) });
  const local = DateTime.fromJSDate(read.occurredAt, { zone });
  const problems = [...read.problems];
  if (!account) problems.push('This channel is not linked to an account: pick one (`/kept account link` links the channel).');
  if (m.channelId.startsWith('D')) problems.push(unreachableNote('dm'));
  const prefill: TouchPrefill = {
    ...(account ? { account } : {}),
    ...(read.kind ? { kind: read.kind } : {}),
    date: local.toISODate()!,
    time: local.toFormat('HH:mm'),
    contacts,
    contactIds: read.contactIds,
    unknownNames: read.participants,
    colleagues: read.mentions,
    summary: read.summary,
    sentiment: read.sentiment,
    problems,
  };
  return { prefill, meta: { channelId: m.channelId, timeZone: zone, accountId: account?.id ?? null, source: sourceMeta(m) } };
}

/** The /touch form from Slack's shortcut menu: empty, dated now. */
export function planNewTouch(actor: Actor, now: Date): { prefill: TouchPrefill; meta: TouchModalMeta } {
  const local = DateTime.fromJSDate(now, { zone: actor.user.timeZone });
  return { prefill: { contacts: [], date: local.toISODate()!, time: local.toFormat('HH:mm') }, meta: { channelId: null, timeZone: actor.user.timeZone, accountId: null } };
}

function localDue(at: Date, zone: string): { dueDate: string; dueTime: string } {
  const d = DateTime.fromJSDate(at, { zone });
  return { dueDate: d.toISODate()!, dueTime: d.toFormat('HH:mm') };
}

/**
 * The message's permalink, for links back to it; null where Kept cannot see the conversation
 * (a private channel without Kept, a DM): the commitment or touch is saved all the same.
 */
export async function permalinkOf(client: WebClient, source: SourceMessageMeta, logger: ListenerDeps['logger']): Promise<string | null> {
  try {
    const res = await client.chat.getPermalink({ channel: source.channelId, message_ts: source.ts });
    return res.permalink ?? null;
  } catch (err) {
    logger.info('no permalink for a tracked message:', (err as Error).message);
    return null;
  }
}

/**
 * Whether Kept can post in the message's channel, asked after the form is open (a trigger lives 3 s):
 * a private channel it was not invited to answers channel_not_found. Public channels take its posts
 * without an invite (chat:write.public); a DM was said in the form already.
 */
export async function privateWithoutKept(client: WebClient, channelId: string): Promise<boolean> {
  if (channelId.startsWith('D')) return false;
  try {
    const res = await client.conversations.info({ channel: channelId });
    const c = res.channel as { is_private?: boolean; is_member?: boolean } | undefined;
    return !!c?.is_private && c.is_member === false;
  } catch (err) {
    return (err as { data?: { error?: string } }).data?.error === 'channel_not_found';
  }
}
