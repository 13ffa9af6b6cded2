// /kept: a small router; each area (accounts, contacts, settings, digests) has its own file.
import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { md, type Message } from '../../../../messages/format.js';
import { keptHelp } from '../../../../messages/help.js';
import { replyPrivately } from '../../../reply.js';
import type { ListenerDeps } from '../../deps.js';
import { accountCommand } from './accounts.js';
import { contactCommand } from './contacts.js';
import { digestCommand } from './digest.js';
import { exportCommand } from './export.js';
import { importCommand } from './import.js';
import { settingsCommand } from './settings.js';

type Args = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

export function keptCommand(deps: ListenerDeps) {
  return async ({ command, ack, client }: Args) => {
    await ack();
    const target = { userId: command.user_id, channelId: command.channel_id, responseUrl: command.response_url };
    const reply2 = (msg: Message) => replyPrivately(client, target, msg);
    const text = command.text.trim();
    const m = /^(\S+)(?:\s+(\S+))?(?:\s+([\s\S]*))?$/.exec(text);
    const [area = '', verb = '', rest = ''] = m ? [m[1]!.toLowerCase(), (m[2] ?? '').toLowerCase(), (m[3] ?? '').trim()] : [];
    if (!text || area === 'help') return replyPrivately(client, { userId: command.user_id, responseUrl: command.response_url, channelId: command.channel_id }, keptHelp());
    if (area === 'contact' || area === 'contacts') {
      const actor = await deps.directory.actor(command.team_id, command.user_id);
      return reply2(await contactCommand(deps, actor, verb, rest));
    }
    if (area === 'digest') {
      const actor = await deps.directory.actor(command.team_id, command.user_id);
      return digestCommand(deps, client, actor, command.channel_id, [verb, rest].filter(Boolean).join(' '), target);
    }
    if (area === 'import') return importCommand(deps, client, await deps.directory.actor(command.team_id, command.user_id), command, [verb, rest].filter(Boolean).join(' '));
    if (area === 'export') return exportCommand(deps, client, await deps.directory.actor(command.team_id, command.user_id), [verb, rest].filter(Boolean).join(' '), target);
    if (area === 'settings') {
      const actor = await deps.directory.actor(command.team_id, command.user_id);
      return reply2(await settingsCommand(deps, actor, [verb, rest].filter(Boolean).join(' ')));
    }
    if (area !== 'account') {
      return replyPrivately(client, { userId: command.user_id, responseUrl: command.response_url, channelId: command.channel_id }, keptHelp(md`I don’t know \`/kept ${text}\`. Here is what I do know:`));
    }
    const actor = await deps.directory.actor(command.team_id, command.user_id);
    return reply2(await accountCommand(deps, actor, command, verb, rest));
  };
}
