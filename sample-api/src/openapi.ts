/**
 * The OpenAPI 3.1 contract, built from the zod schemas the routes validate with: zod 4
 * writes them as JSON Schema (the dialect OpenAPI 3.1 uses), so the document cannot say
 * one thing while the code checks another. Served at GET /openapi.json; `npm run openapi`
 * writes it to openapi.json, and a unit test fails when that file is out of date.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { errorBody } from './errors.ts';
import { item, itemInput, itemPage, itemPatch, pageQuery } from './items/schema.ts';

type Json = Record<string, unknown>;

const ref = (kind: 'schemas' | 'responses' | 'headers' | 'parameters', name: string) => ({
  $ref: `#/components/${kind}/${name}`,
});

/** Named schemas as JSON Schema. Requests are read as the client writes them (`input`):
 * extra fields are ignored; responses as the server writes them (`output`): nothing extra. */
function schemas(io: 'input' | 'output', named: Record<string, z.ZodType>): Record<string, Json> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(named)) registry.add(schema, { id });
  const { schemas: out } = z.toJSONSchema(registry, { io, uri: (id) => ref('schemas', id).$ref });
  // `$schema` and `$id` are implied by the document: OpenAPI 3.1 reads schemas as JSON Schema 2020-12.
  return Object.fromEntries(Object.entries(out).map(([id, { $schema, $id, ...schema }]) => [id, schema]));
}

const withRequestId = (headers: Json = {}) => ({ 'x-request-id': ref('headers', 'RequestId'), ...headers });

const json = (schema: string) => ({ 'application/json': { schema: ref('schemas', schema) } });

const errorResponse = (description: string, headers?: Json) => ({
  description,
  headers: withRequestId(headers),
  content: json('Error'),
});

const responses = (ok: Record<string, Json>, errors: string[]) => ({
  ...ok,
  ...Object.fromEntries(errors.map((name) => [ERROR_STATUS[name], ref('responses', name)])),
});

const ERROR_STATUS: Record<string, string> = {
  BadRequest: '400',
  Unauthorized: '401',
  NotFound: '404',
  PayloadTooLarge: '413',
  UnsupportedMediaType: '415',
  InternalError: '500',
  NotReady: '503',
  Unavailable: '503',
  InsufficientStorage: '507',
};

const idParameter = {
  name: 'id',
  in: 'path',
  required: true,
  description: 'The id the server gave the item',
  schema: { type: 'string' },
};

/** Query parameters from the schema that validates them. */
function queryParameters(schema: z.ZodObject): Json[] {
  const { properties = {} } = z.toJSONSchema(schema, { io: 'input' }) as { properties?: Record<string, Json> };
  return Object.entries(properties).map(([name, { description, ...property }]) => ({
    name,
    in: 'query',
    description,
    schema: property,
  }));
}

/** Writes need the bearer token; reads say explicitly that they need nothing. */
const writes = { security: [{ bearerToken: [] }] };
const reads = { security: [] };
const body = (schema: string) => ({ required: true, content: json(schema) });
const itemResponse = (description: string) => ({ description, headers: withRequestId(), content: json('Item') });
const writeErrors = ['Unauthorized', 'PayloadTooLarge', 'UnsupportedMediaType'];
/** What the store can answer instead of a 500: every operation on items, and a full disk for writes. */
const storeErrors = ['Unavailable'];
const storeWriteErrors = ['Unavailable', 'InsufficientStorage'];

const packageJson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  name: string;
  version: string;
  description?: string;
};

export function createOpenApiDocument(): Json {
  return {
    openapi: '3.1.1',
    info: {
      title: packageJson.name,
      version: packageJson.version,
      description: packageJson.description || 'Items, with health endpoints for orchestrators.',
    },
    // Relative: whichever host served this document also serves the API.
    servers: [{ url: '/', description: 'The server that served this document' }],
    tags: [
      { name: 'items', description: 'The items resource' },
      { name: 'health', description: 'Probes for orchestrators and load balancers' },
    ],
    paths: {
      '/items': {
        get: {
          operationId: 'listItems',
          tags: ['items'],
          summary: 'List items, a page at a time',
          ...reads,
          parameters: queryParameters(pageQuery),
          responses: responses(
            {
              200: {
                description: 'A page of items, oldest first',
                headers: withRequestId(),
                content: json('ItemPage'),
              },
            },
            ['BadRequest', 'InternalError', ...storeErrors],
          ),
        },
        post: {
          operationId: 'createItem',
          tags: ['items'],
          summary: 'Create an item',
          ...writes,
          requestBody: body('ItemInput'),
          responses: responses(
            {
              201: {
                description: 'Created; Location names the new item',
                headers: withRequestId({ Location: ref('headers', 'Location') }),
                content: json('Item'),
              },
            },
            ['BadRequest', ...writeErrors, 'InternalError', ...storeWriteErrors],
          ),
        },
      },
      '/items/{id}': {
        parameters: [idParameter],
        get: {
          operationId: 'getItem',
          tags: ['items'],
          summary: 'Read one item',
          ...reads,
          responses: responses({ 200: itemResponse('The item') }, [
            'BadRequest',
            'NotFound',
            'InternalError',
            ...storeErrors,
          ]),
        },
        put: {
          operationId: 'replaceItem',
          tags: ['items'],
          summary: 'Replace an item; fields not sent are dropped',
          ...writes,
          requestBody: body('ItemInput'),
          responses: responses({ 200: itemResponse('The item as replaced') }, [
            'BadRequest',
            ...writeErrors,
            'NotFound',
            'InternalError',
            ...storeWriteErrors,
          ]),
        },
        patch: {
          operationId: 'updateItem',
          tags: ['items'],
          summary: 'Change the fields sent, at least one',
          ...writes,
          requestBody: body('ItemPatch'),
          responses: responses({ 200: itemResponse('The item as changed') }, [
            'BadRequest',
            ...writeErrors,
            'NotFound',
            'InternalError',
            ...storeWriteErrors,
          ]),
        },
        delete: {
          operationId: 'deleteItem',
          tags: ['items'],
          summary: 'Delete an item',
          ...writes,
          responses: responses({ 204: { description: 'Deleted', headers: withRequestId() } }, [
            'BadRequest',
            'Unauthorized',
            'NotFound',
            'InternalError',
            ...storeWriteErrors,
          ]),
        },
      },
      '/health/live': {
        get: {
          operationId: 'live',
          tags: ['health'],
          summary: 'Whether the process answers (if not, restart it)',
          ...reads,
          responses: { 200: { description: 'Alive', headers: withRequestId(), content: json('Live') } },
        },
      },
      '/health/ready': {
        get: {
          operationId: 'ready',
          tags: ['health'],
          summary: 'Whether it should get traffic now (if not, route around it)',
          ...reads,
          responses: responses({ 200: { description: 'Ready', headers: withRequestId(), content: json('Ready') } }, [
            'NotReady',
          ]),
        },
      },
      '/openapi.json': {
        get: {
          operationId: 'openapi',
          tags: ['health'],
          summary: 'This document',
          ...reads,
          responses: {
            200: {
              description: 'The OpenAPI document',
              headers: withRequestId(),
              content: { 'application/json': { schema: { type: 'object' } } },
            },
          },
        },
      },
    },
    components: {
      schemas: {
        ...schemas('input', { ItemInput: itemInput, ItemPatch: itemPatch }),
        ...schemas('output', {
          Item: item,
          ItemPage: itemPage,
          Error: errorBody,
          Live: z.object({ status: z.literal('ok') }),
          Ready: z.object({ status: z.literal('ready') }),
        }),
      },
      responses: {
        BadRequest: errorResponse(
          'The request is invalid: see error.details, or a malformed URL, JSON or compressed body',
        ),
        Unauthorized: errorResponse('The bearer token is missing or wrong', {
          'WWW-Authenticate': { description: 'Always `Bearer`', schema: { type: 'string', const: 'Bearer' } },
        }),
        NotFound: errorResponse('No item with this id'),
        PayloadTooLarge: errorResponse('The body is over the limit (BODY_LIMIT)'),
        UnsupportedMediaType: errorResponse('The body is not sent as application/json'),
        InternalError: errorResponse('A failure inside the service; the log has the details under the same request id'),
        NotReady: errorResponse('Shutting down, or the item store is unreachable or cannot store writes (see README)'),
        Unavailable: errorResponse(
          'The item store is busy (another process holds its write lock; retry after Retry-After) or cannot be written or read',
          {
            'Retry-After': {
              description: 'Seconds to wait before retrying; sent when the store is busy',
              schema: { type: 'string', pattern: '^\\d+$' },
            },
          },
        ),
        InsufficientStorage: errorResponse('Not stored: the service is out of storage space. Nothing was changed.'),
      },
      headers: {
        RequestId: {
          required: true,
          description:
            "The request's id, as in the server's log lines: the caller's own X-Request-Id when it is safe, else a new UUID",
          schema: { type: 'string', pattern: '^[\\w.:-]{1,128}$' },
        },
        Location: {
          required: true,
          description: 'The path of the new item',
          schema: { type: 'string', format: 'uri-reference' },
        },
      },
      securitySchemes: {
        bearerToken: {
          type: 'http',
          scheme: 'bearer',
          description: 'The API token the service reads from API_TOKEN_FILE',
        },
      },
    },
  };
}
