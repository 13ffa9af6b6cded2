// What every kind of import works with: the file, who imports, the clock's moment, and Slack.
import type { Db } from '../../db/client.js';
import type { WorkspaceSettings } from '../settings.js';
import type { ColumnMap } from './columns.js';
import type { CsvTable } from './csv.js';
import type { Person, SlackLookup } from './people.js';
import type { Problems } from './report.js';

export interface ImportContext {
  db: Db;
  workspaceId: string;
  settings: WorkspaceSettings;
  now: Date;
  dryRun: boolean;
  fileName: string;
  /** The run's record (null in a dry run). */
  importId: string | null;
  /** Who imports, from Slack; null from the command line. */
  actor: { userId: string; slackUserId: string } | null;
  /** Owner of new accounts whose row names none: the person importing (as /kept account add does), none from the command line. */
  defaultOwner: Person | null;
  slack: SlackLookup | null;
  table: CsvTable;
  map: ColumnMap;
  problems: Problems;
  /** File-level notes for the report. */
  notes: string[];
  /** The header a field was read from (for problems), or its usual name. */
  columnOf(field: string): string;
}
