import { CLI_PATH } from './paths.js';
import { type RunOptions, type RunResult, run } from './run.js';

/**
 * Generates a project the way users do: the create-container-api bin, in a subprocess with
 * no terminal. `args` are its flags; a failure throws unless `allowFail`.
 */
export function generate(target: string, args: string[], options: RunOptions = {}): RunResult {
  return run(process.execPath, [CLI_PATH, target, ...args], options);
}
