// One scheduler tick: find what became due since the last tick, and write it to the delivery
// ledger in the same transaction that moves the scan forward: what to send (the items, by
// reference), to whom and from when. The message itself is rendered by the sender when the
// delivery's moment comes, from the items' state then (compose.ts), so it is true when it arrives.
import { DateTime } from 'luxon';
import type { Db, Tx } from '../db/client.js';
import { Prisma } from '../../generated/prisma/client.js';
import { advanceCommitments, collectPrompts, type PromptDraft } from '../services/prompts.js';
import { nextWorkingMoment } from '../services/working-hours.js';

export const SCAN_ID = 'prompts';
/** On the very first tick there is no previous one: look back this far. */
export const FIRST_LOOKBACK_MS = 24 * 60 * 60 * 1000;
/**
 * The scan covers up to this long before "now", so rows written by transactions still in flight
 * (a touch stamped a moment ago, not yet committed) are in a later window rather than missed.
 */
export const SETTLE_MS = 15_000;

export interface PlannedDelivery {
  id?: string;
  workspaceId: string;
  key: string;
  kind: string;
  destination: string;
  notBefore: Date;
  /** New items only: a person's combined DM still waiting keeps the items it had. */
  items: PromptDraft[];
}

export interface ScanResult {
  window: { from: Date; to: Date } | null;
  /** Where the tick's time went, ms: finding what is due, moving reminders on, planning the deliveries, writing the ledger. */
  timings?: { collectMs: number; advanceMs: number; planMs: number; recordMs: number };
  planned: PlannedDelivery[];
  /** Ledger rows created by this tick: each needs a deliver job. */
  created: string[];
}

class DryRun extends Error {
  constructor(readonly result: ScanResult) {
    super('dry run');
  }
}

/**
 * Scans (last tick, `at`]. Ticks are serialised by a row lock, so two workers ticking at once
 * (or a scheduler registered twice) cover each moment once; a tick missed while workers were
 * down is caught up by the next one. With `dryRun` nothing is kept.
 */
export async function scan(db: Db, at: Date, opts: { dryRun?: boolean } = {}): Promise<ScanResult> {
  try {
    return await db.$transaction(
      async (tx) => {
        const to = new Date(at.getTime() - SETTLE_MS);
        await tx.$executeRaw`
          INSERT INTO scan_state (id, scanned_until) VALUES (${SCAN_ID}, ${new Date(to.getTime() - FIRST_LOOKBACK_MS)})
          ON CONFLICT (id) DO NOTHING`;
        const [state] = await tx.$queryRaw<{ scanned_until: Date }[]>`SELECT scanned_until FROM scan_state WHERE id = ${SCAN_ID} FOR UPDATE`;
        const from = state!.scanned_until;
        if (to <= from) return { window: null, planned: [], created: [] };
        const t0 = performance.now();
        const { drafts, advances } = await collectPrompts(tx, { from, to });
        const fresh = await withoutRecorded(tx, await activeOnly(tx, drafts));
        const t1 = performance.now();
        await advanceCommitments(tx, advances);
        const t2 = performance.now();
        const planned = await plan(tx, fresh, at);
        const t3 = performance.now();
        const created = await record(tx, planned, at);
        await tx.$executeRaw`UPDATE scan_state SET scanned_until = ${to}, updated_at = now() WHERE id = ${SCAN_ID}`;
        const ms = (a: number, b: number) => Math.round(b - a);
        const timings = { collectMs: ms(t0, t1), advanceMs: ms(t1, t2), planMs: ms(t2, t3), recordMs: ms(t3, performance.now()) };
        const result = { window: { from, to }, timings, planned, created };
        if (opts.dryRun) throw new DryRun(result);
        return result;
      },
      { timeout: 60_000 },
    );
  } catch (err) {
    if (err instanceof DryRun) return err.result;
    throw err;
  }
}

/** Drops prompts for workspaces Kept is no longer installed in (issue 17): nothing is sent there. */
async function activeOnly(tx: Tx, drafts: PromptDraft[]): Promise<PromptDraft[]> {
  const inactive = await tx.workspace.findMany({ where: { inactiveSince: { not: null } }, select: { id: true } });
  if (!inactive.length) return drafts;
  const gone = new Set(inactive.map((w) => w.id));
  return drafts.filter((d) => !gone.has(d.workspaceId));
}

/** Drops prompts raised before (same key): the ledger, not the window, is what guarantees once. */
async function withoutRecorded(tx: Tx, drafts: PromptDraft[]): Promise<PromptDraft[]> {
  if (drafts.length === 0) return drafts;
  const keys = JSON.stringify(drafts.map((d) => ({ workspace_id: d.workspaceId, key: d.key })));
  const seen = await tx.$queryRaw<{ workspace_id: string; key: string }[]>`
    SELECT p.workspace_id, p.key FROM jsonb_to_recordset(${keys}::jsonb) AS k(workspace_id uuid, key text)
    JOIN prompt_items p ON p.workspace_id = k.workspace_id AND p.key = k.key`;
  const done = new Set(seen.map((r) => `${r.workspace_id}|${r.key}`));
  return drafts.filter((d) => !done.has(`${d.workspaceId}|${d.key}`));
}

function dueWhen(d: PromptDraft, at: Date): Date {
  return d.recipient.kind === 'dm' ? nextWorkingMoment(at, d.recipient.timeZone, d.workingHours) : at;
}

function destination(d: PromptDraft): string {
  return d.recipient.kind === 'dm' ? d.recipient.slackUserId : d.recipient.channelId;
}

/**
 * Groups prompts into deliveries: one per channel prompt, and one DM a day per person for their
 * due-soon items. A person's DM for the day that is still waiting (working hours) takes the new
 * items; one that already went out leaves them for the next working morning.
 */
async function plan(tx: Tx, drafts: PromptDraft[], at: Date): Promise<PlannedDelivery[]> {
  const out = new Map<string, PlannedDelivery>();
  const combinedKey = (d: PromptDraft, when: Date) =>
    `due_soon_dm:${destination(d)}:${DateTime.fromJSDate(when, { zone: d.recipient.kind === 'dm' ? d.recipient.timeZone : 'UTC' }).toISODate()}`;
  for (const d of drafts) {
    const notBefore = dueWhen(d, at);
    const key = d.combine ? combinedKey(d, notBefore) : d.key;
    const entry = out.get(`${d.workspaceId}|${key}`) ?? { workspaceId: d.workspaceId, key, kind: d.combine ? 'due_soon_dm' : d.kind, destination: destination(d), notBefore, items: [] };
    entry.items.push(d);
    out.set(`${d.workspaceId}|${key}`, entry);
  }
  const planned = [...out.values()];
  const combined = planned.filter((p) => p.kind === 'due_soon_dm');
  if (combined.length) {
    const keys = JSON.stringify(combined.map((p) => ({ workspace_id: p.workspaceId, key: p.key })));
    // FOR UPDATE: a sender cannot claim a person's DM while new items are being added to it.
    const existing = await tx.$queryRaw<{ id: string; workspace_id: string; key: string; status: string; not_before: Date }[]>`
      SELECT d.id, d.workspace_id, d.key, d.status, d.not_before
      FROM jsonb_to_recordset(${keys}::jsonb) AS k(workspace_id uuid, key text)
      JOIN deliveries d ON d.workspace_id = k.workspace_id AND d.key = k.key
      FOR UPDATE OF d`;
    const byKey = new Map(existing.map((e) => [`${e.workspace_id}|${e.key}`, e]));
    for (const p of combined) {
      const row = byKey.get(`${p.workspaceId}|${p.key}`);
      if (!row) continue;
      if (row.status === 'pending') {
        p.id = row.id;
        p.notBefore = row.not_before;
      } else {
        // Today's DM already went out: these wait for the next working morning.
        const first = p.items[0]!;
        const zone = first.recipient.kind === 'dm' ? first.recipient.timeZone : 'UTC';
        const tomorrow = DateTime.fromJSDate(p.notBefore, { zone }).plus({ days: 1 }).startOf('day').toJSDate();
        p.notBefore = nextWorkingMoment(tomorrow, zone, first.workingHours);
        p.key = combinedKey(first, p.notBefore);
      }
    }
  }
  return planned;
}

/** Writes the plan: new ledger rows (no message yet) and their items (a fixed number of statements). */
async function record(tx: Tx, planned: PlannedDelivery[], at: Date): Promise<string[]> {
  if (planned.length === 0) return [];
  const toInsert = planned.filter((p) => !p.id);
  const created: string[] = [];
  if (toInsert.length) {
    // One JSON parameter for the lot: binding thousands of values costs more than the insert.
    const rows = JSON.stringify(
      toInsert.map((p) => ({ workspace_id: p.workspaceId, key: p.key, kind: p.kind, destination: p.destination, not_before: p.notBefore })),
    );
    const ids = await tx.$queryRaw<{ id: string; workspace_id: string; key: string }[]>`
      INSERT INTO deliveries (workspace_id, key, kind, destination, not_before, created_at)
      SELECT workspace_id, key, kind, destination, not_before, ${at}::timestamptz
      FROM jsonb_to_recordset(${rows}::jsonb) AS r(workspace_id uuid, key text, kind text, destination text, not_before timestamptz)
      ON CONFLICT (workspace_id, key) DO NOTHING
      RETURNING id, workspace_id, key`;
    const byKey = new Map(toInsert.map((p) => [`${p.workspaceId}|${p.key}`, p]));
    for (const r of ids) {
      byKey.get(`${r.workspace_id}|${r.key}`)!.id = r.id;
      created.push(r.id);
    }
  }
  const items = planned
    .filter((p) => p.id)
    .flatMap((p) => p.items.map((i) => ({ workspace_id: i.workspaceId, key: i.key, kind: i.kind, delivery_id: p.id!, payload: i.ref })));
  if (items.length) {
    // One parameter for the lot: binding thousands of values costs more than the insert itself.
    await tx.$executeRaw`
      INSERT INTO prompt_items (workspace_id, key, kind, delivery_id, payload, created_at)
      SELECT workspace_id, key, kind, delivery_id, payload, ${at}::timestamptz
      FROM jsonb_to_recordset(${JSON.stringify(items)}::jsonb) AS i(workspace_id uuid, key text, kind text, delivery_id uuid, payload jsonb)
      ON CONFLICT (workspace_id, key) DO NOTHING`;
  }
  return created;
}
