// Which column is which: headers are matched case-, space- and punctuation-insensitively against
// the names Kept exports and the names CRM exports use (Salesforce, HubSpot, spreadsheets).
export const IMPORT_KINDS = ['accounts', 'contacts', 'commitments'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

export interface FieldSpec {
  field: string;
  /** Accepted headers, most specific first; the first is the one Kept exports. When a file has several, a row's first non-empty one counts. */
  names: string[];
  required?: boolean;
  /** What goes in it, for the README and error messages. */
  help: string;
}

export const FIELDS: Record<ImportKind, FieldSpec[]> = {
  accounts: [
    { field: 'externalId', names: ['External ID', 'Account ID', 'Record ID', 'Salesforce ID', 'HubSpot ID', 'Company ID', 'CRM ID', 'ID'], help: 'the CRM’s id for the account; the key when the file is imported again' },
    { field: 'name', names: ['Account Name', 'Account', 'Company Name', 'Company', 'Organization', 'Organisation', 'Name'], required: true, help: 'the account’s name' },
    { field: 'aliases', names: ['Aliases', 'Alias', 'Also Known As', 'AKA', 'Other Names'], help: 'other names, separated by `;`' },
    { field: 'owner', names: ['Owner', 'Owner Email', 'Account Owner Email', 'Owner Slack ID', 'Account Manager Email', 'CSM Email', 'Company Owner Email', 'Account Owner', 'Account Manager', 'CSM', 'Company Owner'], help: 'the owner’s email address or Slack id (U…)' },
    { field: 'tier', names: ['Tier', 'Segment', 'Account Tier', 'Customer Tier', 'Account Segment'], help: 'strategic, key or standard (also Tier 1/2/3, Enterprise/Mid-Market/SMB)' },
    { field: 'cadence', names: ['Cadence Days', 'Cadence', 'Contact Cadence', 'Touch Cadence'], help: 'days between touches, 1 to 365 (`14`, `2w`); empty: the tier’s default' },
    { field: 'renewal', names: ['Renewal Date', 'Renewal', 'Contract End Date', 'Contract End', 'Contract Renewal Date', 'Next Renewal Date'], help: 'a date: 2027-03-31, 31/03/2027, 03/31/2027, 31.03.2027, 31 Mar 2027' },
    { field: 'channels', names: ['Slack Channel', 'Slack Channels', 'Channel', 'Channels'], help: '`#name` or a channel id (C…); several separated by `;`' },
  ],
  contacts: [
    { field: 'account', names: ['Account', 'Account Name', 'Company', 'Company Name', 'Organization', 'Account External ID', 'Account ID'], required: true, help: 'the account’s name, an alias, or its external id' },
    { field: 'name', names: ['Name', 'Contact Name', 'Full Name', 'Contact'], help: 'the person’s name (or First Name and Last Name columns)' },
    { field: 'firstName', names: ['First Name', 'Given Name', 'First'], help: 'with Last Name, instead of Name' },
    { field: 'lastName', names: ['Last Name', 'Surname', 'Family Name', 'Last'], help: 'with First Name, instead of Name' },
    { field: 'role', names: ['Role', 'Contact Role', 'Buying Role', 'Persona'], help: 'decision maker, champion, influencer, coach, executive sponsor or user' },
    { field: 'email', names: ['Email', 'Email Address', 'Contact Email', 'Work Email'], help: 'their email address' },
    { field: 'title', names: ['Title', 'Job Title', 'Position'], help: 'their job title' },
  ],
  commitments: [
    { field: 'externalId', names: ['External ID', 'Task ID', 'Activity ID', 'Record ID', 'ID'], help: 'the previous tracker’s id; the key when the file is imported again' },
    { field: 'account', names: ['Account', 'Account Name', 'Company', 'Company Name', 'Account External ID', 'Account ID', 'Related To'], required: true, help: 'the account’s name, an alias, or its external id' },
    { field: 'title', names: ['What', 'Commitment', 'Title', 'Subject', 'Task', 'Task Subject'], required: true, help: 'what is owed, up to 200 characters' },
    { field: 'owner', names: ['Owner', 'Owner Email', 'Owner Slack ID', 'Assigned To Email', 'Assignee Email', 'Task Owner Email', 'Assigned To', 'Assignee', 'Task Owner'], help: 'who delivers (or chases the customer): email or Slack id; empty: the account’s owner' },
    { field: 'due', names: ['Due', 'Due Date', 'Due At', 'Deadline', 'Activity Date'], required: true, help: 'a date, optionally with a time (2026-12-04 17:00); without a time, 18:00 that day' },
    { field: 'dueTime', names: ['Due Time', 'Time'], help: 'a time of day (17:00, 5pm) when Due has none' },
    { field: 'zone', names: ['Time Zone', 'Timezone', 'Zone', 'TZ'], help: 'an IANA zone (Europe/Berlin); empty: the owner’s Slack zone' },
    { field: 'direction', names: ['Direction', 'Owed By', 'Whose'], help: 'ours (we owe the customer) or theirs (the customer owes us); empty: ours' },
    { field: 'notes', names: ['Notes', 'Description', 'Comments', 'Details'], help: 'anything else, up to 2,000 characters' },
    { field: 'status', names: ['Status', 'State'], help: 'open (or Not Started, In Progress); done and dropped rows are left out' },
    { field: 'originalDue', names: ['Original Due', 'Original Due Date'], help: 'the first due date, when it was moved since (on time is measured against it)' },
  ],
};

/** Columns Kept writes in its exports that say something but are not imported (figures, names). */
export const EXPORT_ONLY: Record<ImportKind, string[]> = {
  accounts: ['Owner Name', 'Cadence Status', 'Last Touch', 'Next Due', 'On-Time 4 Weeks', 'On-Time 12 Weeks', 'Open Commitments'],
  contacts: ['Last Touch'],
  commitments: ['Ref', 'Owner Name', 'Delivered At', 'On Time', 'History', 'Created At'],
};

export const headerKey = (header: string) => header.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');

export interface ColumnMap {
  /** For each field, the column indexes that carry it, most specific first. */
  columns: Map<string, number[]>;
  /** Headers Kept does not know (told to the person, not an error). */
  ignored: string[];
  /** Required fields no column carries. */
  missing: FieldSpec[];
  header: string[];
}

export function mapColumns(kind: ImportKind, header: string[]): ColumnMap {
  const byKey = new Map<string, number>();
  header.forEach((h, i) => {
    const k = headerKey(h);
    if (k && !byKey.has(k)) byKey.set(k, i);
  });
  const used = new Set<number>();
  const columns = new Map<string, number[]>();
  for (const spec of FIELDS[kind]) {
    const idx = spec.names.map((n) => byKey.get(headerKey(n))).filter((i): i is number => i !== undefined && !used.has(i));
    idx.forEach((i) => used.add(i));
    if (idx.length) columns.set(spec.field, idx);
  }
  const exportOnly = new Set(EXPORT_ONLY[kind].map(headerKey));
  const ignored = header.filter((h, i) => !used.has(i) && h.trim() !== '' && !exportOnly.has(headerKey(h)));
  const missing = FIELDS[kind].filter((s) => s.required && !columns.has(s.field));
  // Contacts: a Name column, or First and Last Name.
  if (kind === 'contacts' && !columns.has('name') && !columns.has('firstName')) missing.push(FIELDS.contacts.find((s) => s.field === 'name')!);
  return { columns, ignored, missing, header };
}

/** A row's value for a field: the first non-empty cell among the field's columns, with the header it came from. */
export function cell(map: ColumnMap, cells: string[], field: string): { value: string; column: string } {
  const idx = map.columns.get(field) ?? [];
  for (const i of idx) {
    const v = (cells[i] ?? '').trim();
    if (v) return { value: v, column: map.header[i]! };
  }
  return { value: '', column: idx.length ? map.header[idx[0]!]! : field };
}

/** The header Kept exports for a field. */
export function exportHeader(kind: ImportKind, field: string): string {
  return FIELDS[kind].find((s) => s.field === field)!.names[0]!;
}
