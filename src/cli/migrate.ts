// `npm run db:migrate`: applies pending migrations to DATABASE_URL.
import { loadConfig } from '../config.js';
import { migrate } from '../db/migrate.js';

async function main(): Promise<number> {
  try {
    const config = loadConfig();
    const { applied } = await migrate(config.DATABASE_URL, { log: (line) => console.log(line) });
    if (applied.length === 0) console.log('database is up to date');
    return 0;
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err));
    return 1;
  }
}

process.exitCode = await main();
