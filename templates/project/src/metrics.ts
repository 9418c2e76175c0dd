/**
 * Prometheus metrics: Node's process defaults (CPU, memory, event loop lag, GC) and one
 * histogram of request durations. Its labels are the method, the route pattern
 * (`/items/:id`, never the URL itself, or every id would make a new time series) and the
 * status class, so the number of series stays small whatever the traffic.
 */
import express, { type Express, type RequestHandler } from 'express';
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import { allowOnly, errorHandler, notFound } from './errors.ts';

export interface Metrics {
  registry: Registry;
  /** Times every request; put it before the routes. */
  recordRequests: RequestHandler;
}

const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** A registry of its own, not prom-client's global one, so tests can build many apps. */
export function createMetrics({ processDefaults = true } = {}): Metrics {
  const registry = new Registry();
  if (processDefaults) collectDefaultMetrics({ register: registry });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time from a request arriving to its response being sent, by method, route pattern and status class',
    labelNames: ['method', 'route', 'status_class'] as const,
    registers: [registry],
  });

  const recordRequests: RequestHandler = (req, res, next) => {
    const stop = duration.startTimer();
    // The router sets req.route when a route takes the request; an error that leaves the
    // router may reset it before the response is sent, so the pattern is read at that
    // moment. Only the route's own path is read: routes are declared with their whole path
    // (`/items/:id`), never under a mount path, because req.baseUrl holds the request's own
    // text, which routing matches case-insensitively: `/iTeMs` would be a series of its own.
    let route = 'unmatched';
    let matched: unknown;
    Object.defineProperty(req, 'route', {
      configurable: true,
      enumerable: true,
      get: () => matched,
      set(value: { path: string }) {
        matched = value;
        route = value.path;
      },
    });
    res.on('finish', () => {
      // Without a route (404, a URL that does not decode) there is no pattern, and the raw
      // path must not become a label.
      stop({
        method: KNOWN_METHODS.has(req.method) ? req.method : 'other',
        route,
        status_class: `${Math.floor(res.statusCode / 100)}xx`,
      });
    });
    next();
  };
  return { registry, recordRequests };
}

/** GET /metrics in the Prometheus text format, for a listener of its own or the app's. */
export function metricsEndpoint(registry: Registry): RequestHandler {
  return async (_req, res) => {
    res.type(registry.contentType).send(await registry.metrics());
  };
}

/** The app the metrics port serves: /metrics and nothing else, with errors in the API's shape. */
export function createMetricsApp(registry: Registry): Express {
  const app = express();
  app.disable('x-powered-by');
  app.route('/metrics').all(allowOnly('GET')).get(metricsEndpoint(registry));
  app.use(notFound);
  app.use(errorHandler);
  return app;
}
