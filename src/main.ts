// Entry point: reads config, applies migrations, builds dependencies, starts the chosen roles,
// and shuts down cleanly on SIGTERM / SIGINT.
import { createServer } from 'node:http';
import { inspect } from 'node:util';
import { Redis } from 'ioredis';
import { createBot, health } from './bot/app.js';
import { runConsole } from './console/console.js';
import { systemClock } from './clock.js';
import { ConfigError, configKeyring, loadConfig, redactSecrets, slackTokens, type Config } from './config.js';
import { createDb } from './db/client.js';
import { migrate } from './db/migrate.js';
import { openQueues } from './jobs/queues.js';
import { SlackSender } from './jobs/slack-sender.js';
import { startWorkers } from './jobs/worker.js';
import { createLogger, scrubSecrets } from './logger.js';
import { opsRoutes } from './ops/http.js';
import { Metrics } from './ops/metrics.js';

async function main(config: Config): Promise<void> {
  const logger = createLogger(config.LOG_LEVEL, 'kept', undefined, { format: config.LOG_FORMAT });
  if (config.slack.kind === 'none') {
    // No Slack credentials: try Kept in the terminal (README, "Try it without Slack").
    const interactive = Boolean(process.stdin.isTTY);
    const failures = await runConsole(config, { input: process.stdin, output: process.stdout, interactive });
    // A piped scenario with a line Kept could not act on fails, so a script can be trusted.
    process.exit(!interactive && failures.length ? 1 : 0);
  }
  await migrate(config.DATABASE_URL, { log: (l) => logger.info(l) });
  const db = createDb(config.DATABASE_URL);
  const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: false });
  redis.on('error', (err) => logger.warn('redis:', err.message));

  // One registry for the process: the bot serves it, the workers feed it.
  const metrics = new Metrics();
  const stops: Array<() => Promise<void>> = [];
  if (config.KEPT_ROLES.includes('bot')) {
    const queues = openQueues(config.REDIS_URL, config.KEPT_QUEUE_PREFIX);
    stops.push(() => queues.close());
    const bot = createBot({
      db,
      redis,
      queues,
      clock: systemClock,
      logger,
      metrics,
      adminPassword: config.KEPT_ADMIN_PASSWORD,
      fairUse: { prefix: config.KEPT_QUEUE_PREFIX, personWritesPerMinute: config.KEPT_PERSON_WRITES_PER_MINUTE, workspaceWritesPerMinute: config.KEPT_WORKSPACE_WRITES_PER_MINUTE },
      slack: {
        apiUrl: config.SLACK_API_URL,
        signingSecret: config.slack.signingSecret,
        ...(config.slack.kind === 'oauth'
          ? { oauth: { clientId: config.slack.clientId, clientSecret: config.slack.clientSecret, stateSecret: config.slack.stateSecret, keyring: configKeyring(config)! } }
          : { botToken: config.slack.botToken }),
        ...(config.slack.kind === 'socket' ? { appToken: config.slack.appToken } : {}),
      },
    });
    const port = await bot.start(config.PORT);
    logger.info(`bot listening on :${port} (${config.slack.kind === 'socket' ? 'Socket Mode; GET /healthz, /metrics' : 'POST /slack/events, GET /healthz, /metrics'})`);
    stops.push(() => bot.stop());
  }

  if (config.KEPT_ROLES.includes('worker')) {
    const tokens = config.slack.kind === 'oauth' ? { tokens: slackTokens(config, db)! } : { token: config.slack.botToken };
    const sender = new SlackSender(db, systemClock, logger, { ...tokens, apiUrl: config.SLACK_API_URL, redis, prefix: config.KEPT_QUEUE_PREFIX, fetch: metrics.slackFetch() });
    const workers = await startWorkers({ db, clock: systemClock, logger, sender, redisUrl: config.REDIS_URL, prefix: config.KEPT_QUEUE_PREFIX, metrics, retentionDays: config.KEPT_RETENTION_DAYS });
    logger.info('workers started: scanning every minute, delivering prompts');
    stops.push(() => workers.close());
    if (!config.KEPT_ROLES.includes('bot')) {
      // A worker-only process still answers its operator: /healthz, /metrics and the queue view on PORT.
      const ops = opsRoutes({ metrics, logger, adminPassword: config.KEPT_ADMIN_PASSWORD, queues: [workers.queues.deliveries, workers.queues.ticks] });
      const server = createServer((req, res) => {
        if (ops(req, res)) return;
        if (req.method === 'GET' && (req.url ?? '/').split('?')[0] === '/healthz') {
          return void health({ db, redis }).then(({ ok, checks }) => {
            res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' });
            res.end(JSON.stringify({ ok, checks }));
          });
        }
        res.writeHead(404);
        res.end();
      });
      await new Promise<void>((resolve, reject) => server.once('error', reject).listen(config.PORT, resolve));
      logger.info(`worker listening on :${config.PORT} (GET /healthz, GET /metrics)`);
      stops.push(() => new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }));
    }
  }

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal}: stopping`);
    for (const stop of stops.reverse()) await stop().catch((err) => logger.error('while stopping:', err));
    await db.$disconnect();
    redis.disconnect();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

let config: Config | undefined;
try {
  config = loadConfig();
  await main(config);
} catch (err) {
  if (err instanceof ConfigError) {
    // Names the variable and what it should hold, never its value.
    console.error(err.message);
  } else {
    // This process's own secrets by value, then anything shaped like a token or a URL password.
    console.error('Kept could not start:', scrubSecrets(redactSecrets(inspect(err), config)));
  }
  process.exit(1);
}
