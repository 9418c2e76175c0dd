/**
 * The entry point: reads the configuration, opens the store, serves the app, and shuts
 * down cleanly on SIGTERM (`docker stop`) or SIGINT (Ctrl-C).
 */
import type { AddressInfo } from 'node:net';
import { createApp } from './app.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { createHttpServer } from './http.ts';
<%_ if (sqlite) { _%>
import { openSqliteStore } from './items/sqlite-store.ts';
import { StoreError, type ItemStore } from './items/store.ts';
<%_ } else if (postgres) { _%>
import { startDatabase } from './db/database.ts';
import { createPgStore } from './items/pg-store.ts';
<%_ } else { _%>
import { createMemoryStore } from './items/memory-store.ts';
<%_ } _%>
import { createLogger, flushLogs } from './logger.ts';
import { createMetrics, createMetricsApp } from './metrics.ts';
import { gracefulCloser } from './shutdown.ts';

/** Refuses to start over a setting that cannot work: one line naming it, no stack trace. */
function refuseToStart(error: unknown): never {
  if (!(error instanceof ConfigError<%- sqlite ? ' || error instanceof StoreError' : '' %>)) throw error;
  // Plain text on stderr: this is read by a person fixing a deployment, not a log parser.
  console.error(error.message);
  process.exit(1);
}

function readConfig(): Config {
  try {
    return loadConfig();
  } catch (error) {
    refuseToStart(error);
  }
}
<%_ if (sqlite) { _%>

/** A DATA_DIR that is a file, read-only or not the service's to write is refused here. */
function openStore(): ItemStore {
  try {
    return openSqliteStore(config.dataDir);
  } catch (error) {
    refuseToStart(error);
  }
}
<%_ } _%>

const config = readConfig();
const logger = createLogger(config);
<%_ if (sqlite) { _%>
const store = openStore();
<%_ } else if (postgres) { _%>
// Connects and migrates in the background, retrying until the database answers: the server
// listens meanwhile, /health/ready says 503 and item requests get 503 with Retry-After.
const store = createPgStore(startDatabase(config.database, logger));
<%_ } else { _%>
const store = createMemoryStore();
<%_ } _%>
<%_ if (token) { _%>
if (config.apiToken === undefined)
  logger.warn('no API token is set (API_TOKEN_FILE or API_TOKEN): every write will get 401');
<%_ } _%>

let shuttingDown = false;
const metrics = config.metricsPort === undefined ? undefined : createMetrics();
const metricsOnAppPort = config.metricsPort === config.port;
const app = createApp({ config, store, logger, isShuttingDown: () => shuttingDown, metrics, metricsOnAppPort });
const server = createHttpServer(app, config);
const closeServer = gracefulCloser(server);
// Metrics on a port of their own (the default, see config.ts): a listener for /metrics alone.
const metricsServer =
  metrics && !metricsOnAppPort ? createHttpServer(createMetricsApp(metrics.registry), config) : undefined;

/** Exits once the log lines written so far are out: the lines a shutdown leaves matter most. */
async function exit(code: number): Promise<never> {
  await flushLogs(logger);
  process.exit(code);
}

function listen(target: typeof server, port: number, name: 'server' | 'metrics'): void {
  target.on('error', (error) => {
    logger.fatal({ err: error, port }, `${name} failed`);
    void exit(1);
  });
  target.listen(port, config.host, () => {
    const { address, port: bound } = target.address() as AddressInfo;
    const what = name === 'server' ? 'listening' : 'metrics listening';
    logger.info({ address, port: bound }, `${what} on http://${address}:${bound}`);
  });
}

listen(server, config.port, 'server');
if (metricsServer && config.metricsPort !== undefined) listen(metricsServer, config.metricsPort, 'metrics');

async function shutdown(signal: NodeJS.Signals): Promise<void> {
  if (shuttingDown) return;
  shuttingDown = true;
  logger.info({ signal }, 'shutting down');
  try {
    // A scrape in flight has nothing worth waiting for: the metrics listener closes at once.
    metricsServer?.close();
    metricsServer?.closeAllConnections();
    const { forced } = await closeServer(config.shutdownTimeoutMs);
<%_ if (postgres) { _%>
    // Only now, with every request answered, does the pool end its connections.
<%_ } _%>
    await store.close();
    logger.info({ forced }, 'stopped');
    await exit(0);
  } catch (error) {
    logger.fatal({ err: error }, 'shutdown failed');
    await exit(1);
  }
}

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  // `once`: a second Ctrl-C gets Node's default handling and ends the process at once.
  process.once(signal, (received) => void shutdown(received));
}
