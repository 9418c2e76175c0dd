#!/usr/bin/env node
// npm run bench [-- --runs N] [--quick] [--check] [--render] [--slice S] [--rounds R] [--connections C]
//
// Builds the same generated app three ways and measures each, N times, in one run:
//   (a) the generator's own Dockerfile and .dockerignore
//   (b) a naive single-stage Dockerfile (bench/dockerfiles/naive.Dockerfile)
//   (c) a docker init-style Dockerfile (bench/dockerfiles/docker-init.Dockerfile)
// and the same app on the host for the throughput comparison. Writes BENCHMARKS.md,
// bench/chart.svg and bench/results.json (raw numbers of every run), then removes every container, image, volume and
// build-cache record it made, also on failure or Ctrl-C.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { firstOk, fixed, kb, mb, median, parseBuildLog, probe, run, sleep, tail } from './lib.mjs';
import { writeReportFiles } from './report.mjs';
import { parseOptions, USAGE } from './options.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const benchDir = path.join(repo, 'bench');

// ---- options (bench/options.mjs) ------------------------------------------------------------
const { check, renderOnly, help, opts } = parseOptions(process.argv.slice(2));
if (help) {
  console.log(USAGE);
  process.exit(0);
}

const VARIANTS = {
  a: { label: '(a) generated', image: 'bench-a', container: 'bench-run-a', port: 13101 },
  b: { label: '(b) naive single-stage', image: 'bench-b', container: 'bench-run-b', port: 13102 },
  c: { label: '(c) docker init-style', image: 'bench-c', container: 'bench-run-c', port: 13103 },
};
const HOST_PORT = 13100;
const TOKEN = 'bench-token-not-a-secret';
const FULL_BASE = 'node:24-bookworm';
const SLIM_BASE = 'node:24-bookworm-slim';
const tag = `${process.pid}-${Date.now().toString(36)}`;
const work = path.join(os.tmpdir(), `bench-work-${tag}`);
const log = (...a) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}]`, ...a);

// Everything made here, for cleanup.
// (a) quiet: a second container of (a) for one diagnostic, see measureContainer.
const QUIET_CONTAINER = 'bench-run-a-quiet';
const made = { images: new Set(), containers: new Set([...Object.values(VARIANTS).map((v) => v.container), QUIET_CONTAINER]), windows: [] };
let hostChild = null;
let cacheBefore = null;
let cleaning = null;

// ---- docker helpers -------------------------------------------------------------------------
const docker = (args, o = {}) => run('docker', args, { timeoutMs: 60_000, ...o });

async function imageId(ref) {
  const r = await docker(['image', 'inspect', '-f', '{{.Id}}', ref], { allowFail: true });
  return r.code === 0 ? r.out.trim() : null;
}

async function imageSize(ref) {
  return Number((await docker(['image', 'inspect', '-f', '{{.Size}}', ref])).out.trim());
}

/** Build-cache records: id, createdAt (ms), description. */
async function cacheRecords() {
  const r = await docker(['buildx', 'du', '--verbose'], { allowFail: true, timeoutMs: 120_000 });
  const recs = [];
  for (const block of r.out.split(/\n\s*\n/)) {
    const id = /^ID:\s+(\S+)/m.exec(block)?.[1];
    if (!id) continue;
    const created = /^Created at:\s+(\S+) (\S+)/m.exec(block);
    recs.push({
      id: id.replace(/\*$/, ''),
      createdAt: created ? Date.parse(`${created[1]}T${created[2].slice(0, 12)}Z`) : NaN,
      description: /^Description:\s+(.*)$/m.exec(block)?.[1] ?? '',
    });
  }
  return recs;
}

/** One `docker buildx build`; returns time, parsed log and the image id. */
async function build(v, ctx, { cold }) {
  const args = ['buildx', 'build', '--progress=plain', '-t', v.image];
  if (cold) args.push('--no-cache');
  args.push(ctx);
  const start = Date.now();
  const t0 = performance.now();
  const r = await run('docker', args, { timeoutMs: 15 * 60_000 });
  const ms = performance.now() - t0;
  made.windows.push([start - 2000, Date.now() + 2000]);
  const id = await imageId(v.image);
  if (id) made.images.add(id);
  return { ms, ...parseBuildLog(r.err + r.out), imageId: id, log: r.err };
}

// ---- the app --------------------------------------------------------------------------------
async function generateApp() {
  const app = path.join(work, 'app');
  log('building the generator and generating the default app (npm install inside) ...');
  await run('npm', ['run', 'build'], { cwd: repo, timeoutMs: 5 * 60_000 });
  await run('node', [path.join(repo, 'dist/cli/create-container-api.js'), app, '--yes'], {
    cwd: work,
    timeoutMs: 10 * 60_000,
  });
  await run('npm', ['run', 'build'], { cwd: app, timeoutMs: 5 * 60_000 });
  return app;
}

/** A fresh copy of the project as a clean clone would have it (no node_modules, dist, data). */
function makeContext(app, name, variant) {
  const ctx = path.join(work, name);
  fs.cpSync(app, ctx, {
    recursive: true,
    filter: (src) => !/[/\\](node_modules|dist|data|coverage)$/.test(src),
  });
  const cacheId = `bench-npm-${tag}-${name}`;
  let dockerfile;
  if (variant === 'a') {
    dockerfile = fs.readFileSync(path.join(app, 'Dockerfile'), 'utf8');
  } else {
    dockerfile = fs.readFileSync(
      path.join(benchDir, 'dockerfiles', variant === 'b' ? 'naive.Dockerfile' : 'docker-init.Dockerfile'),
      'utf8',
    );
    fs.copyFileSync(
      path.join(benchDir, 'dockerfiles', variant === 'b' ? 'naive.dockerignore' : 'docker-init.dockerignore'),
      path.join(ctx, '.dockerignore'),
    );
  }
  // Cold means an empty npm cache too: give this build's cache mounts an id of their own.
  let cacheMounts = 0;
  dockerfile = dockerfile.replace(/--mount=type=cache,(?![^\s]*\bid=)/g, () => {
    cacheMounts++;
    return `--mount=type=cache,id=${cacheId},`;
  });
  fs.writeFileSync(path.join(ctx, 'Dockerfile'), dockerfile);
  return { ctx, cacheMounts };
}

/** The one-line source change: a new exported constant at the end of src/health.ts. */
function editSource(ctx, n) {
  fs.appendFileSync(path.join(ctx, 'src', 'health.ts'), `export const benchRevision = ${n};\n`);
}

// ---- runtime measurements -------------------------------------------------------------------
function runEnv(key) {
  const env = ['-e', `API_TOKEN=${TOKEN}`, '-e', 'NODE_ENV=production'];
  // docker init's final stage leaves /usr/src/app root-owned and runs as `node`: the app
  // cannot create ./data there, so its SQLite file goes to /tmp instead.
  if (key === 'c') env.push('-e', 'DATA_DIR=/tmp/bench-data');
  return env;
}

async function seed(origin) {
  for (let i = 0; i < opts.seedItems; i++) {
    const res = await fetch(`${origin}/items`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({ name: `item ${i}`, description: 'seeded by bench/run.mjs' }),
      signal: AbortSignal.timeout(5000),
    });
    if (res.status !== 201) throw new Error(`seeding failed: POST /items -> ${res.status}`);
  }
}

/** One autocannon slice against a target; autocannon's mean req/s and p99 for it. */
async function slice(target, seconds) {
  const r = await autocannon({ url: target.url, connections: opts.connections, pipelining: 1, duration: seconds });
  return { rps: r.requests.average, p99: r.latency.p99, non2xx: r.non2xx, errors: r.errors + r.timeouts };
}

/**
 * Loads several targets in alternating slices: a warm-up slice each, then `rounds` rounds, every
 * other round in reverse order (A B, B A, A B, ...). Per target: mean req/s over its slices,
 * median of their p99s, and any non-2xx responses or errors.
 */
async function loadInterleaved(targets) {
  for (const t of targets) await slice(t, opts.warmup);
  const got = new Map(targets.map((t) => [t.name, []]));
  for (let round = 0; round < opts.rounds; round++) {
    const order = round % 2 ? [...targets].reverse() : targets;
    for (const t of order) got.get(t.name).push(await slice(t, opts.slice));
  }
  const out = {};
  for (const [name, slices] of got) {
    out[name] = {
      rps: slices.reduce((sum, s) => sum + s.rps, 0) / slices.length,
      p99: median(slices.map((s) => s.p99)),
      non2xx: slices.reduce((sum, s) => sum + s.non2xx, 0),
      errors: slices.reduce((sum, s) => sum + s.errors, 0),
    };
  }
  return out;
}

/** A container's address on its (only) network: reachable from this host without docker-proxy. */
async function containerIp(name) {
  return (await docker(['inspect', '-f', '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}', name])).out.trim();
}

async function measureContainer(key, host) {
  const v = VARIANTS[key];
  await docker(['rm', '-f', '-v', v.container], { allowFail: true });
  const t0 = performance.now();
  await docker(['run', '-d', '--name', v.container, '-p', `127.0.0.1:${v.port}:3000`, ...runEnv(key), v.image]);
  const runMs = performance.now() - t0;
  // Polled from when `docker run -d` returns, as a script would, not alongside it: a connection
  // to the published port made before the container's network is up stalls in docker-proxy for
  // about a second, and that stall, not the image, would then decide the figure.
  const firstMs = await firstOk(`http://127.0.0.1:${v.port}/health/live`, t0);
  if (firstMs === null) {
    const logs = await docker(['logs', v.container], { allowFail: true });
    throw new Error(`${v.label}: no 200 from /health/live within 30 s\n${tail(logs.out + logs.err)}`);
  }
  await seed(`http://127.0.0.1:${v.port}`);
  const targets = [
    { name: 'container', url: `http://127.0.0.1:${v.port}${opts.path}` },
    { name: 'host', url: `http://127.0.0.1:${host.port}${opts.path}` },
  ];
  // Diagnostics for (a), to split the gap to the host between the path and the image:
  // - direct: the same container at its bridge address, so without docker-proxy;
  // - quiet: a second container of the same image with LOG_LEVEL=warn, also at its bridge
  //   address, so also without one request-log line per request shipped through the log driver
  //   (the host app writes the same lines, but to a file).
  if (key === 'a') {
    const ip = await containerIp(v.container);
    if (ip) targets.push({ name: 'direct', url: `http://${ip}:3000${opts.path}` });
    await docker(['rm', '-f', '-v', QUIET_CONTAINER], { allowFail: true });
    await docker(['run', '-d', '--name', QUIET_CONTAINER, ...runEnv(key), '-e', 'LOG_LEVEL=warn', v.image]);
    const quietIp = await containerIp(QUIET_CONTAINER);
    if (quietIp) {
      if ((await firstOk(`http://${quietIp}:3000/health/live`, performance.now())) === null) {
        throw new Error(`${v.label} with LOG_LEVEL=warn: no 200 from /health/live within 30 s`);
      }
      await seed(`http://${quietIp}:3000`);
      targets.push({ name: 'quiet', url: `http://${quietIp}:3000${opts.path}` });
    }
  }
  const l = await loadInterleaved(targets);
  for (const [name, r] of Object.entries(l)) {
    if (r.non2xx || r.errors) throw new Error(`${v.label}: ${r.non2xx} non-2xx responses and ${r.errors} errors under load (${name})`);
  }
  if (key === 'a') await docker(['rm', '-f', '-v', QUIET_CONTAINER], { allowFail: true });
  const s0 = performance.now();
  await docker(['stop', v.container], { timeoutMs: 60_000 });
  const stopMs = performance.now() - s0;
  const exitCode = Number((await docker(['inspect', '-f', '{{.State.ExitCode}}', v.container])).out.trim());
  await docker(['rm', '-f', '-v', v.container], { allowFail: true });
  return {
    runMs,
    firstMs,
    stopMs,
    exitCode,
    rps: l.container.rps,
    p99: l.container.p99,
    hostRps: l.host.rps,
    hostP99: l.host.p99,
    ...(l.direct ? { directRps: l.direct.rps, directP99: l.direct.p99 } : {}),
    ...(l.quiet ? { quietRps: l.quiet.rps, quietP99: l.quiet.p99 } : {}),
  };
}

/** Starts the app on the host; resolves its first-200 time and a stop() that times SIGTERM to exit. */
async function startHost(app) {
  const dataDir = path.join(work, `host-data-${Date.now()}`);
  const out = fs.openSync(path.join(work, 'host-server.log'), 'a');
  const t0 = performance.now();
  const child = spawn(process.execPath, ['dist/server.js'], {
    cwd: app,
    stdio: ['ignore', out, out],
    env: {
      ...process.env,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(HOST_PORT),
      DATA_DIR: dataDir,
      API_TOKEN: TOKEN,
      API_TOKEN_FILE: '',
    },
  });
  hostChild = child;
  const exited = new Promise((r) => child.once('exit', (code, signal) => r({ code, signal })));
  const stop = async () => {
    try {
      const s0 = performance.now();
      child.kill('SIGTERM');
      const ex = await Promise.race([exited, sleep(15_000).then(() => null)]);
      return { stopMs: performance.now() - s0, exitCode: ex?.code ?? null };
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      hostChild = null;
      fs.closeSync(out);
    }
  };
  const firstMs = await firstOk(`http://127.0.0.1:${HOST_PORT}/health/live`, t0);
  if (firstMs === null) {
    await stop();
    throw new Error('host app: no 200 from /health/live within 30 s');
  }
  await seed(`http://127.0.0.1:${HOST_PORT}`);
  return { firstMs, port: HOST_PORT, stop };
}

// ---- cleanup --------------------------------------------------------------------------------
async function cleanup() {
  if (cleaning) return cleaning;
  cleaning = (async () => {
    log('cleaning up containers, images, build cache and work files ...');
    if (hostChild) hostChild.kill('SIGKILL');
    for (const c of made.containers) await docker(['rm', '-f', '-v', c], { allowFail: true }).catch(() => {});
    for (const v of Object.values(VARIANTS)) await docker(['rmi', '-f', v.image], { allowFail: true }).catch(() => {});
    for (const id of made.images) await docker(['rmi', '-f', id], { allowFail: true }).catch(() => {});
    // Build-cache records this bench created: new since the start and created while one of our
    // builds ran. (Another build running in the same seconds may lose a fresh record too: that
    // only costs it a cache miss.) Parents are freed once their children are gone, so repeat.
    if (cacheBefore) {
      const inWindow = (t) => made.windows.some(([s, e]) => t >= s && t <= e);
      let pruned = 0;
      for (let pass = 0; pass < 4; pass++) {
        const recs = (await cacheRecords().catch(() => [])).filter((r) => !cacheBefore.has(r.id) && inWindow(r.createdAt));
        if (recs.length === 0) break;
        // One prune per batch: buildx turns `--filter id=X` into BuildKit's regex match `id~=X`,
        // so a quoted alternation of ids selects exactly those records (a prune call walks the
        // whole cache and takes seconds, so one call per record would take minutes).
        let progress = 0;
        for (let i = 0; i < recs.length; i += 40) {
          const ids = recs.slice(i, i + 40).map((r) => r.id);
          const p = await docker(['buildx', 'prune', '-f', '--filter', `id="${ids.join('|')}"`], {
            allowFail: true,
            timeoutMs: 300_000,
          }).catch(() => null);
          if (p) progress += ids.filter((id) => p.out.includes(id)).length;
        }
        pruned += progress;
        if (progress === 0) break;
      }
      log(`pruned ${pruned} build-cache records`);
    }
    fs.rmSync(work, { recursive: true, force: true });
  })();
  return cleaning;
}

for (const sig of ['SIGINT', 'SIGTERM']) {
  process.once(sig, () => {
    log(`${sig}: stopping`);
    cleanup().finally(() => process.exit(130));
  });
}

// ---- machine --------------------------------------------------------------------------------
async function machine() {
  const cpuinfo = fs.readFileSync('/proc/cpuinfo', 'utf8');
  const dockerVersion = (await docker(['version', '--format', '{{.Server.Version}}'])).out.trim();
  const buildx = (await docker(['buildx', 'version'])).out.trim().split(/\s+/)[1];
  return {
    cpu: /^model name\s*:\s*(.*)$/m.exec(cpuinfo)?.[1] ?? 'unknown',
    cores: os.cpus().length,
    memGiB: os.totalmem() / 2 ** 30,
    kernel: os.release(),
    os: /^PRETTY_NAME="?([^"\n]*)/m.exec(fs.readFileSync('/etc/os-release', 'utf8'))?.[1] ?? os.type(),
    docker: dockerVersion,
    buildx,
    node: process.version,
  };
}

async function ensureBases() {
  if (!(await imageId(SLIM_BASE))) throw new Error(`${SLIM_BASE} is missing (scripts/provision.sh makes it)`);
  if (!(await imageId(FULL_BASE))) {
    log(`${FULL_BASE} is missing: building the local stand-in (bench/dockerfiles/node-full-base.Dockerfile, a few minutes) ...`);
    await run(
      'docker',
      [
        'buildx',
        'build',
        '--progress=plain',
        '-t',
        FULL_BASE,
        '-f',
        path.join(benchDir, 'dockerfiles', 'node-full-base.Dockerfile'),
        path.join(benchDir, 'dockerfiles'),
      ],
      {
        timeoutMs: 20 * 60_000,
      },
    );
  }
}

/** The runtime base of (a): ARG RUNTIME_IMAGE of the generated Dockerfile, ARGs resolved. */
function runtimeBase(app) {
  const text = fs.readFileSync(path.join(app, 'Dockerfile'), 'utf8');
  const args = {};
  for (const m of text.matchAll(/^ARG (\w+)=(\S+)/gm)) args[m[1]] = m[2].replace(/\$\{(\w+)\}/g, (_, k) => args[k] ?? '');
  return args.RUNTIME_IMAGE ?? SLIM_BASE;
}

/** Bytes of the layers holding production node_modules and the compiled app in image (a). */
async function appLayers(ref) {
  const r = await docker(['history', '--no-trunc', '--human=false', '--format', '{{.Size}}\t{{.CreatedBy}}', ref]);
  let nodeModules = 0;
  let dist = 0;
  for (const line of r.out.trim().split('\n')) {
    const [size, by] = line.split('\t');
    if (/COPY .*node_modules/.test(by)) nodeModules += Number(size);
    else if (/COPY .*\/dist\b/.test(by)) dist += Number(size);
  }
  return { nodeModules, dist };
}

// ---- main -----------------------------------------------------------------------------------
async function main() {
  const t00 = performance.now();
  if (check && !fs.existsSync(resultsFile)) throw new Error('--check needs bench/results.json from an earlier run');
  fs.mkdirSync(work, { recursive: true });
  for (const p of [HOST_PORT, ...Object.values(VARIANTS).map((v) => v.port)]) {
    if ((await probe(`http://127.0.0.1:${p}/`)) !== 0) throw new Error(`port ${p} is in use`);
  }
  const m = await machine();
  const loadStart = os.loadavg();
  log(`machine: ${m.cpu}, ${m.cores} cores; load ${loadStart.map((x) => x.toFixed(2)).join(' ')}`);
  log(`options: ${JSON.stringify(opts)}`);
  cacheBefore = new Set((await cacheRecords()).map((r) => r.id));
  await ensureBases();
  const app = await generateApp();
  const base = runtimeBase(app);
  const baseSize = await imageSize(base);
  const fullBaseSize = await imageSize(FULL_BASE);

  const runs = [];
  for (let i = 0; i < opts.runs; i++) {
    const order = ['a', 'b', 'c'].slice(i % 3).concat(['a', 'b', 'c'].slice(0, i % 3));
    const res = { run: i + 1, order: order.join(''), loadavg: os.loadavg()[0] };
    log(`run ${i + 1}/${opts.runs} (order ${res.order}, load ${res.loadavg.toFixed(2)})`);
    for (const key of order) {
      const v = VARIANTS[key];
      // Drop the previous run's image so nothing of it is reused.
      await docker(['rmi', '-f', v.image], { allowFail: true });
      const { ctx, cacheMounts } = makeContext(app, `r${i + 1}-${key}`, key);
      const cold = await build(v, ctx, { cold: true });
      editSource(ctx, i + 1);
      const re = await build(v, ctx, { cold: false });
      const size = await imageSize(v.image);
      res[key] = {
        size,
        contextBytes: cold.contextBytes,
        rebuildContextBytes: re.contextBytes,
        coldMs: cold.ms,
        rebuildMs: re.ms,
        depsReinstalled: re.depsReinstalled,
        rebuildCached: `${re.cachedSteps}/${re.totalSteps}`,
        cacheMounts,
      };
      if (key === 'a') Object.assign(res.a, await appLayers(v.image));
      log(
        `  ${key}: cold ${(cold.ms / 1000).toFixed(1)} s, rebuild ${(re.ms / 1000).toFixed(1)} s (deps reinstalled: ${re.depsReinstalled}), image ${mb(size)} MB, context ${kb(cold.contextBytes)} kB`,
      );
    }
    const host = await startHost(app);
    try {
      for (const key of order) {
        const r = await measureContainer(key, host);
        Object.assign(res[key], r);
        log(
          `  ${key}: docker run ${fixed(r.runMs, 0)} ms, first 200 ${fixed(r.firstMs, 0)} ms, ${fixed(r.rps, 0)} req/s (host ${fixed(r.hostRps, 0)}), p99 ${r.p99} ms, stop ${fixed(r.stopMs / 1000, 2)} s (exit ${r.exitCode})`,
        );
      }
    } finally {
      res.host = { firstMs: host.firstMs, ...(await host.stop()) };
    }
    // The host's figures under load: those of the slices interleaved with (a), (b) and (c).
    res.host.rps = order.reduce((sum, k) => sum + res[k].hostRps, 0) / order.length;
    res.host.p99 = median(order.map((k) => res[k].hostP99));
    log(
      `  host: first 200 ${fixed(res.host.firstMs, 0)} ms, ${fixed(res.host.rps, 0)} req/s, p99 ${res.host.p99} ms, stop ${fixed(res.host.stopMs / 1000, 2)} s`,
    );
    runs.push(res);
  }

  const totalMin = (performance.now() - t00) / 60_000;
  const loadEnd = os.loadavg();
  const results = {
    date: new Date().toISOString(),
    options: opts,
    machine: { ...m, loadStart, loadEnd },
    base: { runtime: base, runtimeSize: baseSize, full: FULL_BASE, fullSize: fullBaseSize },
    runs,
    wallMinutes: totalMin,
  };
  if (check) {
    if (!fs.existsSync(resultsFile)) throw new Error('--check needs bench/results.json from an earlier run');
    fs.writeFileSync(rerunFile, `${JSON.stringify(results, null, 2)}\n`);
    writeReport();
    log(`wrote bench/results.rerun.json and the rerun section of BENCHMARKS.md (${totalMin.toFixed(1)} min of measuring)`);
    return;
  }
  fs.writeFileSync(resultsFile, `${JSON.stringify(results, null, 2)}\n`);
  fs.rmSync(rerunFile, { force: true });
  writeReport();
  log(`wrote BENCHMARKS.md, bench/chart.svg, bench/results.json (${totalMin.toFixed(1)} min of measuring)`);
}

const resultsFile = path.join(benchDir, 'results.json');
const rerunFile = path.join(benchDir, 'results.rerun.json');

function writeReport() {
  writeReportFiles({ resultsFile, rerunFile, chartFile: path.join(benchDir, 'chart.svg'), reportFile: path.join(repo, 'BENCHMARKS.md') });
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  (renderOnly ? Promise.resolve(writeReport()).then(() => process.exit(0)) : main())
    .then(() => cleanup())
    .then(() => process.exit(0))
    .catch(async (e) => {
      console.error(`[bench] failed: ${e.stack ?? e}`);
      await cleanup().catch(() => {});
      process.exit(1);
    });
}
