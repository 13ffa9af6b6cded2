// The one place listener errors end up: a UserError is shown to the person as written;
// anything else is logged and reported to them as our failure, never silently dropped.
import type { WebClient } from '@slack/web-api';
import type { Logger } from '../logger.js';
import { UserError } from '../services/errors.js';
import { NotAllowed } from '../services/permissions.js';
import { ackIfPending } from './guard.js';
import { replyPrivately, replyTargetOf } from './reply.js';
import { note } from '../messages/format.js';
import { refusalMessage } from '../messages/permissions.js';

export async function handleError(
  args: { error: Error & { original?: unknown }; body?: unknown },
  client: WebClient,
  logger: Logger,
): Promise<void> {
  const original = args.error.original ?? args.error;
  // Acknowledged first (if the listener had not yet), then answered: Slack waits only 3 s.
  await ackIfPending(args.body).catch(() => {});
  const userFacing = original instanceof UserError;
  if (!userFacing) logger.error('listener failed:', original);
  const target = replyTargetOf(args.body);
  if (!target) return;
  // A UserError's message is Kept's sentence with * and ` markup, but it may quote what the person
  // typed, so note() escapes it whole: a quoted <!channel> or <@U…> stays text.
  const msg =
    original instanceof NotAllowed
      ? refusalMessage(original.refusal)
      : note(userFacing ? (original as UserError).message : ':warning: Sorry, that failed on Kept’s side. Please try again in a minute; if it keeps failing, tell whoever runs Kept.');
  await replyPrivately(client, target, msg).catch((err) => logger.error('could not report an error to the user:', err));
}
