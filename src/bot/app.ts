// The Slack surface: a Bolt app over HTTP (or Socket Mode), with the request checks Bolt lacks,
// a health endpoint, and one error handler that tells the user what happened.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse as parseQuery } from 'node:querystring';
import { App, ErrorCode, HTTPModuleFunctions, HTTPReceiver, isValidSlackRequest, type Authorize, type Receiver } from '@slack/bolt';
import { WebClient, type FetchFunction, type WebClientOptions } from '@slack/web-api';
import type { Redis } from 'ioredis';
import type { Clock } from '../clock.js';
import type { Db } from '../db/client.js';
import type { Logger } from '../logger.js';
import type { Queues } from '../jobs/queues.js';
import { registerListeners } from './listeners/index.js';
import { handleError } from './errors.js';
import { installFairUse, type FairUse, type FairUseOptions } from './fair-use.js';
import { installGuard } from './guard.js';
import { Metrics } from '../ops/metrics.js';
import { opsRoutes } from '../ops/http.js';
import { requestObserver, withRequestLogContext } from './observe.js';
import { installationStore, installPages, stateStore, BOT_SCOPES, type OAuthOptions } from './install.js';
import { deactivateWorkspace, installedTokens, singleToken, TOKEN_GONE, type TokenSource } from '../services/installations.js';
import { removeDigestScheduler, upsertDigestScheduler } from '../jobs/digest.job.js';

export interface BotDeps {
  db: Db;
  redis: Redis;
  /** For registering digest schedulers; absent when this process has no queues. */
  queues?: Queues;
  clock: Clock;
  logger: Logger;
  /** Rate limits and work in flight (src/bot/fair-use.ts); give at least the Redis prefix. */
  fairUse?: Partial<FairUseOptions>;
  /** The process's metrics, served at GET /metrics; a bot without them has its own. */
  metrics?: Metrics;
  /** Turns on the queue view at /admin/queues (src/ops/queue-view.ts). */
  adminPassword?: string;
  slack: {
    /** Single-workspace mode: the one bot token. */
    botToken?: string;
    /** OAuth mode (instead of botToken): installs in any number of workspaces, each with its own token. */
    oauth?: OAuthOptions;
    apiUrl: string;
    signingSecret?: string;
    /** Set for Socket Mode. */
    appToken?: string;
    /** The console: payloads arrive through app.processEvent, not over the network. */
    inProcess?: boolean;
  };
  /** Where each workspace's bot token comes from; built from `slack` when absent. */
  tokens?: TokenSource;
  /** Told of every error a listener ends with, after it is answered (the console counts them to fail a script). */
  onListenerError?: (err: Error) => void;
}

export interface Bot {
  app: App;
  fairUse: FairUse;
  metrics: Metrics;
  /** Starts serving; returns the bound HTTP port (health, and Slack's requests in HTTP mode). */
  start(port: number): Promise<number>;
  stop(): Promise<void>;
}

/** Slack allows five minutes either way; Bolt 5.1 only rejects old timestamps, so future ones are refused here. */
const MAX_CLOCK_SKEW_S = 5 * 60;

/**
 * The interactive side's Web API client: one attempt, bounded time, and a 429 is an answer rather
 * than a wait, so a click never sits behind a rate limit (background senders have their own clients).
 */
export function interactiveClientOptions(apiUrl: string): WebClientOptions {
  return { slackApiUrl: apiUrl, timeout: 5000, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true };
}

/** A fetch for Slack's Web API that tells `refused` of every answer saying the token is gone. */
function watchRefusals(base: FetchFunction, refused: (token: string, code: string) => void): FetchFunction {
  return async (url, init) => {
    const res = await base(url, init);
    if ((res.headers.get('content-type') ?? '').includes('json') && 'clone' in res) {
      const body = (await (res as unknown as Response).clone().json().catch(() => null)) as { ok?: boolean; error?: string } | null;
      if (body?.ok === false && body.error && TOKEN_GONE.has(body.error)) {
        const headers = new Headers((init as { headers?: HeadersInit } | undefined)?.headers);
        const token = (headers.get('authorization') ?? '').replace(/^Bearer /, '');
        if (token) refused(token, body.error);
      }
    }
    return res;
  };
}

export function createBot(deps: BotDeps): Bot {
  let onRefused: (token: string, code: string) => Promise<void> = async () => {};
  const { slack, logger } = deps;
  const socketMode = Boolean(slack.appToken);
  const inProcess = slack.inProcess === true;
  const metrics = deps.metrics ?? new Metrics();
  const observer = requestObserver(metrics, logger);
  const { oauth } = slack;
  // Every interactive client (Bolt's per-token ones and Kept's own) counts its calls and reports a refused token.
  const slackFetch = watchRefusals(metrics.slackFetch(), (token, code) => void onRefused(token, code));
  let receiver: HTTPReceiver | undefined;
  if (!socketMode && !inProcess) {
    receiver = new HTTPReceiver({
      // OAuth mode: Bolt serves GET /slack/install and /slack/oauth_redirect, and its authorize
      // reads each request's workspace token from the installation store.
      ...(oauth
        ? {
            clientId: oauth.clientId,
            clientSecret: oauth.clientSecret,
            stateSecret: oauth.stateSecret,
            scopes: BOT_SCOPES,
            installationStore: installationStore(deps.db, oauth.keyring, deps.clock, async (teamId) => {
              // A reinstall resumes: the workspace's digests get their schedulers back.
              if (!deps.queues) return;
              const subs = await deps.db.digestSubscription.findMany({ where: { workspace: { slackTeamId: teamId } } });
              for (const sub of subs) await upsertDigestScheduler(deps.queues, sub);
            }),
            installerOptions: {
              directInstall: false,
              renderHtmlForInstallPath: installPages.install,
              stateStore: stateStore(oauth.stateSecret, deps.redis, deps.fairUse?.prefix ?? 'kept'),
              callbackOptions: { success: installPages.success, failure: installPages.failure },
              clientOptions: { slackApiUrl: slack.apiUrl, timeout: 10_000, retryConfig: { retries: 1 } },
            },
          }
        : {}),
      signingSecret: slack.signingSecret ?? '',
      endpoints: '/slack/events',
      // Answer Slack as soon as a listener calls ack(); slow work continues after the response.
      processBeforeResponse: false,
      logger,
      customPropertiesExtractor: (req) => observer.customPropertiesExtractor(req),
    });
  }
  const app = new App({
    ...(oauth ? {} : { token: slack.botToken }),
    logger,
    // Without it Bolt resets the shared logger to INFO.
    logLevel: logger.getLevel(),
    extendedErrorHandler: true,
    // Bolt would call auth.test from its constructor and crash the process on a network error;
    // start() checks the token itself instead.
    tokenVerificationEnabled: false,
    clientOptions: { ...interactiveClientOptions(slack.apiUrl), fetch: slackFetch },
    ...(socketMode
      ? { socketMode: true, appToken: slack.appToken }
      : { receiver: receiver ?? ({ init: () => {}, start: async () => {}, stop: async () => {} } satisfies Receiver) }),
  });
  // Single-workspace mode; in OAuth mode Bolt's installer authorizes each request with its workspace's install.
  if (!oauth) cacheBotIdentity(app, slack.botToken ?? '');
  observer.install(app);
  const fairUse = installFairUse(app, deps);
  // Outermost: whatever a request holds, it is acknowledged (src/bot/guard.ts).
  installGuard(app, logger);
  // Every Slack call uses the token of the workspace it concerns.
  const tokens = deps.tokens ?? (oauth ? installedTokens(deps.db, oauth.keyring) : singleToken(slack.botToken ?? ''));
  const clients = new Map<string, WebClient>();
  const clientForToken = (token: string) => {
    let c = clients.get(token);
    if (!c) clients.set(token, (c = new WebClient(token, { ...interactiveClientOptions(slack.apiUrl), fetch: slackFetch })));
    return c;
  };
  const clientFor = async (workspaceId: string) => (oauth ? clientForToken((await tokens.tokenFor(workspaceId)) ?? '') : app.client);
  registerListeners(app, { ...deps, tokens }, clientFor);
  const onError = async (args: { error: Error & { original?: unknown }; body?: unknown; context?: { botToken?: string; teamId?: string } }) => {
    // No install for this workspace (uninstalled, or never installed): Kept answers nothing there.
    if (oauth && (args.error as { code?: string }).code === ErrorCode.AuthorizationError) return void logger.debug('no install for this request:', args.error.message);
    const client = oauth && args.context?.botToken ? clientForToken(args.context.botToken) : app.client;
    await withRequestLogContext(args, () => handleError(args, client, logger));
    deps.onListenerError?.((args.error.original as Error | undefined) ?? args.error);
  };
  app.error(onError as unknown as Parameters<App['error']>[0]);

  /**
   * OAuth mode: a workspace whose token Slack refuses to any call (invalid_auth, account_inactive,
   * token_revoked) is marked inactive, not retried forever. Calls are watched at the HTTP client, so
   * a refusal a listener handles itself (a form that falls back to a button) counts as well.
   */
  const tokenTeams = new Map<string, string>();
  if (oauth) {
    app.use(async ({ context, next }) => {
      if (context.botToken && context.teamId) tokenTeams.set(context.botToken, context.teamId);
      await next();
    });
  }
  onRefused = async (token: string, code: string) => {
    const teamId = tokenTeams.get(token);
    if (!oauth || !teamId) return;
    tokenTeams.delete(token);
    const gone = await deactivateWorkspace(deps.db, teamId, code, deps.clock.now()).catch((err: Error) => logger.error('marking a workspace inactive:', err));
    if (!gone) return;
    tokens.forget(gone.workspaceId);
    if (deps.queues) for (const id of gone.digestIds) await removeDigestScheduler(deps.queues, id).catch(() => undefined);
    logger.warn(`workspace ${teamId}: Slack refused its token (${code}); marked inactive until Kept is installed again`);
  };

  let server: Server | undefined;
  const ops = opsRoutes({ metrics, logger, adminPassword: deps.adminPassword, queues: deps.queues ? [deps.queues.deliveries, deps.queues.ticks] : [] });

  /** Slack's requests: signed POSTs only; a body Bolt could not handle is refused here, never thrown. */
  const slackEvents = async (req: IncomingMessage, res: ServerResponse, r: HTTPReceiver) => {
    if (req.method !== 'POST') return answer(res, 405, { allow: 'POST' }, req);
    observer.track(req, res);
    const ts = Number(req.headers['x-slack-request-timestamp']);
    if (Number.isFinite(ts) && ts - Date.now() / 1000 > MAX_CLOCK_SKEW_S) {
      logger.warn('refused a request signed more than five minutes in the future');
      return answer(res, 401, {}, req);
    }
    let raw: string;
    try {
      // Bolt reads the body again from the buffered request (rawBody) instead of the stream.
      raw = (await HTTPModuleFunctions.bufferIncomingMessage(req, HTTPModuleFunctions.defaultBodyLimit)).rawBody.toString();
    } catch (err) {
      const tooLarge = (err as { statusCode?: number }).statusCode === 413;
      logger.warn(tooLarge ? 'refused a request larger than Bolt takes' : `could not read a request: ${(err as Error).message}`);
      return answer(res, tooLarge ? 413 : 400, {});
    }
    // Bolt 5.1 reads `body.ssl_check` from whatever the JSON held, and a `null` (a form's
    // `payload=null`, or a JSON body `null`) throws outside its error handling and ends the process.
    if (!isObjectBody(raw, req.headers['content-type'])) {
      const signed = isValidSlackRequest({
        signingSecret: slack.signingSecret ?? '',
        body: raw,
        headers: { 'x-slack-signature': String(req.headers['x-slack-signature'] ?? ''), 'x-slack-request-timestamp': ts },
      });
      if (signed) logger.warn('refused a signed request whose body is not a JSON object');
      return answer(res, signed ? 400 : 401, {});
    }
    try {
      r.requestListener(req, res);
    } catch (err) {
      // Bolt's own server has this guard: a request it does not route is deferred to the caller.
      logger.warn('Bolt did not take a request:', (err as Error).message);
      answer(res, 404, {});
    }
  };

  // An exception thrown from a request listener would end the process: none leaves this one.
  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    try {
      route(req, res);
    } catch (err) {
      logger.error('a request failed before it was routed:', err);
      answer(res, 500, {}, req);
    }
  };

  const route = (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0];
    if (ops(req, res)) return;
    if (path === '/healthz') {
      if (req.method !== 'GET' && req.method !== 'HEAD') return answer(res, 405, { allow: 'GET, HEAD' }, req);
      return void health(deps).then(({ ok, checks }) => {
        res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' });
        res.end(req.method === 'HEAD' ? undefined : JSON.stringify({ ok, checks }));
      });
    }
    // OAuth mode: Bolt's installer serves the install page and completes the install on the redirect.
    if (receiver && oauth && (path === '/slack/install' || path === '/slack/oauth_redirect')) {
      if (req.method !== 'GET') return answer(res, 405, { allow: 'GET' }, req);
      return receiver.requestListener(req, res);
    }
    if (receiver && path === '/slack/events') {
      return void slackEvents(req, res, receiver).catch((err) => {
        logger.error('a request to /slack/events failed before Bolt took it:', err);
        if (!res.headersSent) answer(res, 500, {});
      });
    }
    answer(res, 404, {}, req);
  };

  return {
    app,
    fairUse,
    metrics,
    async start(port) {
      if (inProcess) return 0;
      await Promise.all([oauth ? undefined : checkToken(app, logger), warmUp(deps)]);
      server = createServer(onRequest);
      await new Promise<void>((resolve, reject) => {
        server!.once('error', reject);
        server!.listen(port, resolve);
      });
      if (socketMode) await app.start();
      return (server.address() as AddressInfo).port;
    },
    async stop() {
      if (inProcess) return;
      if (socketMode) await app.stop();
      if (server) {
        const closed = new Promise<void>((resolve) => server!.close(() => resolve()));
        server.closeAllConnections();
        await closed;
      }
    },
  };
}

/** A revoked or mistyped token stops start-up with a clear message; Slack being unreachable only warns. */
async function checkToken(app: App, logger: Logger): Promise<void> {
  try {
    const res = await app.client.auth.test();
    logger.info(`connected to Slack workspace ${res.team ?? res.team_id} as ${res.user ?? res.user_id}`);
  } catch (err) {
    const code = (err as { data?: { error?: string } }).data?.error;
    if (code === 'invalid_auth' || code === 'not_authed' || code === 'account_inactive' || code === 'token_revoked') {
      throw new Error(`Slack refused SLACK_BOT_TOKEN (${code}); copy the Bot User OAuth Token from the app's OAuth & Permissions page.`);
    }
    logger.warn('could not reach Slack to check the token; carrying on:', (err as Error).message);
  }
}

/**
 * Before taking requests: open part of the database pool and have Prisma prepare the reads every
 * command starts with, so the first requests after a start or a deploy are answered as quickly as
 * the rest (cold, they took ~10x as long: the acknowledgement benchmark). Failures only warn.
 */
async function warmUp(deps: BotDeps): Promise<void> {
  const nobody = '00000000-0000-0000-0000-000000000000';
  const { db } = deps;
  await Promise.all([
    ...Array.from({ length: 4 }, () => db.$queryRaw`SELECT 1`),
    db.workspace.findUnique({ where: { slackTeamId: '' } }),
    db.user.findUnique({ where: { workspaceId_slackUserId: { workspaceId: nobody, slackUserId: '' } } }),
    db.accountChannel.findUnique({ where: { workspaceId_channelId: { workspaceId: nobody, channelId: '' } }, include: { account: true } }),
    // The process's Redis connection refuses commands until it is ready (enableOfflineQueue: false,
    // so requests fail fast rather than pile up): the ping waits for it.
    redisReady(deps.redis, REDIS_READY_MS).then(() => deps.redis.ping()),
  ]).catch((err: Error) => deps.logger.warn('warm-up:', err.message));
}

const REDIS_READY_MS = 10_000;

/** Resolves once `redis` is connected and ready for commands; rejects after `ms` (Redis down or unreachable). */
export function redisReady(redis: Redis, ms: number): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  return new Promise<void>((resolve, reject) => {
    const done = () => {
      clearTimeout(timer);
      redis.off('ready', onReady);
    };
    const onReady = () => {
      done();
      resolve();
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`Redis was not ready within ${ms / 1000} s (${redis.status}); the first requests may be slower`));
    }, ms);
    redis.on('ready', onReady);
  });
}

export async function health(deps: Pick<BotDeps, 'db' | 'redis'>): Promise<{ ok: boolean; checks: Record<string, string> }> {
  const within = <T>(p: Promise<T>) =>
    Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timed out')), 2000).unref())]);
  const [pg, redis] = await Promise.allSettled([within(deps.db.$queryRaw`SELECT 1`), within(deps.redis.ping())]);
  const checks = {
    postgres: pg.status === 'fulfilled' ? 'ok' : String(pg.reason?.message ?? pg.reason),
    redis: redis.status === 'fulfilled' ? 'ok' : String(redis.reason?.message ?? redis.reason),
  };
  return { ok: checks.postgres === 'ok' && checks.redis === 'ok', checks };
}

/** Ends a response with no body; a request body nobody will read is discarded. */
function answer(res: ServerResponse, status: number, headers: Record<string, string>, req?: IncomingMessage): void {
  req?.resume();
  if (res.headersSent) return void res.end();
  res.writeHead(status, headers);
  res.end();
}

/** Whether a request body is a JSON object where Bolt will look for one (a form's `payload`, else the whole body). */
export function isObjectBody(raw: string, contentType: string | undefined): boolean {
  // As Bolt parses it (HTTPModuleFunctions.parseHTTPRequestBody).
  let json: string = raw;
  if (contentType === 'application/x-www-form-urlencoded') {
    const { payload } = parseQuery(raw);
    // A form without one payload (a slash command, ssl_check) is an object of its fields.
    if (typeof payload !== 'string') return true;
    json = payload;
  }
  try {
    const value: unknown = JSON.parse(json);
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    // Bolt answers 400 to a body that is not JSON, after checking the signature (401 first).
    return true;
  }
}

/**
 * Bolt 5.1, with tokenVerificationEnabled off (see createBot), calls auth.test before every request
 * it processes (its cache is overwritten on each call): a Web API call ahead of each
 * acknowledgement, and under load a 429 from Slack refuses the request. Kept asks once, and asks
 * again only after a failure.
 */
function cacheBotIdentity(app: App, botToken: string): void {
  let identity: Promise<{ botId?: string; botUserId?: string }> | undefined;
  const authorize: Authorize<boolean> = async ({ isEnterpriseInstall }) => {
    identity ??= app.client.auth.test({ token: botToken }).then(
      (r) => ({ ...(r.bot_id ? { botId: r.bot_id } : {}), ...(r.user_id ? { botUserId: r.user_id } : {}) }),
      (err: unknown) => {
        identity = undefined;
        throw err;
      },
    );
    return { isEnterpriseInstall, botToken, ...(await identity) };
  };
  (app as unknown as { authorize: Authorize<boolean> }).authorize = authorize;
}
