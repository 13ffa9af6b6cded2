// `npm run kept -- status`: what an operator needs to know, per workspace, to tell whether prompts
// are going out. The report is plain data (tests read it), `statusText` prints it, and
// `statusExitCode` turns it into a monitoring check: 1 when something is stuck.
import { DateTime } from 'luxon';
import type { Db } from '../db/client.js';
import { scheduledThisWeek } from '../jobs/digest.job.js';
import { SCAN_ID, SETTLE_MS } from '../jobs/scan.js';

/** What counts as stuck (README, "Operating Kept"). */
export const STUCK = {
  /** The scheduler ticks every minute: no tick for this long means no worker is scanning. */
  scanLateMs: 5 * 60_000,
  /** A message due this long ago and still pending or sending is not moving. */
  dueLateMs: 15 * 60_000,
  /** A delivery Slack refused for good in this window counts until it is retried or ages out. */
  failedWithinMs: 24 * 60 * 60_000,
} as const;

export type TokenCheck = { ok: true; team: string } | { ok: false; error: string; refused: boolean };

export interface DeliveryLine {
  id: string;
  key: string;
  kind: string;
  destination: string;
  notBefore: Date;
  updatedAt: Date;
  attempts: number;
  lastError: string | null;
}

export interface WorkspaceStatus {
  slackTeamId: string;
  name: string | null;
  deliveries: { pending: number; sending: number; failed: number };
  /** Failed deliveries, newest first (at most 5), with Slack's reason. */
  recentFailures: DeliveryLine[];
  /** The pending or sending delivery that has been due longest. */
  oldestDue: DeliveryLine | null;
  digests: Array<{ channelId: string; schedule: string; nextRun: Date; scheduler: 'registered' | 'missing' | 'unknown' }>;
  /** OAuth mode: Kept lost its token here (uninstalled, revoked, refused); nothing is sent until a reinstall. */
  inactive: { since: Date; reason: string | null } | null;
  /** OAuth mode: auth.test with this workspace's own token (null: not checked). */
  token: TokenCheck | null;
}

export interface StatusReport {
  at: Date;
  /** When the last scheduler tick ran (null: never). */
  lastScan: Date | null;
  token: TokenCheck | null;
  workspaces: WorkspaceStatus[];
  /** Each thing that is stuck, in a sentence; empty when all is well. */
  problems: string[];
}

export interface StatusDeps {
  db: Db;
  now: Date;
  /** auth.test against Slack; absent when Kept has no Slack token (the console). */
  checkToken?: () => Promise<TokenCheck>;
  /** OAuth mode: auth.test with a workspace's own token; null when Kept holds none for it. */
  checkWorkspaceToken?: (workspaceId: string) => Promise<TokenCheck | null>;
  /** Whether the digest's BullMQ scheduler exists in Redis; absent when Redis is not consulted. */
  hasScheduler?: (subscriptionId: string) => Promise<boolean>;
}

const SELECT = { id: true, key: true, kind: true, destination: true, notBefore: true, updatedAt: true, attempts: true, lastError: true } as const;
const WEEKDAYS = ['', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

export async function operatorStatus(deps: StatusDeps): Promise<StatusReport> {
  const { db, now } = deps;
  const problems: string[] = [];
  const [state] = await db.$queryRaw<{ scanned_until: Date }[]>`SELECT scanned_until FROM scan_state WHERE id = ${SCAN_ID}`;
  // The scan covers up to SETTLE_MS before the moment it ran.
  const lastScan = state ? new Date(state.scanned_until.getTime() + SETTLE_MS) : null;
  if (!lastScan) problems.push('The scheduler has never scanned: no worker has run (KEPT_ROLES must include worker somewhere).');
  else if (now.getTime() - lastScan.getTime() > STUCK.scanLateMs) problems.push(`No scan since ${lastScan.toISOString()} (${ago(now, lastScan)}): no worker is ticking.`);

  const token = deps.checkToken ? await deps.checkToken() : null;
  if (token && !token.ok) problems.push(token.refused ? `Slack refuses the bot token (${token.error}).` : `Slack could not be reached to check the token (${token.error}).`);

  const workspaces: WorkspaceStatus[] = [];
  const failedSince = new Date(now.getTime() - STUCK.failedWithinMs);
  const dueBefore = new Date(now.getTime() - STUCK.dueLateMs);
  for (const ws of await db.workspace.findMany({ orderBy: { createdAt: 'asc' }, select: { id: true, slackTeamId: true, name: true, inactiveSince: true, inactiveReason: true } })) {
    const [counts, recentFailures, oldestDue, subs] = await Promise.all([
      db.delivery.groupBy({ by: ['status'], where: { workspaceId: ws.id, status: { in: ['pending', 'sending', 'failed'] } }, _count: true }),
      db.delivery.findMany({ where: { workspaceId: ws.id, status: 'failed' }, orderBy: { updatedAt: 'desc' }, take: 5, select: SELECT }),
      db.delivery.findFirst({ where: { workspaceId: ws.id, status: { in: ['pending', 'sending'] }, notBefore: { lte: now } }, orderBy: { notBefore: 'asc' }, select: SELECT }),
      db.digestSubscription.findMany({ where: { workspaceId: ws.id }, orderBy: { channelId: 'asc' } }),
    ]);
    const count = (s: string) => counts.find((c) => c.status === s)?._count ?? 0;
    const digests = await Promise.all(
      subs.map(async (sub) => {
        const thisWeek = scheduledThisWeek(sub, now);
        const nextRun = thisWeek > now ? thisWeek : scheduledThisWeek(sub, DateTime.fromJSDate(now).plus({ weeks: 1 }).toJSDate());
        type Scheduler = WorkspaceStatus['digests'][number]['scheduler'];
        const scheduler: Scheduler = deps.hasScheduler
          ? await deps.hasScheduler(sub.id).then((has): Scheduler => (has ? 'registered' : 'missing'), (): Scheduler => 'unknown')
          : 'unknown';
        return { channelId: sub.channelId, schedule: `${WEEKDAYS[sub.weekday]} ${sub.time} ${sub.timeZone}`, nextRun, scheduler };
      }),
    );
    const who = ws.name ? `${ws.slackTeamId} (${ws.name})` : ws.slackTeamId;
    const fresh = recentFailures.filter((d) => d.updatedAt >= failedSince);
    if (fresh.length) {
      const n = await db.delivery.count({ where: { workspaceId: ws.id, status: 'failed', updatedAt: { gte: failedSince } } });
      problems.push(`${who}: ${n} deliver${n === 1 ? 'y' : 'ies'} failed in the last 24 hours, latest ${fresh[0]!.id} (${fresh[0]!.lastError ?? 'no reason recorded'}).`);
    }
    if (oldestDue && oldestDue.notBefore < dueBefore) {
      problems.push(`${who}: delivery ${oldestDue.id} has been due since ${oldestDue.notBefore.toISOString()} (${ago(now, oldestDue.notBefore)}) and is not sent${oldestDue.lastError ? ` (last error: ${oldestDue.lastError})` : ''}.`);
    }
    const wsToken = !ws.inactiveSince && deps.checkWorkspaceToken ? await deps.checkWorkspaceToken(ws.id) : null;
    if (wsToken && !wsToken.ok) {
      problems.push(wsToken.refused
        ? `${who}: Slack refuses this workspace's token (${wsToken.error}); Kept marks it inactive at its next call there (reinstall: /slack/install).`
        : `${who}: Slack could not be reached to check this workspace's token (${wsToken.error}).`);
    }
    // An inactive workspace's schedulers are removed on purpose.
    if (!ws.inactiveSince) for (const d of digests) if (d.scheduler === 'missing') problems.push(`${who}: the digest for ${d.channelId} has no scheduler in Redis; restarting a worker registers it again.`);
    workspaces.push({
      slackTeamId: ws.slackTeamId,
      name: ws.name,
      deliveries: { pending: count('pending'), sending: count('sending'), failed: count('failed') },
      recentFailures,
      oldestDue,
      digests,
      inactive: ws.inactiveSince ? { since: ws.inactiveSince, reason: ws.inactiveReason } : null,
      token: wsToken,
    });
  }
  return { at: now, lastScan, token, workspaces, problems };
}

/** 1 when something is stuck, 0 otherwise: a cron job or a monitoring check runs `status` for this. */
export function statusExitCode(report: StatusReport): number {
  return report.problems.length ? 1 : 0;
}

function ago(now: Date, then: Date): string {
  const minutes = Math.round((now.getTime() - then.getTime()) / 60_000);
  if (minutes < 120) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  return hours < 48 ? `${hours} h ago` : `${Math.round(hours / 24)} days ago`;
}

/** The report as the terminal shows it. */
export function statusText(r: StatusReport): string {
  const out: string[] = [];
  out.push(`Kept status at ${r.at.toISOString()}`);
  out.push(`  last scan: ${r.lastScan ? `${r.lastScan.toISOString()} (${ago(r.at, r.lastScan)})` : 'never'}`);
  out.push(`  Slack token: ${!r.token ? (r.workspaces.some((w) => w.token) ? 'one per workspace (below)' : 'not checked (no SLACK_BOT_TOKEN)') : r.token.ok ? `accepted (workspace ${r.token.team})` : `${r.token.refused ? 'REFUSED' : 'not checked'}: ${r.token.error}`}`);
  if (!r.workspaces.length) out.push('', 'No workspace yet: Kept learns one when someone there first uses it.');
  for (const ws of r.workspaces) {
    out.push('', `Workspace ${ws.slackTeamId}${ws.name ? ` (${ws.name})` : ''}`);
    if (ws.token) out.push(`  Slack token: ${ws.token.ok ? `accepted (workspace ${ws.token.team})` : `${ws.token.refused ? 'REFUSED' : 'not checked'}: ${ws.token.error}`}`);
    if (ws.inactive) out.push(`  INACTIVE since ${ws.inactive.since.toISOString()} (${ws.inactive.reason ?? 'no reason recorded'}): nothing is sent until Kept is installed again; its data is deleted after KEPT_RETENTION_DAYS`);
    const d = ws.deliveries;
    out.push(`  deliveries: ${d.pending} pending, ${d.sending} sending, ${d.failed} failed`);
    out.push(`  oldest due, not sent: ${ws.oldestDue ? `${ws.oldestDue.id} ${ws.oldestDue.kind} to ${ws.oldestDue.destination}, due ${ws.oldestDue.notBefore.toISOString()} (${ago(r.at, ws.oldestDue.notBefore)}), ${ws.oldestDue.attempts} attempt(s)${ws.oldestDue.lastError ? `, last error: ${ws.oldestDue.lastError}` : ''}` : 'none'}`);
    if (ws.recentFailures.length) {
      out.push('  failed (newest first; replay with npm run kept -- retry --delivery ID):');
      for (const f of ws.recentFailures) out.push(`    ${f.id} ${f.kind} to ${f.destination}, ${f.updatedAt.toISOString()}: ${f.lastError ?? 'no reason recorded'}`);
    }
    if (ws.digests.length) {
      out.push('  digests:');
      for (const g of ws.digests) out.push(`    ${g.channelId} ${g.schedule}, next ${g.nextRun.toISOString()}${g.scheduler === 'missing' ? ' (scheduler MISSING in Redis)' : ''}`);
    }
  }
  out.push('');
  out.push(r.problems.length ? `STUCK (${r.problems.length}):\n${r.problems.map((p) => `  - ${p}`).join('\n')}` : 'OK: nothing is stuck.');
  return out.join('\n');
}
