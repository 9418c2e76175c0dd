#!/usr/bin/env node
// Publishes both names (see pack.mjs) from their packed tarballs, so what is published is
// exactly what the pack and registry tests installed. Arguments go to `npm publish`:
//   node scripts/publish.mjs --provenance     (the release workflow, with npm's OIDC link)
//   npm_config_registry=http://127.0.0.1:4873/ node scripts/publish.mjs
//                                             (test/e2e/registry.test.ts, against Verdaccio)
// The registry and its token come from npm's own configuration (.npmrc or npm_config_*).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const work = mkdtempSync(path.join(os.tmpdir(), 'publish-'));
try {
  const packed = JSON.parse(
    execFileSync(process.execPath, [path.join(here, 'pack.mjs'), work], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }),
  );
  // generator-container-api first: a create-container-api without its twin would be a
  // half-release, and `yo container-api` users are the larger group today.
  for (const tarball of [packed.generator, packed.create]) {
    execFileSync('npm', ['publish', tarball, '--access', 'public', ...process.argv.slice(2)], { stdio: 'inherit' });
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
