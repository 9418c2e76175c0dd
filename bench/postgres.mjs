// The `--persistence postgres` variant: the generated project's image, and the same build run
// on the host with `node dist/server.js`, both against one postgres:17 container, loaded in
// alternating slices with reads (GET /items) and then writes (POST /items).
//
// The database runs on the bench's own network (bench/nat.mjs makes it) and is published on
// 127.0.0.1 for the host app: every connection, the API's to the database included, stays on
// loopback or on that bridge. A second host app reaches the database at its bridge address
// instead, so that the cost of docker-proxy on the host app's database connections is
// measured rather than guessed at (see the BENCHMARKS.md section).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build, containerIp, docker } from './docker.mjs';
import { firstOk, run, sleep, tail } from './lib.mjs';
import { loadInterleaved, makeContext, seed } from './measure.mjs';
import { NAT } from './nat.mjs';
import { log, opts, PG, repo, TOKEN, work } from './options.mjs';

const hostChildren = new Set();

/** Kills host apps still running (cleanup on failure). */
export function killPgHosts() {
  for (const child of hostChildren) child.kill('SIGKILL');
}

/** Removes the containers of this variant; safe when none exist. */
export async function removePg() {
  for (const c of [PG.api, PG.db]) await docker(['rm', '-f', '-v', c], { allowFail: true }).catch(() => {});
  await docker(['rmi', '-f', PG.image], { allowFail: true }).catch(() => {});
}

async function generatePgApp() {
  const app = path.join(work, 'app-pg');
  log('generating a --persistence postgres app (npm install inside) ...');
  await run('npm', ['run', 'build'], { cwd: repo, timeoutMs: 5 * 60_000 });
  await run('node', [path.join(repo, 'dist/cli/create-container-api.js'), app, '--yes', '--persistence', 'postgres'], {
    cwd: work,
    timeoutMs: 10 * 60_000,
  });
  await run('npm', ['run', 'build'], { cwd: app, timeoutMs: 5 * 60_000 });
  return app;
}

/** The database, fresh for each run: an empty cluster, as a first `docker compose up` has. */
async function startDb(passwordFile) {
  await docker(['rm', '-f', '-v', PG.db], { allowFail: true });
  await docker([
    'run',
    '-d',
    '--name',
    PG.db,
    '--network',
    NAT.appNetwork,
    '-p',
    `127.0.0.1:${PG.dbPort}:5432`,
    '-e',
    'POSTGRES_USER=app',
    '-e',
    'POSTGRES_DB=app',
    '-e',
    'POSTGRES_PASSWORD_FILE=/run/secrets/db_password',
    '-v',
    `${passwordFile}:/run/secrets/db_password:ro`,
    // As the generated compose.yaml gives it.
    '--shm-size',
    '128m',
    PG.dbImage,
  ]);
  // Ready as compose's healthcheck sees it: pg_isready over TCP inside the container.
  const t0 = performance.now();
  while (performance.now() - t0 < 60_000) {
    const r = await docker(['exec', PG.db, 'pg_isready', '--host', '127.0.0.1', '--username', 'app', '--dbname', 'app'], {
      allowFail: true,
    });
    if (r.code === 0) return containerIp(PG.db);
    await sleep(200);
  }
  const logs = await docker(['logs', PG.db], { allowFail: true });
  throw new Error(`${PG.db}: not ready within 60 s\n${tail(logs.out + logs.err)}`);
}

/** The API container on the database's network, the password file mounted where compose puts its secret. */
async function startApi(passwordFile) {
  await docker(['rm', '-f', '-v', PG.api], { allowFail: true });
  const t0 = performance.now();
  await docker([
    'run',
    '-d',
    '--name',
    PG.api,
    '--network',
    NAT.appNetwork,
    '-p',
    `127.0.0.1:${PG.apiPort}:3000`,
    '-e',
    `API_TOKEN=${TOKEN}`,
    '-e',
    `DATABASE_HOST=${PG.db}`,
    '-e',
    'DATABASE_USER=app',
    '-e',
    'DATABASE_NAME=app',
    '-e',
    'DATABASE_PASSWORD_FILE=/run/secrets/db_password',
    '-v',
    `${passwordFile}:/run/secrets/db_password:ro`,
    PG.image,
  ]);
  const firstMs = await firstOk(`http://127.0.0.1:${PG.apiPort}/health/ready`, t0);
  if (firstMs === null) {
    const logs = await docker(['logs', PG.api], { allowFail: true });
    throw new Error(`postgres api container: not ready within 30 s\n${tail(logs.out + logs.err)}`);
  }
  return firstMs;
}

/** `node dist/server.js` of the same build on the host, against the database at host:port. */
async function startPgHost(app, { port, metricsPort, dbHost, dbPort, passwordFile, name }) {
  const out = fs.openSync(path.join(work, `host-${name}.log`), 'a');
  const child = spawn(process.execPath, ['dist/server.js'], {
    cwd: app,
    stdio: ['ignore', out, out],
    env: {
      ...process.env,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      // Metrics collected as in the container, on a port of each host app's own.
      METRICS_PORT: String(metricsPort),
      DATABASE_HOST: dbHost,
      DATABASE_PORT: String(dbPort),
      DATABASE_USER: 'app',
      DATABASE_NAME: 'app',
      DATABASE_PASSWORD_FILE: passwordFile,
      DATABASE_PASSWORD: '',
      API_TOKEN: TOKEN,
      API_TOKEN_FILE: '',
    },
  });
  hostChildren.add(child);
  const exited = new Promise((r) => child.once('exit', (code) => r(code)));
  const stop = async () => {
    try {
      child.kill('SIGTERM');
      return await Promise.race([exited, sleep(15_000).then(() => null)]);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      hostChildren.delete(child);
      fs.closeSync(out);
    }
  };
  if ((await firstOk(`http://127.0.0.1:${port}/health/ready`, performance.now())) === null) {
    await stop();
    throw new Error(`host app (${name}): not ready within 30 s`);
  }
  return { stop };
}

/** Rows of items in the database: what the write slices added, checked against what they were told. */
async function itemCount() {
  const r = await docker(['exec', PG.db, 'psql', '--username', 'app', '--dbname', 'app', '-tAc', 'SELECT count(*) FROM items']);
  return Number(r.out.trim());
}

/**
 * `runs` rounds of: a fresh database, the API container and two host apps on it; reads, then
 * writes, each interleaved container / host / host at the database's bridge address.
 */
export async function measurePostgres() {
  const app = await generatePgApp();
  const passwordFile = path.join(work, 'pg-db-password');
  // Not a secret of anything that outlives the run; readable by the container's uid 1000 and postgres.
  fs.writeFileSync(passwordFile, `bench-db-${process.pid}\n`, { mode: 0o644 });
  const { ctx } = makeContext(app, 'pg-a', 'a');
  const built = await build({ image: PG.image }, ctx, { cold: false });
  log(`postgres: built the image in ${(built.ms / 1000).toFixed(1)} s`);
  const write = {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify({ name: 'bench write', description: 'written by bench/postgres.mjs' }),
  };
  const runs = [];
  for (let i = 0; i < opts.runs; i++) {
    const loadavg = os.loadavg()[0];
    const dbIp = await startDb(passwordFile);
    const firstMs = await startApi(passwordFile);
    const host = await startPgHost(app, {
      port: PG.hostPort,
      metricsPort: PG.hostMetricsPort,
      dbHost: '127.0.0.1',
      dbPort: PG.dbPort,
      passwordFile,
      name: 'pg',
    });
    const direct = await startPgHost(app, {
      port: PG.directPort,
      metricsPort: PG.directMetricsPort,
      dbHost: dbIp,
      dbPort: 5432,
      passwordFile,
      name: 'pg-direct',
    });
    let res;
    try {
      // One database, so one seed: every reader sees the same rows.
      await seed(`http://127.0.0.1:${PG.apiPort}`);
      const targets = (p, request) => [
        { name: 'container', url: `http://127.0.0.1:${PG.apiPort}${p}`, request },
        { name: 'host', url: `http://127.0.0.1:${PG.hostPort}${p}`, request },
        { name: 'direct', url: `http://127.0.0.1:${PG.directPort}${p}`, request },
      ];
      const reads = await loadInterleaved(targets(opts.path));
      const before = await itemCount();
      const writes = await loadInterleaved(targets('/items', write));
      const added = (await itemCount()) - before;
      for (const [kind, l] of [
        ['reads', reads],
        ['writes', writes],
      ])
        for (const [name, r] of Object.entries(l))
          if (r.non2xx || r.errors) throw new Error(`postgres ${kind}: ${r.non2xx} non-2xx responses and ${r.errors} errors (${name})`);
      const s0 = performance.now();
      await docker(['stop', PG.api], { timeoutMs: 60_000 });
      const stopMs = performance.now() - s0;
      const exitCode = Number((await docker(['inspect', '-f', '{{.State.ExitCode}}', PG.api])).out.trim());
      res = { run: i + 1, loadavg, firstMs, stopMs, exitCode, reads, writes, rowsAdded: added };
    } finally {
      await direct.stop();
      await host.stop();
    }
    const r = (l) =>
      `${l.container.rps.toFixed(0)} req/s (host ${l.host.rps.toFixed(0)}, db at its bridge address ${l.direct.rps.toFixed(0)})`;
    log(
      `postgres run ${i + 1}/${opts.runs}: reads ${r(res.reads)}, p99 ${res.reads.container.p99}/${res.reads.host.p99} ms; writes ${r(res.writes)}, p99 ${res.writes.container.p99}/${res.writes.host.p99} ms; ${res.rowsAdded} rows written; stop ${(res.stopMs / 1000).toFixed(2)} s (exit ${res.exitCode})`,
    );
    runs.push(res);
  }
  await removePg();
  return { options: opts, runs };
}
