// Small modals behind the commitment buttons: reassign and drop. (Reschedule is reschedule-modal.ts.)
import type { View } from '@slack/types';
import { z } from 'zod';
import { COMMITMENT_LIMITS, reference, type CommitmentFull } from '../services/commitments.js';
import { VIEWS } from './ids.js';
import { context, md, mention, modal } from './format.js';
import { keptId, messageTs, slackChannelId, timeZone } from './slack-values.js';

/** Where the clicked message is, so the submission can update it in place. */
export const messageRef = z.object({ channel: slackChannelId, ts: messageTs, multi: z.boolean() }).nullable();
export const actionMeta = z.object({ commitmentId: keptId, timeZone, message: messageRef.default(null) });
export type ActionMeta = z.infer<typeof actionMeta>;

const plain = (text: string) => ({ type: 'plain_text' as const, text });

export function reassignModal(c: CommitmentFull, meta: ActionMeta): View {
  return modal(VIEWS.reassignModal, 'Reassign', meta, [
      context(md`*${reference(c)}* · ${c.title} · now owned by ${mention(c.owner.slackUserId)}`),
      { type: 'input', block_id: 'owner', label: plain('New owner'), element: { type: 'users_select', action_id: 'value' } },
    ], 'Reassign');
}

export function dropModal(c: CommitmentFull, meta: ActionMeta): View {
  return modal(VIEWS.dropModal, 'Drop commitment', meta, [
      context(md`Drop *${reference(c)}* · ${c.title}? It stays in the history as dropped, and no more reminders are sent.`),
      {
        type: 'input',
        block_id: 'reason',
        label: plain('Why is it dropped?'),
        element: { type: 'plain_text_input', action_id: 'value', multiline: true, max_length: COMMITMENT_LIMITS.notes },
      },
    ], 'Drop it', 'Keep it');
}
