// Kept's Slack installs (OAuth mode) and the life of a workspace around them: the bot token per
// workspace (or per Enterprise Grid organisation), stored encrypted; the token a workspace's calls
// use; a workspace going inactive when its token is gone (uninstalled, revoked, refused), its data
// kept for the retention period in case of a reinstall, then deleted.
import type { Db } from '../db/client.js';
import type { Installation } from '../../generated/prisma/client.js';
import { decryptSecret, encryptSecret, type Keyring } from './secrets.js';
import { ensureWorkspace } from './workspaces.js';

export interface InstallationInput {
  teamId?: string;
  teamName?: string;
  enterpriseId?: string;
  isEnterpriseInstall: boolean;
  appId?: string;
  botId?: string;
  botUserId: string;
  scopes: string[];
  installerUserId?: string;
  botToken: string;
}

export interface StoredInstallation extends Omit<Installation, 'botTokenEncrypted' | 'keyId'> {
  botToken: string;
}

export interface InstallQuery {
  teamId?: string;
  enterpriseId?: string;
  isEnterpriseInstall?: boolean;
}

/** An org-wide install is keyed by its enterprise id, a workspace install by its team id. */
function installKey(q: InstallQuery): string | undefined {
  return q.isEnterpriseInstall ? q.enterpriseId : q.teamId;
}

/**
 * Stores an install (a reinstall replaces the token). A workspace install wakes its workspace: a
 * reinstall within the retention period resumes where it stopped.
 */
export async function saveInstallation(db: Db, ring: Keyring, input: InstallationInput, now: Date): Promise<void> {
  const key = installKey(input);
  if (!key) throw new Error('an installation without a team or enterprise id');
  const sealed = encryptSecret(ring, input.botToken);
  const data = {
    teamId: input.teamId ?? null,
    teamName: input.teamName ?? null,
    enterpriseId: input.enterpriseId ?? null,
    isEnterpriseInstall: input.isEnterpriseInstall,
    appId: input.appId ?? null,
    botId: input.botId ?? null,
    botUserId: input.botUserId,
    scopes: input.scopes,
    installerUserId: input.installerUserId ?? null,
    botTokenEncrypted: sealed.ciphertext,
    keyId: sealed.keyId,
    installedAt: now,
  };
  await db.installation.upsert({ where: { installKey: key }, create: { installKey: key, ...data }, update: data });
  if (input.teamId && !input.isEnterpriseInstall) {
    const ws = await ensureWorkspace(db, input.teamId, input.teamName);
    await db.workspace.update({ where: { id: ws.id }, data: { inactiveSince: null, inactiveReason: null } });
  }
}

function open(ring: Keyring, row: Installation): StoredInstallation {
  const { botTokenEncrypted, keyId, ...rest } = row;
  return { ...rest, botToken: decryptSecret(ring, { ciphertext: botTokenEncrypted, keyId }) };
}

/**
 * The install that serves a workspace: its own, else its organisation's org-wide install (the
 * enterprise id when the caller knows it; otherwise the only org-wide install, if there is one).
 */
export async function findInstallation(db: Db, ring: Keyring, q: InstallQuery): Promise<StoredInstallation | null> {
  if (!q.isEnterpriseInstall && q.teamId) {
    const own = await db.installation.findUnique({ where: { installKey: q.teamId } });
    if (own) return open(ring, own);
  }
  if (q.enterpriseId) {
    const org = await db.installation.findFirst({ where: { installKey: q.enterpriseId, isEnterpriseInstall: true } });
    return org ? open(ring, org) : null;
  }
  if (q.isEnterpriseInstall) return null;
  const orgs = await db.installation.findMany({ where: { isEnterpriseInstall: true }, take: 2 });
  return orgs.length === 1 ? open(ring, orgs[0]!) : null;
}

export async function deleteInstallation(db: Db, q: InstallQuery): Promise<number> {
  const key = installKey(q);
  if (!key) return 0;
  return (await db.installation.deleteMany({ where: { installKey: key } })).count;
}

/** Re-encrypts every row not under the current key; returns how many moved. Safe to run twice, or while Kept runs. */
export async function rotateKey(db: Db, ring: Keyring): Promise<{ rotated: number; unreadable: string[] }> {
  let rotated = 0;
  const unreadable: string[] = [];
  for (const row of await db.installation.findMany({ where: { keyId: { not: ring.currentId } } })) {
    if (!ring.keys.has(row.keyId)) {
      unreadable.push(row.installKey);
      continue;
    }
    const sealed = encryptSecret(ring, decryptSecret(ring, { ciphertext: row.botTokenEncrypted, keyId: row.keyId }));
    // Only if nobody replaced it meanwhile (a reinstall writes under the current key already).
    const { count } = await db.installation.updateMany({ where: { id: row.id, keyId: row.keyId }, data: { botTokenEncrypted: sealed.ciphertext, keyId: sealed.keyId } });
    rotated += count;
  }
  return { rotated, unreadable };
}

/** Where a workspace's Slack calls get their token: one token for every workspace, or each its own install's. */
export interface TokenSource {
  /** The bot token for a workspace (Kept's workspace id); null when Kept has none there (uninstalled). */
  tokenFor(workspaceId: string): Promise<string | null>;
  /** The bot token for a Slack team id. */
  tokenForTeam(teamId: string): Promise<string | null>;
  /** Forgets what it remembered about a workspace (its token was refused or deleted). */
  forget(workspaceId: string): void;
}

export function singleToken(token: string): TokenSource {
  return { tokenFor: async () => token, tokenForTeam: async () => token, forget: () => {} };
}

const TOKEN_CACHE_MS = 60_000;

export function installedTokens(db: Db, ring: Keyring): TokenSource {
  const cache = new Map<string, { token: string | null; at: number }>();
  const byTeam = async (teamId: string) => (await findInstallation(db, ring, { teamId }))?.botToken ?? null;
  return {
    async tokenFor(workspaceId) {
      const hit = cache.get(workspaceId);
      if (hit && Date.now() - hit.at < TOKEN_CACHE_MS) return hit.token;
      const ws = await db.workspace.findUnique({ where: { id: workspaceId }, select: { slackTeamId: true, inactiveSince: true } });
      const token = ws && !ws.inactiveSince ? await byTeam(ws.slackTeamId) : null;
      // Only a token is remembered: a reinstall is seen at once.
      if (token) cache.set(workspaceId, { token, at: Date.now() });
      return token;
    },
    tokenForTeam: byTeam,
    forget: (workspaceId) => void cache.delete(workspaceId),
  };
}

/** Slack errors that mean the token is gone for good: the workspace is marked inactive, not retried. */
export const TOKEN_GONE = new Set(['invalid_auth', 'account_inactive', 'token_revoked', 'not_authed']);

/**
 * Kept lost its token in a workspace: the token is deleted, what was waiting to be sent there is
 * skipped with the reason, and nothing more goes out until a reinstall. Returns the digest
 * subscriptions whose schedulers the caller removes (BullMQ is the jobs' business).
 */
export async function deactivateWorkspace(db: Db, teamId: string, reason: string, now: Date): Promise<{ workspaceId: string; digestIds: string[]; skipped: number } | null> {
  const ws = await db.workspace.findUnique({ where: { slackTeamId: teamId } });
  await db.installation.deleteMany({ where: { installKey: teamId, isEnterpriseInstall: false } });
  if (!ws) return null;
  return db.$transaction(async (tx) => {
    // Already inactive: the first reason stands (a late invalid_auth after an uninstall says nothing new).
    if (!ws.inactiveSince) await tx.workspace.update({ where: { id: ws.id }, data: { inactiveSince: now, inactiveReason: reason } });
    const { count } = await tx.delivery.updateMany({
      where: { workspaceId: ws.id, status: { in: ['pending', 'sending'] } },
      data: { status: 'skipped', skipReason: `Kept is no longer installed in this workspace (${reason})` },
    });
    const digests = await tx.digestSubscription.findMany({ where: { workspaceId: ws.id }, select: { id: true } });
    return { workspaceId: ws.id, digestIds: digests.map((d) => d.id), skipped: count };
  });
}

/** Deletes a workspace and everything Kept kept about it, at once. */
export async function purgeWorkspace(db: Db, teamId: string): Promise<boolean> {
  const ws = await db.workspace.findUnique({ where: { slackTeamId: teamId }, select: { id: true } });
  await db.installation.deleteMany({ where: { installKey: teamId, isEnterpriseInstall: false } });
  if (!ws) return false;
  await db.$transaction(async (tx) => {
    // Commitments and touches point at people without a cascade: they go first, then the rest cascades.
    await tx.commitment.deleteMany({ where: { workspaceId: ws.id } });
    await tx.touch.deleteMany({ where: { workspaceId: ws.id } });
    await tx.workspace.delete({ where: { id: ws.id } });
  });
  return true;
}

/** The daily retention job: workspaces inactive for longer than `retentionDays` are deleted. */
export async function purgeExpired(db: Db, now: Date, retentionDays: number): Promise<string[]> {
  const before = new Date(now.getTime() - retentionDays * 86_400_000);
  const expired = await db.workspace.findMany({ where: { inactiveSince: { lt: before } }, select: { slackTeamId: true } });
  for (const ws of expired) await purgeWorkspace(db, ws.slackTeamId);
  return expired.map((w) => w.slackTeamId);
}
