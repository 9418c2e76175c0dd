/**
 * The container test in the project's own test runner. One template
 * (templates/docker/test/container/container.test.mjs) holds the tests, written in node:test's
 * words; a short header maps them onto the runner's. Each runner gets a file it loads without
 * transforms in CommonJS and ESM projects alike, named so that its default globs (Jest's
 * testMatch, Vitest's include: `*.test.*`, `*.spec.*`) leave it out of the project's own
 * `test`, and a `test:container` script that ignores the project's runner configuration.
 */
import type { TestRunner } from './detect/test-runner.js';

export type { TestRunner };

export const TEST_RUNNERS: readonly TestRunner[] = ['jest', 'vitest', 'mocha', 'node'];

export interface ContainerTest {
  /** How the runner is named to the user. */
  label: string;
  /** Where the test goes, relative to the project. */
  file: string;
  /** The `test:container` script. */
  script: string;
  /** A config file of the runner's own that the script names, written next to the test. */
  config?: string;
  /** Which runner it is, for the template's header: one flag each. */
  is: Readonly<Record<TestRunner, boolean>>;
}

/** The template every runner's container test is rendered from. */
export const CONTAINER_TEST_TEMPLATE = 'test/container/container.test.mjs';

const JEST_FILE = 'test/container/container.e2e.cjs';
const ESM_FILE = 'test/container/container.e2e.mjs';
const VITEST_CONFIG = 'test/container/vitest.config.mjs';

const is = (runner: TestRunner) => Object.fromEntries(TEST_RUNNERS.map((r) => [r, r === runner])) as Record<TestRunner, boolean>;

export const CONTAINER_TESTS: Readonly<Record<TestRunner, ContainerTest>> = {
  node: { label: 'node --test', file: CONTAINER_TEST_TEMPLATE, script: `node --test ${CONTAINER_TEST_TEMPLATE}`, is: is('node') },
  // CommonJS: Jest loads ESM only under node --experimental-vm-modules. `--config={}` (no
  // quotes, for cmd.exe too) drops the project's presets, transforms and environment.
  jest: { label: 'Jest', file: JEST_FILE, script: `jest --config={} --testMatch=**/${JEST_FILE}`, is: is('jest') },
  // Vitest has no --include: a config file of its own names the test.
  vitest: {
    label: 'Vitest',
    file: ESM_FILE,
    config: VITEST_CONFIG,
    script: `vitest run --config ${VITEST_CONFIG}`,
    is: is('vitest'),
  },
  mocha: { label: 'Mocha', file: ESM_FILE, script: `mocha --no-config --no-package ${ESM_FILE}`, is: is('mocha') },
};
