// Renders BENCHMARKS.md and bench/chart.svg from the results of bench/run.mjs.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import ejs from 'ejs';
import { analyse, analysePostgres } from './analyse.mjs';
import { renderChart } from './chart.mjs';
import { fixed, kb, mb, median } from './lib.mjs';

/**
 * The report and the chart for stored results, a rerun to compare with them (or null), and the
 * postgres variant's results (or null).
 * @param {object} results
 * @param {object | null} rerun
 * @param {object | null} [pg]
 */
export function renderAll(results, rerun, pg = null) {
  const analysis = analyse(results);
  return { markdown: renderReport(results, analysis, rerun, rerun ? analyse(rerun) : null, pg), svg: renderChart(analysis) };
}

/** BENCHMARKS.md and the chart from bench/results.json, plus the rerun comparison if there is one. */
export function writeReportFiles({ resultsFile, rerunFile, pgFile, chartFile, reportFile }) {
  const results = JSON.parse(fs.readFileSync(resultsFile, 'utf8'));
  const read = (file) => (file && fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : null);
  const { markdown, svg } = renderAll(results, read(rerunFile), read(pgFile));
  fs.writeFileSync(chartFile, svg);
  fs.writeFileSync(reportFile, markdown);
}

const KEYS = ['a', 'b', 'c'];

/**
 * Rows of the main table: label, how to read one value, whether the host has it, and whether
 * the value is an absolute time or rate (`timed`), which moves with the CPU of the machine,
 * unlike sizes, shares and ratios.
 */
/** The three rows of one of (a)'s extra load targets (analyse.mjs): req/s, p99, and ÷ host. */
function aOnlyLoad(id, rps, p99, vsHost) {
  return [
    { id: `${id}Rps`, label: `${rps} (req/s; (a) only)`, f: (x) => fixed(x, 0), timed: true },
    { id: `${id}P99`, label: `p99 latency, ${p99} (ms; (a) only)`, f: (x) => fixed(x, 0), timed: true },
    { id: `${id}VsHost`, label: `${vsHost} throughput ÷ host ((a) only)`, f: (x) => fixed(x, 2) },
  ];
}

const ROWS = [
  { id: 'size', label: 'Runtime image size (MB)', f: (x) => mb(x), ratio: true },
  { id: 'contextBytes', label: 'Build context sent to the daemon (kB)', f: (x) => kb(x), ratio: true },
  { id: 'coldMs', label: 'Cold build (s)', f: (x) => fixed(x / 1000, 1), ratio: true, timed: true },
  { id: 'rebuildMs', label: 'Rebuild after a one-line source change (s)', f: (x) => fixed(x / 1000, 1), ratio: true, timed: true },
  { id: 'rebuildShare', label: 'Rebuild ÷ cold build (%)', f: (x) => fixed(x * 100, 1) },
  { id: 'runMs', label: '`docker run -d` returns: container created and started (ms)', f: (x) => fixed(x, 0), ratio: true, timed: true },
  { id: 'firstMs', label: '`docker run` → first 200 on /health/live (ms)', f: (x) => fixed(x, 0), ratio: true, host: true, timed: true },
  { id: 'stopMs', label: '`docker stop` (s)', f: (x) => fixed(x / 1000, 2), ratio: true, host: true, timed: true },
  { id: 'rps', label: 'Throughput, GET /items (req/s)', f: (x) => fixed(x, 0), ratio: true, host: true, timed: true },
  { id: 'p99', label: 'p99 latency under that load (ms)', f: (x) => fixed(x, 0), ratio: true, host: true, timed: true },
  { id: 'rpsVsHost', label: 'Throughput ÷ same app on the host', f: (x) => fixed(x, 2) },
  ...aOnlyLoad(
    'nat',
    'Throughput, published port from a container on our own bridge, at its gateway: kernel NAT, no docker-proxy',
    'published port from our bridge',
    'Published-port-from-our-bridge',
  ),
  ...aOnlyLoad('direct', "Throughput to the container's bridge IP, no docker-proxy", 'bridge IP', 'Bridge-IP'),
  ...aOnlyLoad(
    'quiet',
    'Throughput, bridge IP and LOG_LEVEL=warn: no request log',
    'bridge IP and LOG_LEVEL=warn',
    'Bridge IP and LOG_LEVEL=warn',
  ),
];

function cell(s, f) {
  if (!s || !Number.isFinite(s.median)) return 'n/a';
  if (s.n === 1 || f(s.min) === f(s.max)) return f(s.median);
  return `**${f(s.median)}** (${f(s.min)}–${f(s.max)})`;
}

function count(xs, pred) {
  return `${xs.filter(pred).length} of ${xs.length}`;
}

const TEMPLATE = fileURLToPath(new URL('./BENCHMARKS.md.ejs', import.meta.url));

/** BENCHMARKS.md: the prose is bench/BENCHMARKS.md.ejs; the numbers and readings come from here. */
export function renderReport(results, an, rerun, rerunAn, pg = null) {
  const { machine: m, options: o, base, runs } = results;
  const ratio = (r, k) => (r.ratio ? cell(an.ratios[k][r.id], (x) => fixed(x, 2)) : '');
  const model = {
    results,
    an,
    rerun,
    m,
    o,
    base,
    runs,
    ROWS,
    KEYS,
    cell,
    count,
    mb,
    fixed,
    median,
    ratio,
    reading: reading(an, base, runs, rerunAn),
    comparison: rerun ? renderComparison(rerun, rerunAn, results, an) : [],
    pg,
    pgAn: pg ? analysePostgres(pg) : null,
    pgReading: pg ? pgReading(analysePostgres(pg)) : [],
  };
  return ejs.render(fs.readFileSync(TEMPLATE, 'utf8'), model, { filename: TEMPLATE });
}

/** Markdown lines comparing this run's medians with an earlier run's spread. */
export function renderComparison(now, nowAn, ref, refAn) {
  const L = [];
  const p = (...lines) => L.push(...lines);
  const when = (r) =>
    `${r.date.slice(0, 16).replace('T', ' ')} UTC on ${r.machine.cpu} (${r.machine.cores} cores), ${r.runs.length} run(s), load ${r.machine.loadStart.map((x) => x.toFixed(2)).join(' ')} at its start`;
  const otherCpu = ref.machine.cpu !== now.machine.cpu;
  p(
    '## Rerun against the table above',
    '',
    `Table above: ${when(ref)}. Rerun (\`npm run bench -- --check\`): ${when(now)}, ${now.wallMinutes.toFixed(1)} min.`,
    '',
    ...(otherCpu
      ? [
          'The two ran on different machines of the same kind (another CPU model, same core count and memory), as CI machines are handed out. Times can shift with the CPU; the ratios, taken within one run, should shift less. Sizes, what a rebuild reuses and exit codes should not move at all.',
          '',
        ]
      : []),
    "A rerun median *matches* when it differs from the table's median by no more than the noise: the larger of the two runs' noise for that cell (the farther end of min–max from the median), and at least 1% of the median so that rounding and spreads of zero (sizes) do not count. Why the larger of the two: the two medians are both estimates, and the difference of two estimates is as noisy as the noisier of them. With nothing changed in between, a median lands inside that band about 99% of the time with 7 runs on each side, and 97% with 5 (100,000 simulated pairs of runs each, for normal, log-normal and exponential run-to-run variation). Against the table's noise alone it would be 90% with 5 runs, and inside the table's min–max only 83%: with dozens of cells that vary at all, several would \"miss\" by chance in every comparison. Hence the default of 7 runs.",
    '',
    '| Measure | | rerun: median (min–max) | table: median (min–max) | difference | noise | matches |',
    '|---|---|---|---|---|---|---|',
  );
  const tally = { relative: [0, 0], timed: [0, 0] };
  const compare = (r, label, cur, before, f, timed) => {
    if (!cur || !before || !Number.isFinite(cur.median) || !Number.isFinite(before.median)) return;
    const diff = cur.median - before.median;
    const noise = Math.max(before.noise, cur.noise, Math.abs(before.median) * 0.01);
    const match = Math.abs(diff) <= noise;
    const t = tally[timed ? 'timed' : 'relative'];
    t[1]++;
    if (match) t[0]++;
    const signed = (x) => (x > 0 ? '+' : x < 0 ? '−' : '±') + f(Math.abs(x));
    p(`| ${r.label} | ${label} | ${cell(cur, f)} | ${cell(before, f)} | ${signed(diff)} | ${f(noise)} | ${match ? 'yes' : '**no**'} |`);
  };
  const ratioF = (x) => fixed(x, 2);
  for (const r of ROWS) {
    for (const k of [...KEYS, 'host'])
      compare(r, k === 'host' ? 'host' : `(${k})`, nowAn.per[k]?.[r.id], refAn.per[k]?.[r.id], r.f, r.timed);
    // A ratio within one run cancels what the machine does to both sides: it is relative.
    if (r.ratio) for (const k of ['b', 'c']) compare(r, `a ÷ ${k}`, nowAn.ratios[k][r.id], refAn.ratios[k][r.id], ratioF, false);
  }
  // The same set of outcomes in both, every run: no rebuild reinstalls in one and not the other.
  const outcomes = (xs) => String([...new Set(xs)].sort());
  const sameBehaviour = KEYS.every(
    (k) =>
      outcomes(nowAn.per[k].depsReinstalled) === outcomes(refAn.per[k].depsReinstalled) &&
      outcomes(nowAn.per[k].exitCodes) === outcomes(refAn.per[k].exitCodes),
  );
  const [relOk, relAll] = tally.relative;
  const [timedOk, timedAll] = tally.timed;
  const loads = (r) => r.runs.map((x) => x.loadavg);
  const med = (xs) => [...xs].sort((x, y) => x - y)[xs.length >> 1];
  p(
    '',
    `${relOk + timedOk} of ${relAll + timedAll} rerun medians match the table within the noise: ${relOk} of ${relAll} sizes, shares and ratios, and ${timedOk} of ${timedAll} absolute times and rates.${otherCpu ? ' On another CPU only the first count is a test of the table; the second says how far absolute figures carry from one machine to the next.' : ''}`,
    '',
    `What a rebuild reinstalls and how each container exits on \`docker stop\`: ${sameBehaviour ? 'the same in every run of both' : '**not the same in both**: see the two tables'}.`,
    '',
    `Machine load (1-min load average at the start of each run): table ${loads(ref)
      .map((x) => x.toFixed(2))
      .join(', ')}; rerun ${loads(now)
      .map((x) => x.toFixed(2))
      .join(
        ', ',
      )} (medians ${med(loads(ref)).toFixed(2)} and ${med(loads(now)).toFixed(2)}). That sample misses what else runs during the measurements; the host app's own throughput, which involves no container at all, is the better gauge of how busy the machine was: median ${fixed(refAn.per.host.rps.median, 0)} req/s in the table, ${fixed(nowAn.per.host.rps.median, 0)} in the rerun. Build times, start times and throughput move with the machine's other work; sizes, what a rebuild reuses and exit codes do not.`,
    '',
  );
  const changed = refAn.targets.filter((t, i) => nowAn.targets[i] && nowAn.targets[i].met !== t.met);
  const tooClose = (t, i) => t.close || nowAn.targets[i]?.close;
  const why = (t) =>
    tooClose(t, refAn.targets.indexOf(t))
      ? ' (the limit lies within the noise of these medians: a verdict this machine cannot settle either way)'
      : '';
  p(
    changed.length === 0
      ? 'Every target has the same verdict in the rerun.'
      : `Targets with another verdict in the rerun: ${changed.map((t) => t.name + why(t)).join('; ')}.`,
    '',
  );
  return L;
}

/**
 * Where (a)'s gap to the host goes: docker-proxy (127.0.0.1 vs our bridge's gateway, both the
 * published port), the kernel's NAT (gateway vs bridge address), then the request log
 * shipped through the log driver (bridge address at info vs at warn).
 */
function loadSplit(a) {
  const viaProxy = a.rpsVsHost.median;
  const nat = a.natVsHost.median;
  const direct = a.directVsHost.median;
  const quiet = a.quietVsHost.median;
  if (!Number.isFinite(direct)) return '';
  const share = (x) => fixed(x, 2);
  let text = '';
  if (Number.isFinite(nat)) {
    text += `The same published port loaded from a container on a bridge of our own, at the bridge's gateway, serves ${share(nat)}× (p99 ${fixed(a.natP99.median, 0)} ms): that connection is forwarded by the kernel's NAT rules, as one from another machine is, while one to 127.0.0.1 is relayed by docker-proxy, the engine's userland proxy, which accounts for ${share(Math.max(0, nat - viaProxy))} of the host's throughput. `;
  }
  text += `Straight to (a)'s bridge address, without docker-proxy${Number.isFinite(nat) ? ' or NAT' : ''}, it serves ${share(direct)}× the host (p99 ${fixed(a.directP99.median, 0)} ms).`;
  if (Number.isFinite(quiet)) {
    text += ` A second container of (a) with \`LOG_LEVEL=warn\`, also at its bridge address, serves ${share(quiet)}× (p99 ${fixed(a.quietP99.median, 0)} ms): writing one request-log line per request through the container's log driver (a pipe to the engine, which stores it as JSON) accounts for ${share(Math.max(0, quiet - direct))}, where the host app writes the same lines straight to a file. ${
      quiet >= 0.98
        ? 'With both out of the way the container is on a par with the host: its own network path (veth and bridge) costs nothing measurable here.'
        : `What is left, ${share(1 - quiet)}, is the container's own network path (veth and bridge) and the run-to-run noise.`
    }`;
    text +=
      ' docker-proxy is not a property of the image: it is an engine setting (`"userland-proxy": false` in daemon.json sends connections to 127.0.0.1 through NAT too), and connections from other machines never pass through it. The request log is the app\'s default at `LOG_LEVEL=info`, worth its cost in most deployments.';
  }
  return text;
}

function reading(an, base, _runs, rerunAn) {
  const a = an.per.a;
  const b = an.per.b;
  const c = an.per.c;
  const out = [];
  out.push(
    `- **Size.** (a) is ${mb(a.size.median)} MB: ${mb(base.runtimeSize)} MB of base image plus ${mb(an.nodeModules.median)} MB of production node_modules and ${mb(an.dist.median, 2)} MB of compiled code. (b) ships the full toolchain image, every devDependency (TypeScript, jest, testcontainers …), the sources and npm's download cache: ${fixed(b.size.median / a.size.median, 1)}× the size of (a). Because its .dockerignore names only node_modules and npm-debug.log, \`COPY . .\` also puts the tests, the docs and secrets/api_token — the API token — into the image (seen by listing /usr/src/app in a (b) image: about 146 MB of node_modules next to 101 MB of npm cache in /root/.npm). (c) has the same shape as (a) — base plus production dependencies and dist — so the two are close (a ÷ c ${fixed(an.ratios.c.size.median, 2)}).`,
  );
  out.push(
    `- **Builds.** A one-line change rebuilds (a) in ${fixed(a.rebuildMs.median / 1000, 1)} s (${fixed(a.rebuildShare.median * 100, 0)}% of its cold build): the lockfile-keyed install layers stay cached and only the TypeScript compile reruns. (b) copies everything before installing, so the same edit reinstalls all dependencies (${count(b.depsReinstalled, Boolean)} rebuilds) and costs ${fixed(b.rebuildShare.median * 100, 0)}% of a cold build. (c) also keeps its installs cached (bind-mounted package files) and rebuilds in ${fixed(c.rebuildMs.median / 1000, 1)} s. Cold builds include npm downloading every package through this machine's proxy to the registry; that part varies most from build to build.`,
  );
  out.push(
    `- **Stop.** (a) runs node as PID 1 and the app handles SIGTERM, so \`docker stop\` takes ${fixed(a.stopMs.median / 1000, 2)} s and exits ${[...new Set(a.exitCodes)].join('/')}. (b) (\`CMD npm start\`, shell form) takes ${fixed(b.stopMs.median / 1000, 2)} s, exit ${[...new Set(b.exitCodes)].join('/')}; (c) (\`CMD npm run start\`, shell form) takes ${fixed(c.stopMs.median / 1000, 2)} s, exit ${[...new Set(c.exitCodes)].join('/')}. ${stopNote(b, c)}${engineNote(an)}`,
  );
  const hostFirst = an.per.host.firstMs.median;
  out.push(
    `- **Start.** First 200 after \`docker run\`: (a) ${fixed(a.firstMs.median, 0)} ms, (b) ${fixed(b.firstMs.median, 0)} ms, (c) ${fixed(c.firstMs.median, 0)} ms. Of that, \`docker run -d\` itself takes ${fixed(a.runMs.median, 0)}, ${fixed(b.runMs.median, 0)} and ${fixed(c.runMs.median, 0)} ms (the engine creating the container, its network and, for (a), the anonymous volume for /app/data, then starting it); the rest is the process inside getting to its first answer: ${fixed(a.firstMs.median - a.runMs.median, 0)} ms for (a), which starts node directly, against ${fixed(b.firstMs.median - b.runMs.median, 0)} and ${fixed(c.firstMs.median - c.runMs.median, 0)} ms for (b) and (c), which start npm, which then starts node. The same app started on the host answers after ${fixed(hostFirst, 0)} ms (node loading the app and opening SQLite).`,
  );
  out.push(
    `- **Load.** Through the published port on 127.0.0.1, (a) serves ${fixed(a.rpsVsHost.median, 2)}× the host's requests per second (p99 ${fixed(a.p99.median, 0)} ms vs ${fixed(an.per.host.p99.median, 0)} ms on the host); (b) ${fixed(b.rpsVsHost.median, 2)}×, (c) ${fixed(c.rpsVsHost.median, 2)}×. ${loadSplit(a)} Container and host are loaded in alternating slices (see *Load* below), so a busy moment of this 2-core machine, which also runs the load generator, weighs on both sides of that ratio.${
      rerunAn
        ? ` In the rerun below: ${Number.isFinite(rerunAn.per.a.natVsHost.median) ? `${fixed(rerunAn.per.a.natVsHost.median, 2)}× through the published port from our bridge, ` : ''}${fixed(rerunAn.per.a.rpsVsHost.median, 2)}× on 127.0.0.1, ${fixed(rerunAn.per.a.directVsHost.median, 2)}× straight to the bridge address.`
        : ''
    }`,
  );
  return out;
}

/** What the postgres variant's figures say: the container against the host, and what each one's way to the database costs. */
function pgReading(pg) {
  const x = (st) => `${fixed(st.median, 2)}×`;
  const spread = (st) => `${fixed(st.min, 2)}–${fixed(st.max, 2)}`;
  const proxyCost = (st) =>
    st.median < 0.98
      ? `the host app served ${x(st)} of what the one at the bridge address served: docker-proxy on the database connections costs it about ${fixed((1 - st.median) * 100, 0)}%`
      : `the host app served ${x(st)} of what the one at the bridge address served: docker-proxy on the database connections costs nothing measurable`;
  return [
    `- **Container ÷ host.** Through the published port the container serves ${x(pg.reads.vsHost)} the host app's reads per second (p99 ${fixed(pg.reads.container.p99.median, 0)} ms against ${fixed(pg.reads.host.p99.median, 0)} ms) and ${x(pg.writes.vsHost)} its writes (p99 ${fixed(pg.writes.container.p99.median, 0)} against ${fixed(pg.writes.host.p99.median, 0)} ms). Both talk to the same server. The container's requests come in through docker-proxy, as (a)'s do in the table above, and its queries go over the bench's bridge; the host app's requests come straight in on 127.0.0.1, and its queries go to the database's published port on 127.0.0.1, which docker-proxy relays.`,
    `- **The database path.** A second host app, the same build, reaches PostgreSQL at its bridge address, as the container does; against it the container serves ${x(pg.reads.vsDirect)} for reads and ${x(pg.writes.vsDirect)} for writes. Within each run, for reads ${proxyCost(pg.reads.hostVsDirect)}; for writes ${proxyCost(pg.writes.hostVsDirect).replace('the host app served', 'it served')}. What remains between the container and that host app is the container's own way in, docker-proxy on the published port, and its share of the two cores; the SQLite table above splits that part of the gap into its pieces.`,
    `- **Writes.** Each POST is one INSERT, committed before the 201; a run wrote ${fixed(pg.rowsAdded, 0)} rows (median), and no slice had a non-2xx response or an error (one would fail the run).`,
    `- **Noise.** The per-run ratios spread widely (container ÷ host ${spread(pg.reads.vsHost)} for reads, ${spread(pg.writes.vsHost)} for writes): three API processes, PostgreSQL and the load generator share the two cores, with whatever else the machine ran (see *Machine* below). The medians are the figures to quote.`,
  ];
}

/** When (b) or (c) waits out the 10 s grace period, what lies above 10 s is the engine's own work. */
function engineNote(an) {
  const over = [an.per.b, an.per.c]
    .filter((s) => s.stopMs.median > 10_000 && s.stopMs.median < 12_000)
    .map((s) => s.stopMs.median - 10_000);
  if (over.length === 0) return '';
  const a = an.per.a.stopMs.median;
  const host = an.per.host.stopMs.median;
  return ` What those two take beyond the 10 s grace period, about ${fixed(Math.min(...over) / 1000, 2)} s, is the engine killing the container and tearing it down. (a) takes ${fixed(a / 1000, 2)} s in all, and the app itself, run on the host, exits ${fixed(host / 1000, 2)} s after SIGTERM: ${host < a / 2 ? "most of (a)'s stop time is that same kind of engine work, not the app" : "the app's own shutdown is a large part of it"}.`;
}

function stopNote(b, c) {
  const slow = (s) => s.stopMs.median > 5000;
  if (slow(b) && slow(c))
    return 'Both wait out the 10 s grace period: the signal reaches the shell or npm, not node, and Docker ends with SIGKILL.';
  if (slow(c))
    return '(c) waits out the 10 s grace period: its shell-form CMD puts /bin/sh in front, which does not pass SIGTERM on, and Docker ends with SIGKILL. In (b) the signal does reach node through npm.';
  if (slow(b)) return '(b) waits out the 10 s grace period: the signal does not reach node, and Docker ends with SIGKILL.';
  return '';
}
