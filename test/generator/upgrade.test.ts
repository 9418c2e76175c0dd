/**
 * The upgrade's merges and its plan, on real files and with the real `git merge-file`. The
 * whole run, between two published versions, is test/e2e/upgrade.test.ts.
 */
import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mergeJson, mergePackageJson, mergeText } from '../../cli/upgrade/merge.js';
import type ContainerApiGenerator from '../../generators/app/index.js';
import { updateLockfile } from '../../cli/upgrade/index.js';
import { apply, plan } from '../../cli/upgrade/plan.js';
import { GENERATOR_PATH } from '../support/paths.js';
import helpers from '../support/yeoman.js';

const lines = (...items: string[]) => `${items.join('\n')}\n`;

describe('mergeText', () => {
  const base = lines('FROM node:24', 'RUN a', 'ENV X=1', 'RUN b', 'RUN c', 'CMD ["node"]');

  it('takes both sides where they changed different lines', () => {
    const ours = base.replace('RUN a', 'RUN a --mine');
    const theirs = base.replace('RUN c', 'RUN c --new');
    expect(mergeText(ours, base, theirs)).toEqual({
      text: base.replace('RUN a', 'RUN a --mine').replace('RUN c', 'RUN c --new'),
      conflicts: 0,
    });
  });

  it('marks a line both changed, with labels that say whose side is whose', () => {
    const merged = mergeText(base.replace('ENV X=1', 'ENV X=2'), base, base.replace('ENV X=1', 'ENV X=3'));
    expect(merged.conflicts).toBe(1);
    expect(merged.text).toContain(lines('<<<<<<< yours', 'ENV X=2', '=======', 'ENV X=3', '>>>>>>> new template'));
  });
});

describe('mergeJson / mergePackageJson', () => {
  const base = { name: 'api', scripts: { test: 'jest' }, dependencies: { express: '^5.1.0', pino: '^10.0.0' } };

  it("keeps the user's keys and values, and takes the template's bumps, additions and removals", () => {
    const ours = {
      ...base,
      description: 'mine',
      scripts: { ...base.scripts, hello: 'echo' },
      dependencies: { ...base.dependencies, ms: '^2' },
    };
    const theirs = { ...base, dependencies: { express: '^5.3.0', zod: '^4' } };
    expect(mergeJson(ours, base, theirs)).toEqual({
      value: {
        name: 'api',
        scripts: { test: 'jest', hello: 'echo' },
        dependencies: { express: '^5.3.0', ms: '^2', zod: '^4' },
        description: 'mine',
      },
      conflicts: [],
    });
  });

  it("reports a value both changed differently, keeping the user's", () => {
    const ours = { ...base, dependencies: { ...base.dependencies, express: '^5.2.0' } };
    const theirs = { ...base, dependencies: { ...base.dependencies, express: '^5.3.0' } };
    const merged = mergePackageJson(JSON.stringify(ours), JSON.stringify(base), JSON.stringify(theirs));
    expect(merged.conflicts).toEqual(['dependencies.express']);
    expect(JSON.parse(merged.text).dependencies.express).toBe('^5.2.0');
    expect(merged.text.endsWith('}\n')).toBe(true);
  });
});

describe('plan and apply', () => {
  function tree(files: Record<string, string>): string {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'upgrade-plan-'));
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      writeFileSync(path.join(dir, file), text, { mode: file.endsWith('.sh') ? 0o755 : 0o644 });
    }
    return dir;
  }
  const dockerfile = lines('FROM node:24', 'RUN a', 'RUN b', 'RUN c');

  const base = tree({
    Dockerfile: dockerfile,
    'same.txt': 'same\n',
    'dropped.txt': 'old\n',
    'dropped-edited.txt': 'old\n',
    'secrets/api_token': 'base-secret\n',
    'deleted.txt': 'v1\n',
  });
  const next = tree({
    Dockerfile: dockerfile.replace('RUN c', 'RUN c --new'),
    'same.txt': 'same\n',
    'added.sh': '#!/bin/sh\n',
    'secrets/api_token': 'new-secret\n',
    'deleted.txt': 'v2\n',
    'untouched.txt': 'v2\n',
  });
  const project = tree({
    Dockerfile: dockerfile.replace('RUN a', 'RUN a --mine'),
    'same.txt': 'same\n',
    'dropped.txt': 'old\n',
    'dropped-edited.txt': 'edited\n',
    'secrets/api_token': 'users-secret\n',
    'untouched.txt': 'v1\n',
    'mine.txt': 'not ours\n',
  });
  // untouched.txt is in the project and the new render but not the base: a file the old
  // version did not write, that the user made: both are theirs, so it is a conflict.
  const steps = plan(base, next, project);
  const byFile = Object.fromEntries(steps.map((s) => [s.file, s.action]));

  it('decides each kind of file', () => {
    expect(byFile).toEqual({
      Dockerfile: 'merged',
      'added.sh': 'added',
      'deleted.txt': 'kept',
      'dropped-edited.txt': 'kept',
      'dropped.txt': 'removed',
      'same.txt': 'unchanged',
      'untouched.txt': 'conflict',
    });
  });

  it('never touches a secret or a file none of our renders holds, and carries the plan out', () => {
    apply(project, steps);
    expect(readFileSync(path.join(project, 'secrets/api_token'), 'utf8')).toBe('users-secret\n');
    expect(readFileSync(path.join(project, 'mine.txt'), 'utf8')).toBe('not ours\n');
    expect(readFileSync(path.join(project, 'Dockerfile'), 'utf8')).toBe(lines('FROM node:24', 'RUN a --mine', 'RUN b', 'RUN c --new'));
    expect(statSync(path.join(project, 'added.sh')).mode & 0o777).toBe(0o755);
    expect(() => statSync(path.join(project, 'dropped.txt'))).toThrow();
    expect(readFileSync(path.join(project, 'dropped-edited.txt'), 'utf8')).toBe('edited\n');
  });

  it('without a base (offline), writes what differs beside as <file>.new and merges nothing', () => {
    const offline = tree({ Dockerfile: 'mine\n', 'same.txt': 'same\n' });
    const fallback = plan(undefined, next, offline);
    expect(Object.fromEntries(fallback.map((s) => [s.file, s.action]))).toMatchObject({
      Dockerfile: 'beside',
      'same.txt': 'unchanged',
      'added.sh': 'added',
    });
    apply(offline, fallback);
    expect(readFileSync(path.join(offline, 'Dockerfile'), 'utf8')).toBe('mine\n');
    expect(readFileSync(path.join(offline, 'Dockerfile.new'), 'utf8')).toBe(dockerfile.replace('RUN c', 'RUN c --new'));
  });
});

describe('updateLockfile', () => {
  it("brings package-lock.json up to date with a merged package.json, through the lockfile's own manager", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'upgrade-lock-'));
    const manifest = { name: 'locked', version: '1.0.0', private: true };
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify(manifest));
    writeFileSync(
      path.join(dir, 'package-lock.json'),
      JSON.stringify({ name: 'locked', version: '1.0.0', lockfileVersion: 3, requires: true, packages: { '': manifest } }),
    );
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ ...manifest, version: '1.1.0' }));
    const said: string[] = [];
    updateLockfile(dir, (line) => said.push(line));
    expect(said).toEqual([]);
    expect(JSON.parse(readFileSync(path.join(dir, 'package-lock.json'), 'utf8')).version).toBe('1.1.0');
  });
});

describe('yo container-api --upgrade', () => {
  const registry = process.env.npm_config_registry;
  const retries = process.env.npm_config_fetch_retries;
  // A registry that refuses at once: the upgrade has no base and falls back to <file>.new.
  beforeAll(() => Object.assign(process.env, { npm_config_registry: 'http://127.0.0.1:9/', npm_config_fetch_retries: '0' }));
  afterAll(() => {
    for (const [key, value] of [
      ['npm_config_registry', registry],
      ['npm_config_fetch_retries', retries],
    ] as const) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });

  it("runs the bin's upgrade in the project instead of generating", async () => {
    const project = mkdtempSync(path.join(os.tmpdir(), 'yo-upgrade-'));
    const run = () => helpers.run<ContainerApiGenerator>(GENERATOR_PATH).cd(project);
    await run().withOptions({ yes: true, skipInstall: true, skipGit: true, interactive: false });
    const dockerfile = path.join(project, 'Dockerfile');
    writeFileSync(dockerfile, `${readFileSync(dockerfile, 'utf8')}LABEL vendor=acme\n`);
    const edited = readFileSync(dockerfile, 'utf8');
    await run().withOptions({ upgrade: true, interactive: false });
    // The upgrade's fallback wrote the new Dockerfile beside the user's; generating would have
    // refused the edited Dockerfile or, forced, replaced it.
    expect(readFileSync(dockerfile, 'utf8')).toBe(edited);
    expect(readFileSync(`${dockerfile}.new`, 'utf8')).not.toContain('LABEL vendor=acme');
  });
});
