// Pure pieces of import: reading CSV bytes, matching headers, reading cells.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EXPORT_ONLY, FIELDS, IMPORT_KINDS, headerKey, mapColumns } from '../../src/services/import/columns.js';
import { readCsv, UnreadableFile, writeCsv } from '../../src/services/import/csv.js';
import { EXPORT_COLUMNS } from '../../src/services/export.js';
import { dateOrder, dueMoment, readChannels, readDate, readPerson, readRole, readTier, readTime } from '../../src/services/import/values.js';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('readCsv', () => {
  it('reads quotes, embedded separators and line breaks, with the line each row starts on', () => {
    const t = readCsv(bytes('Name,Notes\n\n"Acme, Inc.","one\ntwo"\n,\nGlobex,"say ""hi"""\n'));
    expect(t.header).toEqual(['Name', 'Notes']);
    expect(t.rows).toEqual([
      { line: 3, cells: ['Acme, Inc.', 'one\ntwo'] },
      { line: 6, cells: ['Globex', 'say "hi"'] },
    ]);
  });

  it('takes `;` or tab as the separator when the header uses it, and drops a BOM', () => {
    expect(readCsv(bytes('\uFEFFName;Tier\nAcme, Inc.;key\n')).rows[0]!.cells).toEqual(['Acme, Inc.', 'key']);
    expect(readCsv(bytes('Name\tTier\nAcme\tkey\n')).delimiter).toBe('\t');
  });

  it('reads Windows-1252 and UTF-16 files, and says so for the former', () => {
    const latin = readCsv(new Uint8Array([...bytes('Name\nZo'), 0xeb, ...bytes('\n')]));
    expect(latin.rows[0]!.cells).toEqual(['Zoë']);
    expect(latin.notes[0]).toMatch(/not UTF-8/);
    const utf16 = new Uint8Array([0xff, 0xfe, ...Buffer.from('Name\nZoë\n', 'utf16le')]);
    expect(readCsv(utf16).rows[0]!.cells).toEqual(['Zoë']);
  });

  it('refuses what is not a CSV, saying why', () => {
    expect(() => readCsv(bytes(''))).toThrow(UnreadableFile);
    expect(() => readCsv(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00]))).toThrow(/not a text file/);
    expect(() => readCsv(bytes('a\n"b\n'))).toThrow(/quoted field is never closed/);
  });

  it('writes what it reads back', () => {
    const csv = writeCsv(['A', 'B'], [['x, y', 'line\nbreak'], ['"q"', null]]);
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(readCsv(bytes(csv)).rows.map((r) => r.cells)).toEqual([['x, y', 'line\nbreak'], ['"q"', '']]);
  });
});

describe('columns', () => {
  it('matches headers ignoring case, spaces and punctuation, most specific first', () => {
    const map = mapColumns('accounts', ['ACCOUNT_NAME', 'account owner', 'Owner E-mail', 'industry', 'On-Time 4 Weeks']);
    expect(map.columns.get('name')).toEqual([0]);
    // Both owner columns count; the email one first.
    expect(map.columns.get('owner')).toEqual([2, 1]);
    expect(map.ignored).toEqual(['industry']);
    expect(map.missing).toEqual([]);
    expect(mapColumns('contacts', ['Account', 'Email']).missing.map((f) => f.field)).toEqual(['name']);
  });

  it('reads every column Kept exports, as a field or as an export-only column', () => {
    for (const kind of IMPORT_KINDS) {
      const known = new Set([...FIELDS[kind].flatMap((f) => f.names), ...EXPORT_ONLY[kind]].map(headerKey));
      expect(EXPORT_COLUMNS[kind].filter((c) => !known.has(headerKey(c)))).toEqual([]);
    }
  });

  it('documents every field in the README', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    for (const kind of IMPORT_KINDS) for (const f of FIELDS[kind]) if (!['firstName', 'lastName'].includes(f.field)) expect(readme, f.names[0]).toContain(f.names[0]!);
    for (const kind of ['accounts', 'contacts', 'commitments', 'touches'] as const) for (const c of EXPORT_COLUMNS[kind]) expect(readme, c).toContain(c);
  });
});

describe('cells', () => {
  it('reads dates in the common spreadsheet forms', () => {
    const day = (t: string, order: 'dmy' | 'mdy' = 'mdy') => {
      const r = readDate(t, order);
      return r.ok ? `${r.value.year}-${r.value.month}-${r.value.day}${r.value.time ? ` ${r.value.time.hour}:${r.value.time.minute}` : ''}` : r.problem;
    };
    expect(day('2027-03-31')).toBe('2027-3-31');
    expect(day('2027/3/31')).toBe('2027-3-31');
    expect(day('03/04/2027')).toBe('2027-3-4');
    expect(day('03/04/2027', 'dmy')).toBe('2027-4-3');
    expect(day('31.03.2027')).toBe('2027-3-31');
    expect(day('31-Mar-27')).toBe('2027-3-31');
    expect(day('Mar 31, 2027')).toBe('2027-3-31');
    expect(day('31 March 2027 5pm')).toBe('2027-3-31 17:0');
    expect(day('12/4/2026 5:30 PM')).toBe('2026-12-4 17:30');
    expect(day('2026-12-04 17:00')).toBe('2026-12-4 17:0');
    expect(day('2027-02-30')).toMatch(/not a real date/);
    expect(day('next week')).toMatch(/not a date Kept can read; write it as 2027-03-31/);
  });

  it('decides a column’s day order from its dates, or from the separator', () => {
    expect(dateOrder(['03/04/2027', '13/04/2027'], ',')).toEqual({ order: 'dmy', decided: true });
    expect(dateOrder(['03/04/2027', '04/13/2027'], ';')).toEqual({ order: 'mdy', decided: true });
    expect(dateOrder(['03/04/2027'], ';')).toEqual({ order: 'dmy', decided: false });
    expect(dateOrder(['03/04/2027'], ',')).toEqual({ order: 'mdy', decided: false });
  });

  it('places a due moment in the zone: the time given, or the end of the working day', () => {
    const d = readDate('2026-12-04', 'mdy');
    if (!d.ok) throw new Error(d.problem);
    expect(dueMoment(d.value, undefined, 'Europe/Berlin').toISOString()).toBe('2026-12-04T17:00:00.000Z');
    expect(dueMoment(d.value, { hour: 9, minute: 30 }, 'America/New_York').toISOString()).toBe('2026-12-04T14:30:00.000Z');
    const exact = readDate('2026-12-04T10:00:00+02:00', 'mdy');
    if (!exact.ok) throw new Error(exact.problem);
    expect(dueMoment(exact.value, undefined, 'UTC').toISOString()).toBe('2026-12-04T08:00:00.000Z');
  });

  it('reads tiers, roles, times, people and channels, or says what to write', () => {
    expect(readTier('Mid-Market')).toEqual({ ok: true, value: 'key' });
    expect(readTier('gold')).toMatchObject({ ok: false });
    expect(readRole('Decision Maker')).toEqual({ ok: true, value: 'decision_maker' });
    expect(readRole('coach')).toEqual({ ok: true, value: 'champion' });
    expect(readTime('5pm')).toEqual({ ok: true, value: { hour: 17, minute: 0 } });
    expect(readTime('25:00')).toMatchObject({ ok: false });
    expect(readPerson('Maria@Example.com')).toEqual({ ok: true, value: { email: 'maria@example.com' } });
    expect(readPerson('<@U0123ABC|maria>')).toEqual({ ok: true, value: { slackUserId: 'U0123ABC' } });
    expect(readPerson('Maria Rossi')).toMatchObject({ ok: false });
    expect(readChannels('#acme; C0123ABCD, <#G0999XYZ1|secret>')).toEqual({ ok: true, value: [{ name: 'acme' }, { id: 'C0123ABCD' }, { id: 'G0999XYZ1' }] });
    expect(readChannels('#Not A Channel!')).toMatchObject({ ok: false });
  });
});
