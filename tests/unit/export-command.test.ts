// `/kept export …` as typed: the kind, and optional `since` and `account`, in either order.
import { describe, expect, it } from 'vitest';
import { parseExport } from '../../src/bot/listeners/commands/kept/export.js';

describe('parseExport', () => {
  it('reads the kind and its options, the date in the person’s zone', () => {
    expect(parseExport('accounts', 'UTC')).toEqual({ kind: 'accounts' });
    expect(parseExport('Commitments since 2026-11-01 account Acme Corp', 'Europe/Berlin')).toEqual({ kind: 'commitments', since: new Date('2026-10-31T23:00:00Z'), account: 'Acme Corp' });
    expect(parseExport('touches --account Acme --since 2026-11-01', 'UTC')).toEqual({ kind: 'touches', since: new Date('2026-11-01T00:00:00Z'), account: 'Acme' });
  });

  it('says how to write it otherwise', () => {
    expect(() => parseExport('', 'UTC')).toThrow(/Write `\/kept export accounts`/);
    expect(() => parseExport('deals', 'UTC')).toThrow(/Write `\/kept export accounts`/);
    expect(() => parseExport('accounts since yesterday', 'UTC')).toThrow(/not a date/);
    expect(() => parseExport('accounts for Acme', 'UTC')).toThrow(/Write/);
  });
});
