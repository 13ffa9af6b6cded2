// People, as Kept knows them: Slack id, display name, time zone (from Slack's users.info).
import type { Clock } from '../clock.js';
import type { Db } from '../db/client.js';
import type { User } from '../../generated/prisma/client.js';
import { refreshCadence } from './cadence.js';
import { upsertRacing } from './errors.js';

export interface Profile {
  displayName: string;
  timeZone: string;
  isAdmin: boolean;
}

/** Where profiles come from (Slack's users.info in production). Services never call Slack directly. */
export interface ProfileSource {
  lookup(slackUserId: string): Promise<Profile | null>;
}

/** Profiles are re-read from Slack at most this often. */
export const PROFILE_MAX_AGE_MS = 24 * 60 * 60 * 1000;

/**
 * The user row for a Slack id, refreshing the cached profile when it is stale. A failed lookup
 * keeps what we had (or a placeholder named `fallbackName`), so a Slack hiccup never blocks a command.
 */
export async function ensureUser(
  db: Db,
  clock: Clock,
  profiles: ProfileSource,
  workspaceId: string,
  slackUserId: string,
  fallbackName?: string,
): Promise<User> {
  const existing = await db.user.findUnique({ where: { workspaceId_slackUserId: { workspaceId, slackUserId } } });
  const now = clock.now();
  if (existing?.fetchedAt && now.getTime() - existing.fetchedAt.getTime() < PROFILE_MAX_AGE_MS) return existing;

  const profile = await profiles.lookup(slackUserId).catch(() => null);
  const data = profile
    ? { displayName: profile.displayName, timeZone: profile.timeZone, isAdmin: profile.isAdmin, fetchedAt: now }
    : {};
  const user = await upsertRacing(() =>
    db.user.upsert({
      where: { workspaceId_slackUserId: { workspaceId, slackUserId } },
      create: { workspaceId, slackUserId, displayName: fallbackName ?? slackUserId, ...data },
      update: data,
    }),
  );
  // Cadence moments are days in the owner's zone: someone who moved takes their accounts' along.
  if (existing && profile && existing.timeZone !== profile.timeZone) {
    const owned = await db.account.findMany({ where: { ownerId: user.id }, select: { id: true } });
    await refreshCadence(db, { accountIds: owned.map((a) => a.id) });
  }
  return user;
}
