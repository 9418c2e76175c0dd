/**
 * The items resource: JSON in, JSON out. Handlers validate what they receive and leave
 * failures to the error handler (Express 5 forwards rejected promises to it).
 */
import express, { Router, type RequestHandler } from 'express';
import { HttpError, validate } from '../errors.ts';
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
      return next(new HttpError(415, 'unsupported_media_type', 'Send the body as JSON with "Content-Type: application/json"'));
    }
    parse(req, res, next);
  };
}

function found(item: Item | undefined, id: string): Item {
  if (!item) throw new HttpError(404, 'not_found', `No item with id ${id}`);
  return item;
}

export function createItemsRouter(store: ItemStore, bodyLimit: string): Router {
  const router = Router();
  router.use(jsonBody(bodyLimit));

  router.get('/', async (req, res) => {
    const page = validate(pageQuery, req.query);
    const { items, total } = await store.list(page);
    res.json({ items, total, ...page });
  });

  router.get('/:id', async (req, res) => {
    res.json(found(await store.get(req.params.id), req.params.id));
  });

  router.post('/', async (req, res) => {
    const item = await store.create(validate(itemInput, req.body));
    res.status(201).location(`${req.baseUrl}/${item.id}`).json(item);
  });

  router.put('/:id', async (req, res) => {
    const input = validate(itemInput, req.body);
    res.json(found(await store.replace(req.params.id, input), req.params.id));
  });

  router.patch('/:id', async (req, res) => {
    const patch = validate(itemPatch, req.body);
    res.json(found(await store.update(req.params.id, patch), req.params.id));
  });

  router.delete('/:id', async (req, res) => {
    if (!(await store.remove(req.params.id))) throw new HttpError(404, 'not_found', `No item with id ${req.params.id}`);
    res.status(204).end();
  });

  return router;
}
