/**
 * Reads are public; writes need `Authorization: Bearer <token>`.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { HttpError } from './errors.ts';

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

// Comparing fixed-length digests keeps the comparison constant-time whatever the length of
// the token presented, so response times leak neither the token nor its length.
const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

/** Refuses writes without the right token; with no token configured, refuses them all. */
export function requireTokenForWrites(token: string | undefined): RequestHandler {
  const expected = token === undefined ? undefined : digest(token);
  return (req, res, next) => {
    if (READ_METHODS.has(req.method)) return next();
    const presented = /^Bearer (.+)$/i.exec(req.get('authorization') ?? '')?.[1];
    if (expected && presented !== undefined && timingSafeEqual(digest(presented), expected)) return next();
    res.set('WWW-Authenticate', 'Bearer');
    next(
      new HttpError(401, 'unauthorized', 'Writes need the header "Authorization: Bearer <token>" with the API token'),
    );
  };
}
