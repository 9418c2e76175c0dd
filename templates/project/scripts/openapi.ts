/**
 * `<%- pm.run('openapi') %>`: writes the OpenAPI document the code produces to openapi.json, for
 * clients, reviewers and linters. test/unit/openapi.test.ts fails until it is run after a
 * change to the routes or schemas.
 */
import { writeFileSync } from 'node:fs';
import { createOpenApiDocument } from '../src/openapi.ts';

const file = new URL('../openapi.json', import.meta.url);
writeFileSync(file, `${JSON.stringify(createOpenApiDocument(), null, 2)}\n`);
console.log(`wrote ${file.pathname}`);
