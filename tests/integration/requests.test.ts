// Request signatures, health, and /kept account management through the real receiver.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBot } from '../../src/bot/app.js';
import { FixedClock } from '../../src/clock.js';
import { createLogger } from '../../src/logger.js';
import { SIGNING_SECRET, startKept, type Kept } from '../helpers/kept.js';
import { blockAction, sendCommand, sign } from '../helpers/slack-requests.js';

let kept: Kept;
beforeAll(async () => {
  kept = await startKept();
  kept.slack.setUser('U0001', { name: 'ana', tz: 'Europe/Berlin' });
  kept.slack.setUser('U0002', { name: 'maria', tz: 'Europe/Berlin' });
});
afterAll(() => kept?.close());

describe('request signatures', () => {
  const now = () => Math.floor(Date.now() / 1000);
  const rejects = async (opts: Parameters<Kept['command']>[1]) => {
    const res = await kept.command({ command: '/kept', text: 'account add Forged', channel_id: 'C0F' }, opts);
    expect(res.status).toBe(401);
  };

  it('refuses a forged signature, an old timestamp and a future one, running no listener', async () => {
    await rejects({ signature: 'v0=' + '0'.repeat(64) });
    await rejects({ timestamp: now() - 6 * 60 });
    await rejects({ timestamp: now() + 6 * 60 });
    // A valid signature over a future timestamp is still refused.
    const ts = now() + 10 * 60;
    const body = new URLSearchParams({ command: '/kept', text: 'account add Forged' }).toString();
    await rejects({ timestamp: ts, signature: sign(SIGNING_SECRET, ts, body) });
    await new Promise((r) => setTimeout(r, 300));
    expect(await kept.db.account.count({ where: { name: 'Forged' } })).toBe(0);
    expect(kept.slack.calls.filter((c) => c.method !== 'auth.test')).toHaveLength(0);
  });

  it('accepts a timestamp within five minutes either way', async () => {
    const res = await kept.command({ command: '/kept', text: 'help' }, { timestamp: now() + 60 });
    expect(res.status).toBe(200);
  });

  it('refuses an interaction signed with another secret', async () => {
    const res = await sendCommand(kept.baseUrl, 'another-secret', { command: '/kept', text: 'help' });
    expect(res.status).toBe(401);
    const click = blockAction({ actionId: 'commitment_done', value: 'x' });
    const r = await kept.interact(click, { signature: 'v0=bad' });
    expect(r.status).toBe(401);
  });
});

describe('/healthz', () => {
  it('answers 200 when Postgres and Redis answer', async () => {
    const res = await fetch(`${kept.baseUrl}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, checks: { postgres: 'ok', redis: 'ok' } });
  });

  it('answers 503 when Redis does not', async () => {
    const deadRedis = new Redis('redis://127.0.0.1:1', { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0 });
    deadRedis.on('error', () => {});
    const bot = createBot({
      db: kept.db,
      redis: deadRedis,
      clock: new FixedClock('2026-11-23T10:00:00Z'),
      logger: createLogger('error', 'test', () => {}),
      slack: { botToken: 'xoxb-test', apiUrl: kept.slack.apiUrl, signingSecret: SIGNING_SECRET },
    });
    const port = await bot.start(0);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(res.status).toBe(503);
      const body = await res.json();
      expect(body.checks.postgres).toBe('ok');
      expect(body.checks.redis).not.toBe('ok');
    } finally {
      await bot.stop();
      deadRedis.disconnect();
    }
  });
});

describe('/kept account', () => {
  const kept_ = (text: string, channel_id = 'C0100') => kept.command({ command: '/kept', text, channel_id });
  const lastReply = async () => JSON.stringify((await kept.lastResponse()).body);

  it('adds an account and links the channel', async () => {
    kept.slack.reset();
    await kept_('account add Initech Global');
    expect(await lastReply()).toContain('Created *Initech Global*');
    const link = await kept.db.accountChannel.findFirstOrThrow({ where: { channelId: 'C0100' }, include: { account: { include: { owner: true } } } });
    expect(link.account.name).toBe('Initech Global');
    expect(link.account.owner?.slackUserId).toBe('U0001');
  });

  it('refuses a duplicate name, case-insensitively', async () => {
    kept.slack.reset();
    await kept_('account add initech global', 'C0101');
    expect(await lastReply()).toContain('already an account called');
  });

  it('sets cadence, tier, renewal, alias and owner; the alias then finds it', async () => {
    for (const [text, expected] of [
      ['account set Initech Global cadence 2w', 'every 14 days'],
      ['account set initech tier strategic', 'tier is strategic'],
      ['account set initech renewal 2027-03-31', 'renews on 2027-03-31'],
      ['account set initech alias IGC', 'also known as “igc”'],
    ] as const) {
      kept.slack.reset();
      await kept_(text);
      expect(await lastReply()).toContain(expected);
    }
    kept.slack.reset();
    await kept_('account link igc', 'C0102');
    expect(await lastReply()).toContain('Linked <#C0102> to *Initech Global*');
    kept.slack.reset();
    await kept_('account set initech global owner <@U0002|maria>');
    expect(await lastReply()).toContain('owner is now <@U0002>');
    const a = await kept.db.account.findFirstOrThrow({ where: { name: 'Initech Global' }, include: { owner: true } });
    expect(a).toMatchObject({ cadenceDays: 14, tier: 'strategic', aliases: ['igc'] });
    expect(a.owner?.slackUserId).toBe('U0002');
    expect(a.renewalDate?.toISOString().slice(0, 10)).toBe('2027-03-31');
    // The new owner may hand it back.
    kept.slack.reset();
    await kept.command({ command: '/kept', text: 'account set igc owner <@U0001|ana>', channel_id: 'C0100', user_id: 'U0002' });
    expect(await lastReply()).toContain('owner is now <@U0001>');
  });

  it('explains bad values', async () => {
    for (const [text, expected] of [
      ['account set initech cadence often', 'cadence in days or weeks'],
      ['account set initech tier gold', 'The tier is one of strategic, key, standard'],
      ['account set initech renewal soon', 'YYYY-MM-DD'],
      ['account set initech owner maria', 'mention'],
      ['account set nosuch tier key', 'There is no account called “nosuch”'],
      ['account frobnicate', 'There is no account called “frobnicate”'],
      ['account add ' + 'x'.repeat(81), 'at most 80 characters'],
      ['dance', 'I don’t know `/kept dance`'],
    ] as const) {
      kept.slack.reset();
      await kept_(text);
      expect(await lastReply()).toContain(expected);
    }
  });

  it('refuses to link from a DM', async () => {
    kept.slack.reset();
    await kept_('account link Initech Global', 'D0001');
    expect(await lastReply()).toContain('in the channel you want to link');
  });

  it('answers ambiguous names with the candidates', async () => {
    kept.slack.reset();
    await kept_('account add Initech Labs', 'C0103');
    expect(await lastReply()).toContain('Created *Initech Labs*');
    kept.slack.reset();
    await kept_('account set initech tier key');
    // "initech" is an alias-free prefix of two accounts now.
    expect(await lastReply()).toContain('matches several accounts');
  });
});

describe('first contact', () => {
  it('serves simultaneous first requests from a new team and person, each once, with no error', async () => {
    kept.slack.setUser('UFIRST', { name: 'newcomer', tz: 'Europe/Berlin' });
    const before = kept.logs.length;
    const sent = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        sendCommand(kept.baseUrl, SIGNING_SECRET, { command: '/commit', text: 'list', team_id: 'TFIRST', user_id: 'UFIRST', response_url: kept.slack.responseUrl(`first-${i}`) }),
      ),
    );
    expect(sent.map((r) => r.status)).toEqual(Array(8).fill(200));
    const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => kept.slack.waitForResponse((r) => r.id === `first-${i}`)));
    for (const a of answers) expect(JSON.stringify(a.body)).not.toMatch(/went wrong|failed/i);
    expect(kept.logs.slice(before).filter((l) => JSON.parse(l).level === 'error')).toEqual([]);
    expect(await kept.db.workspace.count({ where: { slackTeamId: 'TFIRST' } })).toBe(1);
    const ws = await kept.db.workspace.findUniqueOrThrow({ where: { slackTeamId: 'TFIRST' } });
    expect(await kept.db.user.count({ where: { workspaceId: ws.id, slackUserId: 'UFIRST' } })).toBe(1);
  });
});
