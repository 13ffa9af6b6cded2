// What an import says back: what it created, updated and left unchanged (or would, in a dry run),
// and every row it could not use, with its line, its column and how to fix it.
import type { ImportKind } from './columns.js';

export interface RowProblem {
  line: number;
  /** The header as written in the file (or the field's usual name when the file has no such column). */
  column: string;
  value: string;
  problem: string;
}

export interface Change {
  label: string;
  changes: string[];
}

export interface ImportReport {
  kind: ImportKind;
  fileName: string;
  dryRun: boolean;
  /** refused: nothing in the file was usable (or it could not be read); nothing was written. */
  status: 'done' | 'refused';
  refusal?: string;
  /** Data rows read (blank lines are not rows). */
  rows: number;
  created: string[];
  updated: Change[];
  unchanged: number;
  /** Rows left out on purpose: exact repeats of an earlier line, closed items. */
  skipped: { line: number; reason: string }[];
  problems: RowProblem[];
  /** About the file as a whole: ignored columns, its encoding, how dates were read, overdue items. */
  notes: string[];
}

/** Collects row problems; a row with any problem is not imported. */
export class Problems {
  readonly list: RowProblem[] = [];
  private readonly lines = new Set<number>();

  add(line: number, column: string, value: string, problem: string): void {
    this.list.push({ line, column, value, problem });
    this.lines.add(line);
  }

  has(line: number): boolean {
    return this.lines.has(line);
  }

  sorted(): RowProblem[] {
    return [...this.list].sort((a, b) => a.line - b.line);
  }
}

/** What a kind's plan comes to: labels of what is created, the changes to what exists. */
export interface PlanOutcome {
  created: string[];
  updated: Change[];
  unchanged: number;
  skipped: { line: number; reason: string }[];
  notes: string[];
}

/** Runs `fn` over `items` in slices: bulk statements stay a bounded size. */
export async function inChunks<T>(items: T[], size: number, fn: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await fn(items.slice(i, i + size));
}

/** Rows per bulk statement: one JSON parameter each (binding thousands of values costs more than the write). */
export const CHUNK = 2000;
