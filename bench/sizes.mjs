// `npm run bench -- --only sizes`: each runtime (and package manager) of the generator, built
// once, next to its physical limit: what the image cannot do without, taken from its parts.
//   limit = the base's node binary + the shared libraries it loads (libc and friends)
//         + the production node_modules + dist (the layers of the built image that hold them)
// Targets: distroless ≤ 1.10 × its limit; slim no larger than the docker init-style image (c)
// on the same base. Printed only; BENCHMARKS.md stays the product of one full run.
import fs from 'node:fs';
import path from 'node:path';
import { appLayers, build, docker, imageSize, made, runtimeBase } from './docker.mjs';
import { fixed, mb, run } from './lib.mjs';
import { makeContext } from './measure.mjs';
import { log, PACKAGE_MANAGERS, RUNTIMES, repo, VARIANTS, work } from './options.mjs';

/** Where each base keeps its node binary. */
const NODE_BIN = { slim: '/usr/local/bin/node', distroless: '/nodejs/bin/node' };
const LIB_DIRS = ['/lib/x86_64-linux-gnu', '/usr/lib/x86_64-linux-gnu', '/lib64'];

/** Generates the app with these answers; a flag the generator does not know fails clearly. */
export async function generateVariant(runtime, packageManager) {
  const app = path.join(work, `app-${runtime}-${packageManager}`);
  const args = [path.join(repo, 'dist/cli/create-container-api.js'), app, '--yes', '--skip-install', '--runtime', runtime];
  // npm is the generator's default; other managers need the flag of issue 14.
  if (packageManager !== 'npm') args.push('--package-manager', packageManager);
  const r = await run('node', args, { cwd: work, allowFail: true, timeoutMs: 5 * 60_000 });
  if (r.code !== 0) {
    const why = (r.err || r.out).trim().split('\n')[0];
    throw new Error(
      `the generator refused ${args.slice(2).join(' ')}: ${why}\n` +
        (packageManager !== 'npm'
          ? `--package-manager arrives with issue 14; until it is merged keep PACKAGE_MANAGERS in bench/options.mjs at ['npm'].`
          : ''),
    );
  }
  // The Dockerfile installs from the lockfile; --skip-install wrote none. Each manager writes
  // its own, at the version package.json pins (npx fetches pnpm and Yarn from npm).
  const pinned = JSON.parse(fs.readFileSync(path.join(app, 'package.json'), 'utf8')).packageManager;
  const version = pinned?.split('@')[1];
  const lockOnly = {
    npm: ['npm', ['install', '--package-lock-only', '--ignore-scripts', '--no-audit', '--no-fund']],
    pnpm: ['npx', ['-y', `pnpm@${version}`, 'install', '--lockfile-only', '--ignore-scripts']],
    yarn: ['npx', ['-y', `@yarnpkg/cli-dist@${version}`, 'install', '--mode=update-lockfile']],
  }[packageManager];
  if (!lockOnly) throw new Error(`bench/sizes.mjs: no lockfile recipe for ${packageManager}`);
  // Yarn refuses to write a lockfile under CI=true (immutable installs) unless told.
  await run(lockOnly[0], lockOnly[1], {
    cwd: app,
    timeoutMs: 5 * 60_000,
    env: { ...process.env, YARN_ENABLE_IMMUTABLE_INSTALLS: 'false' },
  });
  return app;
}

/** Bytes of files copied out of an image (symlinks followed), 0 for a path it does not have. */
async function fileBytes(container, file, dir) {
  const dest = path.join(dir, path.basename(file));
  const r = await docker(['cp', '-L', `${container}:${file}`, dest], { allowFail: true });
  return r.code === 0 ? fs.statSync(dest).size : 0;
}

/** The base's node binary and the shared libraries it names (ELF NEEDED, plus the loader). */
export async function nodeAndLibc(base, runtime) {
  const dir = fs.mkdtempSync(path.join(work, 'parts-'));
  const container = `bench-parts-${runtime}`;
  made.containers.add(container);
  await docker(['rm', '-f', container], { allowFail: true });
  await docker(['create', '--name', container, base]);
  try {
    const node = await fileBytes(container, NODE_BIN[runtime], dir);
    if (!node) throw new Error(`${base}: no node binary at ${NODE_BIN[runtime]}`);
    const elf = (await run('readelf', ['-d', '-l', path.join(dir, 'node')])).out;
    const needed = [...elf.matchAll(/\(NEEDED\)\s+Shared library: \[([^\]]+)\]/g)].map((m) => m[1]);
    const loader = /program interpreter: ([^\]]+)\]/.exec(elf)?.[1];
    const libs = {};
    for (const lib of needed) {
      for (const d of LIB_DIRS) {
        const bytes = await fileBytes(container, `${d}/${lib}`, dir);
        if (bytes) {
          libs[lib] = bytes;
          break;
        }
      }
      if (!libs[lib]) throw new Error(`${base}: node needs ${lib}, found in none of ${LIB_DIRS.join(', ')}`);
    }
    if (loader) libs[path.basename(loader)] = await fileBytes(container, loader, dir);
    return { node, libs, libBytes: Object.values(libs).reduce((a, b) => a + b, 0) };
  } finally {
    await docker(['rm', '-f', container], { allowFail: true });
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The size rows; printed, and kept in results.json by a full run. */
export async function measureSizes() {
  log('building the generator ...');
  await run('npm', ['run', 'build'], { cwd: repo, timeoutMs: 5 * 60_000 });
  fs.mkdirSync(work, { recursive: true });
  const rows = [];
  let slimApp;
  for (const packageManager of PACKAGE_MANAGERS) {
    for (const runtime of RUNTIMES) {
      const app = await generateVariant(runtime, packageManager);
      if (runtime === 'slim' && packageManager === 'npm') slimApp = app;
      const v = { ...VARIANTS.a, image: `bench-a-${runtime}-${packageManager}` };
      const { ctx } = makeContext(app, `sizes-${runtime}-${packageManager}`, 'a');
      // Cold: no layer cache and an empty cache mount. Sized then, from the sources as generated
      // (the same sources (c) is built from).
      const cold = await build(v, ctx, { cold: true });
      const size = await imageSize(v.image);
      const base = runtimeBase(app);
      const parts = await nodeAndLibc(base, runtime);
      const layers = await appLayers(v.image);
      const limit = parts.node + parts.libBytes + layers.nodeModules + layers.dist;
      // Warm: the same build after a one-line source edit, which must reinstall nothing.
      fs.appendFileSync(path.join(ctx, 'src/server.ts'), '\n// bench: a one-line source change\n');
      const warm = await build(v, ctx, { cold: false });
      if (warm.depsReinstalled) throw new Error(`${runtime}/${packageManager}: a source-only edit reinstalled dependencies`);
      rows.push({
        runtime,
        packageManager,
        base,
        baseSize: await imageSize(base),
        size,
        limit,
        ...parts,
        ...layers,
        coldMs: cold.ms,
        warmMs: warm.ms,
      });
      await docker(['rmi', '-f', v.image], { allowFail: true });
    }
  }
  // (c) on the slim base, for the slim verdict.
  const { ctx } = makeContext(slimApp, 'sizes-c', 'c');
  await build(VARIANTS.c, ctx, { cold: false });
  const initSize = await imageSize(VARIANTS.c.image);

  log('image size next to its physical limit (node + its shared libraries + node_modules + dist):');
  for (const r of rows) {
    const times = r.size / r.limit;
    const verdict =
      r.runtime === 'distroless'
        ? `${fixed(times)}× the limit: ${times <= 1.1 ? 'met' : 'not met'} (target ≤ 1.10×)`
        : `${fixed(times)}× the limit; vs docker init-style ${mb(initSize)} MB: ${r.size <= initSize ? 'met' : 'not met'} (target ≤)`;
    console.log(
      `  ${r.runtime}/${r.packageManager} on ${r.base} (${mb(r.baseSize)} MB): image ${mb(r.size)} MB, limit ${mb(r.limit)} MB ` +
        `= node ${mb(r.node)} + libs ${mb(r.libBytes)} (${Object.keys(r.libs).join(', ')}) + node_modules ${mb(r.nodeModules)} + dist ${mb(r.dist, 2)}; cold build ${fixed(r.coldMs / 1000, 1)} s, warm rebuild ${fixed(r.warmMs / 1000, 1)} s; ${verdict}`,
    );
  }
  return { rows, initSize };
}
