// "Older" under an account timeline: replaces the ephemeral message with the next page.
import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { z } from 'zod';
import { UserError } from '../../../services/errors.js';
import { accountTimeline } from '../../../services/touches.js';
import { TIMELINE_PAGE, timelineMessage } from '../../../messages/touch.js';
import { keptId, readJson } from '../../../messages/slack-values.js';
import type { ListenerDeps } from '../deps.js';

type Args = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

const cursor = z.object({ accountId: keptId, at: z.iso.datetime(), id: keptId, page: z.number().int().min(2).max(10_000) });

export function timelineOlder(deps: ListenerDeps) {
  return async ({ ack, body, action, respond }: Args) => {
    await ack();
    const c = readJson(action.value, cursor);
    if (!c) throw new UserError('That list is out of date; run `/touch list` again.');
    const actor = await deps.directory.actor(body.team?.id ?? body.user.team_id ?? '', body.user.id);
    const account = await deps.db.account.findFirst({ where: { id: c.accountId, workspaceId: actor.workspace.id } });
    if (!account) throw new UserError('That account no longer exists.');
    const { entries, next } = await accountTimeline(deps.db, account.id, { before: { at: new Date(c.at), id: c.id }, limit: TIMELINE_PAGE });
    await respond({ replace_original: true, ...timelineMessage(account, entries, next, actor.user.timeZone, c.page) });
  };
}
