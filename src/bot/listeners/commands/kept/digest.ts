// /kept digest: subscribe a channel to the weekly account review, stop it, or preview it.
import type { WebClient } from '@slack/web-api';
import type { Tier } from '../../../../../generated/prisma/client.js';
import { accountForChannel } from '../../../../services/accounts.js';
import { digestSubscriptionOf, saveDigestSubscription, stopDigestSubscription } from '../../../../services/digest-subscriptions.js';
import { UserError } from '../../../../services/errors.js';
import { digestPolicy } from '../../../../services/permissions.js';
import { TIERS } from '../../../../services/settings.js';
import { isValidTimeZone } from '../../../../services/time.js';
import { digestFor, removeDigestScheduler, upsertDigestScheduler } from '../../../../jobs/digest.job.js';
import { parseMention, type Actor } from '../../../people.js';
import { replyPrivately, type ReplyTarget } from '../../../reply.js';
import { context, message, note } from '../../../../messages/format.js';
import type { ListenerDeps } from '../../deps.js';

const DAYS: Record<string, number> = { mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6, sun: 7 };
const DAY_NAMES = ['', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const USAGE = 'Write `/kept digest weekly mon 09:00 [Europe/Berlin] [for @maria @li | for tier strategic | for all]`, `/kept digest off` or `/kept digest preview`.';

/** The most messages one preview shows (a response_url takes five posts). */
const PREVIEW_PARTS = 4;

export async function digestCommand(deps: ListenerDeps, client: WebClient, actor: Actor, channelId: string, text: string, replyTo: ReplyTarget): Promise<void> {
  const [verb = '', ...rest] = text.split(/\s+/).filter(Boolean);
  const ws = actor.workspace.id;
  const existing = await digestSubscriptionOf(deps.db, ws, channelId);
  const reply = (t: string) => replyPrivately(client, replyTo, note(t));
  // Changing a channel's digest: services/permissions.ts (previewing it is open).
  const mayChange = async () => deps.directory.authorize(actor, digestPolicy(channelId, await accountForChannel(deps.db, ws, channelId), existing));
  const by = { actorId: actor.user.id, at: deps.clock.now() };

  if (verb === 'off') {
    if (!existing) return reply('This channel has no weekly digest.');
    await mayChange();
    await stopDigestSubscription(deps.db, existing, by);
    if (deps.queues) await removeDigestScheduler(deps.queues, existing.id);
    return reply('Stopped the weekly digest in this channel.');
  }
  if (verb === 'preview') {
    const sub = existing ?? { ...(await draftSubscription(deps, actor, channelId, [])), id: 'preview', createdAt: new Date(0), updatedAt: new Date(0) };
    const parts = await digestFor(deps.db, sub, deps.clock.now());
    for (const part of parts.slice(0, PREVIEW_PARTS)) await replyPrivately(client, replyTo, part);
    if (parts.length > PREVIEW_PARTS) await replyPrivately(client, replyTo, message('More in the real digest', [context(`…and ${parts.length - PREVIEW_PARTS} more parts, which the real digest posts as thread replies.`)]));
    return;
  }
  if (verb !== 'weekly') {
    if (!verb && existing) return reply(`${describe(existing)}. ${USAGE}`);
    throw new UserError(USAGE);
  }
  if (channelId.startsWith('D')) throw new UserError('Subscribe a channel: run `/kept digest weekly` in the channel that should get the review.');
  await mayChange();
  const data = await draftSubscription(deps, actor, channelId, rest);
  const sub = await saveDigestSubscription(deps.db, data, by);
  if (deps.queues) await upsertDigestScheduler(deps.queues, sub);
  return reply(`${describe(sub)}. Preview it now with \`/kept digest preview\`; stop it with \`/kept digest off\`.`);
}

function describe(s: { weekday: number; time: string; timeZone: string; scope: string; tier: Tier | null; ownerIds: string[] }): string {
  const what = s.scope === 'account' ? 'the review of this channel’s account' : s.scope === 'tier' ? `a portfolio review of ${s.tier} accounts` : s.scope === 'owners' ? `a portfolio review of the accounts of ${s.ownerIds.length} owner(s)` : 'a portfolio review of all accounts';
  return `Every ${DAY_NAMES[s.weekday]} at ${s.time} (${s.timeZone}), this channel gets ${what}`;
}

async function draftSubscription(deps: ListenerDeps, actor: Actor, channelId: string, words: string[]) {
  let weekday = 1;
  let time = '09:00';
  let timeZone = actor.user.timeZone;
  let i = 0;
  for (; i < words.length && words[i]!.toLowerCase() !== 'for'; i++) {
    const w = words[i]!;
    const day = DAYS[w.toLowerCase().slice(0, 3)];
    const clock = /^(\d{1,2})(?::(\d{2}))?\s*(am|pm)?$/i.exec(w);
    if (day && /^[a-z]+$/i.test(w)) weekday = day;
    else if (clock) {
      let h = Number(clock[1]);
      const m = Number(clock[2] ?? 0);
      if (clock[3]?.toLowerCase() === 'pm' && h < 12) h += 12;
      if (clock[3]?.toLowerCase() === 'am' && h === 12) h = 0;
      if (h > 23 || m > 59) throw new UserError(`“${w}” is not a time of day. ${USAGE}`);
      time = `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
    } else if (w.includes('/') || w === 'UTC') {
      if (!isValidTimeZone(w)) throw new UserError(`“${w}” is not a time zone I know; use a name like Europe/Berlin or America/New_York.`);
      timeZone = w;
    } else throw new UserError(`I did not understand “${w}”. ${USAGE}`);
  }
  const forWords = words.slice(i + 1);
  const account = await accountForChannel(deps.db, actor.workspace.id, channelId);
  const base = { workspaceId: actor.workspace.id, channelId, weekday, time, timeZone, createdById: actor.user.id, accountId: null as string | null, ownerIds: [] as string[], tier: null as Tier | null };
  if (account && forWords.length === 0) return { ...base, scope: 'account', accountId: account.id };
  if (forWords.length === 0 || (forWords.length === 1 && forWords[0]!.toLowerCase() === 'all')) return { ...base, scope: 'all' };
  if (forWords[0]!.toLowerCase() === 'tier') {
    const tier = (forWords[1] ?? '').toLowerCase();
    if (!(TIERS as readonly string[]).includes(tier)) throw new UserError(`The tier is one of ${TIERS.join(', ')}.`);
    return { ...base, scope: 'tier', tier: tier as Tier };
  }
  const mentions = forWords.map((w) => parseMention(w));
  if (mentions.some((m) => !m)) throw new UserError(`After “for”, name owners with mentions (\`for @maria @li\`), or write \`for tier strategic\` or \`for all\`.`);
  const owners = await Promise.all(mentions.map((m) => deps.directory.user(actor.workspace.id, m!.id, m!.name)));
  return { ...base, scope: 'owners', ownerIds: owners.map((o) => o.id) };
}

