/**
 * Builds the Express app from what it needs, without listening: tests drive it in-process
 * and server.ts serves it.
 */
import express, { type Express } from 'express';
import helmet from 'helmet';
import { requireTokenForWrites } from './auth.ts';
import type { Config } from './config.ts';
import { renderDocsPage } from './docs.ts';
import { allowOnly, errorHandler, notFound, rejectMalformedPath } from './errors.ts';
import { createHealthRouter } from './health.ts';
import { createItemsRouter } from './items/routes.ts';
import type { ItemStore } from './items/store.ts';
import { requestLogger, type Logger } from './logger.ts';
import { metricsEndpoint, type Metrics } from './metrics.ts';
import { createOpenApiDocument } from './openapi.ts';

export interface AppDeps {
  config: Pick<Config, 'bodyLimit' | 'apiDocs' | 'apiToken'>;
  store: ItemStore;
  logger: Logger;
  /** Turns readiness off once shutdown has begun. */
  isShuttingDown?: () => boolean;
  metrics?: Metrics;
  /** Serve GET /metrics here too (when METRICS_PORT is the app's own port). */
  metricsOnAppPort?: boolean;
}

export function createApp({
  config,
  store,
  logger,
  isShuttingDown = () => false,
  metrics,
  metricsOnAppPort = false,
}: AppDeps): Express {
  const app = express();
  // No need to tell the world which framework to look up exploits for.
  app.disable('x-powered-by');
  app.use(helmet());
  app.use(requestLogger(logger));
  if (metrics) app.use(metrics.recordRequests);
  app.use(rejectMalformedPath);
  if (metrics && metricsOnAppPort) app.route('/metrics').all(allowOnly('GET')).get(metricsEndpoint(metrics.registry));

  // Each route is declared with its whole path (see metrics.ts), so routers are not mounted under one.
  app.use(createHealthRouter(store, isShuttingDown));

  const openapi = createOpenApiDocument();
  app
    .route('/openapi.json')
    .all(allowOnly('GET'))
    .get((_req, res) => {
      res.json(openapi);
    });
  if (config.apiDocs) {
    const page = renderDocsPage(openapi);
    app
      .route('/docs')
      .all(allowOnly('GET'))
      .get((_req, res) => {
        res.type('html').send(page);
      });
  }
  app.use(
    createItemsRouter(store, { bodyLimit: config.bodyLimit, guardWrites: requireTokenForWrites(config.apiToken) }),
  );

  app.use(notFound);
  app.use(errorHandler);
  return app;
}
