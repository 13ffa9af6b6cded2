// /kept import and /kept export end to end: signed requests to the real receiver, real Postgres and
// Redis, the fake Slack Web API (files.info and the download, users.lookupByEmail / users.list,
// conversations.list, and files.uploadV2's three steps).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { eventually, startKept, type Kept } from '../helpers/kept.js';
import { viewSubmission } from '../helpers/slack-requests.js';
import { IMPORT_BLOCKS as B, VIEWS } from '../../src/messages/ids.js';

let kept: Kept;
const NOW = '2026-11-23T14:00:00Z';

beforeAll(async () => {
  kept = await startKept({ now: NOW });
  kept.slack.setUser('U0001', { name: 'ana', realName: 'Ana Lima', tz: 'America/New_York', email: 'ana@example.com', isAdmin: true });
  kept.slack.setUser('U0002', { name: 'maria', realName: 'Maria Rossi', tz: 'Europe/Berlin', email: 'maria@example.com' });
  kept.slack.setChannel('C0ACME01', 'acme');
});
afterAll(() => kept?.close());
beforeEach(() => kept.slack.reset());

const formValues = (o: { kind?: string; fileId?: string; check?: boolean }) => ({
  [B.kind]: { [B.kind]: { type: 'static_select', selected_option: o.kind ? { text: { type: 'plain_text', text: o.kind }, value: o.kind } : null } },
  [B.file]: { [B.file]: { type: 'file_input', files: o.fileId ? [{ id: o.fileId, name: 'upload.csv' }] : [] } },
  [B.checkOnly]: { [B.checkOnly]: { type: 'checkboxes', selected_options: o.check ? [{ text: { type: 'plain_text', text: 'Check only' }, value: 'check' }] : [] } },
});

const submit = (o: { kind?: string; fileId?: string; check?: boolean; userId?: string; viewId?: string }) =>
  kept.interact(viewSubmission({ callbackId: VIEWS.importModal, userId: o.userId ?? 'U0001', viewId: o.viewId, privateMetadata: JSON.stringify({ channelId: 'C0001' }), values: formValues(o) }));

const dmTo = (user: string) => kept.slack.waitFor('chat.postMessage', (a) => a.channel === user, 10_000);

describe('/kept import', () => {
  it('opens the form for a Slack admin while no Kept admins are named, with the kind preselected', async () => {
    const res = await kept.command({ command: '/kept', text: 'import accounts', user_id: 'U0001' });
    expect(res.status).toBe(200);
    const open = await kept.slack.waitFor('views.open');
    expect(open.view.callback_id).toBe(VIEWS.importModal);
    const blocks = open.view.blocks as any[];
    expect(blocks.find((b) => b.block_id === B.file).element).toMatchObject({ type: 'file_input', filetypes: ['csv'], max_files: 1 });
    expect(blocks.find((b) => b.block_id === B.kind).element.initial_option.value).toBe('accounts');
  });

  it('refuses someone who is not a Kept admin, saying who is', async () => {
    await kept.command({ command: '/kept', text: 'import', user_id: 'U0002' });
    const r = await kept.lastResponse();
    expect((r.body as any).text).toMatch(/Only a Slack workspace admin or owner \(Kept has no admins of its own yet\) can import data into Kept\. Nothing was changed/);
    expect(kept.slack.callsTo('views.open')).toHaveLength(0);
  });

  it('shows an error on the field when the form lacks a file or a kind', async () => {
    const res = await submit({ kind: 'accounts' });
    expect(JSON.parse(res.body)).toEqual({ response_action: 'errors', errors: { [B.file]: 'Upload one CSV file.' } });
    const res2 = await submit({ fileId: 'F0NOKIND' });
    expect(JSON.parse(res2.body).errors[B.kind]).toMatch(/Choose what the file holds/);
  });

  it('checks only: downloads with the bot token, writes nothing, DMs what would change', async () => {
    kept.slack.addFile('F0ACC001', { name: 'accounts.csv', content: 'Account Name,Account Owner Email,Slack Channel\nAcme,maria@example.com,#acme\nGlobex,,\n' });
    const res = await submit({ kind: 'accounts', fileId: 'F0ACC001', check: true });
    expect(res.status).toBe(200);
    expect(res.body).toBe('');
    const dm = await dmTo('U0001');
    expect(dm.text).toBe('Checked accounts.csv (nothing was written): 2 accounts to create, 0 to update, 0 unchanged.');
    expect(kept.slack.callsTo('files.info')[0]!.file).toBe('F0ACC001');
    expect(kept.slack.calls.find((c) => c.method === 'GET files')!.token).toBe('xoxb-test');
    expect(await kept.db.account.count()).toBe(0);
  });

  it('imports, once for the same submission, and DMs the result', async () => {
    const viewId = 'V0IMPORT1';
    await Promise.all([submit({ kind: 'accounts', fileId: 'F0ACC001', viewId }), submit({ kind: 'accounts', fileId: 'F0ACC001', viewId })]);
    const dm = await dmTo('U0001');
    expect(dm.text).toBe('Imported accounts.csv: 2 accounts created, 0 updated, 0 unchanged.');
    await eventually(async () => (await kept.db.import.findMany()).every((i) => i.status !== 'running'));
    expect(await kept.db.import.count()).toBe(1);
    // Both submissions got as far as the download; the second stopped at the import record.
    await eventually(() => kept.slack.calls.filter((c) => c.method === 'GET files').length === 2);
    expect(await kept.db.account.count()).toBe(2);
    expect(kept.slack.callsTo('chat.postMessage').filter((a) => a.channel === 'U0001')).toHaveLength(1);
    const acme = await kept.db.account.findFirstOrThrow({ where: { name: 'Acme' }, include: { owner: true, channels: true } });
    expect(acme.owner?.slackUserId).toBe('U0002');
    expect(acme.channels.map((c) => c.channelId)).toEqual(['C0ACME01']);
    // No owner in the file: the person importing, as /kept account add does.
    const globex = await kept.db.account.findFirstOrThrow({ where: { name: 'Globex' }, include: { owner: true } });
    expect(globex.owner?.slackUserId).toBe('U0001');
  });

  it('attaches every problem as a CSV when they do not fit in the message (files.uploadV2 to the DM)', async () => {
    const rows = Array.from({ length: 60 }, (_, i) => `Bad ${i},,not-a-tier`);
    kept.slack.addFile('F0BAD001', { name: 'messy.csv', content: ['Account Name,Owner,Tier', 'Good One,,key', ...rows].join('\n') });
    await submit({ kind: 'accounts', fileId: 'F0BAD001' });
    const dm = await dmTo('U0001');
    expect(dm.text).toBe('Imported messy.csv: 1 account created, 0 updated, 0 unchanged, 60 rows with problems.');
    await kept.slack.waitFor('files.completeUploadExternal', () => true, 10_000);
    const order = kept.slack.calls.map((c) => c.method).filter((m) => /upload|Upload|conversations.open/.test(m));
    expect(order).toEqual(['conversations.open', 'files.getUploadURLExternal', 'POST upload', 'files.completeUploadExternal']);
    const [file] = kept.slack.uploads;
    expect(file!.channelId).toBe('DU0001');
    expect(file!.filename).toBe('messy-problems.csv');
    const table = parse(file!.content, { bom: true, columns: true }) as Record<string, string>[];
    expect(table).toHaveLength(60);
    expect(table[0]).toMatchObject({ Line: '3', Column: 'Tier', Value: 'not-a-tier' });
  });

  it('looks owners up with one users.list (paged) for a file naming many people', async () => {
    // 230 members: users.list answers 200 a page, so the listing takes two pages.
    for (let i = 10; i < 240; i++) kept.slack.setUser(`U0${String(i).padStart(3, '0')}`, { name: `p${i}`, tz: 'Europe/Paris', email: `p${i}@example.com` });
    const csv = ['Account Name,Owner Email', ...Array.from({ length: 30 }, (_, i) => `Many ${i},p${i + 10}@example.com`)].join('\n');
    kept.slack.addFile('F0MANY01', { name: 'many.csv', content: csv });
    kept.slack.reset();
    kept.slack.addFile('F0MANY01', { name: 'many.csv', content: csv });
    await submit({ kind: 'accounts', fileId: 'F0MANY01' });
    const dm = await dmTo('U0001');
    expect(dm.text).toMatch(/30 accounts created/);
    expect(kept.slack.callsTo('users.lookupByEmail')).toHaveLength(0);
    const pages = kept.slack.callsTo('users.list');
    expect(pages).toHaveLength(2);
    expect(pages[1]!.cursor).toBeTruthy();
    const owner = await kept.db.account.findFirstOrThrow({ where: { name: 'Many 7' }, include: { owner: true } });
    expect(owner.owner?.slackUserId).toBe('U0017');
    expect(owner.owner?.timeZone).toBe('Europe/Paris');
  });

  it('refuses a submission from someone who is no longer a Kept admin, importing nothing', async () => {
    await kept.command({ command: '/kept', text: 'settings admins <@U0002|maria>', user_id: 'U0001' });
    await kept.lastResponse();
    kept.slack.addFile('F0ACC002', { name: 'more.csv', content: 'Account Name\nHooli\n' });
    await submit({ kind: 'accounts', fileId: 'F0ACC002', userId: 'U0001' });
    const msg = await kept.slack.waitFor('chat.postEphemeral', (a) => a.user === 'U0001');
    expect(msg.text).toMatch(/Only a Kept admin \(<@U0002>\) can import data into Kept/);
    expect(await kept.db.account.count({ where: { name: 'Hooli' } })).toBe(0);
    // Maria, now the Kept admin, may.
    await submit({ kind: 'accounts', fileId: 'F0ACC002', userId: 'U0002' });
    expect((await dmTo('U0002')).text).toMatch(/1 account created/);
  });
});

describe('/kept export', () => {
  it('sends the whole workspace to a Kept admin’s DM as CSV, through files.uploadV2', async () => {
    await kept.command({ command: '/kept', text: 'export accounts', user_id: 'U0002' });
    const r = await kept.lastResponse(10_000);
    expect((r.body as any).text).toMatch(/^Sent kept-accounts-2026-11-23\.csv \(\d+ rows\) to your DM/);
    const [file] = kept.slack.uploads;
    expect(file!.channelId).toBe('DU0002');
    const rows = parse(file!.content, { bom: true, columns: true }) as Record<string, string>[];
    expect(rows.map((x) => x['Account Name'])).toContain('Acme');
    expect(rows.find((x) => x['Account Name'] === 'Acme')).toMatchObject({ Owner: 'U0002', 'Slack Channel': 'C0ACME01', 'Cadence Status': 'on track', Tier: 'standard' });
    expect(rows.length).toBe(await kept.db.account.count());
  });

  it('gives someone who is not a Kept admin the accounts they own', async () => {
    await kept.command({ command: '/kept', text: 'export accounts', user_id: 'U0001' });
    const r = await kept.lastResponse(10_000);
    expect((r.body as any).text).toMatch(/the accounts you own/);
    const rows = parse(kept.slack.uploads[0]!.content, { bom: true, columns: true }) as Record<string, string>[];
    const owned = await kept.db.account.count({ where: { owner: { slackUserId: 'U0001' } } });
    expect(rows).toHaveLength(owned);
    expect(rows.every((x) => x.Owner === 'U0001')).toBe(true);
  });

  it('says how to write a wrong export', async () => {
    await kept.command({ command: '/kept', text: 'export everything', user_id: 'U0002' });
    const r = await kept.lastResponse();
    expect((r.body as any).text).toMatch(/Write `\/kept export accounts`/);
    expect(kept.slack.uploads).toHaveLength(0);
  });
});
