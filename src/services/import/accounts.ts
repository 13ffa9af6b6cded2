// Importing accounts. Key: the external id when the row has one, else the name (or an alias).
// New accounts get their cadence moments from refreshCadence, as /kept account add does; an empty
// cell leaves the stored value as it is.
import { randomUUID } from 'node:crypto';
import type { Tx } from '../../db/client.js';
import type { Tier } from '../../../generated/prisma/client.js';
import { validateAccountName } from '../accounts.js';
import { refreshCadence } from '../cadence.js';
import { UserError } from '../errors.js';
import { normalizeName } from '../match.js';
import { cell } from './columns.js';
import type { ImportContext } from './context.js';
import { resolveChannels, resolvePeople, storePeople, type Person } from './people.js';
import { CHUNK, inChunks, type Change, type PlanOutcome } from './report.js';
import { dateOnly, dateOrder, readCadence, readChannels, readDate, readList, readPerson, readTier, type ChannelRef, type PersonRef } from './values.js';

interface AccountRow {
  line: number;
  externalId: string | null;
  name: string;
  normalized: string;
  aliases: string[];
  owner: Person | null;
  tier: Tier | null;
  cadence: number | null;
  renewal: Date | null;
  channelIds: string[];
}

interface Existing {
  id: string;
  name: string;
  normalized_name: string;
  aliases: string[];
  external_id: string | null;
  owner_slack_id: string | null;
  tier: Tier;
  cadence_days: number | null;
  renewal_date: Date | null;
}

/** Reads and checks the rows, and resolves owners and channels (Slack, in bulk). No writes. */
export async function prepareAccounts(ctx: ImportContext): Promise<AccountRow[]> {
  const { table, map, problems } = ctx;
  const order = dateOrder(table.rows.map((r) => cell(map, r.cells, 'renewal').value), table.delimiter);
  if (!order.decided && table.rows.some((r) => /^\d{1,2}[/-]\d{1,2}[/-]\d{2,4}$/.test(cell(map, r.cells, 'renewal').value))) {
    ctx.notes.push(`Renewal dates such as 03/04/2027 were read ${order.order === 'dmy' ? 'day first (3 April 2027)' : 'month first (March 4, 2027)'}; write them as 2027-04-03 to be sure.`);
  }
  const read: (Omit<AccountRow, 'owner' | 'channelIds'> & { cells: string[]; ownerRef: PersonRef | null; channelRefs: ChannelRef[] })[] = [];
  for (const { line, cells } of table.rows) {
    const get = (field: string) => cell(map, cells, field);
    const name = get('name');
    let clean = '';
    try {
      clean = validateAccountName(name.value);
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
      problems.add(line, name.column, name.value, name.value ? err.message : 'The account needs a name.');
    }
    const aliases: string[] = [];
    const aliasCell = get('aliases');
    for (const a of readList(aliasCell.value)) {
      try {
        aliases.push(normalizeName(validateAccountName(a)));
      } catch (err) {
        if (!(err instanceof UserError)) throw err;
        problems.add(line, aliasCell.column, a, err.message);
      }
    }
    const parsed = <T>(field: string, reader: (text: string) => { ok: true; value: T } | { ok: false; problem: string }): T | null => {
      const c = get(field);
      if (!c.value) return null;
      const r = reader(c.value);
      if (r.ok) return r.value;
      problems.add(line, c.column, c.value, r.problem);
      return null;
    };
    const renewal = parsed('renewal', (t) => readDate(t, order.order));
    read.push({
      line,
      cells,
      externalId: get('externalId').value || null,
      name: clean,
      normalized: normalizeName(clean),
      aliases: [...new Set(aliases)].filter((a) => a !== normalizeName(clean)),
      ownerRef: parsed('owner', readPerson),
      tier: parsed('tier', readTier),
      cadence: parsed('cadence', readCadence),
      renewal: renewal ? dateOnly(renewal) : null,
      channelRefs: parsed('channels', readChannels) ?? [],
    });
  }
  const good = read.filter((r) => !problems.has(r.line));
  const people = await resolvePeople(ctx.db, ctx.workspaceId, good.flatMap((r) => (r.ownerRef ? [r.ownerRef] : [])), ctx.slack, ctx.now);
  const channels = await resolveChannels(ctx.db, ctx.workspaceId, good.flatMap((r) => r.channelRefs), ctx.slack);
  const rows: AccountRow[] = [];
  for (const r of good) {
    const ownerCell = cell(map, r.cells, 'owner');
    let owner: Person | null = null;
    if (r.ownerRef) {
      const p = people.get(r.ownerRef);
      if (typeof p === 'string') problems.add(r.line, ownerCell.column, ownerCell.value, p);
      else owner = p;
    }
    const channelIds: string[] = [];
    for (const ref of r.channelRefs) {
      const c = channels.get(ref);
      const chCell = cell(map, r.cells, 'channels');
      if (typeof c === 'string') problems.add(r.line, chCell.column, 'id' in ref ? ref.id : `#${ref.name}`, c);
      else channelIds.push(c.id);
    }
    if (problems.has(r.line)) continue;
    const { ownerRef: _o, channelRefs: _c, cells: _x, ...rest } = r;
    rows.push({ ...rest, owner, channelIds: [...new Set(channelIds)] });
  }
  return rows;
}

const sameDate = (a: Date | null, b: Date | null) => (a?.getTime() ?? null) === (b?.getTime() ?? null);
const isoDay = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : 'none');

/** Matches rows to accounts, works out what changes, and writes it unless this is a dry run. */
export async function applyAccounts(tx: Tx, ctx: ImportContext, rows: AccountRow[]): Promise<PlanOutcome> {
  const { problems, workspaceId, now } = ctx;
  const existing = await tx.$queryRaw<Existing[]>`
    SELECT a.id, a.name, a.normalized_name, a.aliases, a.external_id, u.slack_user_id AS owner_slack_id, a.tier::text AS tier, a.cadence_days, a.renewal_date
    FROM accounts a LEFT JOIN users u ON u.id = a.owner_id WHERE a.workspace_id = ${workspaceId}::uuid`;
  const links = await tx.accountChannel.findMany({ where: { workspaceId }, select: { channelId: true, accountId: true } });
  const byExt = new Map(existing.filter((a) => a.external_id).map((a) => [a.external_id!, a]));
  const byName = new Map(existing.map((a) => [a.normalized_name, a]));
  const byAlias = new Map<string, Existing[]>();
  for (const a of existing) for (const al of a.aliases) byAlias.set(al, [...(byAlias.get(al) ?? []), a]);
  const linkOf = new Map(links.map((l) => [l.channelId, l.accountId]));
  const nameOf = new Map(existing.map((a) => [a.id, a.name]));

  /** Which account (or new row) already holds a name or alias in this import: for clashes. */
  const nameHolder = new Map<string, string>();
  for (const a of existing) {
    nameHolder.set(a.normalized_name, a.id);
    for (const al of a.aliases) nameHolder.set(al, a.id);
  }
  const claimed = new Map<string, { line: number; fingerprint: string }>();
  const channelClaim = new Map<string, number>();
  const created: (AccountRow & { id: string })[] = [];
  const updated: { id: string; row: AccountRow; target: Existing; next: Existing; channels: string[]; changes: string[]; cadenceMoved: boolean }[] = [];
  let unchanged = 0;
  const skipped: PlanOutcome['skipped'] = [];
  const defaultOwner = ctx.defaultOwner;

  for (const row of rows) {
    const nameCell = ctx.columnOf('name');
    const fingerprint = JSON.stringify({ ...row, line: 0 });
    let target = row.externalId ? byExt.get(row.externalId) : undefined;
    const byItsName = byName.get(row.normalized) ?? uniqueAlias(byAlias, row.normalized);
    if (!target && byItsName) {
      if (row.externalId && byItsName.external_id && byItsName.external_id !== row.externalId) {
        problems.add(row.line, ctx.columnOf('externalId'), row.externalId, `*${byItsName.name}* already exists with external id ${byItsName.external_id}; correct the id, or rename one of them.`);
        continue;
      }
      target = byItsName;
    }
    const key = target ? target.id : `new:${row.normalized}`;
    const earlier = claimed.get(key) ?? (row.externalId ? claimed.get(`ext:${row.externalId}`) : undefined);
    if (earlier) {
      if (earlier.fingerprint === fingerprint) skipped.push({ line: row.line, reason: `repeats line ${earlier.line}` });
      else problems.add(row.line, nameCell, row.name, `Line ${earlier.line} already imports this account with other values; keep one of the two lines.`);
      continue;
    }
    // Names and aliases must stay unique across accounts.
    const id = target?.id ?? randomUUID();
    const renamed = target && row.externalId && target.external_id === row.externalId && target.normalized_name !== row.normalized;
    const names = [...(target && !renamed ? [] : [row.normalized]), ...row.aliases.filter((a) => !target?.aliases.includes(a))];
    const clash = names.find((n) => nameHolder.has(n) && nameHolder.get(n) !== id);
    if (clash) {
      const otherName = nameOf.get(nameHolder.get(clash)!) ?? 'another account';
      problems.add(row.line, clash === row.normalized ? nameCell : ctx.columnOf('aliases'), clash, `“${clash}” already names *${otherName}*; use another name or alias.`);
      continue;
    }
    const channelClash = row.channelIds.find((c) => channelClaim.has(c));
    if (channelClash) {
      problems.add(row.line, ctx.columnOf('channels'), channelClash, `Line ${channelClaim.get(channelClash)} links this channel to another account; a channel belongs to one account.`);
      continue;
    }
    claimed.set(key, { line: row.line, fingerprint });
    if (row.externalId) claimed.set(`ext:${row.externalId}`, { line: row.line, fingerprint });
    for (const n of names) nameHolder.set(n, id);
    if (!target || renamed) nameOf.set(id, row.name);
    for (const c of row.channelIds) channelClaim.set(c, row.line);

    const newChannels = row.channelIds.filter((c) => linkOf.get(c) !== id);
    if (!target) {
      created.push({ ...row, id, owner: row.owner ?? defaultOwner });
      continue;
    }
    const next: Existing = {
      ...target,
      name: renamed ? row.name : target.name,
      normalized_name: renamed ? row.normalized : target.normalized_name,
      external_id: row.externalId ?? target.external_id,
      aliases: [...target.aliases, ...row.aliases.filter((a) => !target.aliases.includes(a) && a !== target.normalized_name)],
      owner_slack_id: row.owner?.slackUserId ?? target.owner_slack_id,
      tier: row.tier ?? target.tier,
      cadence_days: row.cadence ?? target.cadence_days,
      renewal_date: row.renewal ?? target.renewal_date,
    };
    const changes: string[] = [];
    if (next.name !== target.name) changes.push(`renamed from ${target.name}`);
    if (next.external_id !== target.external_id) changes.push(`external id ${next.external_id}`);
    if (next.aliases.length !== target.aliases.length) changes.push(`also known as ${next.aliases.slice(target.aliases.length).join(', ')}`);
    if (next.owner_slack_id !== target.owner_slack_id) changes.push(`owner ${row.owner!.displayName}`);
    if (next.tier !== target.tier) changes.push(`tier ${target.tier} → ${next.tier}`);
    if (next.cadence_days !== target.cadence_days) changes.push(`cadence ${target.cadence_days ?? 'tier default'} → ${next.cadence_days} days`);
    if (!sameDate(next.renewal_date, target.renewal_date)) changes.push(`renewal ${isoDay(target.renewal_date)} → ${isoDay(next.renewal_date)}`);
    for (const c of newChannels) changes.push(linkOf.has(c) ? `channel ${c} moved from ${nameOf.get(linkOf.get(c)!) ?? 'another account'}` : `channel ${c} linked`);
    if (changes.length === 0) unchanged++;
    else updated.push({ id, row, target, next, channels: newChannels, changes, cadenceMoved: next.tier !== target.tier || next.cadence_days !== target.cadence_days });
  }

  const outcome: PlanOutcome = {
    created: created.map((c) => c.name),
    updated: updated.map((u): Change => ({ label: u.next.name, changes: u.changes })),
    unchanged,
    skipped,
    notes: [],
  };
  if (ctx.dryRun || (created.length === 0 && updated.length === 0)) return outcome;

  const owners = [...created.flatMap((c) => (c.owner ? [c.owner] : [])), ...updated.flatMap((u) => (u.row.owner && u.next.owner_slack_id !== u.target.owner_slack_id ? [u.row.owner] : []))];
  const userIds = await storePeople(tx, workspaceId, owners, now);
  const userId = (slackId: string | null) => (slackId ? (userIds.get(slackId) ?? null) : null);
  const ownerIdsBySlack = existing.length || updated.length ? await ownerIds(tx, workspaceId, updated.map((u) => u.next.owner_slack_id)) : new Map<string, string>();

  await inChunks(created, CHUNK, async (chunk) => {
    const json = JSON.stringify(
      chunk.map((c) => ({
        id: c.id, name: c.name, normalized_name: c.normalized, aliases: c.aliases, external_id: c.externalId, owner_id: userId(c.owner?.slackUserId ?? null),
        tier: c.tier ?? 'standard', cadence_days: c.cadence, renewal_date: c.renewal?.toISOString().slice(0, 10) ?? null,
      })),
    );
    // created_at is the import's moment: a new account's cadence clock starts then, as when typed.
    await tx.$executeRaw`
      INSERT INTO accounts (id, workspace_id, name, normalized_name, aliases, external_id, owner_id, tier, cadence_days, renewal_date, created_at, updated_at)
      SELECT id, ${workspaceId}::uuid, name, normalized_name, aliases, external_id, owner_id, tier::"Tier", cadence_days, renewal_date, ${now}::timestamptz, ${now}::timestamptz
      FROM jsonb_to_recordset(${json}::jsonb) AS r(id uuid, name text, normalized_name text, aliases text[], external_id text, owner_id uuid, tier text, cadence_days int, renewal_date date)`;
  });
  await inChunks(updated, CHUNK, async (chunk) => {
    const json = JSON.stringify(
      chunk.map((u) => ({
        id: u.id, name: u.next.name, normalized_name: u.next.normalized_name, aliases: u.next.aliases, external_id: u.next.external_id,
        owner_id: userId(u.next.owner_slack_id) ?? ownerIdsBySlack.get(u.next.owner_slack_id ?? '') ?? null,
        tier: u.next.tier, cadence_days: u.next.cadence_days, renewal_date: u.next.renewal_date?.toISOString().slice(0, 10) ?? null,
      })),
    );
    await tx.$executeRaw`
      UPDATE accounts AS a SET name = r.name, normalized_name = r.normalized_name, aliases = r.aliases, external_id = r.external_id, owner_id = r.owner_id,
        tier = r.tier::"Tier", cadence_days = r.cadence_days, renewal_date = r.renewal_date, updated_at = ${now}::timestamptz
      FROM jsonb_to_recordset(${json}::jsonb) AS r(id uuid, name text, normalized_name text, aliases text[], external_id text, owner_id uuid, tier text, cadence_days int, renewal_date date)
      WHERE a.id = r.id`;
  });
  const newLinks = [...created.flatMap((c) => c.channelIds.map((ch) => ({ account_id: c.id, channel_id: ch }))), ...updated.flatMap((u) => u.channels.map((ch) => ({ account_id: u.id, channel_id: ch })))];
  await inChunks(newLinks, CHUNK, async (chunk) => {
    // A channel linked to another account moves, as /kept account link does.
    await tx.$executeRaw`
      INSERT INTO account_channels (workspace_id, account_id, channel_id, created_at)
      SELECT ${workspaceId}::uuid, account_id, channel_id, ${now}::timestamptz FROM jsonb_to_recordset(${JSON.stringify(chunk)}::jsonb) AS r(account_id uuid, channel_id text)
      ON CONFLICT (workspace_id, channel_id) DO UPDATE SET account_id = excluded.account_id`;
  });
  // Cadence moments exactly as /kept account add and /kept account set compute them.
  const moved = [...created.map((c) => c.id), ...updated.filter((u) => u.cadenceMoved).map((u) => u.id)];
  await refreshCadence(tx, { accountIds: moved });
  return outcome;
}

function uniqueAlias(byAlias: Map<string, Existing[]>, name: string): Existing | undefined {
  const hits = byAlias.get(name);
  return hits?.length === 1 ? hits[0] : undefined;
}

async function ownerIds(tx: Tx, workspaceId: string, slackIds: (string | null)[]): Promise<Map<string, string>> {
  const ids = [...new Set(slackIds.filter((s): s is string => Boolean(s)))];
  if (!ids.length) return new Map();
  const users = await tx.user.findMany({ where: { workspaceId, slackUserId: { in: ids } }, select: { id: true, slackUserId: true } });
  return new Map(users.map((u) => [u.slackUserId, u.id]));
}
