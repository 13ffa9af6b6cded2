// Buttons on the App Home: "Show more" on a list, and "Log a touch" (no account chosen yet).
import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { DateTime } from 'luxon';
import { parseShowMore, readHomePages } from '../../../messages/home.js';
import { touchModal } from '../../../messages/touch.js';
import type { ListenerDeps } from '../deps.js';
import { publishHome } from '../events/app-home-opened.js';

type Args = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

const teamOf = (body: Args['body']) => body.team?.id ?? body.user.team_id ?? '';

export function homeShowMore(deps: ListenerDeps) {
  return async ({ ack, body, action, client }: Args) => {
    await ack();
    // The other lists keep the pages they were showing (kept in the view's private_metadata).
    const pages = readHomePages(body.view?.private_metadata);
    const wanted = parseShowMore(action.value);
    if (wanted) pages[wanted.list] = wanted.page;
    await publishHome(deps, client, teamOf(body), body.user.id, pages);
  };
}

export function homeLogTouch(deps: ListenerDeps) {
  return async ({ ack, body, client }: Args) => {
    await ack();
    const actor = await deps.directory.actor(teamOf(body), body.user.id);
    const zone = actor.user.timeZone;
    const now = DateTime.fromJSDate(deps.clock.now(), { zone });
    await client.views.open({
      trigger_id: body.trigger_id,
      view: touchModal({ date: now.toISODate()!, time: now.toFormat('HH:mm') }, { channelId: null, timeZone: zone, accountId: null }),
    });
  };
}
