/** The project's own test runner, which the container test is written for. */
import type { ProjectFiles } from './project-files.js';

export type TestRunner = 'jest' | 'vitest' | 'mocha' | 'node';

const RUNNERS = ['vitest', 'jest', 'mocha'] as const;

/**
 * The runner the test script names (the first one, as in `vitest run && mocha e2e`), else the
 * one among the dependencies; `node --test`, or none at all, is node.
 */
export function detectTestRunner(project: ProjectFiles): TestRunner {
  const test = project.scripts.test ?? '';
  const named = RUNNERS.map((runner) => ({ runner, at: test.search(new RegExp(`\\b${runner}\\b`)) }))
    .filter(({ at }) => at >= 0)
    .sort((a, b) => a.at - b.at)[0];
  if (named) return named.runner;
  if (/\bnode\b[^&|;]*--test\b/.test(test)) return 'node';
  return RUNNERS.find((runner) => project.depends(runner)) ?? 'node';
}
