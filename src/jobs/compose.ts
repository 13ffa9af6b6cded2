// A prompt's message is made when its delivery's moment comes, not when the scan raised it: the
// items it carries are read again, the ones no longer true are left out, and what is left is
// rendered from the state it is in now (a rescheduled commitment shows its new date).
import type { DbOrTx } from '../db/client.js';
import type { Delivery } from '../../generated/prisma/client.js';
import { currentPrompts, type PromptRef } from '../services/prompts.js';
import { deliveryMessage } from '../messages/prompts.js';
import type { Message } from '../messages/format.js';

export type Composed =
  /** What to post now, and why any items were left out. */
  | { kind: 'message'; message: Message; left: string[] }
  /** Nothing it carries is still true. */
  | { kind: 'skip'; reason: string };

/** Deliveries whose message is rendered at send time from their prompt items (digests carry theirs). */
const PROMPT_KINDS = new Set([
  'due_soon_dm', 'cadence_due_soon', 'cadence_overdue', 'going_dark', 'commitment_due_soon', 'commitment_overdue', 'customer_follow_up', 'negative_touch', 'renewal',
]);

export const isPromptDelivery = (d: Pick<Delivery, 'kind'>) => PROMPT_KINDS.has(d.kind);

/** Renders what a delivery of `kind` to `destination` carrying `refs` says now. */
export async function composePrompt(db: DbOrTx, d: { kind: string; destination: string }, refs: PromptRef[], now: Date): Promise<Composed> {
  const current = await currentPrompts(db, refs, d.destination, now);
  const live = current.flatMap((c) => ('live' in c ? [c.live] : []));
  const left = current.flatMap((c) => ('stale' in c ? [c.stale] : []));
  if (live.length === 0) return { kind: 'skip', reason: left.length ? left.join('; ') : 'it carried nothing' };
  return { kind: 'message', message: deliveryMessage(d.kind, live), left };
}

/**
 * A recorded prompt delivery, as it would be posted now (its items in the order they were raised).
 * null for a row with no items: one written with its message (by an operator, or a test), posted as it is.
 */
export async function composeDelivery(db: DbOrTx, d: Pick<Delivery, 'id' | 'kind' | 'destination'>, now: Date): Promise<Composed | null> {
  const items = await db.promptItem.findMany({ where: { deliveryId: d.id }, select: { payload: true }, orderBy: [{ createdAt: 'asc' }, { key: 'asc' }] });
  if (items.length === 0) return null;
  return composePrompt(db, d, items.map((i) => i.payload as unknown as PromptRef), now);
}
