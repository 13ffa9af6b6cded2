// What the workers should say, and to whom: everything that crossed a line in a time window.
// Each query is an indexed range over what is due (cadence moments, next_prompt_at, touch
// creation, renewal dates), so a tick costs what is due, not what is stored.
import type { DbOrTx } from '../db/client.js';
import { Prisma, type Direction } from '../generated/prisma/client.js';
import { intervalDays } from './cadence.js';
import { nextPromptAt, promptKindAt, promptMoments } from './reminders.js';
import { readSettings, type PromptName, type WorkspaceSettings } from './settings.js';

export type PromptKind =
  | 'cadence_due_soon'
  | 'cadence_overdue'
  | 'going_dark'
  | 'commitment_due_soon'
  | 'commitment_overdue'
  | 'customer_follow_up'
  | 'negative_touch'
  | 'renewal';

const SETTING: Record<PromptKind, PromptName> = {
  cadence_due_soon: 'cadenceDueSoon',
  cadence_overdue: 'cadenceOverdue',
  going_dark: 'goingDark',
  commitment_due_soon: 'commitmentDueSoon',
  commitment_overdue: 'commitmentOverdue',
  customer_follow_up: 'customerFollowUp',
  negative_touch: 'negativeTouch',
  renewal: 'renewal',
};

export type Recipient =
  | { kind: 'dm'; slackUserId: string; timeZone: string }
  | { kind: 'channel'; channelId: string };

interface AccountRef {
  accountId: string;
  accountName: string;
  ownerSlackId: string | null;
}

export type PromptPayload =
  | ({ kind: 'cadence_due_soon' | 'cadence_overdue' | 'going_dark'; dueAt: string; lastTouchAt: string | null; intervalDays: number } & AccountRef)
  | ({ kind: 'commitment_due_soon' | 'commitment_overdue' | 'customer_follow_up'; commitmentId: string; number: number; title: string; direction: Direction; dueAt: string; dueTimeZone: string; followUp: number } & AccountRef)
  | ({ kind: 'negative_touch'; touchId: string; touchKind: string; summary: string; loggedBySlackId: string; occurredAt: string } & AccountRef)
  | ({ kind: 'renewal'; renewalDate: string; daysBefore: number; lastTouchAt: string | null; intervalDays: number } & AccountRef);

export interface PromptDraft {
  workspaceId: string;
  /** kind:target:period — the same key is never raised twice. */
  key: string;
  kind: PromptKind;
  recipient: Recipient;
  /** Due-soon items for one person are combined into one DM a day. */
  combine: boolean;
  /** Direct messages wait for the recipient's working hours. */
  workingHours: WorkspaceSettings['workingHours'];
  payload: PromptPayload;
}

export const RENEWAL_DAYS = [90, 60, 30] as const;
const DAY_MS = 24 * 60 * 60 * 1000;

const accountInclude = {
  owner: { select: { slackUserId: true, timeZone: true } },
  channels: { select: { channelId: true }, orderBy: { createdAt: 'asc' as const }, take: 1 },
  workspace: { select: { settings: true } },
} as const;
type AccountRow = Prisma.AccountGetPayload<{ include: typeof accountInclude }>;

/** The account's channel, or its owner's DM when it has none; null when there is nobody to tell. */
function accountRecipient(a: AccountRow): Recipient | null {
  if (a.channels[0]) return { kind: 'channel', channelId: a.channels[0].channelId };
  return a.owner ? { kind: 'dm', slackUserId: a.owner.slackUserId, timeZone: a.owner.timeZone } : null;
}

const ref = (a: { id: string; name: string; owner: { slackUserId: string } | null }): AccountRef => ({
  accountId: a.id,
  accountName: a.name,
  ownerSlackId: a.owner?.slackUserId ?? null,
});

/**
 * Everything that became due in (from, to]. Commitment prompts are a work queue instead (their
 * next_prompt_at ≤ to): the ones returned are advanced to their next moment in the same
 * transaction, which is why this takes a transaction.
 */
export async function collectPrompts(tx: DbOrTx, window: { from: Date; to: Date }): Promise<PromptDraft[]> {
  const { from, to } = window;
  const inWindow = { gt: from, lte: to };
  const live = { archived: false };
  // One transaction, one connection: the queries run one after another.
  const warned = await tx.account.findMany({ where: { ...live, ownerId: { not: null }, cadenceWarnAt: inWindow, cadenceDueAt: { gt: to } }, include: accountInclude });
  const due = await tx.account.findMany({ where: { ...live, cadenceDueAt: inWindow, cadenceDarkAt: { gt: to } }, include: accountInclude });
  const dark = await tx.account.findMany({ where: { ...live, cadenceDarkAt: inWindow }, include: accountInclude });
  const commitments = await tx.commitment.findMany({
    where: { status: 'open', nextPromptAt: { lte: to } },
    include: { owner: { select: { slackUserId: true, timeZone: true } }, account: { include: accountInclude } },
  });
  const touches = await tx.touch.findMany({
    where: { sentiment: 'negative', kind: { not: 'note' }, createdAt: inWindow },
    include: { loggedBy: { select: { slackUserId: true } }, account: { include: accountInclude } },
  });
  const renewals = await tx.account.findMany({
    where: {
      ...live,
      OR: RENEWAL_DAYS.map((d) => ({ renewalDate: { gt: new Date(from.getTime() + (d - 1) * DAY_MS), lte: new Date(to.getTime() + d * DAY_MS) } })),
    },
    include: accountInclude,
  });

  const drafts: PromptDraft[] = [];
  const push = (settingsRaw: unknown, d: Omit<PromptDraft, 'workingHours'>) => {
    const settings = readSettings(settingsRaw);
    if (settings.prompts[SETTING[d.kind]]) drafts.push({ ...d, workingHours: settings.workingHours });
  };
  const cadence = (a: AccountRow) => ({
    ...ref(a),
    dueAt: a.cadenceDueAt!.toISOString(),
    lastTouchAt: a.lastTouchAt?.toISOString() ?? null,
    intervalDays: intervalDays(a, readSettings(a.workspace.settings)),
  });

  for (const a of warned) {
    push(a.workspace.settings, {
      workspaceId: a.workspaceId,
      // The warn moment is the period: a snooze re-arms it, a touch moves it.
      key: `cadence_due_soon:${a.id}:${a.cadenceWarnAt!.toISOString()}`,
      kind: 'cadence_due_soon',
      recipient: { kind: 'dm', slackUserId: a.owner!.slackUserId, timeZone: a.owner!.timeZone },
      combine: true,
      payload: { kind: 'cadence_due_soon', ...cadence(a) },
    });
  }
  for (const [rows, kind] of [[due, 'cadence_overdue'], [dark, 'going_dark']] as const) {
    for (const a of rows) {
      const recipient = accountRecipient(a);
      if (!recipient) continue;
      const moment = kind === 'cadence_overdue' ? a.cadenceDueAt! : a.cadenceDarkAt!;
      push(a.workspace.settings, { workspaceId: a.workspaceId, key: `${kind}:${a.id}:${moment.toISOString()}`, kind, recipient, combine: false, payload: { kind, ...cadence(a) } });
    }
  }

  const advanced: Prisma.Sql[] = [];
  for (const c of commitments) {
    const settings = readSettings(c.account.workspace.settings);
    // After a gap (workers down, a snooze), speak for the latest moment that has passed, once.
    const at = [c.nextPromptAt!, ...promptMoments(c, c.owner.timeZone, settings.workingHours)].filter((m) => m <= to).reduce((a, b) => (b > a ? b : a));
    const kind = promptKindAt(c, at);
    const next = nextPromptAt(c, c.owner.timeZone, settings.workingHours, to);
    advanced.push(Prisma.sql`(${c.id}::uuid, ${next}::timestamptz, ${kind === 'customer_follow_up' ? c.promptCount + 1 : c.promptCount}::int)`);
    const recipient: Recipient | null =
      kind === 'commitment_overdue' ? accountRecipient(c.account) : { kind: 'dm', slackUserId: c.owner.slackUserId, timeZone: c.owner.timeZone };
    if (!recipient) continue;
    push(c.account.workspace.settings, {
      workspaceId: c.workspaceId,
      key: `${kind}:${c.id}:${kind === 'commitment_overdue' ? c.dueAt.toISOString() : at.toISOString()}`,
      kind,
      recipient,
      combine: kind === 'commitment_due_soon',
      payload: {
        kind,
        ...ref(c.account),
        ownerSlackId: c.owner.slackUserId,
        commitmentId: c.id,
        number: c.number,
        title: c.title,
        direction: c.direction,
        dueAt: c.dueAt.toISOString(),
        dueTimeZone: c.dueTimeZone,
        followUp: c.promptCount + 1,
      },
    });
  }
  if (advanced.length) {
    await tx.$executeRaw`
      UPDATE commitments AS c SET next_prompt_at = v.next, prompt_count = v.count
      FROM (VALUES ${Prisma.join(advanced)}) AS v(id, next, count)
      WHERE c.id = v.id`;
  }

  for (const t of touches) {
    const recipient = accountRecipient(t.account);
    if (!recipient) continue;
    push(t.account.workspace.settings, {
      workspaceId: t.workspaceId,
      key: `negative_touch:${t.id}`,
      kind: 'negative_touch',
      recipient,
      combine: false,
      payload: {
        kind: 'negative_touch',
        ...ref(t.account),
        touchId: t.id,
        touchKind: t.kind,
        summary: t.summary,
        loggedBySlackId: t.loggedBy.slackUserId,
        occurredAt: t.occurredAt.toISOString(),
      },
    });
  }

  for (const a of renewals) {
    const settings = readSettings(a.workspace.settings);
    const interval = intervalDays(a, settings);
    // Thin contact: no counted touch within the cadence interval.
    if (a.lastTouchAt && a.lastTouchAt.getTime() > to.getTime() - interval * DAY_MS) continue;
    const recipient = accountRecipient(a);
    if (!recipient) continue;
    for (const d of RENEWAL_DAYS) {
      const moment = new Date(a.renewalDate!.getTime() - d * DAY_MS);
      if (!(moment > from && moment <= to)) continue;
      const renewalDate = a.renewalDate!.toISOString().slice(0, 10);
      push(a.workspace.settings, {
        workspaceId: a.workspaceId,
        key: `renewal_${d}:${a.id}:${renewalDate}`,
        kind: 'renewal',
        recipient,
        combine: false,
        payload: { kind: 'renewal', ...ref(a), renewalDate, daysBefore: d, lastTouchAt: a.lastTouchAt?.toISOString() ?? null, intervalDays: interval },
      });
    }
  }
  return drafts;
}
