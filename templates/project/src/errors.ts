/**
 * Every error leaves the service in one shape, `{"error": {"code", "message", "details"?}}`,
 * so clients handle failures in one place. `code` is stable for programs; `message` is
 * for people.
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { z } from 'zod';
import { StoreError } from './items/store.ts';

/** The error shape, as the OpenAPI document states it. */
export const errorBody = z.object({
  error: z.object({
    code: z.string().describe('Stable, for programs: e.g. invalid_request, not_found'),
    message: z.string().describe('For people: what went wrong and what to do'),
    details: z
      .array(z.object({ path: z.string(), message: z.string() }))
      .optional()
      .describe('One entry per invalid field'),
  }),
});

type ErrorDetails = z.infer<typeof errorBody>['error']['details'];

export class HttpError extends Error {
  override name = 'HttpError';
  readonly status: number;
  readonly code: string;
  readonly details: ErrorDetails;
  /** Response headers that go with it, such as Retry-After. */
  readonly headers: Record<string, string>;

  constructor(
    status: number,
    code: string,
    message: string,
    options: { details?: ErrorDetails; headers?: Record<string, string>; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.status = status;
    this.code = code;
    this.details = options.details;
    this.headers = options.headers ?? {};
  }
}

/** Parses `input` with `schema`, or fails with a 400 listing every problem found. */
export function validate<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const details = result.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
  throw new HttpError(400, 'invalid_request', 'The request has invalid fields', { details });
}

/**
 * Put before the routes: a path that does not percent-decode (`/%E0%A4%A`) is the client's
 * mistake wherever it points, not a route that happens to be missing.
 */
export const rejectMalformedPath: RequestHandler = (req, _res, next) => {
  try {
    decodeURIComponent(req.path);
  } catch {
    return next(
      new HttpError(
        400,
        'malformed_url',
        'The URL holds a malformed percent-encoding: encode each part with encodeURIComponent',
      ),
    );
  }
  next();
};

export const notFound: RequestHandler = (req, _res, next) => {
  next(new HttpError(404, 'not_found', `No route for ${req.method} ${req.path}`));
};

/**
 * Put first on a route: any method the route does not list gets 405 with `Allow`, before
 * authentication or the body is looked at (a TRACE is not a write that lacks a token).
 * GET brings HEAD, as Express serves HEAD from GET handlers; OPTIONS is answered here.
 */
export function allowOnly(...methods: string[]): RequestHandler {
  const allowed = new Set(methods.includes('GET') ? [...methods, 'HEAD'] : methods);
  const allow = [...allowed, 'OPTIONS'].join(', ');
  return (req, res, next) => {
    if (allowed.has(req.method)) return next();
    res.set('Allow', allow);
    if (req.method === 'OPTIONS') {
      res.status(204).end();
      return;
    }
    next(new HttpError(405, 'method_not_allowed', `${req.method} is not allowed on ${req.path}; use one of: ${allow}`));
  };
}

/** The errors express.json() raises, told apart by their `type`. */
interface BodyParserError {
  type: string;
  status: number;
  expose: boolean;
  message: string;
}

function isBodyParserError(error: unknown): error is BodyParserError {
  return typeof error === 'object' && error !== null && 'type' in error && 'status' in error && 'expose' in error;
}

/**
 * A compressed body (Content-Encoding gzip, deflate or br) that does not decompress: the
 * parser passes zlib's own error on as a 400, with zlib's `errno` and without a `type`.
 */
function isDecompressionError(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    !('type' in error) &&
    'errno' in error &&
    (error as { status?: unknown }).status === 400
  );
}

/** How long a client should wait before retrying a write the store was too busy for. */
const RETRY_AFTER_SECONDS = '5';

function fromStoreError(error: StoreError): HttpError {
  switch (error.kind) {
    case 'full':
      return new HttpError(
        507,
        'insufficient_storage',
        'The item was not stored: the service is out of storage space',
        { cause: error },
      );
    case 'busy':
      return new HttpError(503, 'store_busy', 'The item store is busy: retry after the time Retry-After gives', {
        headers: { 'Retry-After': RETRY_AFTER_SECONDS },
        cause: error,
      });
    case 'unavailable':
      return new HttpError(503, 'store_unavailable', 'The item store cannot be written or read', { cause: error });
<%_ if (postgres) { _%>
    case 'unreachable':
      return new HttpError(
        503,
        'store_unreachable',
        'The database does not answer: retry after the time Retry-After gives',
        {
          headers: { 'Retry-After': RETRY_AFTER_SECONDS },
          cause: error,
        },
      );
<%_ } _%>
  }
}

function toHttpError(error: unknown): HttpError | undefined {
  if (error instanceof HttpError) return error;
  if (error instanceof StoreError) return fromStoreError(error);
  if (isDecompressionError(error)) {
    return new HttpError(400, 'malformed_body', 'The request body does not decompress as its Content-Encoding says');
  }
  if (!isBodyParserError(error)) return undefined;
  switch (error.type) {
    case 'entity.parse.failed':
      return new HttpError(400, 'malformed_json', 'The request body is not valid JSON');
    case 'entity.too.large':
      return new HttpError(413, 'payload_too_large', 'The request body is too large');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new HttpError(415, 'unsupported_media_type', error.message);
    default:
      return error.expose ? new HttpError(error.status, 'bad_request', error.message) : undefined;
  }
}

export const errorHandler: ErrorRequestHandler = (error, _req, res, next) => {
  // Too late for a clean answer: Express's own handler cuts the connection.
  if (res.headersSent) return next(error);
  const known = toHttpError(error);
  if (!known) {
    // pino-http logs the error, stack included, at error level with the request line (see
    // logger.ts); the client learns nothing it could probe.
    res.err = error instanceof Error ? error : new Error(String(error));
    res.status(500).json({ error: { code: 'internal_error', message: 'Internal server error' } });
    return;
  }
  const { status, code, message, details, headers } = known;
  // A 5xx the service can name (a full disk, a held lock) is still the service's failure:
  // its cause goes to the log line, at error level, as for a bug.
  if (status >= 500 && known.cause instanceof Error) res.err = known.cause;
  res
    .status(status)
    .set(headers)
    .json({ error: { code, message, ...(details && { details }) } });
};
