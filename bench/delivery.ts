// Scenario 4 — delivery. Ledger rows to many channels through the real workers (BullMQ, Redis
// pacing, the ledger) and the fake Slack Web API enforcing one post per second per channel.
// Completion time beside the theoretical minimum ((posts per channel − 1) × 1 s); nothing lost,
// nothing doubled, no 429s. With `workspaces` > 1 (OAuth mode, issue 17) the channels belong to that
// many workspaces, each installed with its own encrypted token: one client per workspace, and every
// post must carry its own workspace's token.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { systemClock } from '../src/clock.js';
import { enqueueDeliveries } from '../src/jobs/queues.js';
import { SlackSender } from '../src/jobs/slack-sender.js';
import { installedTokens, saveInstallation } from '../src/services/installations.js';
import { keyring } from '../src/services/secrets.js';
import { startWorkers } from '../src/jobs/worker.js';
import { createTestDatabase } from '../tests/helpers/db.js';
import { REDIS_URL } from '../tests/helpers/kept.js';
import { memoryPhase, peakRssMb, startRssMb, quietLogger, rawClient, round, row, startChildSlack, type Row } from './common.js';

export async function benchDelivery(opts: { quick: boolean; workspaces?: number }) {
  const workspaces = opts.workspaces ?? 1;
  const scenario = workspaces > 1 ? `4 delivery, ${workspaces} workspaces` : '4 delivery';
  const tokenOf = (w: number) => `xoxb-bench-${w}`;
  const total = opts.quick ? 400 : 2_000;
  const channels = opts.quick ? 40 : 200;
  const perChannel = total / channels;
  const minimumMs = (perChannel - 1) * 1000;
  const prefix = `bench-${randomBytes(4).toString('hex')}`;

  const database = await createTestDatabase();
  const c = await rawClient(database.url);
  const slack = await startChildSlack({ BENCH_POSTS_PER_SECOND: '1' });
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  const { logger, lines } = quietLogger('bench-worker');
  let workers: Awaited<ReturnType<typeof startWorkers>> | undefined;
  try {
    const ring = keyring(randomBytes(32));
    const wsIds: string[] = [];
    for (let w = 0; w < workspaces; w++) {
      const teamId = workspaces > 1 ? `TDELIVER${w}` : 'TDELIVER';
      if (workspaces > 1) await saveInstallation(database.db, ring, { teamId, isEnterpriseInstall: false, botUserId: 'UBOT', scopes: ['chat:write'], botToken: tokenOf(w) }, new Date());
      const { rows: ws } = await c.query<{ id: string }>(
        `INSERT INTO workspaces (slack_team_id, name) VALUES ($1, 'Deliver') ON CONFLICT (slack_team_id) DO UPDATE SET name = EXCLUDED.name RETURNING id`,
        [teamId],
      );
      wsIds.push(ws[0]!.id);
    }
    // Channel k belongs to workspace k mod workspaces.
    const { rows } = await c.query<{ id: string }>(
      `INSERT INTO deliveries (workspace_id, key, kind, destination, message, not_before)
       SELECT ($1::uuid[])[1 + (i % $3) % $4], 'bench:' || i, 'bench', 'CB' || (i % $3), jsonb_build_object('text', 'Bench message ' || i), now()
       FROM generate_series(0, $2 - 1) i RETURNING id`,
      [wsIds, total, channels, workspaces],
    );
    const ids = rows.map((r) => r.id);

    // The production workspace ceiling (300 posts a minute) would alone take total/300 minutes; it is
    // lifted here so the run measures the per-channel pacing and the worker machinery.
    const auth = workspaces > 1 ? { tokens: installedTokens(database.db, ring) } : { token: 'xoxb-bench' };
    const sender = new SlackSender(database.db, systemClock, logger, { ...auth, apiUrl: slack.apiUrl, redis, prefix, perMinute: 1_000_000 });
    workers = await startWorkers({ db: database.db, clock: systemClock, logger, sender, redisUrl: REDIS_URL, prefix, concurrency: 50, schedule: false });

    memoryPhase('delivery: workers');
    const started = performance.now();
    const startedAt = Date.now();
    await enqueueDeliveries(workers.queues, ids);
    const deadline = started + Math.max(120_000, minimumMs * 6);
    let sent = 0;
    for (;;) {
      const { rows: r } = await c.query<{ n: string }>(`SELECT count(*) AS n FROM deliveries WHERE status = 'sent'`);
      sent = Number(r[0]!.n);
      if (sent === total || performance.now() > deadline) break;
      await new Promise((res) => setTimeout(res, 100));
    }
    // Wait a moment for anything still in flight (a double post would show up here).
    await new Promise((res) => setTimeout(res, 1500));
    memoryPhase(null);
    const { posts } = await slack.report();
    const landed = posts.filter((p) => p.outcome === 'ok' || p.outcome === 'server_error');
    // Completion: the moment the last post landed at the fake Slack.
    const elapsedMs = sent === total ? Math.max(...landed.map((p) => p.at)) - startedAt : performance.now() - started;

    const perDelivery = new Map<string, number>();
    for (const p of landed) perDelivery.set(p.deliveryId, (perDelivery.get(p.deliveryId) ?? 0) + 1);
    const lost = ids.filter((id) => !perDelivery.has(id)).length;
    const doubled = [...perDelivery.values()].filter((n) => n > 1).length;
    const rateLimited = posts.filter((p) => p.outcome === 'ratelimited').length;
    // Each post with its own workspace's token (channel CBk: workspace k mod workspaces).
    const wrongToken = workspaces > 1 ? posts.filter((p) => p.token !== tokenOf(Number(p.channel.slice(2)) % workspaces)).length : 0;
    // Per channel: when its first post landed, and the spacing of the rest.
    const byChannel = new Map<string, number[]>();
    for (const p of landed) byChannel.set(p.channel, [...(byChannel.get(p.channel) ?? []), p.at - startedAt]);
    const firsts = [...byChannel.values()].map((v) => v[0]!);
    const gaps = [...byChannel.values()].flatMap((v) => v.slice(1).map((t, k) => t - v[k]!));
    const { rows: status } = await c.query<{ status: string; n: string }>(`SELECT status, count(*) AS n FROM deliveries GROUP BY status`);

    const out: Row[] = [
      row({
        scenario,
        metric: `${total} rows → ${channels} channels${workspaces > 1 ? ` in ${workspaces} workspaces` : ''}, completion`,
        value: elapsedMs / 1000,
        unit: 's',
        reference: minimumMs / 1000,
        referenceLabel: 'theoretical min',
        target: '≤ 1.2×',
        ok: elapsedMs <= minimumMs * 1.2,
      }),
      row({ scenario, metric: 'lost (rows never posted)', value: lost, unit: 'rows', target: '0', ok: lost === 0 }),
      row({ scenario, metric: 'doubled (posted > once)', value: doubled, unit: 'rows', target: '0', ok: doubled === 0 }),
      row({ scenario, metric: '429s from Slack', value: rateLimited, unit: 'calls', target: '0', ok: rateLimited === 0 }),
      ...(workspaces > 1
        ? [row({ scenario, metric: "posts with another workspace's token", value: wrongToken, unit: 'calls', target: '0', ok: wrongToken === 0 })]
        : [row({ scenario: '5 memory', metric: 'peak RSS, delivery workers', value: peakRssMb('delivery: workers'), unit: 'MB', reference: startRssMb('delivery: workers'), referenceLabel: 'at phase start' })]),
    ];
    return {
      rows: out,
      details: {
        total,
        channels,
        workspaces,
        perChannel,
        elapsedS: round(elapsedMs / 1000, 2),
        minimumS: minimumMs / 1000,
        ledgerStatus: Object.fromEntries(status.map((s) => [s.status, Number(s.n)])),
        postCalls: posts.length,
        firstPostLandedMs: { min: Math.round(Math.min(...firsts)), max: Math.round(Math.max(...firsts)) },
        gapBetweenPostsMs: { mean: round(gaps.reduce((x, y) => x + y, 0) / gaps.length), min: Math.min(...gaps), max: Math.max(...gaps) },
        warnings: lines.slice(-5),
      },
    };
  } finally {
    memoryPhase(null);
    if (workers) {
      await workers.queues.deliveries.obliterate({ force: true }).catch(() => {});
      await workers.queues.ticks.obliterate({ force: true }).catch(() => {});
      await workers.close();
    }
    redis.disconnect();
    await slack.report().catch(() => {}); // stops the child
    await c.end();
    await database.drop();
  }
}
