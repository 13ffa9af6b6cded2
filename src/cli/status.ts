// `npm run kept -- status [--json]` and `npm run kept -- retry --delivery ID`: the operator's check
// and the replay of a failed delivery.
import { parseArgs } from 'node:util';
import { WebClient } from '@slack/web-api';
import type { Clock } from '../clock.js';
import { slackTokens, type Config } from '../config.js';
import type { Db } from '../db/client.js';
import { digestSchedulerId } from '../jobs/digest.job.js';
import { openQueues, requeueDelivery } from '../jobs/queues.js';
import { operatorStatus, statusExitCode, statusText, type TokenCheck } from '../ops/status.js';
import { retryFailed } from '../services/ledger.js';

export const STATUS_USAGE = `  npm run kept -- status [--json] [--at ISO]   per workspace: last scan, deliveries, failures, digests, token; exit 1 when stuck
  npm run kept -- retry --delivery ID           send a failed delivery again`;

const REFUSED = new Set(['invalid_auth', 'not_authed', 'account_inactive', 'token_revoked', 'token_expired']);

async function checkToken(token: string, apiUrl: string): Promise<TokenCheck> {
  const client = new WebClient(token, { slackApiUrl: apiUrl, timeout: 10_000, retryConfig: { retries: 1 } });
  try {
    const res = await client.auth.test();
    return { ok: true, team: `${res.team ?? ''} ${res.team_id ?? ''}`.trim() };
  } catch (err) {
    const code = (err as { data?: { error?: string } }).data?.error;
    return { ok: false, error: code ?? (err as Error).message, refused: code !== undefined && REFUSED.has(code) };
  }
}

export async function statusCommand(args: string[], db: Db, config: Config, clock: Clock): Promise<number> {
  const { values } = parseArgs({ args, options: { json: { type: 'boolean' }, at: { type: 'string' } } });
  // --at: judge "late" and "stuck" as of another moment (a replayed incident, a test's own clock).
  const now = values.at ? new Date(values.at) : clock.now();
  if (Number.isNaN(now.getTime())) {
    console.error(`--at: expected an ISO date-time such as 2026-12-01T09:00:00Z (got "${values.at}")\nUsage:\n${STATUS_USAGE}`);
    return 2;
  }
  const queues = openQueues(config.REDIS_URL, config.KEPT_QUEUE_PREFIX);
  try {
    const report = await operatorStatus({
      db,
      now,
      // One token to check in single-workspace mode; in OAuth mode each workspace has its own, and one
      // Slack refuses marks its workspace inactive.
      ...(config.slack.kind === 'http' || config.slack.kind === 'socket' ? { checkToken: () => checkToken(config.slack.kind === 'http' || config.slack.kind === 'socket' ? config.slack.botToken : '', config.SLACK_API_URL) } : {}),
      ...(config.slack.kind === 'oauth'
        ? {
            checkWorkspaceToken: async (workspaceId: string) => {
              const token = await slackTokens(config, db)!.tokenFor(workspaceId);
              return token ? checkToken(token, config.SLACK_API_URL) : null;
            },
          }
        : {}),
      hasScheduler: async (id) => Boolean(await queues.ticks.getJobScheduler(digestSchedulerId(id))),
    });
    console.log(values.json ? JSON.stringify(report, null, 2) : statusText(report));
    return statusExitCode(report);
  } finally {
    await queues.close();
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function retryCommand(args: string[], db: Db, config: Config, clock: Clock): Promise<number> {
  const { values } = parseArgs({ args, options: { delivery: { type: 'string' } } });
  if (!values.delivery || !UUID.test(values.delivery)) {
    console.error(`retry needs --delivery and the delivery's id (status lists failed ones).\nUsage:\n${STATUS_USAGE}`);
    return 2;
  }
  const id = values.delivery;
  const result = await retryFailed(db, id, clock.now());
  if (result === 'missing') {
    console.error(`No delivery ${id}.`);
    return 1;
  }
  if (result === 'not_failed') {
    const row = await db.delivery.findUniqueOrThrow({ where: { id }, select: { status: true } });
    console.log(`Delivery ${id} is ${row.status}, not failed: nothing to retry.`);
    return 0;
  }
  const queues = openQueues(config.REDIS_URL, config.KEPT_QUEUE_PREFIX);
  try {
    await requeueDelivery(queues, id);
  } catch (err) {
    // The row is pending again: a worker's recovery picks it up within minutes even without the job.
    console.log(`Delivery ${id} is pending again; queueing it failed (${(err as Error).message}), a worker will pick it up within a few minutes.`);
    return 0;
  } finally {
    await queues.close();
  }
  console.log(`Delivery ${id} is pending again and queued; a worker posts it.`);
  return 0;
}
