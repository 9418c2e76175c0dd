/** The project's own test runner, which the container test is written for. */
import type { ProjectFiles } from './project-files.js';

export type TestRunner = 'jest' | 'vitest' | 'mocha' | 'node';

export function detectTestRunner(project: ProjectFiles): TestRunner {
  const test = project.scripts.test ?? '';
  for (const runner of ['vitest', 'jest', 'mocha'] as const) {
    if (new RegExp(`\\b${runner}\\b`).test(test) || project.depends(runner)) return runner;
  }
  return 'node';
}
