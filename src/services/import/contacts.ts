// Importing key contacts. Key: the account and the person's name (as /kept contact add keys them);
// an empty cell leaves the stored value as it is.
import { randomUUID } from 'node:crypto';
import type { Tx } from '../../db/client.js';
import type { ContactRole } from '../../../generated/prisma/client.js';
import { CONTACT_NAME_MAX, EMAIL_PATTERN, ROLE_LABEL } from '../contacts.js';
import { normalizeName } from '../match.js';
import { loadAccountRefs } from './account-refs.js';
import { cell } from './columns.js';
import type { ImportContext } from './context.js';
import { CHUNK, inChunks, type PlanOutcome } from './report.js';
import { readRole } from './values.js';

interface ContactRow {
  line: number;
  account: { text: string; column: string };
  name: string;
  normalized: string;
  role: ContactRole | null;
  email: string | null;
  title: string | null;
}

export function prepareContacts(ctx: ImportContext): ContactRow[] {
  const { table, map, problems } = ctx;
  const rows: ContactRow[] = [];
  for (const { line, cells } of table.rows) {
    const get = (field: string) => cell(map, cells, field);
    const account = get('account');
    if (!account.value) problems.add(line, account.column, '', 'Name the account (its name, an alias or its external id).');
    const full = get('name');
    const name = (full.value || [get('firstName').value, get('lastName').value].filter(Boolean).join(' ')).replace(/\s+/g, ' ').trim();
    const nameColumn = full.value || !map.columns.has('firstName') ? full.column : get('firstName').column;
    if (!name) problems.add(line, nameColumn, '', 'The contact needs a name.');
    else if (name.length > CONTACT_NAME_MAX) problems.add(line, nameColumn, name, `A contact name can be at most ${CONTACT_NAME_MAX} characters.`);
    const roleCell = get('role');
    let role: ContactRole | null = null;
    if (roleCell.value) {
      const r = readRole(roleCell.value);
      if (r.ok) role = r.value;
      else problems.add(line, roleCell.column, roleCell.value, r.problem);
    }
    const email = get('email');
    if (email.value && !EMAIL_PATTERN.test(email.value)) problems.add(line, email.column, email.value, `“${email.value}” does not look like an email address; correct it or leave it empty.`);
    const title = get('title');
    if (problems.has(line)) continue;
    rows.push({ line, account: { text: account.value, column: account.column }, name, normalized: normalizeName(name), role, email: email.value || null, title: title.value || null });
  }
  return rows;
}

export async function applyContacts(tx: Tx, ctx: ImportContext, rows: ContactRow[]): Promise<PlanOutcome> {
  const { problems, workspaceId, now } = ctx;
  const accounts = await loadAccountRefs(tx, workspaceId);
  const existing = await tx.contact.findMany({ where: { workspaceId }, select: { id: true, accountId: true, normalizedName: true, name: true, role: true, email: true, title: true } });
  const byKey = new Map(existing.map((c) => [`${c.accountId}|${c.normalizedName}`, c]));
  const claimed = new Map<string, { line: number; fingerprint: string }>();
  const created: { id: string; accountId: string; accountName: string; row: ContactRow }[] = [];
  const updated: { id: string; label: string; role: ContactRole | null; email: string | null; title: string | null; changes: string[] }[] = [];
  const skipped: PlanOutcome['skipped'] = [];
  let unchanged = 0;

  for (const row of rows) {
    const account = await accounts.find(row.account.text);
    if (typeof account === 'string') {
      problems.add(row.line, row.account.column, row.account.text, account);
      continue;
    }
    const key = `${account.id}|${row.normalized}`;
    const fingerprint = JSON.stringify([row.role, row.email, row.title, row.name]);
    const earlier = claimed.get(key);
    if (earlier) {
      if (earlier.fingerprint === fingerprint) skipped.push({ line: row.line, reason: `repeats line ${earlier.line}` });
      else problems.add(row.line, ctx.columnOf('name'), row.name, `Line ${earlier.line} already imports ${row.name} at ${account.name} with other details; keep one of the two lines.`);
      continue;
    }
    claimed.set(key, { line: row.line, fingerprint });
    const label = `${row.name} (${account.name})`;
    const current = byKey.get(key);
    if (!current) {
      created.push({ id: randomUUID(), accountId: account.id, accountName: account.name, row });
      continue;
    }
    const next = { role: row.role ?? current.role, email: row.email ?? current.email, title: row.title ?? current.title };
    const changes: string[] = [];
    if (next.role !== current.role) changes.push(`role ${current.role ? ROLE_LABEL[current.role] : 'none'} → ${ROLE_LABEL[next.role!]}`);
    if (next.email !== current.email) changes.push(`email ${next.email}`);
    if (next.title !== current.title) changes.push(`title ${next.title}`);
    if (changes.length) updated.push({ id: current.id, label, ...next, changes });
    else unchanged++;
  }

  const outcome: PlanOutcome = { created: created.map((c) => `${c.row.name} (${c.accountName})`), updated: updated.map((u) => ({ label: u.label, changes: u.changes })), unchanged, skipped, notes: [] };
  if (ctx.dryRun) return outcome;
  await inChunks(created, CHUNK, async (chunk) => {
    const json = JSON.stringify(chunk.map((c) => ({ id: c.id, account_id: c.accountId, name: c.row.name, normalized_name: c.row.normalized, role: c.row.role, email: c.row.email, title: c.row.title })));
    await tx.$executeRaw`
      INSERT INTO contacts (id, workspace_id, account_id, name, normalized_name, role, email, title, created_at)
      SELECT id, ${workspaceId}::uuid, account_id, name, normalized_name, role::"ContactRole", email, title, ${now}::timestamptz
      FROM jsonb_to_recordset(${json}::jsonb) AS r(id uuid, account_id uuid, name text, normalized_name text, role text, email text, title text)`;
  });
  await inChunks(updated, CHUNK, async (chunk) => {
    const json = JSON.stringify(chunk.map((u) => ({ id: u.id, role: u.role, email: u.email, title: u.title })));
    await tx.$executeRaw`
      UPDATE contacts AS c SET role = r.role::"ContactRole", email = r.email, title = r.title
      FROM jsonb_to_recordset(${json}::jsonb) AS r(id uuid, role text, email text, title text) WHERE c.id = r.id`;
  });
  return outcome;
}
