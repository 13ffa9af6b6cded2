// /touch: log a touchpoint from text (or the modal when the text is not enough), list the timeline.
import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { DateTime } from 'luxon';
import { accountForChannel, describeMiss, findAccount, requireAccount } from '../../../services/accounts.js';
import { UserError } from '../../../services/errors.js';
import { parseTouchText } from '../../../services/parse/touch-text.js';
import { accountTimeline } from '../../../services/touches.js';
import { matchContacts } from '../../../services/contacts.js';
import { openTouchModal, saveTouch } from '../../touch-flow.js';
import { replyPrivately, type ReplyTarget } from '../../reply.js';
import { TIMELINE_PAGE, timelineMessage, type TouchPrefill } from '../../../messages/touch.js';
import { touchHelp } from '../../../messages/help.js';
import type { ListenerDeps } from '../deps.js';

type Args = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

export function touchCommand(deps: ListenerDeps) {
  return async ({ command, ack, client }: Args) => {
    await ack();
    const replyTo: ReplyTarget = { userId: command.user_id, channelId: command.channel_id, responseUrl: command.response_url };
    const text = command.text.trim();
    const [word = '', ...rest] = text.split(/\s+/);
    if (/^(help|\?)$/i.test(word)) return replyPrivately(client, replyTo, touchHelp());
    const actor = await deps.directory.actor(command.team_id, command.user_id);
    const zone = actor.user.timeZone;
    const channelAccount = await accountForChannel(deps.db, actor.workspace.id, command.channel_id);

    if (/^(list|timeline)$/i.test(word)) {
      const name = rest.join(' ');
      const account = name ? await requireAccount(deps.db, actor.workspace.id, name) : channelAccount;
      if (!account) throw new UserError('Which account? Write `/touch list acme`, or run it in the account’s channel.');
      const { entries, next } = await accountTimeline(deps.db, account.id, { limit: TIMELINE_PAGE });
      return replyPrivately(client, replyTo, timelineMessage(account, entries, next, zone, 1));
    }

    const now = deps.clock.now();
    const meta = { channelId: command.channel_id, timeZone: zone, accountId: channelAccount?.id ?? null };
    const parsed = parseTouchText(text, { now, timeZone: zone });
    const nowLocal = DateTime.fromJSDate(now, { zone });
    if (parsed.kind === 'empty') {
      const contacts = channelAccount ? await deps.db.contact.findMany({ where: { accountId: channelAccount.id }, orderBy: { name: 'asc' } }) : [];
      const prefill: TouchPrefill = { ...(channelAccount ? { account: channelAccount } : {}), contacts, date: nowLocal.toISODate()!, time: nowLocal.toFormat('HH:mm') };
      return void (await openTouchModal(deps, client, command.trigger_id, prefill, meta, replyTo));
    }

    const { draft } = parsed;
    const problems = parsed.kind === 'prefill' ? [...parsed.problems] : [];
    let account = channelAccount;
    if (draft.accountName) {
      const found = await findAccount(deps.db, actor.workspace.id, draft.accountName);
      if (found.kind === 'found') account = found.account;
      else {
        account = null;
        problems.push(describeMiss(found).replace(/\*/g, ''));
      }
    } else if (!account) {
      problems.push('Which account? Start with its name, like `/touch acme call with Dana: …`, or run /touch in the account’s channel.');
    }
    const contacts = account ? await deps.db.contact.findMany({ where: { accountId: account.id }, orderBy: { name: 'asc' } }) : [];
    const { matched, unknown } = matchContacts(contacts, draft.participants);
    const at = draft.occurredAt ?? now;
    const local = DateTime.fromJSDate(at, { zone });

    // The form opens only when something needed is missing or unclear (no account, two accounts
    // match, no kind or summary, words Kept could not place). A name that is not a key contact yet
    // is saved as a named participant; the confirmation offers to add them (touchConfirmation).
    if (problems.length || !account || parsed.kind !== 'complete') {
      if (unknown.length && account) problems.push(`${unknown.join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not a key contact of ${account.name} yet: tick to add, or leave as a name.`);
      const prefill: TouchPrefill = {
        ...(account ? { account } : {}),
        ...(draft.kind ? { kind: draft.kind } : {}),
        date: local.toISODate()!,
        time: local.toFormat('HH:mm'),
        contacts,
        contactIds: matched.map((c) => c.id),
        unknownNames: unknown,
        colleagues: draft.mentions,
        ...(draft.summary ? { summary: draft.summary } : {}),
        sentiment: draft.sentiment,
        problems,
      };
      return void (await openTouchModal(deps, client, command.trigger_id, prefill, { ...meta, accountId: account?.id ?? null }, replyTo));
    }

    await saveTouch(
      deps,
      client,
      {
        workspaceId: actor.workspace.id,
        accountId: account.id,
        kind: draft.kind!,
        occurredAt: at,
        summary: draft.summary!,
        sentiment: draft.sentiment,
        participants: [...unknown, ...draft.mentions.map((id) => `<@${id}>`)],
        contactIds: matched.map((c) => c.id),
        newContacts: [],
        loggedById: actor.user.id,
        source: 'slash_command',
        sourceKey: `command:${command.trigger_id}`,
      },
      command.channel_id,
      zone,
      replyTo,
    );
  };
}
