// Submission of "Add a key contact" (from a touch confirmation): create the contact, link it to the
// touch in place of the typed name, and bring the confirmation up to date.
import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { ROLE_LABEL } from '../../../services/contacts.js';
import { UserError } from '../../../services/errors.js';
import { contactPolicy } from '../../../services/permissions.js';
import { addTouchContact, getTouch } from '../../../services/touches.js';
import { actorOf } from '../../commitment-actions.js';
import { replyPrivately } from '../../reply.js';
import { addContactMeta, readAddContactModal } from '../../../messages/contact-modal.js';
import { md, note } from '../../../messages/format.js';
import { readJson } from '../../../messages/slack-values.js';
import { refuseForm } from '../../guard.js';
import { KIND_LABEL, touchConfirmation } from '../../../messages/touch.js';
import type { ListenerDeps } from '../deps.js';

type Args = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

export function addContactSubmit(deps: ListenerDeps) {
  return async ({ ack, body, view, client }: Args) => {
    const meta = readJson(view.private_metadata, addContactMeta);
    if (!meta) return refuseForm(ack, body, client, deps.logger, 'add-contact form metadata');
    const read = readAddContactModal(view.state.values);
    if (!read.ok) return ack({ response_action: 'errors', errors: read.errors });
    await ack();
    const actor = await actorOf(deps, body);
    const touch = await getTouch(deps.db, meta.touchId);
    if (!touch || touch.workspaceId !== actor.workspace.id) throw new UserError('That touch no longer exists; nothing was saved.');
    await deps.directory.authorize(actor, contactPolicy(touch.account));
    const { contact, created, touch: updated } = await addTouchContact(deps.db, { touchId: touch.id, participant: meta.name, name: read.name, role: read.role, title: read.title });
    if (meta.message) {
      const msg = touchConfirmation(updated, updated.account, meta.timeZone);
      await client.chat
        .update({ channel: meta.message.channel, ts: meta.message.ts, text: msg.text, blocks: msg.blocks })
        .catch((err: Error) => deps.logger.warn('could not update the touch confirmation:', err.message));
    }
    const role = contact.role ? ` (${ROLE_LABEL[contact.role]})` : '';
    const said = created
      ? md`Added *${contact.name}*${role} as a key contact of *${updated.account.name}*, linked to the ${KIND_LABEL[updated.kind].toLowerCase()}.`
      : md`*${contact.name}* was already a key contact of *${updated.account.name}*; linked to the ${KIND_LABEL[updated.kind].toLowerCase()}.`;
    await replyPrivately(client, { userId: body.user.id, channelId: meta.message?.channel ?? null }, note(said));
  };
}
