// /commit: quick add from text, the modal when the text is not enough, list, done, help.
import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { DateTime } from 'luxon';
import { accountForChannel, describeMiss, findAccount } from '../../../services/accounts.js';
import { completeCommitment, findByReference, listOpenCommitments, reference, type CommitmentFilter } from '../../../services/commitments.js';
import { UserError } from '../../../services/errors.js';
import { commitmentPolicy } from '../../../services/permissions.js';
import { parseCommitText } from '../../../services/parse/commit-text.js';
import { openCommitModal, saveAndAnnounce } from '../../commit-flow.js';
import { parseMention, type Actor } from '../../people.js';
import { replyPrivately, type ReplyTarget } from '../../reply.js';
import { replyInSourceThread } from '../../thread-reply.js';
import type { CommitPrefill } from '../../../messages/commit-modal.js';
import { alreadyChanged, commitmentDoneMessage, commitmentList } from '../../../messages/commitment.js';
import { note } from '../../../messages/format.js';
import { commitHelp } from '../../../messages/help.js';
import type { ListenerDeps } from '../deps.js';

type Args = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

export function commitCommand(deps: ListenerDeps) {
  return async ({ command, ack, client }: Args) => {
    // Acknowledge first: everything below may wait on the database or Slack.
    await ack();
    const replyTo: ReplyTarget = { userId: command.user_id, channelId: command.channel_id, responseUrl: command.response_url };
    const reply = (msg: Parameters<typeof replyPrivately>[2]) => replyPrivately(client, replyTo, msg);
    const text = command.text.trim();
    const [word = '', ...rest] = text.split(/\s+/);
    const args = rest.join(' ');

    if (/^(help|\?)$/i.test(word)) return reply(commitHelp());
    const actor = await deps.directory.actor(command.team_id, command.user_id);
    if (/^list$/i.test(word)) return reply(await list(deps, actor, command.channel_id, args));
    if (/^done$/i.test(word)) return done(deps, client, actor, args, reply);

    const now = deps.clock.now();
    const zone = actor.user.timeZone;
    const channelAccount = await accountForChannel(deps.db, actor.workspace.id, command.channel_id);
    const meta = { channelId: command.channel_id, timeZone: zone };
    const parsed = parseCommitText(text, { now, timeZone: zone });
    if (parsed.kind === 'empty') {
      const prefill: CommitPrefill = { ownerSlackId: command.user_id, direction: 'ours', ...(channelAccount ? { account: channelAccount } : {}) };
      return void (await openCommitModal(deps, client, command.trigger_id, prefill, meta, replyTo));
    }

    const { draft } = parsed;
    const problems = [...parsed.problems];
    const prefill: CommitPrefill = {
      title: draft.title,
      ownerSlackId: draft.ownerSlackId ?? command.user_id,
      direction: draft.direction ?? 'ours',
      ...(draft.due ? localDue(draft.due.at, zone) : {}),
    };
    if (draft.accountName) {
      const found = await findAccount(deps.db, actor.workspace.id, draft.accountName);
      if (found.kind === 'found') prefill.account = found.account;
      else {
        problems.push(describeMiss(found).replace(/\*/g, ''));
        if (found.kind === 'unknown') prefill.newAccountName = draft.accountName;
      }
    } else if (channelAccount) {
      prefill.account = channelAccount;
    } else {
      problems.push('Which account is this for? Start with its name, like `/commit acme: …`, or run /commit in the account’s channel.');
    }
    if (parsed.missing.includes('due')) problems.push('I could not find a due date (try “by Friday” or “by Dec 3 5pm”).');
    if (parsed.missing.includes('title')) problems.push('Say what is owed.');

    if (problems.length || !prefill.account || !draft.due || !draft.title) {
      return void (await openCommitModal(deps, client, command.trigger_id, { ...prefill, problems }, meta, replyTo));
    }
    const owner = draft.ownerSlackId ? await deps.directory.user(actor.workspace.id, draft.ownerSlackId) : actor.user;
    await saveAndAnnounce(
      deps,
      client,
      {
        workspaceId: actor.workspace.id,
        accountId: prefill.account.id,
        ownerId: owner.id,
        createdById: actor.user.id,
        title: draft.title,
        direction: draft.direction ?? 'ours',
        dueAt: draft.due.at,
        dueTimeZone: zone,
        source: 'slash_command',
        sourceKey: `command:${command.trigger_id}`,
        channelId: command.channel_id,
      },
      replyTo,
    );
  };
}

function localDue(at: Date, zone: string): { dueDate: string; dueTime: string } {
  const d = DateTime.fromJSDate(at, { zone });
  return { dueDate: d.toISODate()!, dueTime: d.toFormat('HH:mm') };
}

async function list(deps: ListenerDeps, actor: Actor, channelId: string, args: string) {
  const now = deps.clock.now();
  const base = { workspaceId: actor.workspace.id };
  let filter: CommitmentFilter;
  let title: string;
  const who = parseMention(args);
  if (!args) {
    const account = await accountForChannel(deps.db, actor.workspace.id, channelId);
    [filter, title] = account ? [{ ...base, accountId: account.id }, `Open commitments for ${account.name}`] : [{ ...base, ownerId: actor.user.id }, 'Your open commitments'];
  } else if (/^mine$/i.test(args)) {
    [filter, title] = [{ ...base, ownerId: actor.user.id }, 'Your open commitments'];
  } else if (/^overdue$/i.test(args)) {
    [filter, title] = [{ ...base, dueBefore: now }, 'Overdue commitments'];
  } else if (who) {
    const user = await deps.directory.user(actor.workspace.id, who.id, who.name);
    [filter, title] = [{ ...base, ownerId: user.id }, `Open commitments owned by ${user.displayName}`];
  } else {
    const found = await findAccount(deps.db, actor.workspace.id, args);
    if (found.kind !== 'found') throw new UserError(`${describeMiss(found)}\nList with \`/commit list mine\`, \`overdue\`, \`@person\` or an account name.`);
    [filter, title] = [{ ...base, accountId: found.account.id }, `Open commitments for ${found.account.name}`];
  }
  const { items, total } = await listOpenCommitments(deps.db, filter, 40);
  return commitmentList(title, items, total, now, 'Add one with `/commit`.');
}

async function done(deps: ListenerDeps, client: Args['client'], actor: Actor, args: string, reply: (m: ReturnType<typeof note>) => Promise<void>) {
  if (!args) throw new UserError('Which one? Write `/commit done C-42`; `/commit list` shows the references.');
  const c = await findByReference(deps.db, actor.workspace.id, args);
  await deps.directory.authorize(actor, commitmentPolicy(c));
  const result = await completeCommitment(deps.db, deps.clock, { commitmentId: c.id, actorId: actor.user.id });
  if (result.kind === 'unchanged') return reply(note(alreadyChanged(result.commitment, result.last)));
  const at = result.commitment.completedAt ?? deps.clock.now();
  if (c.channelId && c.messageTs) {
    const msg = commitmentDoneMessage(result.commitment, actor.user.slackUserId, at);
    await client.chat.update({ channel: c.channelId, ts: c.messageTs, text: msg.text, blocks: msg.blocks }).catch((err) => deps.logger.warn('could not update the announcement:', err.message));
  }
  await replyInSourceThread(deps, client, result.commitment, 'done');
  await reply(note(`:white_check_mark: Marked *${reference(c)}* done: ${c.title}`));
}
