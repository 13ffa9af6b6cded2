// The App Home tab: published fresh each time it is opened, and again when a list asks for more.
import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { homeData } from '../../../services/home.js';
import { FIRST_PAGES, homeLimits, homeView, type HomePages } from '../../../messages/home.js';
import type { ListenerDeps } from '../deps.js';

type Args = SlackEventMiddlewareArgs<'app_home_opened'> & AllMiddlewareArgs;

/** Loads one person's dashboard and publishes it to their Home tab. */
export async function publishHome(deps: ListenerDeps, client: WebClient, teamId: string, slackUserId: string, pages: HomePages = FIRST_PAGES): Promise<void> {
  const actor = await deps.directory.actor(teamId, slackUserId);
  const data = await homeData(deps.db, { workspaceId: actor.workspace.id, userId: actor.user.id, now: deps.clock.now(), limits: homeLimits(pages) });
  await client.views.publish({ user_id: slackUserId, view: homeView(data, { zone: actor.user.timeZone, page: pages }) });
}

export function appHomeOpened(deps: ListenerDeps) {
  return async ({ event, body, context, client }: Args) => {
    // The Messages and About tabs fire the same event; only Home has something to publish.
    if (event.tab !== 'home') return;
    await publishHome(deps, client, context.teamId ?? body.team_id, event.user);
  };
}
