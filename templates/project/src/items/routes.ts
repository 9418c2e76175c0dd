/**
 * The items resource: JSON in, JSON out. Handlers validate what they receive and leave
 * failures to the error handler (Express 5 forwards rejected promises to it).
 */
import express, { Router, type RequestHandler } from 'express';
import { allowOnly, HttpError, validate } from '../errors.ts';
import { itemInput, itemPatch, pageQuery, type Item } from './schema.ts';
import type { ItemStore } from './store.ts';

const WRITES_WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);

/**
 * Writes must declare JSON (else 415) before their body is read, and the parser refuses
 * bodies over the limit (413) before they fill memory.
 */
function jsonBody(limit: string): RequestHandler {
  const parse = express.json({ limit });
  return (req, res, next) => {
    if (!WRITES_WITH_BODY.has(req.method)) return next();
    if (!req.is('application/json')) {
      return next(
        new HttpError(415, 'unsupported_media_type', 'Send the body as JSON with "Content-Type: application/json"'),
      );
    }
    parse(req, res, next);
  };
}

function found(item: Item | undefined, id: string): Item {
  if (!item) throw new HttpError(404, 'not_found', `No item with id ${id}`);
  return item;
}

export interface ItemsRouterOptions {
  bodyLimit: string;
  /** Runs before every write once the method is known to exist (the token check). */
  guardWrites?: RequestHandler;
}

export function createItemsRouter(store: ItemStore, { bodyLimit, guardWrites }: ItemsRouterOptions): Router {
  const router = Router();
  // In this order: an unknown method (405), then a missing token (401), then the body (415, 413).
  const checks = (...methods: string[]) => [
    allowOnly(...methods),
    ...(guardWrites ? [guardWrites] : []),
    jsonBody(bodyLimit),
  ];

  // Whole paths, not a mount path: see metrics.ts for why.
  router
    .route('/items')
    .all(checks('GET', 'POST'))
    .get(async (req, res) => {
      const page = validate(pageQuery, req.query);
      const { items, total } = await store.list(page);
      res.json({ items, total, ...page });
    })
    .post(async (req, res) => {
      const item = await store.create(validate(itemInput, req.body));
      res.status(201).location(`/items/${item.id}`).json(item);
    });

  router
    .route('/items/:id')
    .all(checks('GET', 'PUT', 'PATCH', 'DELETE'))
    .get(async (req, res) => {
      res.json(found(await store.get(req.params.id), req.params.id));
    })
    .put(async (req, res) => {
      const input = validate(itemInput, req.body);
      res.json(found(await store.replace(req.params.id, input), req.params.id));
    })
    .patch(async (req, res) => {
      const patch = validate(itemPatch, req.body);
      res.json(found(await store.update(req.params.id, patch), req.params.id));
    })
    .delete(async (req, res) => {
      if (!(await store.remove(req.params.id)))
        throw new HttpError(404, 'not_found', `No item with id ${req.params.id}`);
      res.status(204).end();
    });

  return router;
}
