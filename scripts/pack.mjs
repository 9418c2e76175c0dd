#!/usr/bin/env node
// Packs the two names this project is published under:
//   generator-container-api  what `yo container-api` finds (yo looks for generator-*)
//   create-container-api     what `npm create container-api` runs (npm runs create-*)
// Both tarballs hold the same files; only the package name differs, so the generator and
// the bin can never drift apart. Usage: node scripts/pack.mjs [destination] (prints JSON).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

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
  const manifestPath = path.join(staging, 'package', 'package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  manifest.name = 'create-container-api';
  manifest.keywords = manifest.keywords.filter((word) => word !== 'yeoman-generator');
  writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  const create = pack(path.join(staging, 'package'));
  console.log(JSON.stringify({ generator, create }));
} finally {
  rmSync(staging, { recursive: true, force: true });
}
