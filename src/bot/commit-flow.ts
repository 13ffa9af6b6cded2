// The two ways a commitment is saved (quick add and the modal) end here: save once, announce in
// the channel, and explain privately when the channel cannot be posted to.
import type { WebClient } from '@slack/web-api';
import { accountChannels } from '../services/accounts.js';
import { createCommitment, recordAnnouncement, reference, type CommitmentFull, type NewCommitment } from '../services/commitments.js';
import { announce } from './announce.js';
import { ACTIONS } from '../messages/ids.js';
import type { ListenerDeps } from './listeners/deps.js';
import { replyPrivately, type ReplyTarget } from './reply.js';
import { commitModal, type CommitModalMeta, type CommitPrefill } from '../messages/commit-modal.js';
import { commitmentMessage } from '../messages/commitment.js';
import { LIMITS, message, section } from '../messages/format.js';
import { alreadyTracked } from '../messages/source.js';

export async function saveAndAnnounce(
  deps: ListenerDeps,
  client: WebClient,
  input: NewCommitment,
  replyTo: ReplyTarget,
): Promise<CommitmentFull> {
  const { created, commitment } = await createCommitment(deps.db, deps.clock, input);
  if (!created) {
    // The same message tracked twice (another form, another person): show the one that exists.
    if (input.sourceMessage && commitment.sourceKey !== input.sourceKey) {
      await replyPrivately(client, replyTo, alreadyTracked(commitment, deps.clock.now()));
      return commitment;
    }
    await replyPrivately(client, replyTo, message(`Already saved as ${reference(commitment)}.`, [section(`This was already saved as *${reference(commitment)}*; nothing new was created.`)]));
    return commitment;
  }
  // Tracked from a message: the confirmation is a reply in that message's thread.
  const thread = input.sourceMessage ?? null;
  const channel = thread?.channelId ?? input.channelId ?? (await accountChannels(deps.db, input.accountId))[0];
  const posted = await announce(client, channel, commitmentMessage(commitment, deps.clock.now()), replyTo, `Saved ${reference(commitment)}`, thread?.threadTs);
  if (posted) await recordAnnouncement(deps.db, commitment.id, posted.channel, posted.ts);
  return commitment;
}

/**
 * Opens the /commit modal. A trigger lives 3 s; when it has expired (a slow moment), the person
 * gets a button that opens the same prefilled form with a fresh trigger instead of an error.
 */
export async function openCommitModal(
  deps: Pick<ListenerDeps, 'logger'>,
  client: WebClient,
  triggerId: string,
  prefill: CommitPrefill,
  meta: CommitModalMeta,
  replyTo: ReplyTarget,
): Promise<{ id: string; hash: string } | null> {
  try {
    const res = await client.views.open({ trigger_id: triggerId, view: commitModal(prefill, meta) });
    return res.view?.id && res.view.hash ? { id: res.view.id, hash: res.view.hash } : null;
  } catch (err) {
    const value = JSON.stringify({ prefill: { ...prefill, notes: undefined, problems: undefined }, meta }).slice(0, LIMITS.buttonValue);
    await replyPrivately(
      client,
      replyTo,
      message('Open the commitment form', [
        section(`${(prefill.problems ?? []).join(' ')} Finish it in the form.`.trim()),
        {
          type: 'actions',
          elements: [{ type: 'button', action_id: ACTIONS.openCommitModal, text: { type: 'plain_text', text: 'Open the form' }, value: value.length < LIMITS.buttonValue ? value : JSON.stringify({ prefill: {}, meta }) }],
        },
      ]),
    );
    deps.logger.warn('views.open failed; offered a button instead:', (err as Error).message);
    return null;
  }
}
