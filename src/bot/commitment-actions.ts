// What every commitment button shares: who may act, and updating the clicked message in place.
import type { KnownBlock } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import { getCommitment, reference, type CommitmentFull } from '../services/commitments.js';
import { UserError } from '../services/errors.js';
import { commitmentPolicy } from '../services/permissions.js';
import type { ListenerDeps } from './listeners/deps.js';
import type { Actor } from './people.js';
import { isKeptId, isSlackChannelId, messageTs } from '../messages/slack-values.js';
import { commitmentActions, commitmentMessage } from '../messages/commitment.js';
import type { ActionMeta } from '../messages/commitment-modals.js';
import { type Mrkdwn, context, message } from '../messages/format.js';

interface ClickBody {
  team?: { id: string } | null;
  user: { id: string; team_id?: string };
  channel?: { id: string };
  message?: { ts: string; blocks?: unknown[] };
  container?: { type?: string; view_id?: string };
}

export async function actorOf(deps: ListenerDeps, body: Pick<ClickBody, 'team' | 'user'>): Promise<Actor> {
  return deps.directory.actor(body.team?.id ?? body.user.team_id ?? '', body.user.id);
}

/**
 * Loads the commitment a button or modal is about, and refuses anyone who may not change it
 * (with an answer that says who may), before anything changes.
 */
export async function commitmentFor(deps: ListenerDeps, actor: Actor, commitmentId: string): Promise<CommitmentFull> {
  // Not an id Kept ever wrote into a button: the same answer as a commitment that was deleted.
  if (!isKeptId(commitmentId)) throw new UserError('That commitment no longer exists.');
  const c = await getCommitment(deps.db, commitmentId);
  if (!c || c.workspaceId !== actor.workspace.id) throw new UserError('That commitment no longer exists.');
  await deps.directory.authorize(actor, commitmentPolicy(c));
  return c;
}

/** The clicked message, if the click came from one (not from a modal or the App Home). */
export function messageRefOf(body: ClickBody): ActionMeta['message'] {
  if (!isSlackChannelId(body.channel?.id) || !messageTs.safeParse(body.message?.ts).success) return null;
  const items = (body.message!.blocks ?? []).filter((b) => String((b as { block_id?: string }).block_id ?? '').startsWith('commitment:'));
  return { channel: body.channel!.id, ts: body.message!.ts, multi: items.length > 1 };
}

/**
 * Shows the new state where the person clicked: a one-commitment message is redrawn whole; in a
 * message about several (a DM, a digest) only this item's buttons are replaced.
 */
export async function refreshMessage(
  deps: ListenerDeps,
  client: WebClient,
  ref: ActionMeta['message'],
  c: CommitmentFull,
  note: Mrkdwn,
  currentBlocks?: unknown[],
): Promise<void> {
  if (!ref) return;
  if (!ref.multi) {
    const msg = commitmentMessage(c, deps.clock.now(), note);
    await client.chat.update({ channel: ref.channel, ts: ref.ts, text: msg.text, blocks: msg.blocks });
    return;
  }
  if (!currentBlocks) {
    const res = await client.conversations.history({ channel: ref.channel, latest: ref.ts, inclusive: true, limit: 1 });
    currentBlocks = (res.messages?.[0] as { blocks?: unknown[] } | undefined)?.blocks ?? [];
  }
  const blocks = (currentBlocks as KnownBlock[]).flatMap((b) =>
    (b as { block_id?: string }).block_id === `commitment:${c.id}` ? [context(note), ...(c.status === 'open' ? [commitmentActions(c)] : [])] : [b],
  );
  // Block ids must stay unique: the state note takes none.
  await client.chat.update({ channel: ref.channel, ts: ref.ts, ...message(`${reference(c)} updated`, blocks) });
}
