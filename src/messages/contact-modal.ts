// "Add Bill as a key contact": the button on a touch confirmation and the small form behind it
// (name prefilled, a role, an optional title).
import type { View } from '@slack/types';
import { z } from 'zod';
import type { ContactRole } from '../../generated/prisma/client.js';
import { CONTACT_NAME_MAX, ROLE_LABEL } from '../services/contacts.js';
import { ACTIONS, CONTACT_BLOCKS as B, VIEWS } from './ids.js';
import { keptId, messageTs, slackChannelId, timeZone } from './slack-values.js';
import { LIMITS, button, context, md, modal, truncate, type StateValues } from './format.js';

/** What the button carries: the touch and the name as it was typed. */
export const addContactValue = z.object({ touchId: keptId, name: z.string().min(1).max(CONTACT_NAME_MAX) });
export type AddContactValue = z.infer<typeof addContactValue>;

/** The form's private metadata: the touch, the typed name, and the confirmation to update afterwards. */
export const addContactMeta = addContactValue.extend({
  timeZone,
  message: z.object({ channel: slackChannelId, ts: messageTs }).nullable(),
});
export type AddContactMeta = z.infer<typeof addContactMeta>;

export function addContactButton(touchId: string, name: string) {
  const value = JSON.stringify({ touchId, name } satisfies AddContactValue);
  return button(ACTIONS.addTouchContact, truncate(`Add ${name} as a key contact`, LIMITS.optionText), value);
}

const plain = (text: string) => ({ type: 'plain_text' as const, text: truncate(text, LIMITS.optionText) });
const ROLES = Object.keys(ROLE_LABEL) as ContactRole[];
const roleOption = (r: ContactRole) => ({ text: plain(ROLE_LABEL[r][0]!.toUpperCase() + ROLE_LABEL[r].slice(1)), value: r });

export function addContactModal(account: { name: string }, meta: AddContactMeta): View {
  return modal(VIEWS.addContactModal, 'Add a key contact', meta, [
    context(md`A key contact of *${account.name}*, linked to the touch that named them.`),
    {
      type: 'input',
      block_id: B.name,
      label: plain('Name'),
      element: { type: 'plain_text_input', action_id: 'value', max_length: CONTACT_NAME_MAX, initial_value: meta.name.slice(0, CONTACT_NAME_MAX) },
    },
    {
      type: 'input',
      block_id: B.role,
      label: plain('Role'),
      hint: plain('Decision maker: signs off. Champion (or coach): argues for you inside. Influencer: shapes the decision. Executive sponsor: senior backer. User: works with the product.'),
      element: { type: 'static_select', action_id: 'value', placeholder: plain('Choose a role'), options: ROLES.map(roleOption) },
    },
    {
      type: 'input',
      block_id: B.title,
      optional: true,
      label: plain('Title'),
      element: { type: 'plain_text_input', action_id: 'value', max_length: 80, placeholder: plain('e.g. CFO') },
    },
  ], 'Add');
}

export function readAddContactModal(values: StateValues): { ok: true; name: string; role: ContactRole; title: string | null } | { ok: false; errors: Record<string, string> } {
  const field = (block: string) => values[block]?.value;
  const name = (field(B.name)?.value ?? '').trim().replace(/\s+/g, ' ');
  const role = field(B.role)?.selected_option?.value as ContactRole | undefined;
  const title = (field(B.title)?.value ?? '').trim();
  const errors: Record<string, string> = {};
  if (!name) errors[B.name] = 'Give the contact’s name.';
  else if (name.length > CONTACT_NAME_MAX) errors[B.name] = `A name can be at most ${CONTACT_NAME_MAX} characters.`;
  else if (/[<>]/.test(name)) errors[B.name] = 'Write the name as plain text (no < or >).';
  if (!role || !ROLES.includes(role)) errors[B.role] = 'Choose the contact’s role.';
  if (/[<>]/.test(title)) errors[B.title] = 'Write the title as plain text (no < or >).';
  if (Object.keys(errors).length) return { ok: false, errors };
  return { ok: true, name, role: role!, title: title || null };
}
