/**
 * Two questions an orchestrator asks. Live: is the process answering at all (if not,
 * restart it)? Ready: should it get traffic now (if not, route around it)?
 */
import { Router } from 'express';
import { allowOnly, HttpError } from './errors.ts';
import { StoreError, type ItemStore } from './items/store.ts';

export function createHealthRouter(store: Pick<ItemStore, 'ping'>, isShuttingDown: () => boolean): Router {
  const router = Router();

  // Checks nothing else on purpose: a restart would not fix a database outage.
  router
    .route('/health/live')
    .all(allowOnly('GET'))
    .get((_req, res) => {
      res.json({ status: 'ok' });
    });

  router
    .route('/health/ready')
    .all(allowOnly('GET'))
    .get(async (req, res) => {
      if (isShuttingDown()) throw new HttpError(503, 'shutting_down', 'The service is shutting down');
      try {
        await store.ping();
      } catch (error) {
        req.log.warn({ err: error }, 'readiness check failed');
        // A store that says why (the disk is full) is worth repeating to whoever looks.
        throw new HttpError(
          503,
          'not_ready',
          error instanceof StoreError ? error.message : 'The item store is unreachable',
        );
      }
      res.json({ status: 'ready' });
    });

  return router;
}
