// What `npm run bench -- …` was asked to do.
export const USAGE = 'usage: npm run bench [-- --runs N] [--quick] [--check] [--render] [--slice S] [--rounds R] [--connections C]';

export function parseOptions(argv) {
  const flag = (name) => argv.includes(name);
  const opt = (name, def) => {
    const i = argv.indexOf(name);
    return i >= 0 && argv[i + 1] !== undefined ? Number(argv[i + 1]) : def;
  };
  const quick = flag('--quick');
  return {
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
