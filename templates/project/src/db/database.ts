/**
 * The connection pool, and the start that waits for the database: the server listens at
 * once (live answers, ready says 503), while this retries with backoff until PostgreSQL
 * answers and the migrations are applied. A database that is late is normal at start
 * (compose, Kubernetes); a log line each try says what is awaited and why.
 */
import pg from 'pg';
import type { Logger } from 'pino';
import type { DatabaseConfig } from '../config.ts';
import { loadMigrations, migrate } from './migrations.ts';

export interface Database {
  pool: pg.Pool;
  /** Whether the migrations are applied: until then the store answers 503. */
  isReady(): boolean;
  /** Resolves once ready; rejects only if close() came first. */
  ready: Promise<void>;
  /** Stops waiting, and ends the pool once the queries in flight are done. */
  close(): Promise<void>;
}

const FIRST_RETRY_MS = 250;
const MAX_RETRY_MS = 10_000;

export function createPool(config: DatabaseConfig, logger: Logger): pg.Pool {
  const pool = new pg.Pool({
    host: config.host,
    port: config.port,
    user: config.user,
    database: config.database,
    password: config.password,
    max: config.poolMax,
    // Fail a request fast when the database is away, instead of queueing it for a
    // connection that will not come: the client gets 503 and Retry-After.
    connectionTimeoutMillis: 3000,
    // A query that outlives every sane request is cut by the server; one whose server stops
    // answering (a partition, a frozen host) is given up by the client a little later.
    statement_timeout: 10_000,
    query_timeout: 12_000,
    idleTimeoutMillis: 30_000,
  });
  // An idle connection the server drops (restart, failover) is only logged: without a
  // listener, node-postgres's 'error' event would end the process. The pool replaces it.
  pool.on('error', (error) => logger.warn({ err: error }, 'database connection lost; the pool will reconnect'));
  return pool;
}

export function startDatabase(config: DatabaseConfig, logger: Logger): Database {
  const pool = createPool(config, logger);
  const stop = new AbortController();
  let ready = false;

  const whenReady = (async () => {
    const migrations = await loadMigrations();
    for (let attempt = 1, delay = FIRST_RETRY_MS; ; attempt++, delay = Math.min(delay * 2, MAX_RETRY_MS)) {
      try {
        const applied = await migrate(pool, migrations);
        ready = true;
        logger.info(
          { applied, attempt },
          applied.length > 0
            ? `database ready; applied migrations ${applied.join(', ')}`
            : 'database ready; schema up to date',
        );
        return;
      } catch (error) {
        if (stop.signal.aborted) throw error;
        const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
        logger.warn(
          { err: error, attempt, retryInMs: delay },
          `waiting for the database at ${config.host}:${config.port} (${reason}); retrying in ${delay} ms`,
        );
        await sleep(delay, stop.signal);
      }
    }
  })();
  // Nobody may be awaiting `ready` when close() ends the wait.
  whenReady.catch(() => {});

  return {
    pool,
    isReady: () => ready,
    ready: whenReady,
    async close() {
      stop.abort();
      await pool.end();
    },
  };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}
