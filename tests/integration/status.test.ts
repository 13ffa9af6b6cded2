// `npm run kept -- status` and `retry`: the operator's check finds what is stuck and says so with its
// exit code; a failed delivery replayed goes out once, through the ledger.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/clock.js';
import type { Db } from '../../src/db/client.js';
import { deliverJobId, QUEUES } from '../../src/jobs/queues.js';
import { SCAN_ID, SETTLE_MS } from '../../src/jobs/scan.js';
import { SlackSender } from '../../src/jobs/slack-sender.js';
import { startWorkers } from '../../src/jobs/worker.js';
import { createLogger } from '../../src/logger.js';
import { operatorStatus, statusExitCode, statusText, STUCK } from '../../src/ops/status.js';
import { createTestDatabase } from '../helpers/db.js';
import { FakeSlack } from '../helpers/fake-slack.js';
import { eventually, REDIS_URL } from '../helpers/kept.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const NOW = new Date('2026-11-23T14:00:00Z');
const min = 60_000;

let db: Db;
let url: string;
let drop: () => Promise<void>;
let slack: FakeSlack;
let workspaceId: string;
let userId: string;

beforeAll(async () => {
  ({ db, url, drop } = await createTestDatabase());
  slack = await FakeSlack.start();
  const ws = await db.workspace.create({ data: { slackTeamId: 'T0001', name: 'Acme' } });
  workspaceId = ws.id;
  userId = (await db.user.create({ data: { workspaceId, slackUserId: 'U0001', displayName: 'ana' } })).id;
});
afterAll(async () => {
  await slack?.close();
  await drop?.();
});
beforeEach(async () => {
  slack.reset();
  await db.delivery.deleteMany();
  await db.digestSubscription.deleteMany();
  await db.$executeRaw`DELETE FROM scan_state`;
});

const scannedAt = (at: Date) => db.$executeRaw`INSERT INTO scan_state (id, scanned_until) VALUES (${SCAN_ID}, ${new Date(at.getTime() - SETTLE_MS)})`;
let seq = 0;
const delivery = (data: { status?: 'pending' | 'sending' | 'sent' | 'failed'; notBefore: Date; updatedAt?: Date; lastError?: string; destination?: string }) =>
  db.delivery.create({ data: { workspaceId, key: `ops:${++seq}`, kind: 'cadence_overdue', destination: data.destination ?? 'C0001', message: { text: `message ${seq}` }, ...data } });
const token = { ok: true as const, team: 'Acme T0001' };

describe('operatorStatus', () => {
  it('reports a healthy deployment: recent scan, deliveries moving, the next digest; exit code 0', async () => {
    await scannedAt(new Date(NOW.getTime() - 1 * min));
    const due = await delivery({ notBefore: new Date(NOW.getTime() - 2 * min) });
    await delivery({ notBefore: new Date(NOW.getTime() + 60 * min) });
    await delivery({ status: 'sent', notBefore: new Date(NOW.getTime() - 60 * min) });
    await db.digestSubscription.create({ data: { workspaceId, channelId: 'C0DIGEST', weekday: 1, time: '09:00', timeZone: 'Europe/Berlin', scope: 'all', createdById: userId } });

    const report = await operatorStatus({ db, now: NOW, checkToken: async () => token, hasScheduler: async () => true });
    expect(report.problems).toEqual([]);
    expect(statusExitCode(report)).toBe(0);
    expect(report.lastScan).toEqual(new Date(NOW.getTime() - 1 * min));
    const [ws] = report.workspaces;
    expect(ws!.deliveries).toEqual({ pending: 2, sending: 0, failed: 0 });
    expect(ws!.oldestDue?.id).toBe(due.id);
    // Monday 2026-11-23 09:00 in Berlin has passed at 14:00 UTC: the next is a week later.
    expect(ws!.digests).toEqual([{ channelId: 'C0DIGEST', schedule: 'Mon 09:00 Europe/Berlin', nextRun: new Date('2026-11-30T08:00:00Z'), scheduler: 'registered' }]);
    expect(statusText(report)).toContain('OK: nothing is stuck.');
  });

  it('calls a failed delivery, a due one not moving, a late scan, a refused token and a lost scheduler stuck; exit code 1', async () => {
    await scannedAt(new Date(NOW.getTime() - (STUCK.scanLateMs + min)));
    const failed = await delivery({ status: 'failed', notBefore: new Date(NOW.getTime() - 60 * min), updatedAt: new Date(NOW.getTime() - 30 * min), lastError: 'channel_not_found' });
    const stale = await delivery({ status: 'sending', notBefore: new Date(NOW.getTime() - (STUCK.dueLateMs + min)), lastError: 'uncertain: HTTP 500' });
    await db.digestSubscription.create({ data: { workspaceId, channelId: 'C0DIGEST', weekday: 1, time: '09:00', timeZone: 'Europe/Berlin', scope: 'all', createdById: userId } });

    const report = await operatorStatus({ db, now: NOW, checkToken: async () => ({ ok: false, error: 'token_revoked', refused: true }), hasScheduler: async () => false });
    expect(statusExitCode(report)).toBe(1);
    expect(report.problems).toHaveLength(5);
    const all = report.problems.join('\n');
    expect(all).toContain('No scan since');
    expect(all).toContain('Slack refuses the bot token (token_revoked)');
    expect(all).toContain(`1 delivery failed in the last 24 hours, latest ${failed.id} (channel_not_found)`);
    expect(all).toContain(`delivery ${stale.id} has been due since`);
    expect(all).toContain('C0DIGEST has no scheduler');
    expect(report.workspaces[0]!.recentFailures.map((f) => f.id)).toEqual([failed.id]);
    expect(statusText(report)).toMatch(/STUCK \(5\)/);
  });

  it('forgets a failure after a day, and has never-scanned as a problem of its own', async () => {
    await delivery({ status: 'failed', notBefore: new Date(NOW.getTime() - 3 * 24 * 60 * min), updatedAt: new Date(NOW.getTime() - STUCK.failedWithinMs - min), lastError: 'is_archived' });
    const report = await operatorStatus({ db, now: NOW });
    expect(report.problems).toEqual(['The scheduler has never scanned: no worker has run (KEPT_ROLES must include worker somewhere).']);
    expect(report.workspaces[0]!.deliveries.failed).toBe(1);
  });
});

describe('npm run kept -- status / retry', () => {
  const prefix = `kept-test-${randomBytes(4).toString('hex')}`;
  let redis: Redis;
  beforeAll(() => {
    redis = new Redis(REDIS_URL);
  });
  afterAll(async () => {
    for (const name of Object.values(QUEUES)) {
      const q = new Queue(name, { connection: redis, prefix });
      await q.obliterate({ force: true });
      await q.close();
    }
    redis.disconnect();
  });

  function kept(...args: string[]) {
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      DATABASE_URL: url,
      REDIS_URL,
      KEPT_QUEUE_PREFIX: prefix,
      SLACK_BOT_TOKEN: 'xoxb-status-test',
      SLACK_SIGNING_SECRET: 'secret',
      SLACK_API_URL: slack.apiUrl,
    };
    return run(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/kept.ts'), ...args], { cwd: ROOT, env }).then(
      (r) => ({ code: 0, ...r }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
    );
  }

  it('exits 1 on a failed delivery; retry sends it again once, through the ledger; then status exits 0', { timeout: 60_000 }, async () => {
    const now = new Date();
    await scannedAt(now);
    const failed = await delivery({ status: 'failed', notBefore: new Date(now.getTime() - 10 * min), updatedAt: new Date(now.getTime() - 5 * min), lastError: 'not_in_channel', destination: 'CRETRY' });

    // The CLI runs in a child process with its own clock: it is told the test's moment.
    const stuck = await kept('status', '--at', now.toISOString());
    expect(stuck.code).toBe(1);
    expect(stuck.stdout).toContain('Slack token: accepted');
    expect(stuck.stdout).toContain(`${failed.id} cadence_overdue to CRETRY`);
    expect(stuck.stdout).toMatch(/STUCK \(1\):\n {2}- T0001 \(Acme\): 1 delivery failed/);
    expect(slack.callsTo('auth.test')).toHaveLength(1);

    const retried = await kept('retry', '--delivery', failed.id);
    expect(retried.code).toBe(0);
    expect(retried.stdout).toContain('is pending again and queued');
    expect(await db.delivery.findUniqueOrThrow({ where: { id: failed.id } })).toMatchObject({ status: 'pending', lastError: 'retried by an operator after: not_in_channel' });
    const again = await kept('retry', '--delivery', failed.id);
    expect(again.stdout).toContain('is pending, not failed: nothing to retry');
    expect((await kept('retry', '--delivery', 'nope')).code).toBe(2);
    expect((await kept('status', '--at', 'yesterday')).code).toBe(2);

    const queue = new Queue(QUEUES.deliveries, { connection: redis, prefix });
    expect(await (await queue.getJob(deliverJobId(failed.id)))?.getState()).toBe('waiting');
    await queue.close();
    const logger = createLogger('error', 'test', () => {});
    const sender = new SlackSender(db, systemClock, logger, { token: 'xoxb-test', apiUrl: slack.apiUrl, redis, prefix, timeoutMs: 2000 });
    const workers = await startWorkers({ db, clock: systemClock, logger, sender, redisUrl: REDIS_URL, prefix, schedule: false });
    try {
      await eventually(async () => (await db.delivery.findUniqueOrThrow({ where: { id: failed.id } })).status === 'sent', 10_000);
    } finally {
      await workers.close();
    }
    expect(slack.callsTo('chat.postMessage').filter((c) => c.channel === 'CRETRY')).toHaveLength(1);

    const fine = await kept('status', '--at', now.toISOString());
    expect(fine.stdout).toContain('OK: nothing is stuck.');
    expect(fine.code).toBe(0);
  });
});
