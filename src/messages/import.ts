// The /kept import form, and what Kept says about an import or an export: the Slack message (within
// Slack's limits, the full list of problems as a CSV beside it), and the same report as plain text
// for the command line.
import type { KnownBlock, View } from '@slack/types';
import type { ImportKind, ImportReport, RowProblem } from '../services/import/index.js';
import { IMPORT_KINDS } from '../services/import/index.js';
import { writeCsv } from '../services/import/csv.js';
import { context, joinMd, LIMITS, md, message, modal, note, section, truncate, type MdValue, type Message, type Mrkdwn, type StateValues } from './format.js';
import { IMPORT_BLOCKS as B, VIEWS } from './ids.js';

const KIND_LABEL: Record<ImportKind, string> = { accounts: 'Accounts', contacts: 'Contacts', commitments: 'Commitments (open items)' };

/** Where the form was opened, so an error after the submission can be shown there. */
export interface ImportModalMeta {
  channelId: string | null;
}

const plain = (text: string) => ({ type: 'plain_text' as const, text });
const option = (kind: ImportKind) => ({ text: plain(KIND_LABEL[kind]), value: kind });

export function importModal(meta: ImportModalMeta, kind?: ImportKind): View {
  const blocks: KnownBlock[] = [
    section(
      'Bring your accounts, key contacts or open commitments in from a CRM or a spreadsheet: save the sheet as *CSV* and upload it here. ' +
        'Kept matches columns by their names (`Account Name`, `Account Owner Email`, `Tier`, `Renewal Date`, `Slack Channel`…), ' +
        'keeps what is already there, and sends you the result in a DM, with every row it could not use. Importing the same file again changes nothing.',
    ),
    {
      type: 'input',
      block_id: B.kind,
      label: plain('Kind of data'),
      element: { type: 'static_select', action_id: B.kind, options: IMPORT_KINDS.map(option), ...(kind ? { initial_option: option(kind) } : {}) },
    },
    {
      type: 'input',
      block_id: B.file,
      label: plain('CSV file'),
      element: { type: 'file_input', action_id: B.file, filetypes: ['csv'], max_files: 1 },
    },
    {
      type: 'input',
      block_id: B.checkOnly,
      optional: true,
      label: plain('Check only'),
      element: {
        type: 'checkboxes',
        action_id: B.checkOnly,
        options: [{ text: plain('Check the file and tell me what would change; write nothing'), value: 'check' }],
      },
    },
    context('Columns and sample files: the README’s *Import and export* section. Only Kept admins may import.'),
  ];
  return modal(VIEWS.importModal, 'Import from CSV', meta, blocks, 'Import');
}

export type ImportForm = { ok: true; kind: ImportKind; fileId: string; dryRun: boolean } | { ok: false; errors: Record<string, string> };

/** Reads a submitted form: Slack's values are checked, never trusted. */
export function readImportModal(values: StateValues & Record<string, Record<string, { files?: { id?: unknown }[] | null }>>): ImportForm {
  const errors: Record<string, string> = {};
  const kind = values[B.kind]?.[B.kind]?.selected_option?.value;
  if (!kind || !(IMPORT_KINDS as readonly string[]).includes(kind)) errors[B.kind] = 'Choose what the file holds: accounts, contacts or commitments.';
  const files = values[B.file]?.[B.file]?.files ?? [];
  const fileId = typeof files[0]?.id === 'string' ? files[0].id : '';
  if (!/^F[A-Z0-9]{2,}$/.test(fileId)) errors[B.file] = 'Upload one CSV file.';
  else if (files.length > 1) errors[B.file] = 'Upload one file at a time.';
  if (Object.keys(errors).length) return { ok: false, errors };
  const dryRun = (values[B.checkOnly]?.[B.checkOnly]?.selected_options ?? []).some((o) => o.value === 'check');
  return { ok: true, kind: kind as ImportKind, fileId, dryRun };
}

// ---- the report ---------------------------------------------------------------------------------

const SHOWN = { created: 10, updated: 10, skipped: 10, problems: 20 } as const;
const n = (count: number, one: string, many = `${one}s`) => `${count.toLocaleString('en-US')} ${count === 1 ? one : many}`;
const badRows = (r: ImportReport) => new Set(r.problems.map((p) => p.line)).size;

function headline(r: ImportReport): string {
  const what = r.kind === 'commitments' ? 'commitment' : r.kind.slice(0, -1);
  if (r.status === 'refused') return `Nothing was imported from ${r.fileName}.`;
  const counts = [
    `${n(r.created.length, what)} ${r.dryRun ? 'to create' : 'created'}`,
    `${r.updated.length.toLocaleString('en-US')} ${r.dryRun ? 'to update' : 'updated'}`,
    `${r.unchanged.toLocaleString('en-US')} unchanged`,
    ...(r.skipped.length ? [`${r.skipped.length.toLocaleString('en-US')} left out`] : []),
    ...(r.problems.length ? [`${n(badRows(r), 'row')} with problems`] : []),
  ];
  return `${r.dryRun ? `Checked ${r.fileName} (nothing was written)` : `Imported ${r.fileName}`}: ${counts.join(', ')}.`;
}

export function problemLine(p: RowProblem): string {
  return `Line ${p.line}, ${p.column}${p.value ? ` “${truncate(p.value, 60)}”` : ''}: ${p.problem}`;
}

const more = (total: number, shown: number) => (total > shown ? `\n…and ${(total - shown).toLocaleString('en-US')} more` : '');

/** The DM about an import. When the problems do not all fit, `attachProblems` says to send problemsCsv beside it. */
export function importReportMessage(r: ImportReport): { message: Message; attachProblems: boolean } {
  const icon = r.status === 'refused' ? ':x:' : r.dryRun ? ':mag:' : ':white_check_mark:';
  const blocks: KnownBlock[] = [section(md`${icon} *${headline(r)}*`)];
  if (r.refusal) blocks.push(section(r.refusal));
  if (r.created.length) blocks.push(section(md`*${r.dryRun ? 'Would create' : 'Created'}:* ${r.created.slice(0, SHOWN.created).join(', ')}${more(r.created.length, SHOWN.created)}`));
  if (r.updated.length) {
    const lines = r.updated.slice(0, SHOWN.updated).map((u) => md`• ${u.label}: ${u.changes.join('; ')}`);
    blocks.push(section(md`*${r.dryRun ? 'Would update' : 'Updated'}:*\n${joinMd(lines, '\n')}${more(r.updated.length, SHOWN.updated)}`));
  }
  if (r.skipped.length) {
    const lines = r.skipped.slice(0, SHOWN.skipped).map((x) => md`• Line ${x.line}: ${x.reason}`);
    blocks.push(section(md`*Left out:*\n${joinMd(lines, '\n')}${more(r.skipped.length, SHOWN.skipped)}`));
  }
  let attachProblems = false;
  if (r.problems.length) {
    const lines: Mrkdwn[] = [];
    let length = 0;
    for (const p of r.problems.slice(0, SHOWN.problems)) {
      const line = md`• ${problemLine(p)}`;
      if (length + line.text.length > LIMITS.sectionText - 200) break;
      lines.push(line);
      length += line.text.length + 1;
    }
    const rest = r.problems.length - lines.length;
    attachProblems = rest > 0;
    const tail = rest > 0 ? `\n…and ${rest.toLocaleString('en-US')} more, all listed in the attached problems file.` : '';
    blocks.push(section(md`*Rows not imported* (fix them in the sheet and import the file again; what was imported stays as it is):\n${joinMd(lines, '\n')}${tail}`));
  }
  if (r.notes.length) blocks.push(context(r.notes.join(' ')));
  return { message: message(headline(r), blocks), attachProblems };
}

/** Every problem, for a spreadsheet. */
export function problemsCsv(r: ImportReport): string {
  return writeCsv(['Line', 'Column', 'Value', 'Problem'], r.problems.map((p) => [p.line, p.column, p.value, p.problem.replace(/[*`]/g, '')]));
}

/** The same report for a terminal: everything, nothing cut. */
export function importReportText(r: ImportReport): string {
  const out = [headline(r)];
  if (r.refusal) out.push(r.refusal);
  const list = (title: string, items: string[]) => {
    if (items.length) out.push(`${title}:`, ...items.map((i) => `  ${i}`));
  };
  list(r.dryRun ? 'Would create' : 'Created', r.created);
  list(r.dryRun ? 'Would update' : 'Updated', r.updated.map((u) => `${u.label}: ${u.changes.join('; ')}`));
  list('Left out', r.skipped.map((s) => `line ${s.line}: ${s.reason}`));
  list('Rows not imported (fix them and import the file again)', r.problems.map((p) => problemLine(p).replace(/[*`]/g, '')));
  for (const note of r.notes) out.push(`Note: ${note}`);
  return out.join('\n');
}

/** The comment on an exported file (Slack reads it as mrkdwn). */
export function exportComment(kind: string, rows: number, zone: string, scope: MdValue): Mrkdwn {
  return md`Your export of ${kind}: ${n(rows, 'row')}${scope}. Times are in ${zone}. Columns and how to import the file back: the README’s *Import and export* section.`;
}

/** The comment on the problems file sent beside an import's report. */
export function problemsComment(fileName: string): Mrkdwn {
  return md`Every row of ${fileName} that was not imported, with its line, column and how to fix it.`;
}

/** What an export covered: an account, only the accounts one owns, a start date. */
export function exportScope(o: { account?: string; ownOnly: boolean; since?: string }): Mrkdwn {
  return md`${o.account ? md` for ${o.account}` : ''}${o.ownOnly ? ' (the accounts you own; Kept admins export the whole workspace)' : ''}${o.since ? ` since ${o.since}` : ''}`;
}

/** The answer in the channel once an export is in the person's DM. */
export function exportSentNote(name: string, rows: number, scope: Mrkdwn): Message {
  return note(md`Sent *${name}* (${n(rows, 'row')}${scope}) to your DM with Kept.`);
}
