// OAuth mode: Kept installs in any number of workspaces through Bolt's own OAuth support. This
// file gives Bolt what it asks for: the installation store (Postgres, tokens encrypted), a state
// store whose states are signed with SLACK_STATE_SECRET and good once (Redis), and the pages a
// person sees at GET /slack/install and after GET /slack/oauth_redirect.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Installation, InstallationQuery, InstallationStore, InstallURLOptions, StateStore } from '@slack/bolt';
import type { Redis } from 'ioredis';
import type { Clock } from '../clock.js';
import type { Db } from '../db/client.js';
import { deleteInstallation, findInstallation, saveInstallation } from '../services/installations.js';
import type { Keyring } from '../services/secrets.js';

export interface OAuthOptions {
  clientId: string;
  clientSecret: string;
  stateSecret: string;
  keyring: Keyring;
}

/** The bot scopes Kept asks for: the manifest's, so the two never disagree. */
export const BOT_SCOPES: string[] = (JSON.parse(readFileSync(new URL('../../manifest.json', import.meta.url), 'utf8')) as { oauth_config: { scopes: { bot: string[] } } }).oauth_config.scopes.bot;

/** `installed` runs after a workspace install is stored (a reinstall resumes its digests). */
export function installationStore(db: Db, ring: Keyring, clock: Clock, installed?: (teamId: string) => Promise<void>): InstallationStore {
  return {
    async storeInstallation(inst) {
      if (!inst.bot) throw new Error('the install gave no bot token');
      await saveInstallation(db, ring, {
        teamId: inst.team?.id,
        teamName: inst.team?.name,
        enterpriseId: inst.enterprise?.id,
        isEnterpriseInstall: Boolean(inst.isEnterpriseInstall),
        appId: inst.appId,
        botId: inst.bot.id,
        botUserId: inst.bot.userId,
        scopes: inst.bot.scopes,
        installerUserId: inst.user.id,
        botToken: inst.bot.token,
      }, clock.now());
      if (inst.team?.id && !inst.isEnterpriseInstall) await installed?.(inst.team.id);
    },
    async fetchInstallation(q: InstallationQuery<boolean>) {
      const row = await findInstallation(db, ring, q);
      // Bolt answers nothing to a request it cannot authorize: an uninstalled workspace gets no answer.
      if (!row) throw new Error(`Kept is not installed in ${q.isEnterpriseInstall ? q.enterpriseId : q.teamId}`);
      return {
        team: row.teamId ? { id: row.teamId, ...(row.teamName ? { name: row.teamName } : {}) } : undefined,
        enterprise: row.enterpriseId ? { id: row.enterpriseId } : undefined,
        user: { id: row.installerUserId ?? '', token: undefined, scopes: undefined },
        bot: { token: row.botToken, scopes: row.scopes, id: row.botId ?? '', userId: row.botUserId },
        isEnterpriseInstall: row.isEnterpriseInstall,
        ...(row.appId ? { appId: row.appId } : {}),
        authVersion: 'v2',
      } as Installation<'v2', boolean>;
    },
    async deleteInstallation(q) {
      await deleteInstallation(db, q);
    },
  };
}

const STATE_TTL_S = 600;

class InvalidState extends Error {
  readonly code = 'slack_oauth_invalid_state';
}

/**
 * States signed with the state secret (HMAC-SHA256), valid ten minutes and once: a replayed
 * redirect (the same state a second time) is refused, as is one signed with another secret.
 */
export function stateStore(secret: string, redis: Redis, prefix: string): StateStore {
  const sign = (body: string) => createHmac('sha256', secret).update(body).digest('base64url');
  return {
    async generateStateParam(installOptions: InstallURLOptions, now: Date) {
      const body = Buffer.from(JSON.stringify({ o: installOptions, t: now.getTime(), n: randomBytes(12).toString('hex') })).toString('base64url');
      return `${body}.${sign(body)}`;
    },
    async verifyStateParam(now: Date, state: string) {
      const [body = '', mac = ''] = state.split('.');
      const want = Buffer.from(sign(body));
      const got = Buffer.from(mac);
      if (got.length !== want.length || !timingSafeEqual(got, want)) throw new InvalidState('the install state is not signed by this Kept');
      const decoded = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as { o: InstallURLOptions; t: number; n: string };
      if (now.getTime() - decoded.t > STATE_TTL_S * 1000) throw new InvalidState('the install state has expired; start again at /slack/install');
      const fresh = await redis.set(`${prefix}:oauth-state:${decoded.n}`, '1', 'EX', STATE_TTL_S, 'NX');
      if (fresh !== 'OK') throw new InvalidState('the install state was already used; start again at /slack/install');
      return decoded.o;
    },
  };
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(res: ServerResponse, status: number, title: string, body: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
  res.end(`<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;line-height:1.5}code{background:#f3f3f3;padding:0 .2em}</style>
</head><body><h1>${esc(title)}</h1>${body}</body></html>`);
}

export const installPages = {
  install(url: string): string {
    return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Install Kept</title>
<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;line-height:1.5}</style></head><body>
<h1>Kept</h1><p>Keep your promises to customers and stay in touch with them, inside Slack.</p>
<p><a href="${esc(url)}"><img alt="Add to Slack" height="40" width="139" src="https://platform.slack-edge.com/img/add_to_slack.png" srcset="https://platform.slack-edge.com/img/add_to_slack.png 1x, https://platform.slack-edge.com/img/add_to_slack@2x.png 2x"></a></p>
</body></html>`;
  },
  success(installation: Installation, _o: InstallURLOptions, _req: IncomingMessage, res: ServerResponse): void {
    const where = installation.team?.name ?? installation.team?.id ?? installation.enterprise?.name ?? 'your workspace';
    page(res, 200, 'Kept is installed', `<p>Kept is now in <strong>${esc(where)}</strong>. Next:</p><ol>
<li>Invite Kept to each account's channel: <code>/invite @Kept</code>.</li>
<li>Add your first account there: <code>/kept account add Acme</code>.</li>
<li>Record a promise with <code>/commit</code>, a call or meeting with <code>/touch</code>, and see everything with <code>/kept help</code>.</li></ol>`);
  },
  failure(error: Error & { code?: string }, _o: InstallURLOptions, _req: IncomingMessage, res: ServerResponse): void {
    const cancelled = error.code === 'slack_oauth_user_access_denied' || /cancelled/i.test(error.message);
    page(res, cancelled ? 200 : 400, cancelled ? 'Kept was not installed' : 'The install did not complete',
      `<p>${cancelled ? 'The install was cancelled.' : esc(error.message)}</p><p><a href="/slack/install">Start again</a>.</p>`);
  },
};
