// Who is asking: Slack team and user ids → Kept's workspace and user rows (profiles cached from users.info).
import type { WebClient } from '@slack/web-api';
import type { Clock } from '../clock.js';
import type { Db } from '../db/client.js';
import type { User, Workspace } from '../../generated/prisma/client.js';
import { authorize, type Policy } from '../services/permissions.js';
import { ensureUser, type ProfileSource } from '../services/users.js';
import { ensureWorkspace } from '../services/workspaces.js';

export function slackProfiles(client: WebClient): ProfileSource {
  return {
    async lookup(slackUserId) {
      const res = await client.users.info({ user: slackUserId });
      const u = res.user;
      if (!u) return null;
      return {
        displayName: u.profile?.display_name || u.real_name || u.name || slackUserId,
        timeZone: u.tz || 'UTC',
        isAdmin: Boolean(u.is_admin || u.is_owner),
      };
    },
  };
}

const USER_CACHE_MS = 60_000;

export interface Actor {
  workspace: Workspace;
  user: User;
}

export class Directory {
  /** Team id → workspace row. Only its id is relied on; settings are read fresh where they matter. */
  private readonly workspaces = new Map<string, { ws: Workspace; at: number }>();
  private readonly users = new Map<string, { user: Promise<User>; at: number }>();

  /** `clientFor` gives the Web API client holding the workspace's own bot token (OAuth mode: each its own). */
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly clientFor: (workspaceId: string) => Promise<WebClient>,
  ) {}

  /** Profiles read from Slack with the token of the workspace they belong to. */
  profiles(workspaceId: string): ProfileSource {
    return { lookup: async (slackUserId) => slackProfiles(await this.clientFor(workspaceId)).lookup(slackUserId) };
  }

  async workspace(teamId: string): Promise<Workspace> {
    // Remembered for a minute, not for ever: a workspace purged and installed again gets a new row.
    const cached = this.workspaces.get(teamId);
    if (cached && Date.now() - cached.at < USER_CACHE_MS) return cached.ws;
    const ws = await ensureWorkspace(this.db, teamId);
    this.workspaces.set(teamId, { ws, at: Date.now() });
    return ws;
  }

  /**
   * The person's row, kept in memory for a minute: every command and click starts here, and a
   * profile only changes when it is re-read from Slack (daily). Concurrent asks share one lookup.
   */
  user(workspaceId: string, slackUserId: string, fallbackName?: string): Promise<User> {
    const key = `${workspaceId}|${slackUserId}`;
    const hit = this.users.get(key);
    if (hit && Date.now() - hit.at < USER_CACHE_MS) return hit.user;
    const user = ensureUser(this.db, this.clock, this.profiles(workspaceId), workspaceId, slackUserId, fallbackName);
    if (this.users.size >= 10_000) this.users.clear();
    this.users.set(key, { user, at: Date.now() });
    user.catch(() => this.users.delete(key));
    return user;
  }

  async actor(teamId: string, slackUserId: string): Promise<Actor> {
    const workspace = await this.workspace(teamId);
    return { workspace, user: await this.user(workspace.id, slackUserId) };
  }

  /**
   * Refuses (NotAllowed, a UserError that says who may) unless the actor may act under every
   * policy: the one permission model, services/permissions.ts. A profile re-read on the way
   * replaces the cached one.
   */
  async authorize(actor: Actor, ...policies: Policy[]): Promise<void> {
    const user = await authorize({ db: this.db, clock: this.clock, profiles: this.profiles(actor.workspace.id) }, actor.workspace.id, actor.user, ...policies);
    if (user !== actor.user) this.users.set(`${actor.workspace.id}|${user.slackUserId}`, { user: Promise.resolve(user), at: Date.now() });
  }
}

/** `<@U123|maria>` or `<@U123>` → { id, name? }. */
export function parseMention(text: string): { id: string; name?: string } | null {
  const m = /^<@([UW][A-Z0-9]+)(?:\|([^>]*))?>$/.exec(text.trim());
  return m ? { id: m[1]!, ...(m[2] ? { name: m[2] } : {}) } : null;
}
