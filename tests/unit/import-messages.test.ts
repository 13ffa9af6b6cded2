// The import form and report builders: Slack's limits, escaped user text, the form read back.
import { describe, expect, it } from 'vitest';
import { importModal, importReportMessage, importReportText, problemsCsv, readImportModal } from '../../src/messages/import.js';
import { IMPORT_BLOCKS as B } from '../../src/messages/ids.js';
import { LIMITS } from '../../src/messages/format.js';
import type { ImportReport } from '../../src/services/import/index.js';

const report = (over: Partial<ImportReport> = {}): ImportReport => ({
  kind: 'accounts', fileName: 'crm <!channel>.csv', dryRun: false, status: 'done', rows: 600,
  created: Array.from({ length: 40 }, (_, i) => `Acme <@U0${i}> & Co`),
  updated: [{ label: 'Globex', changes: ['tier key → strategic'] }],
  unchanged: 3, skipped: [{ line: 9, reason: 'repeats line 4' }],
  problems: Array.from({ length: 500 }, (_, i) => ({ line: i + 10, column: 'Owner', value: `<!here> ${i}`, problem: 'Slack has no active member with the email x; check the address.' })),
  notes: ['Columns Kept does not use were left out: <b>Industry</b>.'],
  ...over,
});

describe('importReportMessage', () => {
  it('stays within Slack’s limits, escapes what the file said, and sends the rest as a CSV', () => {
    const { message, attachProblems } = importReportMessage(report());
    expect(message.blocks.length).toBeLessThanOrEqual(LIMITS.messageBlocks);
    const json = JSON.stringify(message);
    expect(json.length).toBeLessThan(LIMITS.payloadChars);
    for (const b of message.blocks as any[]) expect((b.text?.text ?? b.elements?.[0]?.text ?? '').length).toBeLessThanOrEqual(LIMITS.sectionText);
    expect(json).not.toMatch(/<!channel>|<!here>|<@U0|<b>/);
    expect(message.text).toBe('Imported crm <!channel>.csv: 40 accounts created, 1 updated, 3 unchanged, 1 left out, 500 rows with problems.'.replace('<!channel>', '&lt;!channel&gt;'));
    expect(attachProblems).toBe(true);
    expect(json).toContain('all listed in the attached problems file');
  });

  it('says what a check would do, and why a refused file was refused', () => {
    const dry = importReportMessage(report({ dryRun: true, problems: [] }));
    expect(dry.message.text).toMatch(/^Checked .* \(nothing was written\): 40 accounts to create, 1 to update/);
    expect(dry.attachProblems).toBe(false);
    const refused = importReportMessage(report({ status: 'refused', refusal: 'The file is empty.', created: [], updated: [] }));
    expect(refused.message.text).toMatch(/^Nothing was imported from/);
    expect(JSON.stringify(refused.message)).toContain('The file is empty.');
  });

  it('lists everything on the command line, and every problem in the CSV', () => {
    const text = importReportText(report());
    expect(text.split('\n').filter((l) => l.startsWith('  Line ')).length).toBe(500);
    expect(problemsCsv(report()).trim().split('\r\n')).toHaveLength(501);
  });
});

describe('the import form', () => {
  it('has a CSV file input, the kind and Check only', () => {
    const view = importModal({ channelId: 'C1' }, 'contacts') as any;
    expect(view.blocks.find((b: any) => b.block_id === B.file).element).toMatchObject({ type: 'file_input', filetypes: ['csv'], max_files: 1 });
    expect(view.blocks.find((b: any) => b.block_id === B.kind).element.initial_option.value).toBe('contacts');
    expect(view.blocks.find((b: any) => b.block_id === B.checkOnly).optional).toBe(true);
  });

  it('reads a submission, refusing what Slack should not have sent', () => {
    const values = (kind: string, files: unknown[], check = false) => ({
      [B.kind]: { [B.kind]: { selected_option: { value: kind } } },
      [B.file]: { [B.file]: { files } },
      [B.checkOnly]: { [B.checkOnly]: { selected_options: check ? [{ value: 'check' }] : [] } },
    }) as any;
    expect(readImportModal(values('accounts', [{ id: 'F0123' }], true))).toEqual({ ok: true, kind: 'accounts', fileId: 'F0123', dryRun: true });
    expect(readImportModal(values('widgets', [{ id: 'F0123' }]))).toMatchObject({ ok: false, errors: { [B.kind]: expect.any(String) } });
    expect(readImportModal(values('accounts', [{ id: '../etc' }]))).toMatchObject({ ok: false, errors: { [B.file]: 'Upload one CSV file.' } });
    expect(readImportModal(values('accounts', [{ id: 'F1' + 'A'.repeat(5) }, { id: 'F2AAAAA' }]))).toMatchObject({ ok: false, errors: { [B.file]: 'Upload one file at a time.' } });
  });
});
