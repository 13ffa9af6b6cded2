// Importing open commitments from a previous tracker. Key: the external id when the row has one,
// else the account, the title and the due date. A new commitment gets its number, its history entry
// and its first reminder as /commit gives them (nextPromptAt); one already overdue is imported open
// and overdue, and its overdue prompt goes out on the next scan.
import { randomUUID } from 'node:crypto';
import type { Tx } from '../../db/client.js';
import { Prisma, type Direction } from '../../../generated/prisma/client.js';
import { validateCommitment } from '../commitments.js';
import { nextPromptAt } from '../reminders.js';
import { loadAccountRefs } from './account-refs.js';
import { cell } from './columns.js';
import type { ImportContext } from './context.js';
import { resolvePeople, storePeople, type Person } from './people.js';
import { CHUNK, inChunks, type PlanOutcome } from './report.js';
import { dateOrder, dueMoment, readDate, readDirection, readPerson, readStatus, readTime, readZone, type CellDate, type ImportStatus, type PersonRef, type Read } from './values.js';

interface CommitmentRow {
  line: number;
  externalId: string | null;
  account: { text: string; column: string };
  title: string;
  notes: string | null;
  owner: Person | null;
  due: CellDate;
  dueTime: { hour: number; minute: number } | undefined;
  originalDue: CellDate | null;
  zone: string | null;
  /** null: not said (ours for a new one; unchanged for an existing one). */
  direction: Direction | null;
  status: ImportStatus;
}

interface Existing {
  id: string;
  number: number;
  account_id: string;
  title: string;
  notes: string | null;
  direction: Direction;
  status: string;
  due_at: Date;
  due_time_zone: string;
  original_due_at: Date;
  external_id: string | null;
  owner_id: string;
  owner_slack_id: string;
  owner_time_zone: string;
}

export async function prepareCommitments(ctx: ImportContext): Promise<CommitmentRow[]> {
  const { table, map, problems } = ctx;
  const order = dateOrder(table.rows.flatMap((r) => [cell(map, r.cells, 'due').value, cell(map, r.cells, 'originalDue').value]), table.delimiter);
  if (!order.decided && table.rows.some((r) => /^\d{1,2}[/-]\d{1,2}[/-]\d{2,4}/.test(cell(map, r.cells, 'due').value))) {
    ctx.notes.push(`Due dates such as 03/04/2027 were read ${order.order === 'dmy' ? 'day first (3 April 2027)' : 'month first (March 4, 2027)'}; write them as 2027-04-03 to be sure.`);
  }
  const read: (Omit<CommitmentRow, 'owner'> & { ownerRef: PersonRef | null; ownerCell: { value: string; column: string } })[] = [];
  for (const { line, cells } of table.rows) {
    const get = (field: string) => cell(map, cells, field);
    const parsed = <T>(field: string, reader: (text: string) => Read<T>): T | null => {
      const c = get(field);
      if (!c.value) return null;
      const r = reader(c.value);
      if (r.ok) return r.value;
      problems.add(line, c.column, c.value, r.problem);
      return null;
    };
    const account = get('account');
    if (!account.value) problems.add(line, account.column, '', 'Name the account (its name, an alias or its external id).');
    const title = get('title');
    const notes = get('notes');
    const due = get('due');
    if (!due.value) problems.add(line, due.column, '', 'Give a due date, for example 2026-12-04 or 2026-12-04 17:00.');
    const dueDate = parsed('due', (t) => readDate(t, order.order));
    const problem = validateCommitment({ title: title.value, notes: notes.value, dueAt: new Date(0) }, new Date(0));
    if (problem.title) problems.add(line, title.column, title.value, problem.title);
    if (problem.notes) problems.add(line, notes.column, `${notes.value.slice(0, 40)}…`, problem.notes);
    const row = {
      line,
      externalId: get('externalId').value || null,
      account: { text: account.value, column: account.column },
      title: title.value.trim(),
      notes: notes.value || null,
      ownerRef: parsed('owner', readPerson),
      ownerCell: get('owner'),
      due: dueDate!,
      dueTime: parsed('dueTime', readTime) ?? undefined,
      originalDue: parsed('originalDue', (t) => readDate(t, order.order)),
      zone: parsed('zone', readZone),
      direction: parsed('direction', readDirection),
      status: parsed('status', readStatus) ?? 'open',
    };
    if (!problems.has(line)) read.push(row);
  }
  const people = await resolvePeople(ctx.db, ctx.workspaceId, read.flatMap((r) => (r.ownerRef ? [r.ownerRef] : [])), ctx.slack, ctx.now);
  const rows: CommitmentRow[] = [];
  for (const { ownerRef, ownerCell, ...r } of read) {
    let owner: Person | null = null;
    if (ownerRef) {
      const p = people.get(ownerRef);
      if (typeof p === 'string') problems.add(r.line, ownerCell.column, ownerCell.value, p);
      else owner = p;
    }
    if (!problems.has(r.line)) rows.push({ ...r, owner });
  }
  return rows;
}

const minute = (d: Date) => Math.floor(d.getTime() / 60_000);

export async function applyCommitments(tx: Tx, ctx: ImportContext, rows: CommitmentRow[]): Promise<PlanOutcome> {
  const { problems, workspaceId, now, settings } = ctx;
  const accounts = await loadAccountRefs(tx, workspaceId);
  // Resolve accounts and owners first: candidates are then read by key, not the whole history.
  type Ready = CommitmentRow & { accountId: string; accountName: string; ownerSlackId: string; ownerZone: string; ownerUserId: string | null; dueAt: Date; originalDueAt: Date; zoneUsed: string };
  const ready: Ready[] = [];
  for (const row of rows) {
    const account = await accounts.find(row.account.text);
    if (typeof account === 'string') {
      problems.add(row.line, row.account.column, row.account.text, account);
      continue;
    }
    const owner = row.owner
      ? { slackId: row.owner.slackUserId, zone: row.owner.timeZone, userId: null }
      : account.ownerSlackId
        ? { slackId: account.ownerSlackId, zone: account.ownerTimeZone ?? 'UTC', userId: account.ownerId }
        : ctx.defaultOwner
          ? { slackId: ctx.defaultOwner.slackUserId, zone: ctx.defaultOwner.timeZone, userId: ctx.actor?.userId ?? null }
          : null;
    if (!owner) {
      problems.add(row.line, ctx.columnOf('owner'), '', `Say who owns it (an Owner column with an email or Slack id), or give ${account.name} an owner first.`);
      continue;
    }
    const zone = row.zone ?? owner.zone;
    const dueAt = dueMoment(row.due, row.dueTime, zone);
    ready.push({
      ...row,
      accountId: account.id,
      accountName: account.name,
      ownerSlackId: owner.slackId,
      ownerZone: owner.zone,
      ownerUserId: owner.userId,
      dueAt,
      originalDueAt: row.originalDue ? dueMoment(row.originalDue, row.dueTime, zone) : dueAt,
      zoneUsed: zone,
    });
  }

  const keys = JSON.stringify(ready.map((r) => ({ account_id: r.accountId, title: r.title.toLowerCase() })));
  const exts = ready.flatMap((r) => (r.externalId ? [r.externalId] : []));
  const candidates = ready.length
    ? await tx.$queryRaw<Existing[]>`
        SELECT c.id, c.number, c.account_id, c.title, c.notes, c.direction::text AS direction, c.status::text AS status, c.due_at, c.due_time_zone,
               c.original_due_at, c.external_id, c.owner_id, u.slack_user_id AS owner_slack_id, u.time_zone AS owner_time_zone
        FROM commitments c JOIN users u ON u.id = c.owner_id
        WHERE c.workspace_id = ${workspaceId}::uuid AND (c.external_id = ANY(${exts}::text[])
          OR (c.account_id, lower(c.title)) IN (SELECT account_id, title FROM jsonb_to_recordset(${keys}::jsonb) AS k(account_id uuid, title text)))`
    : [];
  const byExt = new Map(candidates.filter((c) => c.external_id).map((c) => [c.external_id!, c]));
  const byTitle = new Map<string, Existing[]>();
  for (const c of candidates) byTitle.set(`${c.account_id}|${c.title.toLowerCase()}`, [...(byTitle.get(`${c.account_id}|${c.title.toLowerCase()}`) ?? []), c]);

  const claimed = new Map<string, { line: number; fingerprint: string }>();
  const taken = new Set<string>();
  const created: Ready[] = [];
  type Update = { row: Ready; c: Existing; set: { title: string; notes: string | null; direction: Direction; ownerSlackId: string; dueAt: Date; zone: string; externalId: string | null }; changes: string[]; dueMoved: boolean; ownerMoved: boolean; edited: string[] };
  const updates: Update[] = [];
  const skipped: PlanOutcome['skipped'] = [];
  let unchanged = 0;

  for (const row of ready) {
    const natural = `${row.accountId}|${row.title.toLowerCase()}|${minute(row.originalDueAt)}`;
    const key = row.externalId ? `ext:${row.externalId}` : natural;
    const fingerprint = JSON.stringify({ ...row, line: 0 });
    const earlier = claimed.get(key) ?? claimed.get(natural);
    if (earlier) {
      if (earlier.fingerprint === fingerprint) skipped.push({ line: row.line, reason: `repeats line ${earlier.line}` });
      else problems.add(row.line, ctx.columnOf('title'), row.title, `Line ${earlier.line} already imports this commitment with other details; keep one of the two lines.`);
      continue;
    }
    let c = row.externalId ? byExt.get(row.externalId) : undefined;
    c ??= (byTitle.get(`${row.accountId}|${row.title.toLowerCase()}`) ?? []).find(
      (x) => !taken.has(x.id) && !x.external_id && (minute(x.original_due_at) === minute(row.originalDueAt) || minute(x.due_at) === minute(row.dueAt)),
    );
    claimed.set(key, { line: row.line, fingerprint });
    claimed.set(natural, { line: row.line, fingerprint });
    if (!c) {
      if (row.status !== 'open') skipped.push({ line: row.line, reason: `it is ${row.status}; Kept imports open items` });
      else created.push(row);
      continue;
    }
    taken.add(c.id);
    if (c.status !== 'open') {
      // Kept's own record of a delivered or dropped item wins over an old tracker's.
      unchanged++;
      continue;
    }
    if (row.status !== 'open') {
      skipped.push({ line: row.line, reason: `C-${c.number} is open in Kept; an import does not close it (use /commit done C-${c.number} or the buttons)` });
      continue;
    }
    const set = {
      title: row.title,
      notes: row.notes ?? c.notes,
      direction: row.direction ?? c.direction,
      ownerSlackId: row.owner?.slackUserId ?? c.owner_slack_id,
      dueAt: minute(row.dueAt) === minute(c.due_at) ? c.due_at : row.dueAt,
      zone: minute(row.dueAt) === minute(c.due_at) ? c.due_time_zone : row.zoneUsed,
      externalId: row.externalId ?? c.external_id,
    };
    const changes: string[] = [];
    const edited: string[] = [];
    if (set.title !== c.title) edited.push('title');
    if (set.notes !== c.notes) edited.push('notes');
    if (set.direction !== c.direction) edited.push('direction');
    if (set.externalId !== c.external_id) edited.push('externalId');
    const dueMoved = set.dueAt !== c.due_at;
    const ownerMoved = set.ownerSlackId !== c.owner_slack_id;
    if (dueMoved) changes.push(`due ${c.due_at.toISOString().slice(0, 16)}Z → ${set.dueAt.toISOString().slice(0, 16)}Z`);
    if (ownerMoved) changes.push(`owner ${row.owner!.displayName}`);
    for (const e of edited) changes.push(e === 'externalId' ? `external id ${set.externalId}` : `${e} changed`);
    if (changes.length === 0) unchanged++;
    else updates.push({ row, c, set, changes, dueMoved, ownerMoved, edited });
  }

  const overdue = created.filter((c) => c.dueAt <= now).length;
  const outcome: PlanOutcome = {
    created: created.map((c) => `${c.title} (${c.accountName})`),
    updated: updates.map((u) => ({ label: `C-${u.c.number} ${u.c.title}`, changes: u.changes })),
    unchanged,
    skipped,
    notes: overdue
      ? [`${overdue} of the new commitments ${overdue === 1 ? 'is' : 'are'} already past due: ${ctx.dryRun ? 'they would be' : 'they are'} open and overdue, and Kept posts them as overdue on its next scan (within a minute).`]
      : [],
  };
  if (ctx.dryRun || (created.length === 0 && updates.length === 0)) return outcome;

  const people = [...created, ...updates.map((u) => u.row)].flatMap((r) => (r.owner ? [r.owner] : []));
  const stored = await storePeople(tx, workspaceId, people, now);
  const missing = [...new Set([...created, ...updates.map((u) => u.row)].map((r) => r.ownerSlackId).concat(updates.map((u) => u.set.ownerSlackId)))].filter((s) => !stored.has(s));
  if (missing.length) {
    for (const u of await tx.user.findMany({ where: { workspaceId, slackUserId: { in: missing } }, select: { id: true, slackUserId: true } })) stored.set(u.slackUserId, u.id);
  }
  const userId = (slackId: string) => stored.get(slackId)!;
  const actorId = ctx.actor?.userId ?? null;
  const reason = (line: number) => `Imported from ${ctx.fileName}, line ${line}`;
  const hours = settings.workingHours;
  // The first reminder exactly as /commit schedules it; an item already overdue is due for its overdue prompt now.
  const firstPrompt = (c: { direction: Direction; dueAt: Date }, zone: string) => (c.dueAt <= now ? now : nextPromptAt(c, zone, hours, now));

  if (created.length) {
    const [ws] = await tx.$queryRaw<{ next: number }[]>`
      UPDATE workspaces SET next_commitment_number = next_commitment_number + ${created.length}::int WHERE id = ${workspaceId}::uuid
      RETURNING next_commitment_number AS next`;
    const first = ws!.next - created.length;
    const withIds = created.map((c, i) => ({ ...c, id: randomUUID(), number: first + i, direction: c.direction ?? ('ours' as Direction) }));
    await inChunks(withIds, CHUNK, async (chunk) => {
      const json = JSON.stringify(
        chunk.map((c) => ({
          id: c.id, number: c.number, title: c.title, notes: c.notes, account_id: c.accountId, owner_id: userId(c.ownerSlackId), direction: c.direction,
          due_at: c.dueAt, due_time_zone: c.zoneUsed, original_due_at: c.originalDueAt, created_by_id: actorId ?? userId(c.ownerSlackId),
          source_key: `import:${ctx.importId}:${c.line}`, external_id: c.externalId,
        })),
      );
      await tx.$executeRaw`
        INSERT INTO commitments (id, workspace_id, number, title, notes, account_id, owner_id, direction, due_at, due_time_zone, original_due_at, status,
                                 created_by_id, source, source_key, external_id, created_at, updated_at)
        SELECT id, ${workspaceId}::uuid, number, title, notes, account_id, owner_id, direction::"Direction", due_at, due_time_zone, original_due_at, 'open',
               created_by_id, 'import', source_key, external_id, ${now}::timestamptz, ${now}::timestamptz
        FROM jsonb_to_recordset(${json}::jsonb) AS r(id uuid, number int, title text, notes text, account_id uuid, owner_id uuid, direction text, due_at timestamptz,
             due_time_zone text, original_due_at timestamptz, created_by_id uuid, source_key text, external_id text)`;
      const events = chunk.map((c) => ({
        commitment_id: c.id, kind: 'created', actor_id: actorId, reason: reason(c.line),
        after: { title: c.title, dueAt: c.dueAt.toISOString(), ownerId: userId(c.ownerSlackId), direction: c.direction, source: 'import', importId: ctx.importId },
      }));
      await insertEvents(tx, events, now);
      const schedules = chunk.flatMap((c) => {
        const next = firstPrompt(c, c.ownerZone);
        return next ? [{ commitment_id: c.id, next_prompt_at: next, reset: true }] : [];
      });
      await upsertSchedules(tx, schedules, []);
    });
  }

  await inChunks(updates, CHUNK, async (chunk) => {
    const json = JSON.stringify(
      chunk.map((u) => ({ id: u.c.id, title: u.set.title, notes: u.set.notes, direction: u.set.direction, owner_id: userId(u.set.ownerSlackId), due_at: u.set.dueAt, due_time_zone: u.set.zone, external_id: u.set.externalId })),
    );
    await tx.$executeRaw`
      UPDATE commitments AS c SET title = r.title, notes = r.notes, direction = r.direction::"Direction", owner_id = r.owner_id, due_at = r.due_at,
        due_time_zone = r.due_time_zone, external_id = r.external_id, updated_at = ${now}::timestamptz
      FROM jsonb_to_recordset(${json}::jsonb) AS r(id uuid, title text, notes text, direction text, owner_id uuid, due_at timestamptz, due_time_zone text, external_id text)
      WHERE c.id = r.id`;
    // Each change lands in the history as the same change made by hand would.
    const events = chunk.flatMap((u) => {
      const base = { commitment_id: u.c.id, actor_id: actorId, reason: reason(u.row.line) };
      const out: EventRow[] = [];
      if (u.dueMoved) out.push({ ...base, kind: 'due_changed', before: { dueAt: u.c.due_at.toISOString() }, after: { dueAt: u.set.dueAt.toISOString() } });
      if (u.ownerMoved) out.push({ ...base, kind: 'reassigned', before: { ownerId: u.c.owner_id }, after: { ownerId: userId(u.set.ownerSlackId) } });
      if (u.edited.length) {
        const was = { title: u.c.title, notes: u.c.notes, direction: u.c.direction, externalId: u.c.external_id };
        const now_ = { title: u.set.title, notes: u.set.notes, direction: u.set.direction, externalId: u.set.externalId };
        const pick = (o: Record<string, unknown>) => Object.fromEntries(u.edited.map((k) => [k, o[k]]));
        out.push({ ...base, kind: 'edited', before: pick(was), after: pick(now_) });
      }
      return out;
    });
    await insertEvents(tx, events, now);
    // A new date, owner or direction restarts the reminders, as Reschedule and Reassign do.
    const moved = chunk.filter((u) => u.dueMoved || u.ownerMoved || u.edited.includes('direction'));
    const zoneOf = (u: Update) => (u.ownerMoved ? (u.row.owner?.timeZone ?? u.c.owner_time_zone) : u.c.owner_time_zone);
    const next = moved.map((u) => ({ u, at: u.dueMoved ? firstPrompt({ direction: u.set.direction, dueAt: u.set.dueAt }, zoneOf(u)) : nextPromptAt({ direction: u.set.direction, dueAt: u.set.dueAt }, zoneOf(u), hours, now) }));
    await upsertSchedules(
      tx,
      next.flatMap(({ u, at }) => (at ? [{ commitment_id: u.c.id, next_prompt_at: at, reset: u.dueMoved }] : [])),
      next.filter(({ at }) => !at).map(({ u }) => u.c.id),
    );
  });
  return outcome;
}

interface EventRow {
  commitment_id: string;
  kind: string;
  actor_id: string | null;
  reason: string;
  before?: unknown;
  after?: unknown;
}

async function insertEvents(tx: Tx, events: EventRow[], at: Date): Promise<void> {
  if (!events.length) return;
  await tx.$executeRaw`
    INSERT INTO commitment_events (commitment_id, kind, actor_id, at, before, after, reason)
    SELECT commitment_id, kind::"CommitmentEventKind", actor_id, ${at}::timestamptz, before, after, reason
    FROM jsonb_to_recordset(${JSON.stringify(events)}::jsonb) AS e(commitment_id uuid, kind text, actor_id uuid, before jsonb, after jsonb, reason text)`;
}

async function upsertSchedules(tx: Tx, rows: { commitment_id: string; next_prompt_at: Date; reset: boolean }[], ended: string[]): Promise<void> {
  for (const reset of [true, false]) {
    const part = rows.filter((r) => r.reset === reset);
    if (!part.length) continue;
    await tx.$executeRaw`
      INSERT INTO commitment_schedules (commitment_id, next_prompt_at, prompt_count)
      SELECT commitment_id, next_prompt_at, 0 FROM jsonb_to_recordset(${JSON.stringify(part)}::jsonb) AS s(commitment_id uuid, next_prompt_at timestamptz)
      ON CONFLICT (commitment_id) DO UPDATE SET next_prompt_at = excluded.next_prompt_at${reset ? Prisma.sql`, prompt_count = 0` : Prisma.empty}`;
  }
  if (ended.length) await tx.$executeRaw`DELETE FROM commitment_schedules WHERE commitment_id = ANY(${ended}::uuid[])`;
}
