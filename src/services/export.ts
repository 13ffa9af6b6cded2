// Export: accounts, contacts, commitments or touches as CSV, one query per kind (plus one for the
// on-time rates). The columns Kept imports carry the names the importer reads, so an exported file
// imports back unchanged; the other columns (figures, names) are for the spreadsheet and are
// ignored on import.
import { DateTime } from 'luxon';
import type { DbOrTx } from '../db/client.js';
import { Prisma } from '../../generated/prisma/client.js';
import { cadenceStatus, type CadenceStatus } from './cadence.js';
import { ROLE_LABEL } from './contacts.js';
import { writeCsv } from './import/csv.js';
import { onTimeRates, type OnTime } from './reliability.js';

export const EXPORT_KINDS = ['accounts', 'contacts', 'commitments', 'touches'] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];

export interface ExportRequest {
  workspaceId: string;
  kind: ExportKind;
  /** Rows created or changed since then (touches: that happened since then). */
  since?: Date;
  accountId?: string;
  /** Only the accounts this user owns (and their contacts, commitments and touches). */
  ownerId?: string;
  /** Zone for moments that have none of their own (last touch, next due, when a touch happened). */
  zone: string;
  now: Date;
}

export const EXPORT_COLUMNS: Record<ExportKind, string[]> = {
  accounts: ['External ID', 'Account Name', 'Aliases', 'Owner', 'Owner Name', 'Tier', 'Cadence Days', 'Renewal Date', 'Slack Channel', 'Cadence Status', 'Last Touch', 'Next Due', 'On-Time 4 Weeks', 'On-Time 12 Weeks', 'Open Commitments'],
  contacts: ['Account', 'Name', 'Role', 'Email', 'Title', 'Last Touch'],
  commitments: ['Ref', 'External ID', 'Account', 'What', 'Owner', 'Owner Name', 'Direction', 'Status', 'Due', 'Original Due', 'Time Zone', 'Delivered At', 'On Time', 'Notes', 'History', 'Created At'],
  touches: ['Account', 'When', 'Kind', 'Summary', 'Sentiment', 'Contacts', 'Participants', 'Logged By', 'Logged By Name'],
};

const STATUS_LABEL: Record<CadenceStatus, string> = { on_track: 'on track', due_soon: 'due soon', overdue: 'overdue', dark: 'dark' };

const at = (d: Date | null, zone: string) => (d ? DateTime.fromJSDate(d, { zone }).toFormat('yyyy-MM-dd HH:mm') : '');
/** A cadence due moment is a day: the end of the owner's working day, so the day in the owner's zone. */
const localDay = (d: Date | null, zone: string) => (d ? DateTime.fromJSDate(d, { zone }).toFormat('yyyy-MM-dd') : '');
const day = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : '');
const rate = (r: OnTime | undefined) => (r && r.rate !== null ? `${Math.round(r.rate * 100)}%` : '');

export async function exportCsv(db: DbOrTx, req: ExportRequest): Promise<{ csv: string; rows: number }> {
  const rows = await exportRows(db, req);
  return { csv: writeCsv(EXPORT_COLUMNS[req.kind], rows), rows: rows.length };
}

export async function exportRows(db: DbOrTx, req: ExportRequest): Promise<string[][]> {
  const { workspaceId, zone, now } = req;
  const scope = Prisma.sql`${req.accountId ? Prisma.sql`AND a.id = ${req.accountId}::uuid` : Prisma.empty}
    ${req.ownerId ? Prisma.sql`AND a.owner_id = ${req.ownerId}::uuid` : Prisma.empty}`;
  switch (req.kind) {
    case 'accounts': {
      const accounts = await db.$queryRaw<
        { id: string; external_id: string | null; name: string; aliases: string[]; owner: string | null; owner_name: string | null; tier: string; cadence_days: number | null; renewal_date: Date | null; channels: string | null; last_touch_at: Date | null; cadence_warn_at: Date | null; cadence_due_at: Date | null; cadence_dark_at: Date | null; owner_zone: string | null; open: bigint }[]
      >`
        SELECT a.id, a.external_id, a.name, a.aliases, u.slack_user_id AS owner, u.display_name AS owner_name, u.time_zone AS owner_zone, a.tier::text AS tier, a.cadence_days, a.renewal_date,
               (SELECT string_agg(ch.channel_id, '; ' ORDER BY ch.created_at) FROM account_channels ch WHERE ch.account_id = a.id) AS channels,
               a.last_touch_at, a.cadence_warn_at, a.cadence_due_at, a.cadence_dark_at,
               (SELECT count(*) FROM commitments c WHERE c.account_id = a.id AND c.status = 'open') AS open
        FROM accounts a LEFT JOIN users u ON u.id = a.owner_id
        WHERE a.workspace_id = ${workspaceId}::uuid AND NOT a.archived ${scope} ${req.since ? Prisma.sql`AND a.updated_at >= ${req.since}` : Prisma.empty}
        ORDER BY a.normalized_name`;
      const rates = await onTimeRates(db, { workspaceId, ...(req.accountId ? { accountIds: [req.accountId] } : {}) }, 'account', now, [4, 12]);
      return accounts.map((a) => [
        a.external_id ?? '', a.name, a.aliases.join('; '), a.owner ?? '', a.owner_name ?? '', a.tier, a.cadence_days?.toString() ?? '', day(a.renewal_date), a.channels ?? '',
        STATUS_LABEL[cadenceStatus({ warnAt: a.cadence_warn_at, dueAt: a.cadence_due_at, darkAt: a.cadence_dark_at }, now)],
        at(a.last_touch_at, zone), localDay(a.cadence_due_at, a.owner_zone ?? zone), rate(rates.get(a.id)?.[0]), rate(rates.get(a.id)?.[1]), String(a.open),
      ]);
    }
    case 'contacts': {
      const contacts = await db.$queryRaw<{ account: string; name: string; role: keyof typeof ROLE_LABEL | null; email: string | null; title: string | null; last_touch: Date | null }[]>`
        SELECT a.name AS account, c.name, c.role::text AS role, c.email, c.title, lt.at AS last_touch
        FROM contacts c JOIN accounts a ON a.id = c.account_id
        LEFT JOIN LATERAL (SELECT max(t.occurred_at) AS at FROM touch_contacts tc JOIN touches t ON t.id = tc.touch_id WHERE tc.contact_id = c.id AND t.kind <> 'note') lt ON true
        WHERE c.workspace_id = ${workspaceId}::uuid AND NOT a.archived ${scope} ${req.since ? Prisma.sql`AND c.created_at >= ${req.since}` : Prisma.empty}
        ORDER BY a.normalized_name, c.normalized_name`;
      return contacts.map((c) => [c.account, c.name, c.role ? ROLE_LABEL[c.role] : '', c.email ?? '', c.title ?? '', at(c.last_touch, zone)]);
    }
    case 'commitments': {
      const commitments = await db.$queryRaw<
        { number: number; external_id: string | null; account: string; title: string; owner: string; owner_name: string; direction: string; status: string; due_at: Date; original_due_at: Date; due_time_zone: string; completed_at: Date | null; notes: string | null; history: bigint; created_at: Date }[]
      >`
        SELECT c.number, c.external_id, a.name AS account, c.title, u.slack_user_id AS owner, u.display_name AS owner_name, c.direction::text AS direction,
               c.status::text AS status, c.due_at, c.original_due_at, c.due_time_zone, c.completed_at, c.notes,
               (SELECT count(*) FROM commitment_events e WHERE e.commitment_id = c.id) AS history, c.created_at
        FROM commitments c JOIN accounts a ON a.id = c.account_id JOIN users u ON u.id = c.owner_id
        WHERE c.workspace_id = ${workspaceId}::uuid ${scope} ${req.since ? Prisma.sql`AND c.updated_at >= ${req.since}` : Prisma.empty}
        ORDER BY c.number`;
      return commitments.map((c) => {
        // Each commitment's moments in its own zone, the one its due date was given in.
        const z = c.due_time_zone;
        const onTime = c.status === 'done' && c.completed_at ? (c.completed_at <= c.original_due_at ? 'yes' : 'no') : '';
        return [
          `C-${c.number}`, c.external_id ?? '', c.account, c.title, c.owner, c.owner_name, c.direction, c.status, at(c.due_at, z), at(c.original_due_at, z), z,
          c.status === 'done' ? at(c.completed_at, z) : '', onTime, c.notes ?? '', String(c.history), at(c.created_at, z),
        ];
      });
    }
    case 'touches': {
      const touches = await db.$queryRaw<{ account: string; occurred_at: Date; kind: string; summary: string; sentiment: string; contacts: string | null; participants: string[]; logged_by: string; logged_by_name: string }[]>`
        SELECT a.name AS account, t.occurred_at, t.kind::text AS kind, t.summary, t.sentiment::text AS sentiment,
               (SELECT string_agg(ct.name, '; ' ORDER BY ct.name) FROM touch_contacts tc JOIN contacts ct ON ct.id = tc.contact_id WHERE tc.touch_id = t.id) AS contacts,
               t.participants, u.slack_user_id AS logged_by, u.display_name AS logged_by_name
        FROM touches t JOIN accounts a ON a.id = t.account_id JOIN users u ON u.id = t.logged_by_id
        WHERE t.workspace_id = ${workspaceId}::uuid ${scope} ${req.since ? Prisma.sql`AND t.occurred_at >= ${req.since}` : Prisma.empty}
        ORDER BY t.occurred_at, t.created_at`;
      return touches.map((t) => [t.account, at(t.occurred_at, zone), t.kind, t.summary, t.sentiment, t.contacts ?? '', t.participants.join('; '), t.logged_by, t.logged_by_name]);
    }
  }
}
