/**
 * The layer-cache claim, checked from outside a generated project: build its image, change
 * one line of its sources, build again, and read BuildKit's plain log of the second build.
 */
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { run } from './run.js';

export interface InstallStep {
  /** The step as BuildKit names it, e.g. `[prod-deps 4/4] RUN --mount=type=cache,...`. */
  step: string;
  cached: boolean;
}

/** BuildKit's plain progress: `#7 [deps 3/4] RUN ...` starts step 7; `#7 CACHED` says it was reused. */
function steps(log: string): { id: string; step: string; cached: boolean }[] {
  const found = [...log.matchAll(/^#(\d+) (\[[^\]]+\] .*)$/gm)].map((m) => ({ id: m[1]!, step: m[2]! }));
  return found.map(({ id, step }) => ({ id, step, cached: new RegExp(`^#${id} CACHED$`, 'm').test(log) }));
}

/**
 * Builds `project`'s image twice, the second time after appending a comment line to
 * src/server.ts (restored afterwards), and reports the second build's install steps (every
 * RUN of the deps and prod-deps stages) and whether the compile step ran again.
 */
export function rebuildAfterSourceEdit(project: string, tag: string): { installSteps: InstallStep[]; buildRan: boolean } {
  const image = `${path.basename(project)}:${tag}`;
  const build = () =>
    run('docker', ['buildx', 'build', '--progress=plain', '--load', '-t', image, '.'], { cwd: project, timeout: 15 * 60 * 1000 }).output;
  const server = path.join(project, 'src', 'server.ts');
  const original = readFileSync(server, 'utf8');
  try {
    build();
    appendFileSync(server, '// one line that changes nothing\n');
    const all = steps(build());
    const installSteps = all
      .filter((s) => /^\[(deps|prod-deps) \d+\/\d+\] RUN /.test(s.step))
      .map(({ step, cached }) => ({ step, cached }));
    const buildRan = all.some((s) => /^\[build \d+\/\d+\] RUN /.test(s.step) && !s.cached);
    return { installSteps, buildRan };
  } finally {
    writeFileSync(server, original);
    run('docker', ['image', 'rm', '--force', image], { allowFail: true });
  }
}
