// The measurements: the app under test, its build contexts, and what a running container
// (or the same app on the host) does under load, at start and at stop.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import autocannon from 'autocannon';
import { docker, containerIp } from './docker.mjs';
import { firstOk, median, run, sleep, tail } from './lib.mjs';
import { dnatPackets, NAT, natSlice } from './nat.mjs';
import { benchDir, HOST_PORT, log, NAT_PORT, opts, QUIET_CONTAINER, repo, TOKEN, tag, VARIANTS, work } from './options.mjs';

let hostChild = null;

/** Kills the host app if one is still running (cleanup on failure). */
export function killHost() {
  if (hostChild) hostChild.kill('SIGKILL');
}

export async function generateApp() {
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
export function makeContext(app, name, variant) {
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
export function editSource(ctx, n) {
  fs.appendFileSync(path.join(ctx, 'src', 'health.ts'), `export const benchRevision = ${n};\n`);
}

export function runEnv(key) {
  const env = ['-e', `API_TOKEN=${TOKEN}`, '-e', 'NODE_ENV=production'];
  // docker init's final stage leaves /usr/src/app root-owned and runs as `node`: the app
  // cannot create ./data there, so its SQLite file goes to /tmp instead.
  if (key === 'c') env.push('-e', 'DATA_DIR=/tmp/bench-data');
  return env;
}

export async function seed(origin) {
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

/**
 * One autocannon slice against a target; autocannon's mean req/s and p99 for it. A target with
 * `fromNat` is loaded from the nat load container (bench/nat.mjs), every other from this process.
 */
export async function slice(target, seconds) {
  if (target.fromNat) return natSlice(target.url, seconds);
  // `request` (method, headers, body) makes it a write: every request the same POST.
  const r = await autocannon({ url: target.url, connections: opts.connections, pipelining: 1, duration: seconds, ...target.request });
  return { rps: r.requests.average, p99: r.latency.p99, non2xx: r.non2xx, errors: r.errors + r.timeouts };
}

/**
 * Loads several targets in alternating slices: a warm-up slice each, then `rounds` rounds, every
 * other round in reverse order (A B, B A, A B, ...). Per target: mean req/s over its slices,
 * median of their p99s, and any non-2xx responses or errors.
 */
export async function loadInterleaved(targets) {
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
export async function measureContainer(key, host) {
  const v = VARIANTS[key];
  await docker(['rm', '-f', '-v', v.container], { allowFail: true });
  const t0 = performance.now();
  // (a) is published twice: on 127.0.0.1, as for every variant, and on the gateway of the nat
  // bridge, where a connection from the load container there is forwarded by the kernel's NAT
  // rules, as one from another machine is (bench/nat.mjs).
  const publish = ['-p', `127.0.0.1:${v.port}:3000`, ...(key === 'a' ? ['-p', `${NAT.gateway}:${NAT_PORT}:3000`] : [])];
  await docker(['run', '-d', '--name', v.container, '--network', NAT.appNetwork, ...publish, ...runEnv(key), v.image]);
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
  // - nat: the same published port, from a container on a bridge of ours to its gateway, so
  //   forwarded by the kernel's NAT rules instead of docker-proxy;
  // - direct: the same container at its bridge address, so without docker-proxy or NAT;
  // - quiet: a second container of the same image with LOG_LEVEL=warn, also at its bridge
  //   address, so also without one request-log line per request shipped through the log driver
  //   (the host app writes the same lines, but to a file).
  let dnatBefore = 0;
  if (key === 'a') {
    dnatBefore = await dnatPackets();
    targets.push({ name: 'nat', url: `http://${NAT.gateway}:${NAT_PORT}${opts.path}`, fromNat: true });
    const ip = await containerIp(v.container);
    if (ip) targets.push({ name: 'direct', url: `http://${ip}:3000${opts.path}` });
    await docker(['rm', '-f', '-v', QUIET_CONTAINER], { allowFail: true });
    await docker(['run', '-d', '--name', QUIET_CONTAINER, '--network', NAT.appNetwork, ...runEnv(key), '-e', 'LOG_LEVEL=warn', v.image]);
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
  if (key === 'a') {
    // The nat row's load must have taken the DNAT rule, or it measured docker-proxy again.
    if ((await dnatPackets()) <= dnatBefore)
      throw new Error(`${v.label}: the nat row's load did not pass the engine's DNAT rule for ${NAT.gateway}:${NAT_PORT}`);
    await docker(['rm', '-f', '-v', QUIET_CONTAINER], { allowFail: true });
  }
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
    ...(l.nat ? { natRps: l.nat.rps, natP99: l.nat.p99 } : {}),
    ...(l.direct ? { directRps: l.direct.rps, directP99: l.direct.p99 } : {}),
    ...(l.quiet ? { quietRps: l.quiet.rps, quietP99: l.quiet.p99 } : {}),
  };
}

/** Starts the app on the host; resolves its first-200 time and a stop() that times SIGTERM to exit. */
export async function startHost(app) {
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
