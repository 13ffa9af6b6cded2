// Touchpoints: real interactions with a customer. A counted touch (anything but a note) restarts
// the account's cadence clock from when it happened.
import type { Clock } from '../clock.js';
import type { Db, DbOrTx } from '../db/client.js';
import { Prisma, type Account, type Contact, type ContactRole, type Sentiment, type TouchKind } from '../../generated/prisma/client.js';
import { refreshCadence } from './cadence.js';
import { UserError, isUniqueViolation } from './errors.js';
import { CONTACT_NAME_MAX } from './contacts.js';
import { normalizeName } from './match.js';

export const TOUCH_SUMMARY_MAX = 1000;
export const TOUCH_PARTICIPANTS_MAX = 20;

export const touchInclude = { account: { include: { owner: { select: { timeZone: true } } } }, loggedBy: true, contacts: { include: { contact: true } } } as const;
export type TouchFull = Prisma.TouchGetPayload<{ include: typeof touchInclude }>;

export interface NewTouch {
  workspaceId: string;
  accountId: string;
  kind: TouchKind;
  occurredAt: Date;
  summary: string;
  sentiment: Sentiment;
  /** Who else took part: free text, and colleagues as <@U…>. */
  participants: string[];
  /** Existing contacts of the account who took part. */
  contactIds: string[];
  /** Contacts to create on the account and link (offered in the modal for unknown names). */
  newContacts: { name: string; title?: string | null }[];
  loggedById: string;
  source: string;
  sourceKey: string;
  /** The Slack message it was logged from ("Log as touch"). */
  sourceMessage?: SourceMessage | null;
}

export interface SourceMessage {
  channelId: string;
  ts: string;
  permalink: string | null;
}

export function validateTouch(input: { summary: string; occurredAt: Date; participants: string[] }, now: Date): Record<'summary' | 'when' | 'participants', string | undefined> {
  const summary = input.summary.trim();
  return {
    summary: !summary
      ? 'Add a short summary of what happened, e.g. “renewal on track”.'
      : summary.length > TOUCH_SUMMARY_MAX
        ? `Keep the summary to ${TOUCH_SUMMARY_MAX} characters (this is ${summary.length}).`
        : undefined,
    // A minute of grace for clocks that disagree.
    when: Number.isNaN(input.occurredAt.getTime())
      ? 'Say when it happened.'
      : input.occurredAt.getTime() > now.getTime() + 60_000
        ? 'That is in the future; log a touch after it happens.'
        : undefined,
    participants: input.participants.length > TOUCH_PARTICIPANTS_MAX ? `At most ${TOUCH_PARTICIPANTS_MAX} participants.` : undefined,
  };
}

export async function recordTouch(db: Db, clock: Clock, input: NewTouch): Promise<{ created: boolean; touch: TouchFull; account: TouchFull['account'] }> {
  const now = clock.now();
  const problems = Object.values(validateTouch(input, now)).filter(Boolean);
  if (problems.length) throw new UserError(problems.join(' '));
  try {
    return await db.$transaction(async (tx) => {
      const created = await ensureContacts(tx, input);
      const touch = await tx.touch.create({
        data: {
          workspaceId: input.workspaceId,
          accountId: input.accountId,
          kind: input.kind,
          occurredAt: input.occurredAt,
          summary: input.summary.trim(),
          sentiment: input.sentiment,
          participants: input.participants,
          loggedById: input.loggedById,
          source: input.source,
          sourceKey: input.sourceKey,
          sourceChannelId: input.sourceMessage?.channelId ?? null,
          sourceMessageTs: input.sourceMessage?.ts ?? null,
          sourcePermalink: input.sourceMessage?.permalink ?? null,
          createdAt: now,
          contacts: { create: [...new Set([...input.contactIds, ...created])].map((contactId) => ({ contactId })) },
        },
        include: touchInclude,
      });
      if (input.kind !== 'note') {
        // A backdated touch only moves the clock if it is the latest one.
        await tx.$executeRaw`
          UPDATE accounts SET last_touch_at = GREATEST(COALESCE(last_touch_at, ${input.occurredAt}), ${input.occurredAt}), updated_at = ${now}
          WHERE id = ${input.accountId}::uuid`;
        await refreshCadence(tx, { accountIds: [input.accountId] });
      }
      const account = await tx.account.findUniqueOrThrow({ where: { id: input.accountId }, include: touchInclude.account.include });
      return { created: true, touch, account };
    });
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    const touch = await db.touch.findUnique({
      where: { workspaceId_sourceKey: { workspaceId: input.workspaceId, sourceKey: input.sourceKey } },
      include: touchInclude,
    });
    if (!touch) throw err;
    return { created: false, touch, account: touch.account };
  }
}

/** A logged touch, with its account, for the actions that come after it (or null if it is gone). */
export async function getTouch(db: DbOrTx, touchId: string): Promise<TouchFull | null> {
  if (!/^[0-9a-f-]{36}$/i.test(touchId)) return null;
  return db.touch.findUnique({ where: { id: touchId }, include: touchInclude });
}

/**
 * "Add Bill as a key contact" on a touch's confirmation: makes the participant `participant` (a
 * typed name) a key contact of the touch's account, under `name` (which may be fuller), and links
 * the touch to the contact instead of the name, in one transaction. A contact of that name that
 * already exists (added meanwhile, or a second click) is linked, not duplicated.
 */
export async function addTouchContact(
  db: Db,
  input: { touchId: string; participant: string; name: string; role: ContactRole | null; title?: string | null },
): Promise<{ contact: Contact; created: boolean; touch: TouchFull }> {
  const name = input.name.trim().replace(/\s+/g, ' ');
  if (!name) throw new UserError('The contact needs a name.');
  if (name.length > CONTACT_NAME_MAX) throw new UserError(`A contact name can be at most ${CONTACT_NAME_MAX} characters.`);
  return db.$transaction(async (tx) => {
    const touch = await tx.touch.findUnique({ where: { id: input.touchId } });
    if (!touch) throw new UserError('That touch no longer exists.');
    const key = { accountId: touch.accountId, normalizedName: normalizeName(name) };
    const existing = await tx.contact.findUnique({ where: { accountId_normalizedName: key } });
    const contact =
      existing ??
      (await tx.contact.create({
        data: { workspaceId: touch.workspaceId, ...key, name, role: input.role, title: input.title?.trim() || null },
      }));
    await tx.touchContact.createMany({ data: [{ touchId: touch.id, contactId: contact.id }], skipDuplicates: true });
    const drop = new Set([normalizeName(input.participant), key.normalizedName]);
    const participants = touch.participants.filter((p) => !drop.has(normalizeName(p)));
    const updated = await tx.touch.update({ where: { id: touch.id }, data: { participants }, include: touchInclude });
    return { contact, created: !existing, touch: updated };
  });
}

async function ensureContacts(tx: DbOrTx, input: NewTouch): Promise<string[]> {
  if (input.newContacts.length === 0) return [];
  const rows = input.newContacts.map((c) => ({
    workspaceId: input.workspaceId,
    accountId: input.accountId,
    name: c.name.trim(),
    normalizedName: normalizeName(c.name),
    title: c.title?.trim() || null,
  }));
  await tx.contact.createMany({ data: rows, skipDuplicates: true });
  const found = await tx.contact.findMany({ where: { accountId: input.accountId, normalizedName: { in: rows.map((r) => r.normalizedName) } }, select: { id: true } });
  return found.map((c) => c.id);
}

export type TimelineEntry =
  | { type: 'touch'; id: string; at: Date; kind: TouchKind; summary: string; sentiment: Sentiment; actorSlackId: string | null; participants: string[]; contacts: string[]; permalink?: string | null }
  | {
      type: 'commitment';
      id: string;
      at: Date;
      event: string;
      number: number;
      title: string;
      direction: string;
      actorSlackId: string | null;
      reason: string | null;
      before: unknown;
      after: unknown;
      /** The Slack message the commitment was tracked from. */
      permalink?: string | null;
    };

export interface TimelineCursor {
  at: Date;
  id: string;
}

interface TimelineRow {
  type: 'touch' | 'commitment';
  id: string;
  at: Date;
  kind: string;
  text: string;
  sentiment: string | null;
  actor: string | null;
  number: number | null;
  direction: string | null;
  reason: string | null;
  before: unknown;
  after: unknown;
  participants: string[] | null;
  permalink: string | null;
}

/** An account's touches and commitment events, newest first, a page at a time (keyset pagination). */
export async function accountTimeline(
  db: DbOrTx,
  accountId: string,
  opts: { before?: TimelineCursor; limit: number },
): Promise<{ entries: TimelineEntry[]; next: TimelineCursor | null }> {
  const cursor = opts.before ? Prisma.sql`WHERE (x.at, x.id) < (${opts.before.at}::timestamptz, ${opts.before.id}::uuid)` : Prisma.empty;
  const rows = await db.$queryRaw<TimelineRow[]>`
    SELECT * FROM (
      SELECT 'touch' AS type, t.id, t.occurred_at AS at, t.kind::text AS kind, t.summary AS text, t.sentiment::text AS sentiment,
             u.slack_user_id AS actor, NULL::int AS number, NULL AS direction, NULL AS reason, NULL::jsonb AS before, NULL::jsonb AS after,
             t.participants, t.source_permalink AS permalink
      FROM touches t JOIN users u ON u.id = t.logged_by_id
      WHERE t.account_id = ${accountId}::uuid
      UNION ALL
      SELECT 'commitment', e.id, e.at, e.kind::text, c.title, NULL, u.slack_user_id, c.number, c.direction::text, e.reason, e.before, e.after, NULL, c.source_permalink
      FROM commitment_events e JOIN commitments c ON c.id = e.commitment_id LEFT JOIN users u ON u.id = e.actor_id
      WHERE c.account_id = ${accountId}::uuid
    ) x
    ${cursor}
    ORDER BY x.at DESC, x.id DESC
    LIMIT ${opts.limit + 1}`;
  const page = rows.slice(0, opts.limit);
  const touchIds = page.filter((r) => r.type === 'touch').map((r) => r.id);
  const links = touchIds.length
    ? await db.touchContact.findMany({ where: { touchId: { in: touchIds } }, include: { contact: { select: { name: true } } } })
    : [];
  const entries = page.map((r): TimelineEntry =>
    r.type === 'touch'
      ? {
          type: 'touch',
          id: r.id,
          at: r.at,
          kind: r.kind as TouchKind,
          summary: r.text,
          sentiment: r.sentiment as Sentiment,
          actorSlackId: r.actor,
          participants: r.participants ?? [],
          contacts: links.filter((l) => l.touchId === r.id).map((l) => l.contact.name),
          permalink: r.permalink,
        }
      : {
          type: 'commitment',
          id: r.id,
          at: r.at,
          event: r.kind,
          number: r.number!,
          title: r.text,
          direction: r.direction!,
          actorSlackId: r.actor,
          reason: r.reason,
          before: r.before,
          after: r.after,
          permalink: r.permalink,
        },
  );
  const last = page.at(-1);
  return { entries, next: rows.length > opts.limit && last ? { at: last.at, id: last.id } : null };
}
