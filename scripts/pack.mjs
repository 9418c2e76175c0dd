#!/usr/bin/env node
// Packs the two names this project is published under:
//   generator-container-api  what `yo container-api` finds (yo looks for generator-*): dist/,
//                            templates/ and its dependencies, loaded by yo as a generator
//   create-container-api     what `npm create container-api` runs (npm runs create-*): the
//                            same dist/ bundled by scripts/bundle.mjs with every dependency
//                            into bundle/, beside the same templates/, and no dependencies to
//                            install, so npm fetches one tarball before the first question
// Both are made from one build, so the generator and the bin can never drift apart.
// Usage: node scripts/pack.mjs [destination] (prints JSON).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundle } from './bundle.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const destination = path.resolve(process.argv[2] ?? ROOT);

function pack(cwd) {
  const [{ filename }] = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', destination], { cwd, encoding: 'utf8' }));
  return path.join(destination, filename);
}

const generator = pack(ROOT);
const staging = mkdtempSync(path.join(os.tmpdir(), 'pack-create-'));
try {
  execFileSync('tar', ['-xzf', generator, '-C', staging]);
  const folder = path.join(staging, 'package');
  // Bundled from the repository's dist/, so imports resolve in its node_modules.
  await bundle(path.join(ROOT, 'dist'), path.join(folder, 'bundle'));
  rmSync(path.join(folder, 'dist'), { recursive: true });
  const manifestPath = path.join(folder, 'package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  manifest.name = 'create-container-api';
  manifest.keywords = manifest.keywords.filter((word) => word !== 'yeoman-generator');
  manifest.bin = { 'create-container-api': 'bundle/cli/create-container-api.js' };
  manifest.files = ['bundle', 'templates'];
  // Nothing to install, build or test: the bundle is the package.
  for (const key of ['dependencies', 'devDependencies', 'overrides', 'allowScripts', 'scripts']) delete manifest[key];
  writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  const create = pack(folder);
  console.log(JSON.stringify({ generator, create }));
} finally {
  rmSync(staging, { recursive: true, force: true });
}
