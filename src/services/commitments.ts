// Commitments: who owes what to whom, by when. Every change is written to the append-only history
// in the same transaction as the change itself.
import type { Clock } from '../clock.js';
import type { Db, DbOrTx, Tx } from '../db/client.js';
import type { Direction, Prisma } from '../../generated/prisma/client.js';
import { UserError, isUniqueViolation } from './errors.js';
import { nextPromptAt } from './reminders.js';
import { readSettings } from './settings.js';
import type { SourceMessage } from './touches.js';

export const COMMITMENT_LIMITS = { title: 200, notes: 2000 } as const;

export const commitmentInclude = { account: true, owner: true, createdBy: true } as const;
export type CommitmentFull = Prisma.CommitmentGetPayload<{ include: typeof commitmentInclude }>;

export function reference(c: { number: number }): string {
  return `C-${c.number}`;
}

/** "C-42", "c42", "#42" or "42" → 42; anything else → null. */
export function parseReference(text: string): number | null {
  const m = /^(?:c-?|#)?(\d{1,9})$/i.exec(text.trim());
  return m ? Number(m[1]) : null;
}

export interface NewCommitment {
  workspaceId: string;
  accountId: string;
  ownerId: string;
  createdById: string;
  title: string;
  notes?: string | null;
  direction: Direction;
  dueAt: Date;
  dueTimeZone: string;
  /** slash_command, modal, console… */
  source: string;
  /** Identifies the submission (a trigger or view id): the same key twice creates one commitment. */
  sourceKey: string;
  channelId?: string | null;
  /** The Slack message it was tracked from ("Track as commitment"). */
  sourceMessage?: (SourceMessage & { threadTs: string }) | null;
}

/** Checks what a person typed; each problem is a sentence that says how to fix it. */
export function validateCommitment(input: { title: string; notes?: string | null; dueAt: Date }, now: Date): Record<'title' | 'notes' | 'due', string | undefined> {
  const title = input.title.trim();
  return {
    title: !title
      ? 'Say what is owed, for example “Send revised pricing”.'
      : title.length > COMMITMENT_LIMITS.title
        ? `Keep it to ${COMMITMENT_LIMITS.title} characters (this is ${title.length}); put details in the notes.`
        : undefined,
    notes:
      (input.notes?.length ?? 0) > COMMITMENT_LIMITS.notes
        ? `Notes can be at most ${COMMITMENT_LIMITS.notes} characters (these are ${input.notes!.length}).`
        : undefined,
    due: Number.isNaN(input.dueAt.getTime())
      ? 'Give a due date.'
      : input.dueAt.getTime() < now.getTime()
        ? 'The due date is in the past; pick a time from now on.'
        : undefined,
  };
}

export async function createCommitment(
  db: Db,
  clock: Clock,
  input: NewCommitment,
): Promise<{ created: boolean; commitment: CommitmentFull }> {
  const now = clock.now();
  const problems = Object.values(validateCommitment(input, now)).filter(Boolean);
  if (problems.length) throw new UserError(problems.join(' '));

  try {
    const commitment = await db.$transaction(async (tx) => {
      const ws = await tx.workspace.update({
        where: { id: input.workspaceId },
        data: { nextCommitmentNumber: { increment: 1 } },
        select: { nextCommitmentNumber: true, settings: true },
      });
      const owner = await tx.user.findUniqueOrThrow({ where: { id: input.ownerId }, select: { timeZone: true } });
      const c = await tx.commitment.create({
        data: {
          workspaceId: input.workspaceId,
          number: ws.nextCommitmentNumber - 1,
          title: input.title.trim(),
          notes: input.notes?.trim() || null,
          accountId: input.accountId,
          ownerId: input.ownerId,
          direction: input.direction,
          dueAt: input.dueAt,
          dueTimeZone: input.dueTimeZone,
          originalDueAt: input.dueAt,
          createdById: input.createdById,
          source: input.source,
          sourceKey: input.sourceKey,
          channelId: input.channelId ?? null,
          sourceChannelId: input.sourceMessage?.channelId ?? null,
          sourceMessageTs: input.sourceMessage?.ts ?? null,
          sourceThreadTs: input.sourceMessage?.threadTs ?? null,
          sourcePermalink: input.sourceMessage?.permalink ?? null,
          createdAt: now,
          updatedAt: now,
        },
        include: commitmentInclude,
      });
      await setSchedule(tx, c.id, nextPromptAt(input, owner.timeZone, readSettings(ws.settings).workingHours, now));
      await tx.commitmentEvent.create({
        data: {
          commitmentId: c.id,
          kind: 'created',
          actorId: input.createdById,
          at: now,
          after: { title: c.title, dueAt: c.dueAt.toISOString(), ownerId: c.ownerId, direction: c.direction },
        },
      });
      return c;
    });
    return { created: true, commitment };
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    // The same submission again, or the same message tracked twice: the first one stands.
    const existing =
      (await db.commitment.findUnique({
        where: { workspaceId_sourceKey: { workspaceId: input.workspaceId, sourceKey: input.sourceKey } },
        include: commitmentInclude,
      })) ?? (input.sourceMessage ? await findBySourceMessage(db, input.workspaceId, input.sourceMessage) : null);
    if (!existing) throw err;
    return { created: false, commitment: existing };
  }
}

/** The commitment tracked from a Slack message, if there is one. */
export async function findBySourceMessage(db: DbOrTx, workspaceId: string, source: { channelId: string; ts: string }): Promise<CommitmentFull | null> {
  return db.commitment.findUnique({
    where: { workspaceId_sourceChannelId_sourceMessageTs: { workspaceId, sourceChannelId: source.channelId, sourceMessageTs: source.ts } },
    include: commitmentInclude,
  });
}

export type ThreadChange = 'done' | 'due_changed' | 'dropped';

export interface ThreadReplyClaim {
  eventId: string;
  channelId: string;
  threadTs: string;
  kind: ThreadChange;
  actorSlackId: string | null;
  at: Date;
  reason: string | null;
  previousDueAt: Date | null;
}

/**
 * Claims the reply in the source message's thread for the latest change of this kind, once: a
 * commitment not tracked from a message, or a change already replied to, gives null.
 */
export async function claimThreadReply(db: DbOrTx, commitmentId: string, kind: ThreadChange): Promise<ThreadReplyClaim | null> {
  const c = await db.commitment.findUnique({ where: { id: commitmentId }, select: { sourceChannelId: true, sourceThreadTs: true } });
  if (!c?.sourceChannelId || !c.sourceThreadTs) return null;
  const event = await db.commitmentEvent.findFirst({ where: { commitmentId, kind }, orderBy: { at: 'desc' }, include: { actor: true } });
  if (!event) return null;
  const { count } = await db.threadReply.createMany({
    data: [{ eventId: event.id, commitmentId, channelId: c.sourceChannelId, threadTs: c.sourceThreadTs }],
    skipDuplicates: true,
  });
  if (count === 0) return null;
  const before = (event.before ?? {}) as { dueAt?: string };
  return {
    eventId: event.id,
    channelId: c.sourceChannelId,
    threadTs: c.sourceThreadTs,
    kind,
    actorSlackId: event.actor?.slackUserId ?? null,
    at: event.at,
    reason: event.reason,
    previousDueAt: kind === 'due_changed' && before.dueAt ? new Date(before.dueAt) : null,
  };
}

export async function recordThreadReply(db: DbOrTx, eventId: string, ts: string): Promise<void> {
  await db.threadReply.update({ where: { eventId }, data: { ts } });
}

export async function getCommitment(db: DbOrTx, id: string): Promise<CommitmentFull | null> {
  return db.commitment.findUnique({ where: { id }, include: commitmentInclude });
}

export async function findByReference(db: DbOrTx, workspaceId: string, ref: string): Promise<CommitmentFull> {
  const number = parseReference(ref);
  if (number === null) throw new UserError(`“${ref}” is not a commitment reference; they look like \`C-42\`.`);
  const c = await db.commitment.findUnique({ where: { workspaceId_number: { workspaceId, number } }, include: commitmentInclude });
  if (!c) throw new UserError(`There is no commitment C-${number}. \`/commit list\` shows the open ones.`);
  return c;
}

export type LastChange = { kind: string; at: Date; actorSlackId: string | null };

export type DoneResult =
  | { kind: 'done'; commitment: CommitmentFull }
  | { kind: 'unchanged'; commitment: CommitmentFull; last: LastChange | null };

/** Marks an open commitment done. Idempotent: a second click finds it already done and changes nothing. */
export async function completeCommitment(
  db: Db,
  clock: Clock,
  input: { commitmentId: string; actorId: string },
): Promise<DoneResult> {
  const now = clock.now();
  const changed = await db.$transaction(async (tx) => {
    const { count } = await tx.commitment.updateMany({
      where: { id: input.commitmentId, status: 'open' },
      data: { status: 'done', completedAt: now, updatedAt: now },
    });
    if (count === 0) return false;
    await setSchedule(tx, input.commitmentId, null);
    await tx.commitmentEvent.create({
      data: { commitmentId: input.commitmentId, kind: 'done', actorId: input.actorId, at: now, before: { status: 'open' }, after: { status: 'done' } },
    });
    return true;
  });
  const commitment = await db.commitment.findUniqueOrThrow({ where: { id: input.commitmentId }, include: commitmentInclude });
  if (changed) return { kind: 'done', commitment };
  return { kind: 'unchanged', commitment, last: await lastStatusChange(db, input.commitmentId) };
}

async function lastStatusChange(db: DbOrTx, commitmentId: string): Promise<LastChange | null> {
  const e = await db.commitmentEvent.findFirst({
    where: { commitmentId, kind: { in: ['done', 'dropped', 'reopened'] } },
    orderBy: { at: 'desc' },
    include: { actor: true },
  });
  return e ? { kind: e.kind, at: e.at, actorSlackId: e.actor?.slackUserId ?? null } : null;
}

export async function recordAnnouncement(db: DbOrTx, commitmentId: string, channelId: string, messageTs: string): Promise<void> {
  await db.commitment.update({ where: { id: commitmentId }, data: { channelId, messageTs } });
}

export interface CommitmentFilter {
  workspaceId: string;
  ownerId?: string;
  accountId?: string;
  /** Only those due before this instant (overdue: now). */
  dueBefore?: Date;
}

/** Open commitments, soonest due first, with the total so a view can say "and N more". */
export async function listOpenCommitments(
  db: DbOrTx,
  filter: CommitmentFilter,
  limit = 20,
): Promise<{ items: CommitmentFull[]; total: number }> {
  const where: Prisma.CommitmentWhereInput = {
    workspaceId: filter.workspaceId,
    status: 'open',
    ...(filter.ownerId ? { ownerId: filter.ownerId } : {}),
    ...(filter.accountId ? { accountId: filter.accountId } : {}),
    ...(filter.dueBefore ? { dueAt: { lt: filter.dueBefore } } : {}),
  };
  const [items, total] = await Promise.all([
    db.commitment.findMany({ where, include: commitmentInclude, orderBy: [{ dueAt: 'asc' }, { number: 'asc' }], take: limit }),
    db.commitment.count({ where }),
  ]);
  return { items, total };
}

export type RescheduleResult =
  | { kind: 'rescheduled'; commitment: CommitmentFull; previousDueAt: Date }
  | { kind: 'unchanged'; commitment: CommitmentFull; last: LastChange | null };

/**
 * Moves the due date (the original stays, for the on-time rate) and restarts its prompts.
 * The same request twice moves it once: a second call finds the date already set.
 */
export async function rescheduleCommitment(
  db: Db,
  clock: Clock,
  input: { commitmentId: string; actorId: string; dueAt: Date; reason: string },
): Promise<RescheduleResult> {
  const now = clock.now();
  const reason = input.reason.trim();
  if (!reason) throw new UserError('Say why the date moves; it goes into the history and the update.');
  if (reason.length > COMMITMENT_LIMITS.notes) throw new UserError(`Keep the reason to ${COMMITMENT_LIMITS.notes} characters.`);
  if (input.dueAt <= now) throw new UserError('The new due date is in the past; pick a time from now on.');
  const result = await db.$transaction(async (tx) => {
    const [row] = await tx.$queryRaw<{ due_at: Date; status: string }[]>`SELECT due_at, status FROM commitments WHERE id = ${input.commitmentId}::uuid FOR UPDATE`;
    if (!row || row.status !== 'open' || row.due_at.getTime() === input.dueAt.getTime()) return null;
    const c = await tx.commitment.findUniqueOrThrow({ where: { id: input.commitmentId }, include: { owner: true, workspace: { select: { settings: true } } } });
    await tx.commitment.update({
      where: { id: c.id },
      data: {
        dueAt: input.dueAt,
        updatedAt: now,
      },
    });
    // A new date starts the reminders (and the customer follow-ups) afresh.
    await setSchedule(tx, c.id, nextPromptAt({ direction: c.direction, dueAt: input.dueAt }, c.owner.timeZone, readSettings(c.workspace.settings).workingHours, now), { resetCount: true });
    await tx.commitmentEvent.create({
      data: { commitmentId: c.id, kind: 'due_changed', actorId: input.actorId, at: now, before: { dueAt: row.due_at.toISOString() }, after: { dueAt: input.dueAt.toISOString() }, reason },
    });
    return row.due_at;
  });
  const commitment = await db.commitment.findUniqueOrThrow({ where: { id: input.commitmentId }, include: commitmentInclude });
  if (result) return { kind: 'rescheduled', commitment, previousDueAt: result };
  return { kind: 'unchanged', commitment, last: await lastStatusChange(db, input.commitmentId) };
}

export type ChangeResult =
  | { kind: 'changed'; commitment: CommitmentFull }
  | { kind: 'unchanged'; commitment: CommitmentFull; last: LastChange | null };

async function outcome(db: DbOrTx, id: string, changed: boolean): Promise<ChangeResult> {
  const commitment = await db.commitment.findUniqueOrThrow({ where: { id }, include: commitmentInclude });
  return changed ? { kind: 'changed', commitment } : { kind: 'unchanged', commitment, last: await lastStatusChange(db, id) };
}

/** Drops an open commitment, with a reason. A second click finds it already dropped. */
export async function dropCommitment(db: Db, clock: Clock, input: { commitmentId: string; actorId: string; reason: string }): Promise<ChangeResult> {
  const now = clock.now();
  const reason = input.reason.trim();
  if (!reason) throw new UserError('Say why it is dropped; it goes into the history.');
  const changed = await db.$transaction(async (tx) => {
    const { count } = await tx.commitment.updateMany({ where: { id: input.commitmentId, status: 'open' }, data: { status: 'dropped', updatedAt: now } });
    if (count) {
      await setSchedule(tx, input.commitmentId, null);
      await tx.commitmentEvent.create({ data: { commitmentId: input.commitmentId, kind: 'dropped', actorId: input.actorId, at: now, before: { status: 'open' }, after: { status: 'dropped' }, reason } });
    }
    return count > 0;
  });
  return outcome(db, input.commitmentId, changed);
}

/** Gives an open commitment to someone else; its reminders follow the new owner's zone. */
export async function reassignCommitment(db: Db, clock: Clock, input: { commitmentId: string; actorId: string; ownerId: string }): Promise<ChangeResult> {
  const now = clock.now();
  const changed = await db.$transaction(async (tx) => {
    const [row] = await tx.$queryRaw<{ owner_id: string; status: string }[]>`SELECT owner_id, status FROM commitments WHERE id = ${input.commitmentId}::uuid FOR UPDATE`;
    if (!row || row.status !== 'open' || row.owner_id === input.ownerId) return false;
    const c = await tx.commitment.findUniqueOrThrow({ where: { id: input.commitmentId }, include: { workspace: { select: { settings: true } } } });
    const owner = await tx.user.findUniqueOrThrow({ where: { id: input.ownerId } });
    await tx.commitment.update({
      where: { id: c.id },
      data: { ownerId: owner.id, updatedAt: now },
    });
    await setSchedule(tx, c.id, nextPromptAt(c, owner.timeZone, readSettings(c.workspace.settings).workingHours, now));
    await tx.commitmentEvent.create({ data: { commitmentId: c.id, kind: 'reassigned', actorId: input.actorId, at: now, before: { ownerId: row.owner_id }, after: { ownerId: owner.id } } });
    return true;
  });
  return outcome(db, input.commitmentId, changed);
}

/** Snoozing moves the next prompt, not the due date. */
export async function snoozeCommitment(db: Db, input: { commitmentId: string; until: Date }): Promise<ChangeResult> {
  const changed = await db.$transaction(async (tx) => {
    // The row lock keeps a Done clicked at the same moment from leaving a schedule behind.
    const [row] = await tx.$queryRaw<{ status: string }[]>`SELECT status FROM commitments WHERE id = ${input.commitmentId}::uuid FOR UPDATE`;
    if (row?.status !== 'open') return false;
    await setSchedule(tx, input.commitmentId, input.until);
    return true;
  });
  return outcome(db, input.commitmentId, changed);
}

/** Sets (or, with null, ends) a commitment's next reminder. */
async function setSchedule(tx: Tx, commitmentId: string, next: Date | null, opts: { resetCount?: boolean } = {}): Promise<void> {
  if (!next) {
    await tx.commitmentSchedule.deleteMany({ where: { commitmentId } });
    return;
  }
  await tx.commitmentSchedule.upsert({
    where: { commitmentId },
    create: { commitmentId, nextPromptAt: next },
    update: { nextPromptAt: next, ...(opts.resetCount ? { promptCount: 0 } : {}) },
  });
}
