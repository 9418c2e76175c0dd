// What `npm run bench -- …` was asked to do, and the fixed names and ports of what it makes.
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const benchDir = path.join(repo, 'bench');
export const USAGE =
  'usage: npm run bench [-- --runs N] [--quick] [--check] [--render] [--only throughput|time-to-project|sizes|postgres] [--slice S] [--rounds R] [--connections C]';

/** Parts that `--only` measures alone, printing their figures and writing no report. */
export const ONLY = ['throughput', 'time-to-project', 'sizes', 'postgres'];

/** The generator's runtimes the size rows cover. */
export const RUNTIMES = ['slim', 'distroless'];
/** The package managers the size and build-time rows cover (the generator's `--package-manager`). */
export const PACKAGE_MANAGERS = ['npm', 'pnpm', 'yarn'];

export function parseOptions(argv) {
  const flag = (name) => argv.includes(name);
  const opt = (name, def) => {
    const i = argv.indexOf(name);
    return i >= 0 && argv[i + 1] !== undefined ? Number(argv[i + 1]) : def;
  };
  const quick = flag('--quick');
  const onlyAt = argv.indexOf('--only');
  const only = onlyAt >= 0 ? argv[onlyAt + 1] : undefined;
  if (onlyAt >= 0 && !ONLY.includes(only)) throw new Error(`--only takes one of: ${ONLY.join(', ')} (got ${only ?? 'nothing'})`);
  return {
    only,
    quick,
    // --check: measure again and keep the result as bench/results.rerun.json; BENCHMARKS.md keeps
    // the table of bench/results.json and gains a section comparing the rerun with it.
    check: flag('--check'),
    // --render: rewrite BENCHMARKS.md and the chart from the stored results, measuring nothing.
    renderOnly: flag('--render'),
    help: flag('--help'),
    opts: {
      // 7 rather than the minimum of 5: a rerun's medians then land within the reported
      // noise about 99% of the time per cell instead of 97% (see BENCHMARKS.md, Rerun).
      runs: opt('--runs', quick ? 1 : 7),
      // Load comes in slices that alternate between the container and the host app (ABBA), so a
      // busy moment of the machine lands on both sides of the throughput ratio alike.
      slice: opt('--slice', quick ? 1 : 2),
      rounds: opt('--rounds', quick ? 2 : 4),
      warmup: 1,
      connections: opt('--connections', 50),
      path: '/items',
      seedItems: 20,
    },
  };
}

export const { check, renderOnly, help, only, opts } = parseOptions(process.argv.slice(2));

export const VARIANTS = {
  a: { label: '(a) generated', image: 'bench-a', container: 'bench-run-a', port: 13101 },
  b: { label: '(b) naive single-stage', image: 'bench-b', container: 'bench-run-b', port: 13102 },
  c: { label: '(c) docker init-style', image: 'bench-c', container: 'bench-run-c', port: 13103 },
};
export const HOST_PORT = 13100;
// (a) is also published on this port of the nat bridge's gateway: see bench/nat.mjs.
export const NAT_PORT = 13111;
export const TOKEN = 'bench-token-not-a-secret';
export const FULL_BASE = 'node:24-bookworm';
export const SLIM_BASE = 'node:24-bookworm-slim';
export const tag = `${process.pid}-${Date.now().toString(36)}`;
export const work = path.join(os.tmpdir(), `bench-work-${tag}`);
export const log = (...a) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}]`, ...a);
// The --persistence postgres variant (bench/postgres.mjs): its API container, its database,
// and the ports of the two host apps next to it.
export const PG = {
  image: 'bench-pg',
  api: 'bench-run-pg',
  db: 'bench-run-pg-db',
  dbImage: 'postgres:17',
  apiPort: 13121,
  hostPort: 13120,
  directPort: 13122,
  hostMetricsPort: 13123,
  directMetricsPort: 13124,
  dbPort: 13125,
};
// (a) quiet: a second container of (a) for one diagnostic, see measureContainer.
export const QUIET_CONTAINER = 'bench-run-a-quiet';
