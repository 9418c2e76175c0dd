import { createServer, type RequestListener, type Server } from 'node:http';
import type { Config } from './config.ts';

export type Timeouts = Pick<Config, 'headersTimeoutMs' | 'requestTimeoutMs' | 'keepAliveTimeoutMs'>;

/**
 * An HTTP server with the timeouts of config.ts, which says why each has its value. A
 * request over its time gets 408 and its connection is closed.
 */
export function createHttpServer(listener: RequestListener, timeouts: Timeouts): Server {
  return createServer(
    {
      headersTimeout: timeouts.headersTimeoutMs,
      requestTimeout: timeouts.requestTimeoutMs,
      keepAliveTimeout: timeouts.keepAliveTimeoutMs,
      // Node enforces the first two on a timer that looks at every connection, every 30 s by
      // default: a slow client could overstay its timeout by that much. Every second instead.
      connectionsCheckingInterval: 1000,
    },
    listener,
  );
}
