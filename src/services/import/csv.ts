// Reading a CSV file as spreadsheets and CRMs write it: UTF-8 (or UTF-16, or Excel's Windows-1252),
// with or without a byte-order mark, `,` `;` or tab between fields, quoted fields with commas and
// line breaks inside, blank lines. The parsing itself is csv-parse's.
import { CsvError, parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';

/** One data row: the line it starts on (1-based, as a text editor counts) and its cells by column. */
export interface CsvRow {
  line: number;
  cells: string[];
}

export interface CsvTable {
  header: string[];
  rows: CsvRow[];
  delimiter: ',' | ';' | '\t';
  /** Facts about the file worth telling the person (its encoding, when it was not UTF-8). */
  notes: string[];
}

/** A file Kept cannot read at all; the message says why and what to do. */
export class UnreadableFile extends Error {
  override readonly name = 'UnreadableFile';
}

/** Enough for 10,000s of rows; beyond this a file is refused rather than read into memory. */
export const MAX_FILE_BYTES = 50 * 1024 * 1024;
export const MAX_ROWS = 100_000;

/** Bytes → text: UTF-8 (a BOM is dropped), UTF-16 by its BOM, else Windows-1252 as Excel saves "CSV". */
export function decode(bytes: Uint8Array): { text: string; notes: string[] } {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), notes: [] };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), notes: [] };
  const body = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(body), notes: [] };
  } catch {
    return {
      text: new TextDecoder('windows-1252').decode(body),
      notes: ['The file is not UTF-8, so it was read as Windows-1252 (what Excel saves as “CSV”). If accented names look wrong, save it as “CSV UTF-8” and import again.'],
    };
  }
}

/** The separator is whichever of `,` `;` and tab the header line uses most (outside quotes). */
function detectDelimiter(text: string): CsvTable['delimiter'] {
  const firstLine = text.split(/\r?\n/).find((l) => l.trim() !== '') ?? '';
  const unquoted = firstLine.replace(/"[^"]*"/g, '');
  const count = (c: string) => unquoted.split(c).length - 1;
  const candidates = [',', ';', '\t'] as const;
  return candidates.reduce((best, c) => (count(c) > count(best) ? c : best), candidates[0]);
}

export function readCsv(bytes: Uint8Array): CsvTable {
  if (bytes.length > MAX_FILE_BYTES) throw new UnreadableFile(`The file is ${Math.round(bytes.length / 1024 / 1024)} MB; Kept reads files up to ${MAX_FILE_BYTES / 1024 / 1024} MB. Split it into smaller files.`);
  const { text, notes } = decode(bytes);
  if (text.includes('\u0000')) throw new UnreadableFile('This is not a text file. Save the sheet as CSV (File → Save as → CSV UTF-8) and import that.');
  const delimiter = detectDelimiter(text);
  let records: { record: string[]; info: { lines: number }; raw: string }[];
  try {
    records = parse(text, {
      delimiter,
      info: true,
      raw: true,
      relax_column_count: true,
      // A stray quote inside an unquoted field ("15" monitor") is kept as text, as spreadsheets do.
      relax_quotes: true,
      skip_empty_lines: true,
      trim: true,
    }) as unknown as typeof records;
  } catch (err) {
    if (err instanceof CsvError) {
      const at = (err as CsvError & { lines?: number }).lines;
      const why = err.code === 'CSV_QUOTE_NOT_CLOSED' ? 'a quoted field is never closed (a missing " after a value?)' : err.message;
      throw new UnreadableFile(`The file cannot be read as CSV${at ? ` at line ${at}` : ''}: ${why}. Fix it in the spreadsheet and save it as CSV again.`);
    }
    throw err;
  }
  const withLines = records
    .map((r) => ({ line: startLine(r.info.lines, r.raw), cells: r.record }))
    // Rows of empty cells (",,,," as spreadsheets write blank lines) are blank lines too.
    .filter((r) => r.cells.some((c) => c !== ''));
  const [head, ...rows] = withLines;
  if (!head) throw new UnreadableFile('The file is empty. It needs a header line naming the columns, then one line per row.');
  if (rows.length > MAX_ROWS) throw new UnreadableFile(`The file has ${rows.length.toLocaleString('en-US')} rows; Kept imports up to ${MAX_ROWS.toLocaleString('en-US')} at a time. Split it into smaller files.`);
  return { header: head.cells, rows, delimiter, notes };
}

/** csv-parse reports the line a record ends on; a record with line breaks inside started earlier. */
function startLine(endLine: number, raw: string): number {
  const body = raw.replace(/^(?:\r?\n)+/, '').replace(/\r?\n$/, '');
  return endLine - (body.split('\n').length - 1);
}

/** Rows → CSV text (RFC 4180: quotes where needed, CRLF line ends; a UTF-8 BOM so Excel reads accents right). */
export function writeCsv(header: string[], rows: (string | number | null | undefined)[][]): string {
  return stringify([header, ...rows.map((r) => r.map((v) => (v === null || v === undefined ? '' : String(v))))], { record_delimiter: 'windows', bom: true });
}
