// `npm run bench -- --only <part>`: one part of the bench, measured alone and printed, for
// working on it without the full run (which needs the engine to itself for ~18 min). It writes
// no report: BENCHMARKS.md stays the product of one full run.
import os from 'node:os';
import { build, imageId } from './docker.mjs';
import { fixed, median, summary } from './lib.mjs';
import { generateApp, makeContext, measureContainer, startHost } from './measure.mjs';
import { log, opts, SLIM_BASE, VARIANTS } from './options.mjs';

/** Image (a) built once, then `runs` rounds of (a) against the host, interleaved as in a full run. */
export async function throughputOnly() {
  if (!(await imageId(SLIM_BASE))) throw new Error(`${SLIM_BASE} is missing (scripts/provision.sh makes it)`);
  const app = await generateApp();
  const { ctx } = makeContext(app, 'throughput-a', 'a');
  const built = await build(VARIANTS.a, ctx, { cold: false });
  log(`built (a) in ${fixed(built.ms / 1000, 1)} s`);
  const runs = [];
  for (let i = 0; i < opts.runs; i++) {
    const host = await startHost(app);
    let r;
    try {
      r = await measureContainer('a', host);
    } finally {
      await host.stop();
    }
    const ratios = {
      published: r.rps / r.hostRps,
      nat: r.natRps / r.hostRps,
      direct: r.directRps / r.hostRps,
      quiet: r.quietRps / r.hostRps,
    };
    runs.push({ ...r, ratios, loadavg: os.loadavg()[0] });
    log(
      `run ${i + 1}/${opts.runs}: ${fixed(r.rps, 0)} req/s through the published port, host ${fixed(r.hostRps, 0)}: ` +
        `${fixed(ratios.published)}× (from our bridge ${fixed(ratios.nat)}×, bridge IP ${fixed(ratios.direct)}×, bridge IP at LOG_LEVEL=warn ${fixed(ratios.quiet)}×)`,
    );
  }
  const s = (pick) => summary(runs.map(pick));
  const line = (name, st) => `  ${name}: median ${fixed(st.median)} (${fixed(st.min)}–${fixed(st.max)})`;
  log(`throughput ÷ host over ${runs.length} runs (${opts.rounds} rounds of ${opts.slice} s slices, ${opts.connections} connections):`);
  for (const [name, key] of [
    ['published port on 127.0.0.1       ', 'published'],
    ['published port, from our bridge   ', 'nat'],
    ['bridge IP (no docker-proxy)       ', 'direct'],
    ['bridge IP, LOG_LEVEL=warn         ', 'quiet'],
  ])
    console.log(
      line(
        name,
        s((r) => r.ratios[key]),
      ),
    );
  console.log(
    `  host req/s: median ${fixed(median(runs.map((r) => r.hostRps)), 0)}; container p99 ${median(runs.map((r) => r.p99))} ms, host p99 ${median(runs.map((r) => r.hostP99))} ms`,
  );
  return runs;
}
