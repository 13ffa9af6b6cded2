// Options for the account picker (external_select), so it scales past Slack's 100 static options.
import type { AllMiddlewareArgs, SlackOptionsMiddlewareArgs } from '@slack/bolt';
import { NAME_QUERY_MAX, normalizeName } from '../../../services/match.js';
import { LIMITS, truncate } from '../../../messages/format.js';
import type { ListenerDeps } from '../deps.js';

type Args = SlackOptionsMiddlewareArgs<'block_suggestion'> & AllMiddlewareArgs;

export function accountOptions(deps: ListenerDeps) {
  return async ({ ack, body }: Args) => {
    const workspace = await deps.directory.workspace(body.team?.id ?? '');
    const q = normalizeName((body.value ?? '').slice(0, NAME_QUERY_MAX));
    const accounts = await deps.db.account.findMany({
      where: { workspaceId: workspace.id, archived: false, ...(q ? { OR: [{ normalizedName: { contains: q } }, { aliases: { has: q } }] } : {}) },
      orderBy: { normalizedName: 'asc' },
      take: 100,
      select: { id: true, name: true },
    });
    await ack({ options: accounts.map((a) => ({ text: { type: 'plain_text', text: truncate(a.name, LIMITS.optionText) }, value: a.id })) });
  };
}
