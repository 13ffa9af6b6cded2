// Submission of "Need more time…": move the date once, keep the reason, tell the channel if asked.
import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { accountChannels } from '../../../services/accounts.js';
import { reference, rescheduleCommitment } from '../../../services/commitments.js';
import { actorOf, commitmentFor, refreshMessage } from '../../commitment-actions.js';
import { replyPrivately } from '../../reply.js';
import { context, md, mention, message, note, section, slackDate } from '../../../messages/format.js';
import { readRescheduleModal, rescheduleMeta } from '../../../messages/reschedule-modal.js';
import { alreadyChanged } from '../../../messages/commitment.js';
import { refuseForm } from '../../guard.js';
import { readJson } from '../../../messages/slack-values.js';
import type { ListenerDeps } from '../deps.js';

type Args = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

export function rescheduleSubmit(deps: ListenerDeps) {
  return async ({ ack, body, view, client }: Args) => {
    const meta = readJson(view.private_metadata, rescheduleMeta);
    if (!meta) return refuseForm(ack, body, client, deps.logger, 'reschedule form metadata');
    const read = readRescheduleModal(view.state.values, meta, deps.clock.now());
    if (!read.ok) return ack({ response_action: 'errors', errors: read.errors });
    await ack();
    const actor = await actorOf(deps, body);
    const existing = await commitmentFor(deps, actor, meta.commitmentId);
    const result = await rescheduleCommitment(deps.db, deps.clock, { commitmentId: existing.id, actorId: actor.user.id, dueAt: read.dueAt, reason: read.reason });
    const me = { userId: body.user.id };
    if (result.kind === 'unchanged') {
      if (result.commitment.status === 'open') return;
      return replyPrivately(client, me, note(alreadyChanged(result.commitment, result.last)));
    }
    const c = result.commitment;
    const line = md`:calendar: *${reference(c)}* · ${c.title} (${c.account.name}) moves to ${slackDate(c.dueAt, c.dueTimeZone)}, was ${slackDate(result.previousDueAt, c.dueTimeZone)}.`;
    await replyPrivately(client, me, note(md`${line}\nReason: ${read.reason}`));
    await refreshMessage(deps, client, meta.message, c, md`:calendar: Rescheduled by ${mention(actor.user.slackUserId)}, was ${slackDate(result.previousDueAt, c.dueTimeZone)}: ${read.reason}`);
    const channel = read.announce ? (await accountChannels(deps.db, c.accountId))[0] : undefined;
    if (channel) {
      await client.chat.postMessage({
        channel,
        ...message(`${reference(c)} ${c.title}: new date`, [section(line), context(md`Why: ${read.reason} · ${mention(actor.user.slackUserId)}`)]),
      });
    }
  };
}
