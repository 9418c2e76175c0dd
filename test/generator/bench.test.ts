/**
 * The benchmark's arithmetic, without Docker: the verdict rule, the targets analyse() draws
 * from a run's numbers, and BENCHMARKS.md and the chart, which must be exactly what the
 * stored results render to (so the committed report never disagrees with its data).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { analyse, analysePostgres, verdict } from '../../bench/analyse.mjs';
import { parseOptions } from '../../bench/options.mjs';
import { renderAll } from '../../bench/report.mjs';
import { REPO_ROOT } from '../support/paths.js';

const readJson = (file: string) => JSON.parse(readFileSync(path.join(REPO_ROOT, file), 'utf8'));
const stored = readJson('bench/results.json');

describe('bench: verdicts', () => {
  const stat = (median: number, noise: number) => ({ median, noise });

  it('meets a maximum at or under it and a minimum at or over it', () => {
    expect(verdict(stat(0.9, 0.01), 1, 'max').met).toBe(true);
    expect(verdict(stat(1.1, 0.01), 1, 'max').met).toBe(false);
    expect(verdict(stat(0.95, 0.01), 0.9, 'min').met).toBe(true);
    expect(verdict(stat(0.85, 0.01), 0.9, 'min').met).toBe(false);
  });

  it('calls a verdict close when the limit lies within the noise of the median', () => {
    expect(verdict(stat(0.95, 0.1), 1, 'max')).toEqual({ met: true, close: true });
    expect(verdict(stat(0.5, 0.1), 1, 'max')).toEqual({ met: true, close: false });
    expect(verdict(stat(1.05, 0.1), 1, 'max')).toEqual({ met: false, close: true });
  });
});

describe('bench: analyse', () => {
  const targets = (results: unknown) =>
    Object.fromEntries(analyse(results).targets.map((t: { name: string; met: boolean }) => [t.name, t.met]));

  it('gives the stored run the verdicts BENCHMARKS.md states', () => {
    const report = readFileSync(path.join(REPO_ROOT, 'BENCHMARKS.md'), 'utf8').split('\n');
    const verdicts = analyse(stored).targets as { name: string; met: boolean; measured?: boolean }[];
    expect(verdicts).toHaveLength(7);
    for (const { name, met, measured } of verdicts) {
      const row = report.find((line) => line.startsWith(`| ${name} |`));
      const stated = row?.includes('**not measured**') ? 'not measured' : row?.includes('**not met**') ? 'not met' : 'met';
      expect({ name, stated }).toEqual({ name, stated: measured === false ? 'not measured' : met ? 'met' : 'not met' });
    }
  });

  it('says "not measured" for the nat row of runs stored without it, and judges it once it is there', () => {
    const nat = 'req/s through the published port, from the network, ≥ 0.92 × host (issue 17)';
    type Target = { name: string; value: string; met: boolean; measured?: boolean };
    const find = (results: unknown) => (analyse(results).targets as Target[]).find((t) => t.name === nat)!;
    const without = find(stored);
    expect(stored.runs.some((run: any) => 'natRps' in run.a)).toBe(false);
    expect(without.measured).toBe(false);
    const withNat = structuredClone(stored) as any;
    for (const run of withNat.runs) run.a.natRps = (run.a.hostRps ?? run.host.rps) * 0.95;
    const judged = find(withNat);
    expect({ measured: judged.measured, met: judged.met }).toEqual({ measured: true, met: true });
    expect(judged.value).toMatch(/^median ratio 0\.95 /);
  });

  it('fails a target when the numbers say so', () => {
    const slow = structuredClone(stored) as any;
    for (const run of slow.runs) {
      run.a.stopMs = 10_500;
      run.a.depsReinstalled = true;
      run.a.size = 10 * stored.base.runtimeSize;
    }
    const verdicts = targets(slow);
    expect(verdicts['docker stop ≤ 1 s']).toBe(false);
    expect(verdicts['source-only rebuild does not reinstall dependencies']).toBe(false);
    expect(verdicts['image ≤ base + 1.15 × (prod node_modules + dist)']).toBe(false);
    expect(verdicts['first 200 ≤ 1.5 s after docker run']).toBe(true);
  });

  it('takes medians across runs, not means: one wild run does not move them', () => {
    const skewed = structuredClone(stored) as any;
    const slowest = skewed.runs.reduce((max: any, run: any) => (run.a.firstMs > max.a.firstMs ? run : max));
    slowest.a.firstMs = 1e9;
    const firstMs = (results: unknown) => (analyse(results) as any).per.a.firstMs.median;
    expect(firstMs(skewed)).toBe(firstMs(stored));
  });
});

describe('bench: options and report', () => {
  it('defaults to 7 runs, 1 with --quick', () => {
    expect(parseOptions([]).opts.runs).toBe(7);
    expect(parseOptions(['--quick']).opts.runs).toBe(1);
    expect(parseOptions(['--runs', '3', '--check'])).toMatchObject({ check: true, opts: { runs: 3 } });
  });

  it('BENCHMARKS.md and bench/chart.svg are what the stored results render to', () => {
    // A full run removes the rerun of the run before it: the comparison is there only once one is made.
    // The postgres variant's section likewise, once `--only postgres` (or a full run) has measured it.
    const optional = (file: string) => (existsSync(path.join(REPO_ROOT, file)) ? readJson(file) : null);
    const { markdown, svg } = renderAll(stored, optional('bench/results.rerun.json'), optional('bench/results.postgres.json'));
    expect(markdown).toBe(readFileSync(path.join(REPO_ROOT, 'BENCHMARKS.md'), 'utf8'));
    expect(svg).toBe(readFileSync(path.join(REPO_ROOT, 'bench/chart.svg'), 'utf8'));
  });
});

describe('bench: the postgres variant', () => {
  const run = (container: number, host: number, direct: number, p99 = 10) => {
    const load = (rps: number) => ({ rps, p99, non2xx: 0, errors: 0 });
    const kind = { container: load(container), host: load(host), direct: load(direct) };
    return { loadavg: 0.5, firstMs: 800, stopMs: 400, exitCode: 0, reads: kind, writes: kind, rowsAdded: 1000 };
  };
  const pg = {
    date: '2026-01-01T00:00:00.000Z',
    machine: { cpu: 'test CPU', cores: 2 },
    options: { seedItems: 20, path: '/items', connections: 50, rounds: 4, slice: 2 },
    runs: [run(900, 1000, 1000), run(800, 1000, 900), run(1000, 800, 1000)],
  };

  it('takes container ÷ host within each run, then the median over the runs', () => {
    const an = analysePostgres(pg);
    expect(an.reads.vsHost.median).toBeCloseTo(0.9);
    expect(an.reads.vsDirect.median).toBeCloseTo(0.9);
    expect(an.reads.container.rps.median).toBe(900);
  });

  it('renders its section only when there are results for it', () => {
    const rerun = existsSync(path.join(REPO_ROOT, 'bench/results.rerun.json')) ? readJson('bench/results.rerun.json') : null;
    expect(renderAll(stored, rerun, null).markdown).not.toContain('## The `--persistence postgres` variant');
    const { markdown } = renderAll(stored, rerun, pg);
    expect(markdown).toContain('## The `--persistence postgres` variant');
    expect(markdown).toContain('| Reads, GET /items (req/s) | **900** (800–1000) | **1000** (800–1000) | **0.90** (0.80–1.25) |');
  });
});
