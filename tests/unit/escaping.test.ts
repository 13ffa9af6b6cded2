// What a person types never becomes a broadcast, a group mention, a link or a mention of someone
// Kept did not parse: arbitrary strings (with Slack's control sequences mixed in) go through every
// builder in src/messages, and every `text` and text object of the result is checked.
import { readdirSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as accountViews from '../../src/messages/account.js';
import * as auditViews from '../../src/messages/audit.js';
import * as commitModalViews from '../../src/messages/commit-modal.js';
import * as contactModalViews from '../../src/messages/contact-modal.js';
import * as commitmentModalViews from '../../src/messages/commitment-modals.js';
import * as commitmentViews from '../../src/messages/commitment.js';
import * as digestViews from '../../src/messages/digest.js';
import * as format from '../../src/messages/format.js';
import * as helpViews from '../../src/messages/help.js';
import * as importViews from '../../src/messages/import.js';
import * as homeViews from '../../src/messages/home.js';
import * as permissionViews from '../../src/messages/permissions.js';
import * as promptViews from '../../src/messages/prompts.js';
import * as rescheduleViews from '../../src/messages/reschedule-modal.js';
import * as touchViews from '../../src/messages/touch.js';
import type { AuditEntry } from '../../src/services/audit.js';
import type { CommitmentFull } from '../../src/services/commitments.js';
import type { ContactWithLastTouch } from '../../src/services/contacts.js';
import type { AccountReview, Digest } from '../../src/services/digest.js';
import type { HomeData } from '../../src/services/home.js';
import type { ImportReport } from '../../src/services/import/index.js';
import type { AccountOverview } from '../../src/services/overview.js';
import type { Refusal } from '../../src/services/permissions.js';
import type { PromptPayload } from '../../src/services/prompts.js';
import { rateOf } from '../../src/services/reliability.js';
import { liveMarkup as liveMarkupOf, textsOf } from '../helpers/slack-markup.js';
import type { TimelineEntry, TouchFull } from '../../src/services/touches.js';

const { md, mention, channel, esc } = format;

// ---- what Slack would make live ------------------------------------------------------------

/** People Kept parsed (stored owners, actors, picked colleagues): the only mentions allowed. */
const PEOPLE = ['U0OWNER', 'U0MAKER', 'U0ACTOR', 'W0ADMIN'];
/** Channels Slack gave Kept. */
const CHANNELS = ['C0ACME'];

const KNOWN = { people: PEOPLE, channels: CHANNELS };
const liveMarkup = (text: string) => liveMarkupOf(text, KNOWN);

const ENTITIES = ['&lt;', '&gt;', '&amp;'];
const count = (s: string, needle: string) => s.split(needle).length - 1;

function check(result: unknown, inputs: string[]): void {
  const { parsed, plain } = textsOf(result);
  for (const t of parsed) {
    const bad = liveMarkup(t);
    if (bad.length) throw new Error(`live markup ${JSON.stringify(bad)} in ${JSON.stringify(t.slice(0, 300))}`);
    // Escaped once, "<" reads "&lt;"; escaped twice, the reader sees "&lt;" on screen. (Only an
    // input that itself holds "&lt;" may show it; builders repeat inputs, so counts cannot be compared.)
    for (const e of ENTITIES) {
      const typed = inputs.some((s) => s.includes(e));
      if (!typed && t.includes(`&amp;${e.slice(1)}`)) throw new Error(`text escaped twice (${e} shown) in ${JSON.stringify(t.slice(0, 200))}`);
    }
  }
  // plain_text is shown as sent: Kept's escaping must not leak into it ("&lt;" on screen).
  for (const t of plain) {
    for (const e of ENTITIES) {
      const allowed = inputs.reduce((n, s) => n + count(s, e), 0);
      if (count(t, e) > allowed) throw new Error(`escaped ${e} shown in plain_text ${JSON.stringify(t.slice(0, 200))}`);
    }
  }
}

// ---- arbitrary text --------------------------------------------------------------------------

const CONTROL = [
  '<!channel>', '<!here>', '<!everyone>', '<!subteam^S0123|@team>', '<!subteam^S99>', '<@U999>', '<@W123|boss>', '<@U0OWNER>',
  '<https://evil.example|click>', '<http://x.example>', '<mailto:a@b.example|mail>', '<#C999|general>', '<#C0ACME>',
  '<!date^1700000000^{date}|x>', '&lt;!channel&gt;', '&amp;', '&', '<', '>', '|', '*', '_', '~', '`', '\n', '>quote', ':joy:', ' ',
];
const piece = fc.oneof(fc.constantFrom(...CONTROL), fc.string({ maxLength: 6 }), fc.string({ unit: 'grapheme', maxLength: 4 }));
const text = fc.oneof(
  { weight: 2, arbitrary: fc.constantFrom(...CONTROL) },
  { weight: 4, arbitrary: fc.array(piece, { maxLength: 8 }).map((p) => p.join('')) },
  { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
);
/** Names Kept would store (accounts refuse < and >, others do not). */
const texts = fc.array(text, { minLength: 24, maxLength: 24 });

// ---- fixtures built from those strings --------------------------------------------------------

const now = new Date('2026-11-23T14:00:00Z');
const later = new Date('2026-12-03T22:00:00Z');
const zone = 'Europe/Berlin';

function user(slackUserId: string, displayName: string) {
  return { id: `id-${slackUserId}`, workspaceId: 'w', slackUserId, displayName, timeZone: zone, isAdmin: false, fetchedAt: now, createdAt: now, updatedAt: now };
}

function fixtures(s: string[]) {
  const t = (i: number) => s[i % s.length]!;
  // A touch's typed participants never hold < or > (the form refuses them: see readTouchModal below);
  // <@U…> in participants is a colleague Kept took from a user picker or a parsed mention.
  const typed = (i: number) => t(i).replace(/[<>]/g, '');
  const account = {
    id: 'a1', workspaceId: 'w', name: t(0), normalizedName: t(0).toLowerCase(), aliases: [t(1), t(2)], ownerId: 'id-U0OWNER', tier: 'strategic' as const, cadenceDays: 14,
    renewalDate: later, archived: false, lastTouchAt: now, cadenceWarnAt: now, cadenceDueAt: later, cadenceDarkAt: later, createdAt: now, updatedAt: now,
  };
  const commitment = (over: Partial<CommitmentFull> = {}): CommitmentFull =>
    ({
      id: 'c1', workspaceId: 'w', number: 42, title: t(3), notes: t(4), accountId: 'a1', ownerId: 'id-U0OWNER', direction: 'ours',
      dueAt: later, dueTimeZone: zone, originalDueAt: later, status: 'open', createdById: 'id-U0MAKER', source: 'slash_command', sourceKey: 'k',
      channelId: 'C0ACME', messageTs: null, completedAt: null, createdAt: now, updatedAt: now,
      account, owner: user('U0OWNER', t(5)), createdBy: user('U0MAKER', t(6)),
      ...over,
    }) as CommitmentFull;
  const contact = (i: number): ContactWithLastTouch => ({
    id: `k${i}`, workspaceId: 'w', accountId: 'a1', name: t(7 + i), normalizedName: t(7 + i).toLowerCase(), role: 'champion', title: t(9), email: null, createdAt: now, lastTouchedAt: i ? now : null,
  });
  const touch = {
    id: 't1', workspaceId: 'w', accountId: 'a1', kind: 'call', occurredAt: now, summary: t(10), sentiment: 'negative', participants: [typed(11), '<@U0ACTOR>', typed(12)],
    loggedById: 'id-U0ACTOR', source: 'modal', sourceKey: 'k', createdAt: now, account, loggedBy: user('U0ACTOR', t(13)),
    contacts: [{ touchId: 't1', contactId: 'k0', contact: contact(0) }],
  } as unknown as TouchFull;
  const timeline: TimelineEntry[] = [
    { type: 'touch', id: 't1', at: now, kind: 'meeting', summary: t(10), sentiment: 'positive', actorSlackId: 'U0ACTOR', participants: [typed(11), '<@U0ACTOR>'], contacts: [t(7)] },
    { type: 'commitment', id: 'e1', at: now, event: 'due_changed', number: 7, title: t(3), direction: 'theirs', actorSlackId: 'U0OWNER', reason: t(14), before: null, after: null },
  ];
  const audit: AuditEntry[] = [
    { kind: 'account_changed', at: now, actorSlackId: 'U0OWNER', accountName: t(0), channelId: null, before: { name: t(15), owner: 'U0OWNER', aliases: [t(1)] }, after: { name: t(0), owner: 'U0MAKER', aliases: [t(1), t(2)] } },
    { kind: 'account_created', at: now, actorSlackId: 'U0MAKER', accountName: t(0), channelId: null, before: null, after: { name: t(0), owner: 'U0MAKER', tier: 'key' } },
    { kind: 'channel_linked', at: now, actorSlackId: null, accountName: null, channelId: 'C0ACME', before: { account: t(15) }, after: { account: t(0) } },
    { kind: 'settings_changed', at: now, actorSlackId: 'W0ADMIN', accountName: null, channelId: null, before: { 'prompts.renewal': true, cadenceWarningFraction: 0.2 }, after: { 'prompts.renewal': false, cadenceWarningFraction: 0.3 } },
    { kind: 'admins_changed', at: now, actorSlackId: 'W0ADMIN', accountName: null, channelId: null, before: { adminSlackIds: [] }, after: { adminSlackIds: ['U0OWNER', 'W0ADMIN'] } },
    { kind: 'digest_changed', at: now, actorSlackId: 'U0OWNER', accountName: t(0), channelId: 'C0ACME', before: null, after: { weekday: 1, time: '09:00', timeZone: zone, scope: 'tier', tier: 'key', owners: 0 } },
    { kind: 'digest_stopped', at: now, actorSlackId: 'U0OWNER', accountName: t(0), channelId: 'C0ACME', before: { weekday: 5, time: '16:00', timeZone: zone, scope: 'all', tier: null, owners: 0 }, after: null },
  ];
  const overview: AccountOverview = {
    account: { ...account, owner: user('U0OWNER', t(5)), channels: [{ id: 'ch', workspaceId: 'w', accountId: 'a1', channelId: 'C0ACME', createdAt: now }] },
    intervalDays: 14, status: 'due_soon', lastTouch: { at: now, kind: 'call', summary: t(10) }, open: { ours: 2, theirs: 1, overdue: 1 }, contacts: [contact(0), contact(1)], changes: audit,
  } as AccountOverview;
  const item = { id: 'c1', number: 42, title: t(3), direction: 'ours' as const, dueAt: later, dueTimeZone: zone, ownerSlackId: 'U0OWNER' };
  const review: AccountReview = {
    id: 'a1', name: t(0), tier: 'key', ownerSlackId: 'U0OWNER', status: 'overdue', intervalDays: 14, nextDueAt: later, lastTouchAt: now, touchesThisWeek: 1,
    delivered: { thisWeek: 1, onTimeThisWeek: 1 }, onTime4: rateOf(2, 1), onTime12: rateOf(4, 3),
    overdue: [item], dueNext7: [{ ...item, direction: 'theirs' }], renegotiated: [{ number: 9, title: t(16), reason: t(17), from: now, to: later }],
    negativeTouches: [{ kind: 'call', summary: t(10), at: now, loggedBySlackId: 'U0ACTOR' }], renewalInDays: 30, quietContacts: [{ name: t(8), role: 'champion', lastTouchedAt: null }],
  };
  const digest: Digest = { since: now, now, accounts: [review], summary: { accounts: 1, onTrack: 0, dueSoon: 0, overdue: 1, dark: 0, overdueItems: 1, onTime4: rateOf(2, 1), onTime12: rateOf(4, 3) } };
  const ref = { accountId: 'a1', accountName: t(0), ownerSlackId: 'U0OWNER', channelId: 'C0ACME' } as const;
  const payloads = [
    { kind: 'cadence_due_soon', dueAt: later.toISOString(), lastTouchAt: now.toISOString(), intervalDays: 14, ...ref },
    { kind: 'cadence_overdue', dueAt: later.toISOString(), lastTouchAt: null, intervalDays: 14, ...ref },
    { kind: 'going_dark', dueAt: later.toISOString(), lastTouchAt: null, intervalDays: 14, ...ref, ownerSlackId: null },
    { kind: 'commitment_due_soon', commitmentId: 'c1', number: 42, title: t(3), direction: 'ours', dueAt: later.toISOString(), dueTimeZone: zone, followUp: 0, ...ref },
    { kind: 'commitment_overdue', commitmentId: 'c1', number: 42, title: t(3), direction: 'ours', dueAt: later.toISOString(), dueTimeZone: zone, followUp: 0, ...ref },
    { kind: 'customer_follow_up', commitmentId: 'c1', number: 42, title: t(3), direction: 'theirs', dueAt: later.toISOString(), dueTimeZone: zone, followUp: 2, ...ref },
    { kind: 'negative_touch', touchId: 't1', touchKind: t(18), summary: t(10), loggedBySlackId: 'U0ACTOR', occurredAt: now.toISOString(), ...ref },
    { kind: 'renewal', renewalDate: t(19), daysBefore: 30, lastTouchAt: null, intervalDays: 14, ...ref },
  ] as unknown as PromptPayload[];
  const home: HomeData = {
    now,
    ours: { items: [commitment(), commitment({ id: 'c2', dueAt: new Date('2026-11-20T10:00:00Z') })], total: 12, counts: { overdue: 1, thisWeek: 1, later: 10 } },
    theirs: { items: [commitment({ id: 'c3', direction: 'theirs' })], total: 1, overdue: 0 },
    accounts: { items: [{ id: 'a1', name: t(0), tier: 'key', status: 'dark', nextDueAt: later, lastTouchAt: now }], total: 3, counts: { dark: 1, overdue: 0, due_soon: 0, on_track: 2 } },
    onTime: { weeks4: rateOf(2, 1), weeks12: rateOf(4, 3) },
  };
  const refusal = (subject: Refusal['subject'], keptAdmins: string[]): Refusal => ({
    subject, holders: [{ slackUserId: 'U0OWNER', roles: ['owner', 'accountOwner'] }, { slackUserId: 'U0MAKER', roles: ['recorder'] }], keptAdmins, slackAdminsToo: true, unverified: true,
  });
  const report = (over: Partial<ImportReport>): ImportReport => ({
    kind: 'accounts', fileName: t(0), dryRun: false, status: 'done', rows: 3, created: [t(1), t(2)], updated: [{ label: t(3), changes: [t(4), t(5)] }], unchanged: 1,
    skipped: [{ line: 4, reason: t(6) }], problems: Array.from({ length: 30 }, (_, i) => ({ line: i + 5, column: t(7 + (i % 3)), value: t(10 + (i % 4)), problem: t(14) })), notes: [t(15)],
    ...over,
  });
  return { t, account, commitment, contact, touch, timeline, audit, overview, digest, payloads, home, refusal, report };
}

// ---- every builder ---------------------------------------------------------------------------

type Fx = ReturnType<typeof fixtures>;
const meta = { commitmentId: 'c1', timeZone: zone, message: { channel: 'C0ACME', ts: '1.2', multi: false } };

/** Each exported builder, run on text-laden fixtures. A new builder must be added here (checked below). */
const BUILDERS: Record<string, (f: Fx) => unknown> = {
  'format.section': (f) => format.section(f.t(3)),
  'format.context': (f) => format.context(f.t(3)),
  'format.note': (f) => [format.note(f.t(3)), format.note(md`*${f.t(4)}* ${mention('U0OWNER')}`)],
  'format.message': (f) => format.message(f.t(3), [format.section(md`${f.t(4)}`)]),
  'format.modal': (f) => format.modal('cb', 'Title', { x: f.t(3) }, [format.context(f.t(4))]),
  'format.button': (f) => format.button('a', 'Done', f.t(3)),
  'format.mrkdwnText': (f) => format.mrkdwnText(f.t(3)),
  'format.plainText': (f) => format.plainText(f.t(3), 75),
  'format.md': (f) => format.message(md`${f.t(3)} ${mention('U0OWNER')} ${channel('C0ACME')} ${format.slackDate(now, zone)}`, []),
  'format.esc': (f) => format.message(esc(f.t(3)), []),
  'format.joinMd': (f) => format.message(format.joinMd([f.t(3), f.t(4)], f.t(5)), []),
  'format.truncateMd': (f) => format.message(format.truncateMd(md`${f.t(3)}${f.t(4)}${mention('U0OWNER')}${f.t(5)}`, 7), []),
  'format.mention': (f) => format.message(md`${mention(f.t(3))}`, []), // a typed "id" is text, not a mention
  'format.channel': (f) => format.message(md`${channel(f.t(3))}`, []),
  'account.accountCard': (f) => accountViews.accountCard(f.overview, zone),
  'account.contactList': (f) => accountViews.contactList({ name: f.t(0) }, [f.contact(0), f.contact(1)], zone),
  'audit.auditHistory': (f) => auditViews.auditHistory(f.t(20), f.audit, zone),
  'audit.auditLine': (f) => format.message(md`${auditViews.auditLine(f.audit[0]!, zone)}`, []),
  'commit-modal.commitModal': (f) =>
    commitModalViews.commitModal({ account: { id: 'a1', name: f.t(0) }, newAccountName: f.t(1), title: f.t(3), ownerSlackId: 'U0OWNER', notes: f.t(4), problems: [f.t(21), f.t(22)] }, { channelId: 'C0ACME', timeZone: zone }),
  'commitment-modals.reassignModal': (f) => commitmentModalViews.reassignModal(f.commitment(), meta),
  'commitment-modals.dropModal': (f) => commitmentModalViews.dropModal(f.commitment(), meta),
  'commitment.commitmentLine': (f) => format.message(md`${commitmentViews.commitmentLine(f.commitment({ direction: 'theirs' }), now)}`, []),
  'commitment.commitmentActions': (f) => commitmentViews.commitmentActions(f.commitment()),
  'commitment.commitmentMessage': (f) => [commitmentViews.commitmentMessage(f.commitment(), now), commitmentViews.commitmentMessage(f.commitment({ direction: 'theirs' }), now, md`${f.t(14)}`)],
  'commitment.commitmentDoneMessage': (f) => commitmentViews.commitmentDoneMessage(f.commitment({ status: 'done', completedAt: now }), 'U0ACTOR', now),
  'commitment.alreadyChanged': (f) => format.note(commitmentViews.alreadyChanged(f.commitment({ status: 'dropped' }), { kind: 'dropped', at: now, actorSlackId: 'U0ACTOR' })),
  'commitment.commitmentList': (f) => commitmentViews.commitmentList(f.t(20), [f.commitment(), f.commitment({ id: 'c2' })], 60, now, f.t(21)),
  'digest.digestMessages': (f) => [
    digestViews.digestMessages(f.digest, { title: f.t(20), portfolio: true, zone, lateSince: now }),
    digestViews.digestMessages(f.digest, { title: f.t(0), portfolio: false, zone }),
  ],
  'help.commitHelp': (f) => helpViews.commitHelp(f.t(20)),
  'help.touchHelp': (f) => helpViews.touchHelp(f.t(20)),
  'help.keptHelp': (f) => [helpViews.keptHelp(f.t(20)), helpViews.keptHelp(md`I don’t know \`/kept ${f.t(21)}\``)],
  'home.homeView': (f) => homeViews.homeView(f.home, { zone }),
  'home.onTimeText': () => format.message(homeViews.onTimeText({ weeks4: rateOf(2, 1), weeks12: rateOf(4, 3) }), []),
  'permissions.refusalMessage': (f) => [
    permissionViews.refusalMessage(f.refusal({ kind: 'commitment', reference: 'C-42' }, [])),
    permissionViews.refusalMessage(f.refusal({ kind: 'account', name: f.t(0) }, ['W0ADMIN'])),
    permissionViews.refusalMessage(f.refusal({ kind: 'linkTo', account: f.t(0), channelId: 'C0ACME' }, ['U0OWNER', 'U0MAKER', 'U0ACTOR', 'W0ADMIN', 'U0OWNER', 'U0MAKER'])),
    permissionViews.refusalMessage(f.refusal({ kind: 'moveFrom', account: f.t(1), channelId: 'C0ACME' }, [])),
    permissionViews.refusalMessage(f.refusal({ kind: 'digest', channelId: 'C0ACME' }, [])),
    permissionViews.refusalMessage(f.refusal({ kind: 'settings' }, [])),
    permissionViews.refusalMessage(f.refusal({ kind: 'admins' }, ['W0ADMIN'])),
    permissionViews.refusalMessage(f.refusal({ kind: 'import' }, [])),
    permissionViews.refusalMessage(f.refusal({ kind: 'exportAll' }, ['W0ADMIN'])),
  ],
  'import.importModal': () => [importViews.importModal({ channelId: 'C0ACME' }), importViews.importModal({ channelId: null }, 'contacts')],
  'import.importReportMessage': (f) => [
    importViews.importReportMessage(f.report({})).message,
    importViews.importReportMessage(f.report({ dryRun: true })).message,
    importViews.importReportMessage(f.report({ status: 'refused', refusal: f.t(16), created: [], updated: [], problems: [] })).message,
  ],
  'import.exportComment': (f) => format.message(importViews.exportComment(f.t(3), 12, zone, importViews.exportScope({ account: f.t(0), ownOnly: true, since: f.t(4) })), []),
  'import.exportScope': (f) => format.message(importViews.exportScope({ account: f.t(0), ownOnly: false }), []),
  'import.problemsComment': (f) => format.message(importViews.problemsComment(f.t(0)), []),
  'import.exportSentNote': (f) => importViews.exportSentNote(f.t(3), 1, importViews.exportScope({ account: f.t(0), ownOnly: true })),
  'prompts.promptMessage': (f) => f.payloads.map((p) => promptViews.promptMessage(p)),
  'prompts.dueSoonDigest': (f) => promptViews.dueSoonDigest(f.payloads.filter((p) => p.kind === 'cadence_due_soon' || p.kind === 'commitment_due_soon') as never),
  'prompts.deliveryMessage': (f) => [
    promptViews.deliveryMessage('due_soon_dm', f.payloads.filter((p) => p.kind === 'cadence_due_soon' || p.kind === 'commitment_due_soon')),
    ...f.payloads.map((p) => promptViews.deliveryMessage(p.kind, [p])),
  ],
  'reschedule-modal.rescheduleModal': (f) => rescheduleViews.rescheduleModal(f.commitment(), meta, 'Reschedule'),
  'touch.touchConfirmation': (f) => [touchViews.touchConfirmation(f.touch, { name: f.t(0), cadenceDueAt: later }, zone), touchViews.touchConfirmation({ ...f.touch, kind: 'note' } as TouchFull, { name: f.t(0), cadenceDueAt: null }, zone)],
  'touch.touchModal': (f) =>
    touchViews.touchModal(
      { account: { id: 'a1', name: f.t(0) }, kind: 'call', contacts: [f.contact(0), f.contact(1)], contactIds: ['k0'], unknownNames: [f.t(11), f.t(12)], colleagues: ['U0ACTOR'], summary: f.t(10), problems: [f.t(21)] },
      { channelId: 'C0ACME', timeZone: zone, accountId: 'a1' },
    ),
  'contact-modal.addContactButton': (f) => ({ type: 'actions', elements: [contactModalViews.addContactButton('t1', f.touch.participants[0]!)] }),
  'contact-modal.addContactModal': (f) =>
    contactModalViews.addContactModal({ name: f.t(0) }, { touchId: 't1', name: f.touch.participants[0]!, timeZone: zone, message: { channel: 'C0ACME', ts: '1.2' } }),
  'touch.timelineMessage': (f) => touchViews.timelineMessage({ id: 'a1', name: f.t(0) }, f.timeline, { at: now, id: 't0' }, zone, 2),
};

/** Exported functions that read input or compute values rather than build what Slack shows. */
const NOT_BUILDERS = new Set([
  'format.truncate', 'format.plainDate', 'format.slackDate', 'format.slackDay', 'contact-modal.readAddContactModal',
  'commit-modal.readCommitModal', 'touch.readTouchModal', 'reschedule-modal.readRescheduleModal',
  'home.readHomePages', 'home.homeLimits', 'home.parseShowMore', 'digest.weekCovered',
  'import.readImportModal', 'import.problemsCsv', 'import.importReportText', 'import.problemLine',
  'slack-values.readJson', 'slack-values.isSlackUserId', 'slack-values.isSlackChannelId', 'slack-values.isKeptId',
]);

/** Every module in src/messages, found on disk: a new file cannot be left out by forgetting to list it. */
const MESSAGES_DIR = new URL('../../src/messages/', import.meta.url);
const MODULES: Record<string, Record<string, unknown>> = Object.fromEntries(
  await Promise.all(
    readdirSync(MESSAGES_DIR)
      .filter((f) => f.endsWith('.ts'))
      .map(async (f) => [f.replace(/\.ts$/, ''), (await import(new URL(f, MESSAGES_DIR).href)) as Record<string, unknown>] as const),
  ),
);

describe('user text in what Kept sends', () => {
  it('every exported builder in src/messages is exercised below', () => {
    expect(Object.keys(MODULES)).toEqual(expect.arrayContaining(['format', 'prompts', 'import', 'permissions']));
    const exported = Object.entries(MODULES).flatMap(([m, mod]) =>
      Object.entries(mod).filter(([, v]) => typeof v === 'function' && !/^[A-Z]/.test((v as { name: string }).name)).map(([k]) => `${m}.${k}`),
    );
    const missing = exported.filter((name) => !(name in BUILDERS) && !NOT_BUILDERS.has(name));
    expect(missing).toEqual([]);
  });

  it('never carries a broadcast, a group, a link or an unparsed mention (fixed seed)', () => {
    fc.assert(
      fc.property(texts, (s) => {
        const f = fixtures(s);
        for (const [name, build] of Object.entries(BUILDERS)) {
          try {
            check(build(f), s);
          } catch (err) {
            throw new Error(`${name}: ${(err as Error).message}`);
          }
        }
      }),
      { seed: 20261203, numRuns: 100 },
    );
  }, 60_000); // a hundred runs through every builder: seconds, more on a busy machine

  it('the /touch form takes no < or > in “Others”, so a typed <@U999> can never be stored as a colleague', () => {
    const values = (others: string) => ({
      account: { account_select: { selected_option: { value: 'a1' } } },
      kind: { value: { selected_option: { value: 'call' } } },
      when_date: { value: { selected_date: '2026-11-23' } },
      others: { value: { value: others } },
      summary: { value: { value: 'Renewal on track' } },
    });
    fc.assert(
      fc.property(text, text, (a, b) => {
        const read = touchViews.readTouchModal(values(`${a}, ${b}`), { channelId: null, timeZone: zone, accountId: null }, now);
        if (read.ok) expect(read.input.others.join('')).not.toMatch(/[<>]/);
        else if (/[<>]/.test(a + b)) expect(read.errors.others).toBeTruthy();
      }),
      { seed: 20261203, numRuns: 300 },
    );
    const refused = touchViews.readTouchModal(values('Dana, <@U999>'), { channelId: null, timeZone: zone, accountId: null }, now);
    expect(refused).toMatchObject({ ok: false, errors: { others: expect.stringContaining('Colleagues who took part') } });
  });

  it('a long digest continued in thread replies stays escaped in every part', () => {
    const f = fixtures(CONTROL);
    const parts = digestViews.digestMessages({ ...f.digest, accounts: Array.from({ length: 40 }, () => f.digest.accounts[0]!) }, { title: CONTROL.join(''), portfolio: true, zone });
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) check(p, CONTROL);
  });

  it('the checker itself sees what Slack would parse', () => {
    expect(liveMarkup('hi <!channel> <@U999> <https://x|y> <!subteam^S1>')).toHaveLength(4);
    expect(liveMarkup('<@U0OWNER> <#C0ACME> <!date^1^{date_short_pretty} {time}|Mon> &lt;!here&gt; > quote')).toEqual([]);
    expect(() => check({ text: 'x <!here>', blocks: [] }, [])).toThrow(/live markup/);
    expect(() => check({ type: 'plain_text', text: '&lt;b&gt;' }, ['<b>'])).toThrow(/plain_text/);
    expect(() => check({ type: 'plain_text', text: '<!channel>' }, ['<!channel>'])).not.toThrow();
    expect(() => check(format.section(`${esc('<b> & co')}`), ['<b> & co'])).toThrow(/escaped twice/);
    expect(() => check(format.section(md`${esc('<b> & co')}`), ['<b> & co'])).not.toThrow();
  });

  it('keeps the mentions and dates Kept put there, and shows typed text as typed', () => {
    const m = format.note(md`${mention('U0OWNER')} owes *${'Acme & <!here>'}* by ${format.slackDate(now, zone)}`);
    expect(m.blocks[0]).toMatchObject({ text: { text: expect.stringMatching(/^<@U0OWNER> owes \*Acme &amp; &lt;!here&gt;\* by <!date\^\d+\^/) } });
    expect(m.text).toMatch(/^<@U0OWNER> owes Acme &amp; &lt;!here&gt; by <!date\^\d+\^\{date_short_pretty\} \{time\}\|/);
    expect(format.truncateMd(md`abc ${mention('U0OWNER')}`, 8).text).toBe('abc …');
    expect(format.truncateMd(esc('a&b'), 3).text).toBe('a…');
    expect(format.note(':no_entry: *Only* you').text).toBe(':no_entry: Only you');
    expect(() => new (format.Mrkdwn as unknown as new (k: symbol, t: string) => unknown)(Symbol('forged'), '<!channel>')).toThrow();
  });
});
