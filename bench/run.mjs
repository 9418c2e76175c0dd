#!/usr/bin/env node
// npm run bench [-- --runs N] [--quick] [--check] [--render] [--only PART] [--slice S] [--rounds R] [--connections C]
//
// Builds the same generated app three ways and measures each, N times, in one run:
//   (a) the generator's own Dockerfile and .dockerignore
//   (b) a naive single-stage Dockerfile (bench/dockerfiles/naive.Dockerfile)
//   (c) a docker init-style Dockerfile (bench/dockerfiles/docker-init.Dockerfile)
// and the same app on the host for the throughput comparison; then a --persistence postgres
// project, container and host against one database (bench/postgres.mjs, also `--only postgres`).
// Writes BENCHMARKS.md, bench/chart.svg, bench/results.json and bench/results.postgres.json (raw
// numbers of every run), then removes every container, image, volume and build-cache record it
// made, also on failure or Ctrl-C.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { appLayers, build, docker, ensureBases, imageSize, machine, rememberCache, removeMade, runtimeBase } from './docker.mjs';
import { fixed, kb, mb, median, probe } from './lib.mjs';
import { editSource, generateApp, killHost, makeContext, measureContainer, startHost } from './measure.mjs';
import { removeNat, setUpNat } from './nat.mjs';
import { killPgHosts, measurePostgres, removePg } from './postgres.mjs';
import { throughputOnly } from './only.mjs';
import { measureSizes } from './sizes.mjs';
import { timeToProject } from './time-to-project.mjs';
import {
  benchDir,
  check,
  FULL_BASE,
  HOST_PORT,
  help,
  log,
  NAT_PORT,
  only,
  opts,
  PG,
  renderOnly,
  repo,
  USAGE,
  VARIANTS,
  work,
} from './options.mjs';
import { writeReportFiles } from './report.mjs';

if (help) {
  console.log(USAGE);
  process.exit(0);
}

let cleaning = null;

/** Removes everything the bench made, once, also on failure and on Ctrl-C. */
async function cleanup() {
  if (cleaning) return cleaning;
  cleaning = (async () => {
    log('cleaning up containers, images, build cache and work files ...');
    killHost();
    killPgHosts();
    // Only the parts that use the engine made anything there (and the names are fixed:
    // removing them otherwise could hit another run's).
    if (only !== 'time-to-project') {
      await removePg();
      await removeMade();
      await removeNat();
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

// ---- main -----------------------------------------------------------------------------------
async function main() {
  const t00 = performance.now();
  if (only === 'time-to-project') return void (await timeToProject());
  if (check && !fs.existsSync(resultsFile)) throw new Error('--check needs bench/results.json from an earlier run');
  fs.mkdirSync(work, { recursive: true });
  const pgPorts = [PG.apiPort, PG.hostPort, PG.directPort, PG.hostMetricsPort, PG.directMetricsPort, PG.dbPort];
  for (const p of [HOST_PORT, NAT_PORT, ...Object.values(VARIANTS).map((v) => v.port), ...pgPorts]) {
    if ((await probe(`http://127.0.0.1:${p}/`)) !== 0) throw new Error(`port ${p} is in use`);
  }
  const m = await machine();
  const loadStart = os.loadavg();
  log(`machine: ${m.cpu}, ${m.cores} cores; load ${loadStart.map((x) => x.toFixed(2)).join(' ')}`);
  log(`options: ${JSON.stringify(opts)}`);
  await rememberCache();
  // The nat bridge and load container (bench/nat.mjs), and the network the containers run on.
  if (only !== 'sizes') await setUpNat();
  if (only === 'throughput') return void (await throughputOnly());
  if (only === 'sizes') return void (await measureSizes());
  if (only === 'postgres') return void (await postgres());
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

  // Each runtime next to its physical limit, the postgres variant, and the wait from `npm create` to a project.
  const sizes = await measureSizes();
  // A --check compares the SQLite table with a rerun; the postgres section keeps its own run.
  if (!check) await postgres();
  // Five runs: each downloads a few hundred packages, and the spread is the network's.
  const timeToProjectRuns = await timeToProject(Math.min(opts.runs, 5));

  const totalMin = (performance.now() - t00) / 60_000;
  const loadEnd = os.loadavg();
  const results = {
    date: new Date().toISOString(),
    options: opts,
    machine: { ...m, loadStart, loadEnd },
    base: { runtime: base, runtimeSize: baseSize, full: FULL_BASE, fullSize: fullBaseSize },
    runs,
    sizes,
    timeToProject: timeToProjectRuns,
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

/**
 * The --persistence postgres variant, measured and written to bench/results.postgres.json,
 * then the report rewritten: alone (`--only postgres`) it renders next to the stored results.
 */
async function postgres() {
  const pg = { date: new Date().toISOString(), machine: { ...(await machine()), loadStart: os.loadavg() }, ...(await measurePostgres()) };
  pg.machine.loadEnd = os.loadavg();
  fs.writeFileSync(pgFile, `${JSON.stringify(pg, null, 2)}\n`);
  if (only === 'postgres') writeReport();
  log('wrote bench/results.postgres.json');
}

const resultsFile = path.join(benchDir, 'results.json');
const pgFile = path.join(benchDir, 'results.postgres.json');
const rerunFile = path.join(benchDir, 'results.rerun.json');

function writeReport() {
  writeReportFiles({
    resultsFile,
    rerunFile,
    pgFile,
    chartFile: path.join(benchDir, 'chart.svg'),
    reportFile: path.join(repo, 'BENCHMARKS.md'),
  });
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
