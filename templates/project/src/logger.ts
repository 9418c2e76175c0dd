/**
 * Logs are JSON, one object per line: what log collectors parse and `docker logs` keeps.
 * Each request gets an id that is in every line it logs and in its response headers, so a
 * client's complaint can be matched to the server's side of the story.
 */
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { pino, type DestinationStream, type Logger, type TransportSingleOptions } from 'pino';
import { pinoHttp, type HttpLogger } from 'pino-http';
import type { Config } from './config.ts';

export type { Logger };

/** Letters, digits and `._:-` only: safe to repeat in a header and in a log line. */
const SAFE_REQUEST_ID = /^[\w.:-]{1,128}$/;

type Stdout = ReturnType<typeof pino.destination>;

/** The buffered stdout of each logger made here, for flushLogs. */
const buffered = new WeakMap<Logger, Stdout>();

/** Logs to stdout, or to `destination` (tests read what was logged from there). */
export function createLogger(config: Pick<Config, 'logLevel' | 'nodeEnv'>, destination?: DestinationStream): Logger {
  const options = {
    level: config.logLevel,
    // A bearer token in a log is a leaked token; redact it wherever a request is logged.
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie'], censor: '[redacted]' },
  };
  if (destination) return pino(options, destination);
  const transport = prettyTransport(config.nodeEnv);
  if (transport) return pino({ ...options, transport });
  // In a container stdout is a pipe to the engine, and a synchronous write per line makes
  // every request wait for it. Written asynchronously, the lines logged while one write is
  // in flight leave together in the next. No minLength: a line is never held back to fill a
  // buffer, so `docker logs -f` still shows each request as it ends. What is still buffered
  // at exit is written by flushLogs, or by pino itself on a crash.
  const stdout = pino.destination({ dest: 1, sync: false });
  const logger = pino(options, stdout);
  buffered.set(logger, stdout);
  return logger;
}

/**
 * Resolves once every line logged so far is out, the last step before process.exit.
 * pino's logger.flush() cannot be awaited for this: without minLength its callback runs
 * while a write may still be in flight, and an exit then can lose that write.
 */
export function flushLogs(logger: Logger): Promise<void> {
  const stdout = buffered.get(logger);
  if (!stdout) return Promise.resolve();
  buffered.delete(logger);
  return new Promise((closed) => {
    stdout.once('close', closed);
    // end() waits for the write in flight, writes the rest, then closes.
    stdout.end();
  });
}

/**
 * Human-readable lines in development. pino-pretty is a devDependency, absent from the
 * production image, so it is used only when it can be found.
 */
function prettyTransport(nodeEnv: Config['nodeEnv']): TransportSingleOptions | undefined {
  if (nodeEnv !== 'development') return undefined;
  try {
    createRequire(import.meta.url).resolve('pino-pretty');
    return { target: 'pino-pretty' };
  } catch {
    return undefined;
  }
}

/** Logs one line per finished request, with its id, status and duration. */
export function requestLogger(logger: Logger): HttpLogger {
  return pinoHttp({
    logger,
    genReqId(req, res) {
      // Reusing the caller's id lets one request be followed across services.
      const incoming = req.headers['x-request-id'];
      const id = typeof incoming === 'string' && SAFE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
      res.setHeader('x-request-id', id);
      return id;
    },
    // Health probes arrive every few seconds and would bury the real traffic.
    // Any casing: routing matches /HeAlTh/ready too.
    autoLogging: { ignore: (req) => /^\/health\//i.test(req.url ?? '') },
    // A 5xx is the service's fault and someone should look: error level, with the stack of
    // the error behind it (errors.ts hands it over as res.err). A 4xx is the client's
    // mistake, part of normal traffic: info, like any request, so that scanners probing
    // for paths do not page anyone who alerts on warnings.
    customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : 'info'),
    // The status is what matters about a response; its headers are the same every time.
    serializers: { res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }) },
  });
}
