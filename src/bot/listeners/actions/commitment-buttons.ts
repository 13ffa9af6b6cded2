// The buttons on a commitment, wherever it appears: Done / Received, Snooze, Reschedule…,
// Reassign…, Drop…, Remind customer, and on reminders On track and Need more time….
import type { AllMiddlewareArgs, BlockAction, ButtonAction, OverflowAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { DateTime } from 'luxon';
import { completeCommitment, reference, snoozeCommitment } from '../../../services/commitments.js';
import { UserError } from '../../../services/errors.js';
import { actorOf, commitmentFor, messageRefOf, refreshMessage } from '../../commitment-actions.js';
import { replyPrivately } from '../../reply.js';
import { alreadyChanged, commitmentDoneMessage, SNOOZE_CHOICES, type SnoozeChoice } from '../../../messages/commitment.js';
import { dropModal, reassignModal } from '../../../messages/commitment-modals.js';
import { md, mention, message, note, section, slackDate } from '../../../messages/format.js';
import { rescheduleModal } from '../../../messages/reschedule-modal.js';
import type { ListenerDeps } from '../deps.js';

type Click<A extends ButtonAction | OverflowAction = ButtonAction> = SlackActionMiddlewareArgs<BlockAction<A>> & AllMiddlewareArgs;

const privately = (body: Click['body'] | Click<OverflowAction>['body']) => ({ userId: body.user.id, channelId: body.channel?.id ?? null, responseUrl: body.response_url ?? null });

export function doneAction(deps: ListenerDeps) {
  return async ({ ack, body, action, client }: Click) => {
    await ack();
    const actor = await actorOf(deps, body);
    const existing = await commitmentFor(deps, actor, action.value ?? '');
    const result = await completeCommitment(deps.db, deps.clock, { commitmentId: existing.id, actorId: actor.user.id });
    const c = result.commitment;
    const by = result.kind === 'done' ? actor.user.slackUserId : (result.last?.actorSlackId ?? actor.user.slackUserId);
    const ref = messageRefOf(body);
    // A stale message is brought up to date either way.
    if (ref && !ref.multi && c.status === 'done') {
      const msg = commitmentDoneMessage(c, by, c.completedAt ?? deps.clock.now());
      await client.chat.update({ channel: ref.channel, ts: ref.ts, text: msg.text, blocks: msg.blocks });
    } else {
      const verb = c.direction === 'ours' ? 'Done' : 'Received';
      const state = c.status === 'done' ? md`:white_check_mark: ${verb} by ${mention(by)} ${slackDate(c.completedAt ?? deps.clock.now(), c.dueTimeZone)}` : md`:information_source: ${c.status}`;
      await refreshMessage(deps, client, ref, c, state, body.message?.blocks);
    }
    if (result.kind === 'unchanged') await replyPrivately(client, privately(body), note(alreadyChanged(c, result.last)));
  };
}

/** Snooze 1 day / 3 days / next week: moves the next reminder, not the due date. */
export function snoozeAction(deps: ListenerDeps) {
  return async ({ ack, body, action, client }: Click<OverflowAction>) => {
    await ack();
    const [id = '', choice = ''] = (action.selected_option?.value ?? '').split('|');
    const actor = await actorOf(deps, body);
    const existing = await commitmentFor(deps, actor, id);
    // Only the choices Kept offers: a value is never echoed into the message.
    if (!Object.hasOwn(SNOOZE_CHOICES, choice)) throw new UserError('Kept does not know that snooze choice; pick 1 day, 3 days or next week.');
    const zone = actor.user.timeZone;
    const now = DateTime.fromJSDate(deps.clock.now(), { zone });
    const until = (choice === 'nextweek' ? now.plus({ weeks: 1 }).startOf('week') : now.plus({ days: choice === '3d' ? 3 : 1 })).set({ hour: 9, minute: 0, second: 0, millisecond: 0 });
    const result = await snoozeCommitment(deps.db, { commitmentId: existing.id, until: until.toJSDate() });
    if (result.kind === 'unchanged') return replyPrivately(client, privately(body), note(alreadyChanged(result.commitment, result.last)));
    const label = SNOOZE_CHOICES[choice as SnoozeChoice];
    await refreshMessage(deps, client, messageRefOf(body), result.commitment, md`:zzz: Snoozed (${label.toLowerCase()}) by ${mention(actor.user.slackUserId)}: next reminder ${slackDate(until.toJSDate(), zone)}. The due date stays ${slackDate(result.commitment.dueAt, result.commitment.dueTimeZone)}.`, body.message?.blocks);
  };
}

function opensModal(deps: ListenerDeps, which: 'reschedule' | 'more_time' | 'reassign' | 'drop') {
  return async ({ ack, body, action, client }: Click) => {
    await ack();
    const actor = await actorOf(deps, body);
    const c = await commitmentFor(deps, actor, action.value ?? '');
    if (c.status !== 'open') return replyPrivately(client, privately(body), note(alreadyChanged(c, null)));
    if (which === 'drop' && c.direction === 'theirs') throw new UserError('A customer’s item is closed with Received, or rescheduled.');
    const meta = { commitmentId: c.id, timeZone: actor.user.timeZone, message: messageRefOf(body) };
    const view =
      which === 'reassign' ? reassignModal(c, meta) : which === 'drop' ? dropModal(c, meta) : rescheduleModal(c, meta, which === 'reschedule' ? 'Reschedule' : 'Need more time');
    await client.views.open({ trigger_id: body.trigger_id, view });
  };
}

export const rescheduleAction = (deps: ListenerDeps) => opensModal(deps, 'reschedule');
export const moreTimeAction = (deps: ListenerDeps) => opensModal(deps, 'more_time');
export const reassignAction = (deps: ListenerDeps) => opensModal(deps, 'reassign');
export const dropAction = (deps: ListenerDeps) => opensModal(deps, 'drop');

export function onTrackAction(deps: ListenerDeps) {
  return async ({ ack, body, action, client }: Click) => {
    await ack();
    const actor = await actorOf(deps, body);
    const c = await commitmentFor(deps, actor, action.value ?? '');
    await refreshMessage(deps, client, messageRefOf(body), c, md`:thumbsup: On track for ${slackDate(c.dueAt, c.dueTimeZone)}, says ${mention(actor.user.slackUserId)}.`, body.message?.blocks);
  };
}

/** Drafts a polite follow-up the account manager can copy into their email to the customer. */
export function remindCustomerAction(deps: ListenerDeps) {
  return async ({ ack, body, action, client }: Click) => {
    await ack();
    const actor = await actorOf(deps, body);
    const c = await commitmentFor(deps, actor, action.value ?? '');
    const due = DateTime.fromJSDate(c.dueAt, { zone: c.dueTimeZone }).toFormat('cccc d LLLL');
    const draft =
      `Hi,\n\nI hope all is well at ${c.account.name}. A quick check on ${c.title.charAt(0).toLowerCase()}${c.title.slice(1)}, ` +
      `which we had pencilled in for ${due}. Is it still on track, or is there anything we can do to help move it along?\n\nThanks,\n${actor.user.displayName}`;
    await replyPrivately(client, privately(body), message(`A follow-up draft for ${reference(c)}`, [
      section(md`Here is a draft for *${c.account.name}* about *${reference(c)}*; copy it into your email or chat with the customer:`),
      section(md`\`\`\`${draft}\`\`\``),
    ]));
  };
}
