#!/usr/bin/env node
// sample-api/ is the generator's output for the default answers, committed so people can
// read it without running anything. `node scripts/sample.mjs refresh` rewrites it from a
// fresh run; `node scripts/sample.mjs diff` lists what differs (used by the drift test).
//
// Ignored, because they must differ from run to run: the random API token (never
// committed), the lockfile (it pins what the registry served when it was refreshed), and
// what installs and builds leave behind.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SAMPLE = path.join(ROOT, 'sample-api');
const CLI = path.join(ROOT, 'dist/cli/create-container-api.js');
export const IGNORED = ['secrets', 'package-lock.json', 'node_modules', 'dist', 'data', 'coverage'];

function files(dir, prefix = '') {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => !(prefix === '' && IGNORED.includes(entry.name)))
    .flatMap((entry) => (entry.isDirectory() ? files(path.join(dir, entry.name), `${prefix}${entry.name}/`) : [`${prefix}${entry.name}`]))
    .sort();
}

/** Generates the default project into a fresh folder named like the sample, so the name matches. */
function generateFresh() {
  const parent = mkdtempSync(path.join(os.tmpdir(), 'sample-'));
  const target = path.join(parent, 'sample-api');
  execFileSync(process.execPath, [CLI, target, '--yes', '--skip-install', '--skip-git'], { stdio: 'pipe' });
  return { parent, target };
}

/** Paths that are missing, extra or different in sample-api/ compared with a fresh run. */
export function drift() {
  const { parent, target } = generateFresh();
  try {
    const fresh = files(target);
    const committed = files(SAMPLE);
    const problems = [
      ...fresh.filter((f) => !committed.includes(f)).map((f) => `missing: ${f}`),
      ...committed.filter((f) => !fresh.includes(f)).map((f) => `extra: ${f}`),
      ...fresh
        .filter((f) => committed.includes(f))
        .filter((f) => !readFileSync(path.join(target, f)).equals(readFileSync(path.join(SAMPLE, f))))
        .map((f) => `differs: ${f}`),
    ];
    return problems;
  } finally {
    rmSync(parent, { recursive: true, force: true });
  }
}

function refresh() {
  const { parent, target } = generateFresh();
  try {
    for (const entry of existsSync(SAMPLE) ? readdirSync(SAMPLE) : []) {
      if (!IGNORED.includes(entry)) rmSync(path.join(SAMPLE, entry), { recursive: true, force: true });
    }
    for (const file of files(target)) cpSync(path.join(target, file), path.join(SAMPLE, file));
    // The lockfile lets `npm ci` and the Dockerfile work in the sample as in a generated project.
    execFileSync('npm', ['install', '--package-lock-only', '--no-audit', '--no-fund'], { cwd: SAMPLE, stdio: 'inherit' });
  } finally {
    rmSync(parent, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const command = process.argv[2];
  if (command === 'refresh') {
    refresh();
    console.log('sample-api/ refreshed from a fresh default run.');
  } else if (command === 'diff') {
    const problems = drift();
    console.log(problems.length ? problems.join('\n') : 'sample-api/ matches a fresh default run.');
    process.exitCode = problems.length ? 1 : 0;
  } else {
    console.error('usage: node scripts/sample.mjs refresh|diff');
    process.exitCode = 2;
  }
}
