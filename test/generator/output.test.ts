/** The output module: the file report the bin prints instead of yeoman's per-file lines, and the --json switch. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { configureOutput, files, say } from '../../generators/lib/output.js';

let root = '';
beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'output-'));
  configureOutput({});
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** What the conflicter would report, through the loggers the bin gives yeoman's adapter. */
function report(entries: [string, 'create' | 'force' | 'identical' | 'skip'][]): void {
  const loggers = files.loggers(root);
  const log = {};
  for (const [file, status] of entries) expect(loggers[status].call(log, file)).toBe(log);
}

it('sums files up by folder, biggest first, then those at the top', () => {
  report([
    ['src/app.ts', 'create'],
    ['src/server.ts', 'create'],
    ['test/unit/app.test.ts', 'create'],
    ['package.json', 'create'],
  ]);
  expect(files.summary('my-api', false)).toEqual(['Wrote 4 files in my-api/ (src 2, test 1, 1 at the top).']);
});

it('folds the small folders into one count past the fourth', () => {
  report(['a', 'b', 'c', 'd', 'e', 'f'].map((folder, i) => [`${folder}/x${i}`, 'create'] as [string, 'create']));
  expect(files.summary('.', false)).toEqual(['Wrote 6 files in the current directory (a 1, b 1, c 1, d 1, 2 in 2 more folders).']);
});

it('calls a forced file that is not on disk yet created (yeoman forces .yo-rc.json on a first run), and one that is overwritten', () => {
  writeFileSync(path.join(root, 'Dockerfile'), 'FROM node');
  report([
    ['.yo-rc.json', 'force'],
    ['Dockerfile', 'force'],
    ['README.md', 'identical'],
  ]);
  configureOutput({ verbose: true });
  report([
    ['.yo-rc.json', 'force'],
    ['Dockerfile', 'force'],
    ['README.md', 'identical'],
  ]);
  expect(files.summary('api', false)).toEqual([
    '  created     .yo-rc.json',
    '  overwritten Dockerfile',
    '  unchanged   README.md',
    'Wrote 2 files in api/ (2 at the top; 1 unchanged).',
  ]);
});

it('prints nothing when the bin did not feed it (under yo, yeoman prints its own lines)', () => {
  configureOutput({});
  expect(files.summary('api', false)).toEqual([]);
});

it('machine output (--json) leaves every human result off stdout', () => {
  const written: string[] = [];
  const write = process.stdout.write;
  process.stdout.write = ((chunk: string) => written.push(chunk) > 0) as typeof process.stdout.write;
  try {
    configureOutput({ machine: true });
    say('Created my-api. Next:');
    expect(written).toEqual([]);
    configureOutput({});
    say('Created my-api. Next:');
    expect(written).toEqual(['Created my-api. Next:\n']);
  } finally {
    process.stdout.write = write;
  }
});
