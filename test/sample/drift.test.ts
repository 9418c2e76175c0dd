import path from 'node:path';
import { REPO_ROOT } from '../support/paths.js';
import { run } from '../support/run.js';

describe('sample-api/', () => {
  it('is exactly what the generator writes for the default answers', () => {
    const diff = run(process.execPath, [path.join(REPO_ROOT, 'scripts/sample.mjs'), 'diff'], { cwd: REPO_ROOT, allowFail: true });
    // The output names each file that drifted; `npm run sample:refresh` rewrites the sample.
    expect(diff.output.trim()).toBe('sample-api/ matches a fresh default run.');
    expect(diff.status).toBe(0);
  }, 60_000);
});
