/**
 * Longest suite first, so that the last worker to finish is not the one that started the
 * longest suite last. Jest does this from its cache of past runs; a fresh clone (every CI
 * run) has no cache and falls back to file size, which ranks the e2e suites badly (the
 * registry suite is small and takes seven minutes). SECONDS fills that gap with times
 * measured by .ci/run; a local cache, when there is one, still wins.
 */
import Sequencer from '@jest/test-sequencer';

/**
 * Seconds per suite: from the last full `.ci/run` (ccbf936, a quiet machine, 2017 s in all),
 * and for the smallest suites their own runs; refresh when they drift.
 */
const SECONDS = {
  'e2e/matrix.test.ts': 624,
  'e2e/workshop.test.ts': 319,
  'e2e/registry.test.ts': 563,
  'e2e/workshop-containerd.test.ts': 265,
  'e2e/upgrade.test.ts': 288,
  'e2e/generated-project.test.ts': 393,
  'e2e/existing.test.ts': 208,
  'e2e/no-warnings.test.ts': 131,
  'e2e/gitlab-ci.test.ts': 162,
  'e2e/postgres.test.ts': 97,
  'e2e/swarm.test.ts': 193,
  'e2e/services.test.ts': 51,
  'e2e/pack.test.ts': 75,
  'e2e/postgres-image.test.ts': 30,
  'e2e/existing-installs.test.ts': 45,
  'e2e/service-images.test.ts': 40,
  'e2e/native-addons.test.ts': 17,
  'e2e/package-managers.test.ts': 16,
};

export default class LongestFirst extends Sequencer {
  time(test) {
    const known = super.time(test);
    if (known != null) return known;
    const entry = Object.entries(SECONDS).find(([suffix]) => test.path.endsWith(`/test/${suffix}`));
    return entry ? entry[1] * 1000 : undefined;
  }
}
