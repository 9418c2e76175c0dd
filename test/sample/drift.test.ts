import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from '../support/paths.js';

describe('sample-api/', () => {
  it('is exactly what the generator writes for the default answers', () => {
    const run = spawnSync(process.execPath, [path.join(REPO_ROOT, 'scripts/sample.mjs'), 'diff'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    });
    // The output names each file that drifted; `npm run sample:refresh` rewrites the sample.
    expect(`${run.stdout}${run.stderr}`.trim()).toBe('sample-api/ matches a fresh default run.');
    expect(run.status).toBe(0);
  }, 60_000);
});
