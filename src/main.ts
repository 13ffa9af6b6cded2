// Entry point: reads config, applies migrations, builds dependencies, starts the chosen roles,
// and shuts down cleanly on SIGTERM / SIGINT.
import { inspect } from 'node:util';
import { Redis } from 'ioredis';
import { createBot } from './bot/app.js';
import { runConsole } from './console/console.js';
import { systemClock } from './clock.js';
import { ConfigError, loadConfig, redactSecrets, type Config } from './config.js';
import { createDb } from './db/client.js';
import { migrate } from './db/migrate.js';
import { openQueues } from './jobs/queues.js';
import { SlackSender } from './jobs/slack-sender.js';
import { startWorkers } from './jobs/worker.js';
import { createLogger } from './logger.js';

async function main(config: Config): Promise<void> {
  const logger = createLogger(config.LOG_LEVEL);
  if (config.slack.kind === 'none') {
    // No Slack credentials: try Kept in the terminal (README, "Try it without Slack").
    // A dependency's deprecation notice is noise in a terminal session.
    process.noDeprecation = true;
    await runConsole(config, { input: process.stdin, output: process.stdout, interactive: Boolean(process.stdin.isTTY) });
    process.exit(0);
  }
  await migrate(config.DATABASE_URL, { log: (l) => logger.info(l) });
  const db = createDb(config.DATABASE_URL);
  const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: false });
  redis.on('error', (err) => logger.warn('redis:', err.message));

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
      fairUse: { prefix: config.KEPT_QUEUE_PREFIX, personWritesPerMinute: config.KEPT_PERSON_WRITES_PER_MINUTE, workspaceWritesPerMinute: config.KEPT_WORKSPACE_WRITES_PER_MINUTE },
      slack: { botToken: config.slack.botToken, apiUrl: config.SLACK_API_URL, signingSecret: config.slack.signingSecret, ...(config.slack.kind === 'socket' ? { appToken: config.slack.appToken } : {}) },
    });
    const port = await bot.start(config.PORT);
    logger.info(`bot listening on :${port} (${config.slack.kind === 'socket' ? 'Socket Mode; /healthz only' : 'POST /slack/events, GET /healthz'})`);
    stops.push(() => bot.stop());
  }

  if (config.KEPT_ROLES.includes('worker')) {
    const sender = new SlackSender(db, systemClock, logger, { token: config.slack.botToken, apiUrl: config.SLACK_API_URL, redis, prefix: config.KEPT_QUEUE_PREFIX });
    const workers = await startWorkers({ db, clock: systemClock, logger, sender, redisUrl: config.REDIS_URL, prefix: config.KEPT_QUEUE_PREFIX });
    logger.info('workers started: scanning every minute, delivering prompts');
    stops.push(() => workers.close());
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
    console.error('Kept could not start:', redactSecrets(inspect(err), config));
  }
  process.exit(1);
}
