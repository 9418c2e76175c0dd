/**
 * Property-based: fast-check sends generated requests, valid and invalid, to every
 * operation in the OpenAPI document, and every response must be one the document allows
 * and none a 5xx. Valid bodies and queries are generated from the document's own schemas.
 * The seed is fixed so a run is reproducible; a failure prints the request that caused it,
 * shrunk to the smallest one that still fails.
 */
import fc from 'fast-check';
import request from 'supertest';
import { conformance, operations, requestSchema, type Operation } from './contract.ts';
<%_ if (token) { _%>
import { createHarness, TOKEN, type Harness } from './helpers.ts';
<%_ } else { _%>
import { createHarness, type Harness } from './helpers.ts';
<%_ } _%>

// biome-ignore lint/suspicious/noExplicitAny: a JSON document walked by its keys, each read checked where it is used
type Json = Record<string, any>;

const RUNS = 40;
const SEED = 19;

let h: Harness;
beforeAll(() => {
  h = createHarness();
});
afterAll(() => h.close());

/** Values a JSON Schema accepts, for the few kinds of schema the document uses. */
function arbitraryFor(schema: Json): fc.Arbitrary<unknown> {
  switch (schema.type) {
    case 'string':
      return fc.string({ unit: 'grapheme', minLength: schema.minLength ?? 0, maxLength: schema.maxLength ?? 100 });
    case 'integer':
      return fc.integer({
        min: schema.minimum ?? -(2 ** 31),
        max: Math.min(schema.maximum ?? 2 ** 31, Number.MAX_SAFE_INTEGER),
      });
    case 'object': {
      const properties = Object.fromEntries(
        Object.entries((schema.properties ?? {}) as Json).map(([key, value]) => [key, arbitraryFor(value)]),
      );
      return fc.record(properties, { requiredKeys: schema.required ?? [] });
    }
    default:
      throw new Error(`no generator for schema ${JSON.stringify(schema)}: add one to fuzz.test.ts`);
  }
}

function queryOf(op: Operation): fc.Arbitrary<Record<string, unknown>> {
  const parameters = (op.spec.parameters as Json[]).filter((p) => p.in === 'query');
  const valid = fc.record(Object.fromEntries(parameters.map((p) => [p.name, arbitraryFor(p.schema)])), {
    requiredKeys: [],
  });
  const names = [...parameters.map((p) => p.name as string), 'other'];
  const invalid = fc.dictionary(fc.constantFrom(...names), fc.oneof(fc.string(), fc.integer()));
  return fc.oneof(valid, invalid);
}

function bodyOf(op: Operation): fc.Arbitrary<string | undefined> {
  const schema = requestSchema(op);
  if (!schema) return fc.constant(undefined);
  return fc.oneof(
    arbitraryFor(schema).map((value) => JSON.stringify(value)),
    fc.jsonValue().map((value) => JSON.stringify(value)),
    fc.string(), // mostly not JSON at all
  );
}

/** An id for the path: one that exists, one that could, any text, and raw broken escapes. */
const idOf = (existing: string) =>
  fc.oneof(
    fc.constant(existing),
    fc.uuid(),
    fc.string({ unit: 'grapheme', minLength: 1 }).map(encodeURIComponent),
    fc.stringMatching(/^[%0-9A-Fa-z]{1,9}$/),
  );

const requestOf = (op: Operation, existing: string) =>
  fc.record({
    id: idOf(existing),
    query: queryOf(op),
    body: bodyOf(op),
    contentType: fc.constantFrom(
      'application/json',
      'application/json; charset=utf-8',
      'application/json; charset=utf-16',
      'text/plain',
    ),
<%_ if (token) { _%>
    authorization: fc.constantFrom(`Bearer ${TOKEN}`, 'Bearer wrong', undefined),
<%_ } _%>
  });

describe.each(operations)('$operationId ($method $path), fuzzed', (op) => {
  it(`answers ${RUNS} generated requests only as the document allows, never with a 5xx`, async () => {
<%_ if (token) { _%>
    const { body: item } = await request(h.app)
      .post('/items')
      .set('Authorization', `Bearer ${TOKEN}`)
      .send({ name: 'fuzz' })
      .expect(201);
<%_ } else { _%>
    const { body: item } = await request(h.app).post('/items').send({ name: 'fuzz' }).expect(201);
<%_ } _%>
    await fc.assert(
      fc.asyncProperty(requestOf(op, item.id), async (input) => {
        const path = op.path.replace('{id}', input.id);
        const query = new URLSearchParams(
          Object.entries(input.query).map(([key, value]): [string, string] => [key, String(value)]),
        );
        const req = request(h.app)[op.method as 'get'](`${path}?${query}`);
<%_ if (token) { _%>
        if (input.authorization) req.set('Authorization', input.authorization);
<%_ } _%>
        if (input.body !== undefined) req.set('Content-Type', input.contentType).send(input.body);
        const res = await req;
        expect(res.status).toBeLessThan(500);
        expect(conformance(op, res)).toEqual([]);
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });
});
