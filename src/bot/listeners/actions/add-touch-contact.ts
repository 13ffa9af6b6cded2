// "Add Bill as a key contact" on a touch confirmation: opens the small form, prefilled.
import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { UserError } from '../../../services/errors.js';
import { contactPolicy } from '../../../services/permissions.js';
import { getTouch } from '../../../services/touches.js';
import { actorOf } from '../../commitment-actions.js';
import { replyPrivately } from '../../reply.js';
import { addContactModal, addContactValue } from '../../../messages/contact-modal.js';
import { md, note } from '../../../messages/format.js';
import { readJson } from '../../../messages/slack-values.js';
import type { ListenerDeps } from '../deps.js';

type Click = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

export function addTouchContactAction(deps: ListenerDeps) {
  return async ({ ack, body, action, client }: Click) => {
    await ack();
    const value = readJson(action.value, addContactValue);
    if (!value) throw new UserError('That button is out of date; add the contact with `/kept contact add`.');
    const actor = await actorOf(deps, body);
    const touch = await getTouch(deps.db, value.touchId);
    if (!touch || touch.workspaceId !== actor.workspace.id) throw new UserError('That touch no longer exists.');
    await deps.directory.authorize(actor, contactPolicy(touch.account));
    if (!touch.participants.includes(value.name)) {
      const to = { userId: body.user.id, channelId: body.channel?.id ?? null, responseUrl: body.response_url ?? null };
      return replyPrivately(client, to, note(md`*${value.name}* is already a key contact on this touch.`));
    }
    const message = body.channel?.id && body.message?.ts ? { channel: body.channel.id, ts: body.message.ts } : null;
    await client.views.open({ trigger_id: body.trigger_id, view: addContactModal(touch.account, { ...value, timeZone: actor.user.timeZone, message }) });
  };
}
