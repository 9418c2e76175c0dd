/**
 * `npm run migrate`: applies the migrations and exits, for a deploy step that migrates before
 * the new version starts (the server also migrates at start, under the same lock).
 * In the image: `docker compose run --rm api node dist/migrate.js`.
 */
import { ConfigError, loadConfig } from './config.ts';
import { createPool } from './db/database.ts';
import { loadMigrations, migrate } from './db/migrations.ts';
import { createLogger, flushLogs } from './logger.ts';

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}
const logger = createLogger(config);
const pool = createPool(config.database, logger);
let code = 0;
try {
  const applied = await migrate(pool, await loadMigrations());
  logger.info(
    { applied },
    applied.length > 0 ? `applied migrations ${applied.join(', ')}` : 'schema up to date; nothing to apply',
  );
} catch (error) {
  logger.fatal(
    { err: error },
    `migrations failed against ${config.database.host}:${config.database.port}; nothing was changed`,
  );
  code = 1;
} finally {
  await pool.end();
}
await flushLogs(logger);
process.exit(code);
