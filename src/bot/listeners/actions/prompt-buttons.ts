// Buttons on cadence nudges and early warnings: Log a touch, Snooze 2 days.
import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { DateTime } from 'luxon';
import { snoozeCadence } from '../../../services/cadence.js';
import { UserError } from '../../../services/errors.js';
import { accountPolicy } from '../../../services/permissions.js';
import { replyPrivately } from '../../reply.js';
import { md, note, slackDate } from '../../../messages/format.js';
import { touchModal } from '../../../messages/touch.js';
import { isKeptId } from '../../../messages/slack-values.js';
import type { ListenerDeps } from '../deps.js';

type Args = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

export const SNOOZE_CADENCE_DAYS = 2;

async function context(deps: ListenerDeps, body: Args['body']) {
  return deps.directory.actor(body.team?.id ?? body.user.team_id ?? '', body.user.id);
}
const target = (body: Args['body']) => ({ userId: body.user.id, channelId: body.channel?.id ?? null, responseUrl: body.response_url ?? null });

async function ownAccount(deps: ListenerDeps, workspaceId: string, id: string) {
  if (!isKeptId(id)) throw new UserError('That account no longer exists.');
  const account = await deps.db.account.findFirst({ where: { id, workspaceId } });
  if (!account) throw new UserError('That account no longer exists.');
  return account;
}

export function logTouchAction(deps: ListenerDeps) {
  return async ({ ack, body, action, client }: Args) => {
    await ack();
    const actor = await context(deps, body);
    const account = await ownAccount(deps, actor.workspace.id, action.value ?? '');
    const contacts = await deps.db.contact.findMany({ where: { accountId: account.id }, orderBy: { name: 'asc' } });
    const now = DateTime.fromJSDate(deps.clock.now(), { zone: actor.user.timeZone });
    const channelId = (await deps.db.accountChannel.findFirst({ where: { accountId: account.id }, orderBy: { createdAt: 'asc' } }))?.channelId ?? null;
    await client.views.open({
      trigger_id: body.trigger_id,
      view: touchModal({ account, contacts, date: now.toISODate()!, time: now.toFormat('HH:mm') }, { channelId, timeZone: actor.user.timeZone, accountId: account.id }),
    });
  };
}

export function snoozeCadenceAction(deps: ListenerDeps) {
  return async ({ ack, body, action, client }: Args) => {
    await ack();
    const actor = await context(deps, body);
    const account = await ownAccount(deps, actor.workspace.id, action.value ?? '');
    // Snoozing moves the account owner's reminder: theirs, or a Kept admin's, to move.
    await deps.directory.authorize(actor, accountPolicy(account));
    const { remindAt, dueAt } = await snoozeCadence(deps.db, account.id, deps.clock.now(), SNOOZE_CADENCE_DAYS);
    const text = remindAt
      ? md`:zzz: Snoozed: I’ll remind you about *${account.name}* again ${slackDate(remindAt, actor.user.timeZone)}.`
      : md`*${account.name}* is due ${dueAt ? slackDate(dueAt, actor.user.timeZone) : 'soon'}, before the snooze would end; I’ll say so when it is overdue.`;
    await replyPrivately(client, target(body), note(text));
  };
}
