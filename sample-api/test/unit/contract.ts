/**
 * Checks responses against the OpenAPI document with ajv, a JSON Schema validator: the
 * document's schemas are JSON Schema 2020-12, so no OpenAPI-specific validator is needed.
 */
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import type { Response } from 'supertest';
import { createOpenApiDocument } from '../../src/openapi.ts';

// biome-ignore lint/suspicious/noExplicitAny: a JSON document walked by its keys, each read checked where it is used
type Json = Record<string, any>;

export const document = createOpenApiDocument() as Json;

export interface Operation {
  operationId: string;
  method: string;
  /** As documented: `/items/{id}`. */
  path: string;
  spec: Json;
}

const METHODS = ['get', 'put', 'post', 'patch', 'delete'];

export const operations: Operation[] = Object.entries(document.paths as Json).flatMap(([path, item]) =>
  METHODS.filter((method) => item[method]).map((method) => ({
    operationId: item[method].operationId,
    method,
    path,
    spec: { ...item[method], parameters: [...(item.parameters ?? []), ...(item[method].parameters ?? [])] },
  })),
);

export const operation = (operationId: string): Operation => {
  const found = operations.find((op) => op.operationId === operationId);
  if (!found) throw new Error(`no operation ${operationId} in the document`);
  return found;
};

// Formats are not checked as such: every format zod writes comes with a `pattern`, which is.
const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
ajv.addSchema(document, 'openapi.json');

const pointer = (...keys: string[]) => keys.map((key) => key.replaceAll('~', '~0').replaceAll('/', '~1')).join('/');

const validators = new Map<string, ValidateFunction>();
function validator(jsonPointer: string): ValidateFunction {
  let validate = validators.get(jsonPointer);
  if (!validate) {
    validate = ajv.compile({ $ref: `openapi.json#${jsonPointer}` });
    validators.set(jsonPointer, validate);
  }
  return validate;
}

/** Follows a `$ref` to its target; returns the target and its JSON pointer. */
function resolve(value: Json, at: string): [Json, string] {
  if (typeof value.$ref !== 'string') return [value, at];
  const target = value.$ref.slice(1);
  const node = target
    .split('/')
    .slice(1)
    .reduce((node: Json, key: string) => node[key.replaceAll('~1', '/').replaceAll('~0', '~')], document);
  return [node, target];
}

/** What in `res` the document does not allow for `op`; empty when the response conforms. */
export function conformance(op: Operation, res: Response): string[] {
  const at = `/paths/${pointer(op.path, op.method)}/responses`;
  const status = String(res.status);
  const key = [status, `${status[0]}XX`, 'default'].find((candidate) => op.spec.responses[candidate]);
  if (!key) return [`status ${status} is not documented for ${op.operationId}`];
  const [response, responseAt] = resolve(op.spec.responses[key], `${at}/${pointer(key)}`);
  const problems: string[] = [];

  for (const [name, raw] of Object.entries((response.headers ?? {}) as Json)) {
    const [header, headerAt] = resolve(raw, `${responseAt}/headers/${pointer(name)}`);
    const value = res.headers[name.toLowerCase()];
    if (value === undefined) {
      if (header.required) problems.push(`header ${name} is missing`);
      continue;
    }
    const validate = validator(`${headerAt}/schema`);
    if (!validate(value)) problems.push(`header ${name}: ${ajv.errorsText(validate.errors)}`);
  }

  if (!response.content) {
    if (res.text) problems.push(`a body was sent where none is documented: ${res.text.slice(0, 200)}`);
    return problems;
  }
  if (!/^application\/json\b/.test(res.headers['content-type'] ?? '')) {
    return [...problems, `content-type ${res.headers['content-type']} is not application/json`];
  }
  const validate = validator(`${responseAt}/content/${pointer('application/json')}/schema`);
  if (!validate(res.body))
    problems.push(`body: ${ajv.errorsText(validate.errors)} in ${JSON.stringify(res.body).slice(0, 300)}`);
  return problems;
}

/** The schema of the JSON request body of `op`, with `$ref`s followed. */
export function requestSchema(op: Operation): Json | undefined {
  const schema = op.spec.requestBody?.content?.['application/json']?.schema;
  return schema && resolve(schema, '')[0];
}
