/**
 * The entry point: reads the configuration, opens the store, serves the app, and shuts
 * down cleanly on SIGTERM (`docker stop`) or SIGINT (Ctrl-C).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from './app.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
<%_ if (sqlite) { _%>
import { openSqliteStore } from './items/sqlite-store.ts';
<%_ } else { _%>
import { createMemoryStore } from './items/memory-store.ts';
<%_ } _%>
import { createLogger } from './logger.ts';
import { gracefulCloser } from './shutdown.ts';

function readConfig(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    // Plain text on stderr: this is read by a person fixing a deployment, not a log parser.
    console.error(error.message);
    process.exit(1);
  }
}

const config = readConfig();
const logger = createLogger(config);
<%_ if (sqlite) { _%>
const store = openSqliteStore(config.dataDir);
<%_ } else { _%>
const store = createMemoryStore();
<%_ } _%>
<%_ if (token) { _%>
if (config.apiToken === undefined) logger.warn('no API token is set (API_TOKEN_FILE or API_TOKEN): every write will get 401');
<%_ } _%>

let shuttingDown = false;
const server = createServer(createApp({ config, store, logger, isShuttingDown: () => shuttingDown }));
const closeServer = gracefulCloser(server);

server.on('error', (error) => {
  logger.fatal({ err: error }, 'server failed');
  process.exit(1);
});
server.listen(config.port, config.host, () => {
  const { address, port } = server.address() as AddressInfo;
  logger.info({ address, port }, `listening on http://${address}:${port}`);
});

async function shutdown(signal: NodeJS.Signals): Promise<void> {
  if (shuttingDown) return;
  shuttingDown = true;
  logger.info({ signal }, 'shutting down');
  try {
    const { forced } = await closeServer(config.shutdownTimeoutMs);
    await store.close();
    logger.info({ forced }, 'stopped');
    process.exit(0);
  } catch (error) {
    logger.fatal({ err: error }, 'shutdown failed');
    process.exit(1);
  }
}

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  // `once`: a second Ctrl-C gets Node's default handling and ends the process at once.
  process.once(signal, (received) => void shutdown(received));
}
