// `npm run bench -- --only time-to-project [--runs N]`: how long a user waits between typing
// `npm create container-api` and a project, on a clean npm cache, next to two other project
// generators from npm. Needs no Docker engine; needs the npm registry (every run downloads).
//
// Each run gets an empty npm cache and installs the tool the way `npm create` / `npx` do:
// `npm exec --package <spec> -- <bin>`, which puts the package and its dependencies in the
// cache's _npx folder and runs its bin from there. Ours is the packed tarball of
// scripts/pack.mjs (create-container-api), so what is measured is what would be published.
//   first prompt      spawn → the first question on a terminal (a pty from util-linux `script`)
//   written project   spawn → exit, with the flags that answer every question and skip the
//                     project's own npm install where the tool allows it
// Package count and installed size are those of the _npx install.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { fixed, mb, median, run } from './lib.mjs';
import { log, opts, repo } from './options.mjs';

/** The tools compared, each with how to reach a written project and its first question. */
export function tools(createTarball) {
  return [
    {
      name: 'create-container-api (ours)',
      spec: createTarball,
      bin: 'create-container-api',
      written: (dir) => [dir, '--yes', '--skip-install'],
      interactive: (dir) => [dir],
      prompt: /npmpackagenameoftheAPI/,
      installs: false,
    },
    {
      name: 'express-generator-typescript',
      spec: 'express-generator-typescript@2.8.1',
      bin: 'express-generator-typescript',
      // It asks nothing and always runs npm install in the new project.
      written: (dir) => [dir],
      interactive: null,
      installs: true,
    },
    {
      name: 'create-vite (npm create vite)',
      spec: 'create-vite@9.3.0',
      bin: 'create-vite',
      written: (dir) => [dir, '--template', 'vanilla-ts', '--no-interactive'],
      interactive: () => [],
      prompt: /Projectname/,
      installs: false,
    },
  ];
}

const shellQuote = (s) => `'${String(s).replace(/'/g, `'\\''`)}'`;

function npmExecArgs(tool, args) {
  return ['exec', '--yes', '--no-audit', '--no-fund', '--package', tool.spec, '--', tool.bin, ...args];
}

/** An empty cache and working folder of its own for one run. */
function freshRun(root, label) {
  const dir = fs.mkdtempSync(path.join(root, `${label}-`));
  const cache = path.join(dir, 'npm-cache');
  const cwd = path.join(dir, 'cwd');
  fs.mkdirSync(cwd);
  const env = { ...process.env, npm_config_cache: cache, npm_config_update_notifier: 'false', CI: '' };
  return { dir, cache, cwd, env };
}

/** The _npx install of a run: package count (lockfile entries) and bytes on disk. */
function npxInstall(cache) {
  const npx = path.join(cache, '_npx');
  const [hash] = fs.existsSync(npx) ? fs.readdirSync(npx) : [];
  if (!hash) return { packages: NaN, bytes: NaN };
  const lock = JSON.parse(fs.readFileSync(path.join(npx, hash, 'package-lock.json'), 'utf8'));
  const packages = Object.keys(lock.packages ?? {}).filter((key) => key !== '').length;
  let bytes = 0;
  const walk = (p) => {
    const st = fs.lstatSync(p);
    if (st.isDirectory()) for (const entry of fs.readdirSync(p)) walk(path.join(p, entry));
    else bytes += st.size;
  };
  walk(path.join(npx, hash, 'node_modules'));
  return { packages, bytes };
}

/** Spawn → exit of the non-interactive run. */
async function timeWritten(tool, root) {
  const r = freshRun(root, 'written');
  // A name relative to the working folder: express-generator-typescript takes no path.
  const target = path.join(r.cwd, 'project');
  const t0 = performance.now();
  await run('npm', npmExecArgs(tool, tool.written('project')), { cwd: r.cwd, env: r.env, timeoutMs: 10 * 60_000 });
  const ms = performance.now() - t0;
  if (!fs.existsSync(path.join(target, 'package.json'))) throw new Error(`${tool.name}: no package.json in ${target}`);
  const install = npxInstall(r.cache);
  fs.rmSync(r.dir, { recursive: true, force: true });
  return { ms, ...install };
}

/**
 * What a terminal shows, minus its spacing: prompt libraries paint with escape sequences and
 * cursor moves, and the pty can split them across lines, so the question is matched unspaced.
 */
const plain = (text) => stripVTControlCharacters(text.replace(/\s+/g, ''));

/** Spawn → the first question on a pseudo-terminal; then the tool is stopped. */
function timeFirstPrompt(tool, r) {
  const command = ['npm', ...npmExecArgs(tool, tool.interactive('project'))].map(shellQuote).join(' ');
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    // `script` gives the command a pty, so the tool sees a terminal and asks; stdin stays open.
    const child = spawn('script', ['-q', '-e', '-c', command, '/dev/null'], { cwd: r.cwd, env: r.env, detached: true });
    let out = '';
    let done = false;
    const finish = (error, ms) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {}
      child.once('close', () => (error ? reject(error) : resolve({ ms })));
    };
    const timer = setTimeout(() => finish(new Error(`${tool.name}: no prompt within 5 min\n${out.slice(-2000)}`)), 5 * 60_000);
    child.stdout.on('data', (d) => {
      out += d;
      if (tool.prompt.test(plain(out))) finish(null, performance.now() - t0);
    });
    child.stderr.on('data', (d) => (out += d));
    child.on('exit', () => finish(new Error(`${tool.name}: exited before its first question\n${out.slice(-2000)}`)));
  });
}

export async function timeToProject(runs = opts.runs) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-ttp-'));
  try {
    log('building and packing the two published names (scripts/pack.mjs) ...');
    await run('npm', ['run', 'build'], { cwd: repo, timeoutMs: 5 * 60_000 });
    const packed = JSON.parse((await run(process.execPath, [path.join(repo, 'scripts/pack.mjs'), root])).out);
    const results = [];
    for (const tool of tools(packed.create)) {
      const written = [];
      const prompts = [];
      const warmPrompts = [];
      for (let i = 0; i < runs; i++) {
        written.push(await timeWritten(tool, root));
        if (tool.interactive) {
          const r = freshRun(root, 'prompt');
          prompts.push((await timeFirstPrompt(tool, r)).ms);
          // Again on the cache the first one filled: what is left is starting the tool.
          warmPrompts.push((await timeFirstPrompt(tool, r)).ms);
          fs.rmSync(r.dir, { recursive: true, force: true });
        }
        log(
          `${tool.name} run ${i + 1}/${runs}: written ${fixed(written.at(-1).ms / 1000, 1)} s` +
            (tool.interactive
              ? `, first prompt ${fixed(prompts.at(-1) / 1000, 1)} s (warm cache ${fixed(warmPrompts.at(-1) / 1000, 1)} s)`
              : ''),
        );
      }
      results.push({
        name: tool.name,
        spec: path.isAbsolute(tool.spec) ? path.basename(tool.spec) : tool.spec,
        installsProject: tool.installs,
        firstPromptMs: prompts,
        warmFirstPromptMs: warmPrompts,
        writtenMs: written.map((w) => w.ms),
        packages: median(written.map((w) => w.packages)),
        bytes: median(written.map((w) => w.bytes)),
      });
    }
    log(`time to a project, medians of ${runs} runs, each on an empty npm cache:`);
    for (const t of results) {
      const prompt = t.firstPromptMs.length
        ? `${fixed(median(t.firstPromptMs) / 1000, 1)} s (warm cache ${fixed(median(t.warmFirstPromptMs) / 1000, 1)} s)`
        : 'asks nothing';
      const written = `${fixed(median(t.writtenMs) / 1000, 1)} s${t.installsProject ? ' (its own npm install included: it has no way to skip it)' : ''}`;
      console.log(`  ${t.name}: first prompt ${prompt}; written project ${written}; ${t.packages} packages, ${mb(t.bytes)} MB installed`);
    }
    return results;
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}
