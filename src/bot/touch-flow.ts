// Saving a touch from quick add or the modal: once per submission, then a short confirmation in the channel.
import type { WebClient } from '@slack/web-api';
import { accountChannels } from '../services/accounts.js';
import { recordTouch, type NewTouch } from '../services/touches.js';
import { announce } from './announce.js';
import type { ListenerDeps } from './listeners/deps.js';
import { replyPrivately, type ReplyTarget } from './reply.js';
import { note } from '../messages/format.js';
import { touchConfirmation, touchModal, type TouchModalMeta, type TouchPrefill } from '../messages/touch.js';

export async function saveTouch(
  deps: ListenerDeps,
  client: WebClient,
  input: NewTouch,
  channelId: string | null,
  zone: string,
  replyTo: ReplyTarget,
  /** Logged from a message: confirm in its thread. */
  threadTs?: string | null,
): Promise<void> {
  const { created, touch, account } = await recordTouch(deps.db, deps.clock, input);
  if (!created) return replyPrivately(client, replyTo, note('This touch was already logged; nothing new was saved.'));
  const channel = channelId ?? (await accountChannels(deps.db, account.id))[0];
  await announce(client, channel, touchConfirmation(touch, account, zone), replyTo, `Logged the ${touch.kind}`, threadTs);
}

export async function openTouchModal(
  deps: Pick<ListenerDeps, 'logger'>,
  client: WebClient,
  triggerId: string,
  prefill: TouchPrefill,
  meta: TouchModalMeta,
  replyTo: ReplyTarget,
): Promise<{ id: string; hash: string } | null> {
  try {
    const res = await client.views.open({ trigger_id: triggerId, view: touchModal(prefill, meta) });
    return res.view?.id && res.view.hash ? { id: res.view.id, hash: res.view.hash } : null;
  } catch (err) {
    deps.logger.warn('views.open failed for /touch:', (err as Error).message);
    await replyPrivately(client, replyTo, note(`I could not open the form in time (${(err as Error).message}). Please run \`/touch\` again.`));
    return null;
  }
}
