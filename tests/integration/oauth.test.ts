// OAuth mode (issue 17): the install flow over HTTP through Bolt's installer, tokens encrypted at
// rest, each workspace's calls with its own token, uninstall and refused tokens, key rotation,
// retention and purge. Real Postgres, Redis, Bolt HTTP receiver, signed requests, fake Slack.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/clock.js';
import { digestSchedulerId, recordDigest, upsertDigestScheduler } from '../../src/jobs/digest.job.js';
import { SlackSender, type SendOutcome } from '../../src/jobs/slack-sender.js';
import { scan } from '../../src/jobs/scan.js';
import { createLogger } from '../../src/logger.js';
import { findInstallation, installedTokens, purgeExpired, purgeWorkspace, rotateKey, saveInstallation } from '../../src/services/installations.js';
import { keyring } from '../../src/services/secrets.js';
import { operatorStatus, statusText } from '../../src/ops/status.js';
import { ENCRYPTION_KEY, eventually, OAUTH, REDIS_URL, SIGNING_SECRET, startKept, type Kept } from '../helpers/kept.js';
import { blockAction, sendEvent } from '../helpers/slack-requests.js';
import { ACTIONS } from '../../src/messages/ids.js';

let kept: Kept;
const TOKEN_A = 'xoxb-team-a-secret-token';
const TOKEN_B = 'xoxb-team-b-secret-token';
const logger = createLogger('warn', 'test');

beforeAll(async () => {
  kept = await startKept({ oauth: true, queuePrefix: `kept-test-${randomBytes(4).toString('hex')}` });
});
afterAll(async () => {
  await kept?.queues?.ticks.obliterate({ force: true });
  await kept?.close();
});

const unescape = (s: string) => s.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)));

/** What a browser does: open the install page, follow Add to Slack (Slack redirects back with a code). */
async function openInstallPage() {
  const res = await fetch(`${kept.baseUrl}/slack/install`);
  const html = await res.text();
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
  const href = unescape(/href="([^"]+)"/.exec(html)?.[1] ?? '');
  return { res, html, cookie, authorizeUrl: new URL(href) };
}

async function redirect(code: string, state: string, cookie: string) {
  const res = await fetch(`${kept.baseUrl}/slack/oauth_redirect?code=${encodeURIComponent(code)}&state=${encodeURIComponent(state)}`, { headers: { cookie } });
  return { status: res.status, html: await res.text() };
}

async function install(teamId: string, botToken: string, teamName = teamId) {
  const { cookie, authorizeUrl } = await openInstallPage();
  kept.slack.issueCode(`code-${teamId}-${botToken}`, { teamId, teamName, botToken, botUserId: `UBOT${teamId}` });
  return redirect(`code-${teamId}-${botToken}`, authorizeUrl.searchParams.get('state')!, cookie);
}

async function rawInstallRows(): Promise<string> {
  const client = new pg.Client({ connectionString: kept.dbUrl });
  await client.connect();
  try {
    return JSON.stringify((await client.query('SELECT * FROM installations')).rows);
  } finally {
    await client.end();
  }
}

/** Sends a delivery as a worker would: waits for its channel's turn, then posts. */
async function sendNow(sender: SlackSender, id: string): Promise<SendOutcome> {
  let slot: number | undefined;
  for (let i = 0; i < 20; i++) {
    const out = await sender.send(id, slot);
    if (out.kind !== 'later') return out;
    slot = out.slot ?? slot;
    await new Promise((r) => setTimeout(r, Math.min(out.delayMs, 1500)));
  }
  throw new Error('never sent');
}

function sender() {
  return new SlackSender(kept.db, kept.clock, logger, { tokens: installedTokens(kept.db, keyring(ENCRYPTION_KEY)), apiUrl: kept.slack.apiUrl, redis: kept.redis, prefix: `kept-test-${randomBytes(4).toString('hex')}`, channelGapMs: 50 });
}

async function delivery(teamId: string, channel: string) {
  const ws = await kept.db.workspace.findUniqueOrThrow({ where: { slackTeamId: teamId } });
  return kept.db.delivery.create({ data: { workspaceId: ws.id, key: `test:${randomBytes(4).toString('hex')}`, kind: 'test', destination: channel, message: { text: `hello ${teamId}` }, notBefore: new Date(0) } });
}

describe('the install flow', () => {
  it('shows an Add to Slack page whose link carries the client id, the scopes and a signed state', async () => {
    const { res, html, cookie, authorizeUrl } = await openInstallPage();
    expect(res.status).toBe(200);
    expect(html).toContain('Add to Slack');
    expect(authorizeUrl.pathname).toBe('/oauth/v2/authorize');
    expect(authorizeUrl.searchParams.get('client_id')).toBe(OAUTH.clientId);
    expect(authorizeUrl.searchParams.get('scope')).toContain('chat:write');
    expect(cookie).toContain(authorizeUrl.searchParams.get('state'));
  });

  it('completes on the redirect: the code is exchanged, the token stored encrypted, and the page says what next', async () => {
    const done = await install('TAAAA', TOKEN_A, 'Acme Corp');
    expect(done.status).toBe(200);
    expect(done.html).toContain('Kept is installed');
    expect(done.html).toContain('/invite @Kept');
    expect(done.html).toContain('/kept help');
    const exchange = kept.slack.calls.find((c) => c.method === 'oauth.v2.access')!;
    expect(exchange.args).toMatchObject({ client_id: OAUTH.clientId, client_secret: OAUTH.clientSecret, code: `code-TAAAA-${TOKEN_A}` });
    const row = await kept.db.installation.findUniqueOrThrow({ where: { installKey: 'TAAAA' } });
    expect(row).toMatchObject({ teamId: 'TAAAA', teamName: 'Acme Corp', botUserId: 'UBOTTAAAA', installerUserId: 'U0001', isEnterpriseInstall: false });
    expect(row.scopes).toContain('chat:write');
    // Read as an attacker with the database would: no token, in any column.
    const raw = await rawInstallRows();
    expect(raw).toContain('TAAAA');
    expect(raw).not.toContain('xoxb-');
    expect(raw).not.toContain('team-a-secret');
    expect((await findInstallation(kept.db, keyring(ENCRYPTION_KEY), { teamId: 'TAAAA' }))?.botToken).toBe(TOKEN_A);
    expect(await kept.db.workspace.findUnique({ where: { slackTeamId: 'TAAAA' } })).toMatchObject({ name: 'Acme Corp', inactiveSince: null });
  });

  it('refuses a state it did not sign, one from another browser, and a replayed one; nothing is stored', async () => {
    const { cookie, authorizeUrl } = await openInstallPage();
    const state = authorizeUrl.searchParams.get('state')!;
    kept.slack.issueCode('code-wrong', { teamId: 'TWRONG', botToken: 'xoxb-wrong' });
    const forged = `${state.split('.')[0]}.${Buffer.from('not the mac').toString('base64url')}`;
    const wrong = await redirect('code-wrong', forged, `slack-app-oauth-state=${forged}`);
    expect(wrong.status).toBe(400);
    expect(wrong.html).toContain('Start again');
    expect((await redirect('code-wrong', state, 'slack-app-oauth-state=another-browser')).status).toBe(400);
    // Used once, properly: then the same redirect again is a replay.
    kept.slack.issueCode('code-once', { teamId: 'TONCE', botToken: 'xoxb-once' });
    expect((await redirect('code-once', state, cookie)).status).toBe(200);
    kept.slack.issueCode('code-replay', { teamId: 'TREPLAY', botToken: 'xoxb-replay' });
    const replay = await redirect('code-replay', state, cookie);
    expect(replay.status).toBe(400);
    expect(replay.html).toContain('already used');
    expect(await kept.db.installation.findMany({ where: { installKey: { in: ['TWRONG', 'TREPLAY'] } } })).toEqual([]);
    expect(kept.slack.calls.filter((c) => c.method === 'oauth.v2.access' && ['code-wrong', 'code-replay'].includes(c.args.code))).toEqual([]);
  });
});

describe('two workspaces side by side', () => {
  beforeAll(async () => {
    await install('TBBBB', TOKEN_B, 'Beta Inc');
    kept.slack.setUser('UA1', { name: 'ana', tz: 'Europe/Berlin' });
    kept.slack.setUser('UB1', { name: 'bo', tz: 'America/New_York' });
  });

  it("answers each workspace's commands with that workspace's token", async () => {
    await kept.command({ team_id: 'TAAAA', user_id: 'UA1', command: '/commit', text: '' });
    await kept.slack.waitFor('views.open', (a) => a.trigger_id !== undefined);
    await kept.command({ team_id: 'TBBBB', user_id: 'UB1', command: '/commit', text: '' });
    await eventually(() => kept.slack.callsTo('views.open').length >= 2);
    const opens = kept.slack.calls.filter((c) => c.method === 'views.open');
    expect(opens.map((c) => c.token).sort()).toEqual([TOKEN_A, TOKEN_B]);
    // Profiles are read from the workspace each person is in.
    const infos = kept.slack.calls.filter((c) => c.method === 'users.info');
    expect(infos.find((c) => c.args.user === 'UA1')?.token).toBe(TOKEN_A);
    expect(infos.find((c) => c.args.user === 'UB1')?.token).toBe(TOKEN_B);
  });

  it("takes each workspace's button clicks with that workspace's token", async () => {
    const before = kept.slack.calls.filter((c) => c.method === 'views.open').length;
    await kept.interact(blockAction({ actionId: ACTIONS.openCommitModal, value: '{}', teamId: 'TBBBB', userId: 'UB1', triggerId: 'trig.b' }));
    await eventually(() => kept.slack.calls.filter((c) => c.method === 'views.open').length > before);
    expect(kept.slack.calls.filter((c) => c.method === 'views.open').at(-1)).toMatchObject({ token: TOKEN_B, args: { trigger_id: 'trig.b' } });
  });

  it("posts each workspace's digest with its own token", async () => {
    const ws = await kept.db.workspace.findUniqueOrThrow({ where: { slackTeamId: 'TBBBB' } });
    const user = await kept.db.user.findFirstOrThrow({ where: { workspaceId: ws.id } });
    const sub = await kept.db.digestSubscription.create({ data: { workspaceId: ws.id, channelId: 'CBDIGEST', weekday: 1, time: '09:00', timeZone: 'UTC', scope: 'all', createdById: user.id } });
    const [first] = await recordDigest(kept.db, sub, kept.clock.now(), kept.clock.now());
    expect((await sendNow(sender(), first!)).kind).toBe('sent');
    expect(kept.slack.calls.filter((c) => c.method === 'chat.postMessage' && c.args.channel === 'CBDIGEST').map((c) => c.token)).toEqual([TOKEN_B]);
  });

  it("sends each workspace's prompts (a touch that went badly) with its own token", async () => {
    for (const [team, user, channel] of [['TAAAA', 'UA1', 'CAPROMPT'], ['TBBBB', 'UB1', 'CBPROMPT']] as const) {
      await kept.command({ team_id: team, user_id: user, channel_id: channel, command: '/kept', text: `account add Prompt ${team}` });
      await kept.lastResponse();
      await kept.command({ team_id: team, user_id: user, channel_id: channel, command: '/touch', text: 'call: they are unhappy with support :-1:' });
      await eventually(() => kept.db.touch.findFirst({ where: { sentiment: 'negative', workspace: { slackTeamId: team } } }));
    }
    kept.clock.advance(60_000);
    const { created } = await scan(kept.db, kept.clock.now());
    const warnings = await kept.db.delivery.findMany({ where: { id: { in: created }, kind: 'negative_touch' } });
    expect(warnings.map((d) => d.destination).sort()).toEqual(['CAPROMPT', 'CBPROMPT']);
    const s = sender();
    for (const d of warnings) expect((await sendNow(s, d.id)).kind).toBe('sent');
    const by = (channel: string) => kept.slack.calls.filter((c) => c.method === 'chat.postMessage' && c.args.channel === channel && String(c.args.text).startsWith('Early warning')).map((c) => c.token);
    expect(by('CAPROMPT')).toEqual([TOKEN_A]);
    expect(by('CBPROMPT')).toEqual([TOKEN_B]);
  });

  it("posts each workspace's deliveries with its own token", async () => {
    const s = sender();
    const a = await delivery('TAAAA', 'CA1');
    const b = await delivery('TBBBB', 'CB1');
    expect((await sendNow(s, a.id)).kind).toBe('sent');
    expect((await sendNow(s, b.id)).kind).toBe('sent');
    expect(kept.slack.callsWithToken('chat.postMessage', TOKEN_A).map((m) => m.channel).filter((c) => /^CA\d/.test(c))).toEqual(['CA1']);
    expect(kept.slack.callsWithToken('chat.postMessage', TOKEN_B).map((m) => m.channel).filter((c) => /^CB\d|CBDIGEST/.test(c))).toEqual(['CBDIGEST', 'CB1']);
  });
});

describe('uninstall and refused tokens', () => {
  it('app_uninstalled deletes the token, skips what was waiting, removes the digests, and Kept answers nothing more there', async () => {
    const ws = await kept.db.workspace.findUniqueOrThrow({ where: { slackTeamId: 'TAAAA' } });
    const user = await kept.db.user.findFirstOrThrow({ where: { workspaceId: ws.id } });
    const sub = await kept.db.digestSubscription.create({ data: { workspaceId: ws.id, channelId: 'CA1', weekday: 1, time: '09:00', timeZone: 'UTC', scope: 'all', createdById: user.id } });
    await upsertDigestScheduler(kept.queues!, sub);
    expect(await kept.queues!.ticks.getJobScheduler(digestSchedulerId(sub.id))).toBeTruthy();
    const waitingA = await delivery('TAAAA', 'CA2');
    const waitingB = await delivery('TBBBB', 'CB2');

    const res = await sendEvent(kept.baseUrl, SIGNING_SECRET, { type: 'app_uninstalled' }, { teamId: 'TAAAA' });
    expect(res.status).toBe(200);
    await eventually(async () => (await kept.db.installation.count({ where: { installKey: 'TAAAA' } })) === 0);
    await eventually(async () => (await kept.db.delivery.findUniqueOrThrow({ where: { id: waitingA.id } })).status === 'skipped');
    expect((await kept.db.delivery.findUniqueOrThrow({ where: { id: waitingA.id } })).skipReason).toMatch(/no longer installed.*uninstalled/);
    expect((await kept.db.delivery.findUniqueOrThrow({ where: { id: waitingB.id } })).status).toBe('pending');
    await eventually(async () => !(await kept.queues!.ticks.getJobScheduler(digestSchedulerId(sub.id))));
    expect(await kept.db.workspace.findUniqueOrThrow({ where: { id: ws.id } })).toMatchObject({ inactiveReason: 'uninstalled' });

    // A command from there now: acknowledged by nobody's listener, no answer, no Slack call.
    const before = kept.slack.calls.length;
    const errorsBefore = kept.errors.length;
    await kept.command({ team_id: 'TAAAA', user_id: 'UA1', command: '/kept', text: 'help' });
    await expect(kept.lastResponse(400)).rejects.toThrow(/no response_url POST/);
    expect(kept.slack.calls.length).toBe(before);
    expect(kept.errors.length).toBe(errorsBefore);
    // The other workspace is unaffected.
    expect((await sendNow(sender(), waitingB.id)).kind).toBe('sent');
    expect(kept.slack.callsWithToken('chat.postMessage', TOKEN_B).map((m) => m.channel)).toContain('CB2');
    // A delivery of the uninstalled workspace that a worker still held is skipped, not posted.
    const straggler = await delivery('TAAAA', 'CA3');
    expect(await sendNow(sender(), straggler.id)).toMatchObject({ kind: 'skipped' });
    expect(kept.slack.callsTo('chat.postMessage').filter((m) => m.channel === 'CA3')).toEqual([]);
  });

  it('a reinstall within the retention period resumes the workspace', async () => {
    const token = 'xoxb-team-a-second-install';
    expect((await install('TAAAA', token, 'Acme Corp')).status).toBe(200);
    expect(await kept.db.workspace.findUniqueOrThrow({ where: { slackTeamId: 'TAAAA' } })).toMatchObject({ inactiveSince: null, inactiveReason: null });
    // Its digest is scheduled again.
    const sub = await kept.db.digestSubscription.findFirstOrThrow({ where: { channelId: 'CA1' } });
    expect(await kept.queues!.ticks.getJobScheduler(digestSchedulerId(sub.id))).toBeTruthy();
    const d = await delivery('TAAAA', 'CA4');
    expect((await sendNow(sender(), d.id)).kind).toBe('sent');
    expect(kept.slack.callsWithToken('chat.postMessage', token).map((m) => m.channel)).toEqual(['CA4']);
  });

  it('a token Slack refuses (invalid_auth) marks its workspace inactive instead of retrying; the other goes on', async () => {
    kept.slack.refuseToken(TOKEN_B, 'invalid_auth');
    const s = sender();
    const first = await delivery('TBBBB', 'CB3');
    const second = await delivery('TBBBB', 'CB4');
    const out = await sendNow(s, first.id);
    expect(out).toMatchObject({ kind: 'skipped', reason: expect.stringContaining('invalid_auth') });
    const ws = await kept.db.workspace.findUniqueOrThrow({ where: { slackTeamId: 'TBBBB' } });
    expect(ws.inactiveReason).toBe('invalid_auth');
    expect(ws.inactiveSince).not.toBeNull();
    expect(await kept.db.installation.count({ where: { installKey: 'TBBBB' } })).toBe(0);
    expect((await kept.db.delivery.findUniqueOrThrow({ where: { id: second.id } })).status).toBe('skipped');
    const posts = kept.slack.calls.filter((c) => c.method === 'chat.postMessage' && c.token === TOKEN_B && c.args.channel === 'CB3');
    expect(posts).toHaveLength(1);
    const a = await delivery('TAAAA', 'CA5');
    expect((await sendNow(s, a.id)).kind).toBe('sent');
    // The operator's status says so, and counts nothing there as stuck.
    const report = await operatorStatus({ db: kept.db, now: new Date() });
    expect(report.workspaces.find((w) => w.slackTeamId === 'TBBBB')?.inactive).toMatchObject({ reason: 'invalid_auth' });
    expect(report.workspaces.find((w) => w.slackTeamId === 'TAAAA')?.inactive).toBeNull();
    expect(statusText(report)).toMatch(/Workspace TBBBB \(Beta Inc\)\n  INACTIVE since .* \(invalid_auth\)/);
    expect(report.problems.filter((p) => p.includes('TBBBB'))).toEqual([]);
  });
});

describe('revocation and refusals seen anywhere', () => {
  it('tokens_revoked (bot token) deletes the token and marks the workspace inactive', async () => {
    await install('TCCCC', 'xoxb-team-c-token');
    const waiting = await delivery('TCCCC', 'CC1');
    // Only user tokens revoked: Kept stores none, nothing changes.
    await sendEvent(kept.baseUrl, SIGNING_SECRET, { type: 'tokens_revoked', tokens: { oauth: ['UC1'] } }, { teamId: 'TCCCC' });
    await new Promise((r) => setTimeout(r, 200));
    expect(await kept.db.installation.count({ where: { installKey: 'TCCCC' } })).toBe(1);
    await sendEvent(kept.baseUrl, SIGNING_SECRET, { type: 'tokens_revoked', tokens: { bot: ['UBOTTCCCC'] } }, { teamId: 'TCCCC' });
    await eventually(async () => (await kept.db.installation.count({ where: { installKey: 'TCCCC' } })) === 0);
    await eventually(async () => (await kept.db.workspace.findUniqueOrThrow({ where: { slackTeamId: 'TCCCC' } })).inactiveReason === 'tokens revoked');
    expect((await kept.db.delivery.findUniqueOrThrow({ where: { id: waiting.id } })).status).toBe('skipped');
  });

  it('a token refused to an interactive call marks its workspace inactive too', async () => {
    await install('TDDDD', 'xoxb-team-d-token');
    kept.slack.setUser('UD1', { name: 'dee' });
    kept.slack.refuseToken('xoxb-team-d-token', 'account_inactive');
    await kept.command({ team_id: 'TDDDD', user_id: 'UD1', command: '/commit', text: '' });
    await eventually(async () => (await kept.db.workspace.findUniqueOrThrow({ where: { slackTeamId: 'TDDDD' } })).inactiveReason === 'account_inactive');
    expect(await kept.db.installation.count({ where: { installKey: 'TDDDD' } })).toBe(0);
  });
});

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** `npm run kept -- …` as an operator runs it, in OAuth mode. */
function cli(env: Record<string, string>, ...args: string[]) {
  const base = {
    PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DATABASE_URL: kept.dbUrl, REDIS_URL, SLACK_API_URL: kept.slack.apiUrl,
    SLACK_CLIENT_ID: OAUTH.clientId, SLACK_CLIENT_SECRET: OAUTH.clientSecret, SLACK_STATE_SECRET: OAUTH.stateSecret, SLACK_SIGNING_SECRET: SIGNING_SECRET,
  };
  return promisify(execFile)(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/kept.ts'), ...args], { cwd: ROOT, env: { ...base, ...env } }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );
}

describe('keys and retention', () => {
  it('rotate-key re-encrypts every row under the new key; the old key is needed only until then', async () => {
    const oldKey = ENCRYPTION_KEY;
    const newKey = Buffer.alloc(32, 9);
    await saveInstallation(kept.db, keyring(oldKey), { teamId: 'TROT', isEnterpriseInstall: false, botUserId: 'UB', scopes: [], botToken: 'xoxb-rotate-me' }, kept.clock.now());
    const both = keyring(newKey, oldKey);
    // During the rotation both keys read.
    expect((await findInstallation(kept.db, both, { teamId: 'TROT' }))?.botToken).toBe('xoxb-rotate-me');
    const { rotated, unreadable } = await rotateKey(kept.db, both);
    expect(rotated).toBeGreaterThanOrEqual(1);
    expect(unreadable).toEqual([]);
    expect(await kept.db.installation.count({ where: { keyId: { not: both.currentId } } })).toBe(0);
    expect((await findInstallation(kept.db, keyring(newKey), { teamId: 'TROT' }))?.botToken).toBe('xoxb-rotate-me');
    await expect(findInstallation(kept.db, keyring(oldKey), { teamId: 'TROT' })).rejects.toThrow(/neither KEPT_ENCRYPTION_KEY/);
    expect(await rawInstallRows()).not.toContain('xoxb-');
    expect((await rotateKey(kept.db, both)).rotated).toBe(0);
  });

  it('stores an org-wide install once, under its enterprise id, and serves its workspaces from it', async () => {
    const ring = keyring(ENCRYPTION_KEY);
    await saveInstallation(kept.db, ring, { enterpriseId: 'E0ORG', isEnterpriseInstall: true, botUserId: 'UORGBOT', scopes: ['chat:write'], botToken: 'xoxb-org-token', installerUserId: 'UORGADMIN' }, kept.clock.now());
    expect(await kept.db.installation.findUniqueOrThrow({ where: { installKey: 'E0ORG' } })).toMatchObject({ isEnterpriseInstall: true, teamId: null, enterpriseId: 'E0ORG' });
    // Bolt asks for the org's install, or a workspace's with its enterprise id.
    expect((await findInstallation(kept.db, ring, { enterpriseId: 'E0ORG', isEnterpriseInstall: true }))?.botToken).toBe('xoxb-org-token');
    expect((await findInstallation(kept.db, ring, { teamId: 'T0INORG', enterpriseId: 'E0ORG', isEnterpriseInstall: false }))?.botToken).toBe('xoxb-org-token');
    expect(await findInstallation(kept.db, ring, { enterpriseId: 'E0OTHER', isEnterpriseInstall: true })).toBeNull();
    await kept.db.installation.delete({ where: { installKey: 'E0ORG' } });
  });

  it('keeps an inactive workspace for the retention period, then the daily job deletes it; purge deletes at once', async () => {
    const clock = new FixedClock('2027-01-01T00:00:00Z');
    const gone = await kept.db.workspace.create({ data: { slackTeamId: 'TOLD', inactiveSince: clock.now(), inactiveReason: 'uninstalled' } });
    const owner = await kept.db.user.create({ data: { workspaceId: gone.id, slackUserId: 'UOLD', displayName: 'old', timeZone: 'UTC' } });
    await kept.db.account.create({ data: { workspaceId: gone.id, name: 'Old Co', normalizedName: 'old co', ownerId: owner.id } });
    expect(await purgeExpired(kept.db, new Date('2027-01-30T00:00:00Z'), 30)).not.toContain('TOLD');
    expect(await kept.db.workspace.findUnique({ where: { slackTeamId: 'TOLD' } })).not.toBeNull();
    expect(await purgeExpired(kept.db, new Date('2027-02-01T00:00:00Z'), 30)).toEqual(['TOLD']);
    expect(await kept.db.workspace.findUnique({ where: { slackTeamId: 'TOLD' } })).toBeNull();
    expect(await kept.db.account.count({ where: { workspaceId: gone.id } })).toBe(0);

    expect(await purgeWorkspace(kept.db, 'TAAAA')).toBe(true);
    expect(await kept.db.workspace.findUnique({ where: { slackTeamId: 'TAAAA' } })).toBeNull();
    expect(await kept.db.installation.count({ where: { installKey: 'TAAAA' } })).toBe(0);
  });
});

describe('the operator commands', () => {
  // Last: it moves every row to another key.
  it('rotate-key and purge, as the README shows them', { timeout: 60_000 }, async () => {
    const next = Buffer.alloc(32, 11);
    // Only this test's row: earlier tests left rows under other keys.
    await kept.db.installation.deleteMany({});
    await saveInstallation(kept.db, keyring(ENCRYPTION_KEY), { teamId: 'TCLI', isEnterpriseInstall: false, botUserId: 'UB', scopes: [], botToken: 'xoxb-cli-token' }, kept.clock.now());
    // Without the old key the rows under it cannot be read: named, exit 1, nothing changed.
    const blind = await cli({ KEPT_ENCRYPTION_KEY: next.toString('base64') }, 'rotate-key');
    expect(blind.code).toBe(1);
    expect(blind.stderr).toContain('TCLI');
    const rotated = await cli({ KEPT_ENCRYPTION_KEY: next.toString('base64'), KEPT_ENCRYPTION_KEY_OLD: ENCRYPTION_KEY.toString('hex') }, 'rotate-key');
    expect(rotated.code, rotated.stderr).toBe(0);
    expect(rotated.stdout).toMatch(/Re-encrypted \d+ tokens? under the current key/);
    expect((await findInstallation(kept.db, keyring(next), { teamId: 'TCLI' }))?.botToken).toBe('xoxb-cli-token');

    // status checks each workspace's own token.
    const fine = await cli({ KEPT_ENCRYPTION_KEY: next.toString('base64') }, 'status');
    expect(fine.stdout).toMatch(/Workspace TCLI\n  Slack token: accepted/);
    kept.slack.refuseToken('xoxb-cli-token', 'token_revoked');
    const refused = await cli({ KEPT_ENCRYPTION_KEY: next.toString('base64') }, 'status');
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/Workspace TCLI\n  Slack token: REFUSED: token_revoked/);
    expect(refused.stdout).toContain("TCLI: Slack refuses this workspace's token (token_revoked)");

    const purged = await cli({ KEPT_ENCRYPTION_KEY: next.toString('base64') }, 'purge', '--workspace', 'TCLI');
    expect(purged.code, purged.stderr).toBe(0);
    expect(await kept.db.installation.count({ where: { installKey: 'TCLI' } })).toBe(0);
    expect((await cli({ KEPT_ENCRYPTION_KEY: next.toString('base64') }, 'purge')).code).toBe(2);
  });
});
