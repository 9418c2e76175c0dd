import { REPO_ROOT } from './paths.js';

// yeoman-test runs each generator with the process inside a temporary folder that a later
// run deletes; a test that follows would then spawn commands from a folder that no longer
// exists. Every test file starts, and every test ends, in the repository root.
beforeAll(() => process.chdir(REPO_ROOT));
afterEach(() => process.chdir(REPO_ROOT));
