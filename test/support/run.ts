import { spawnSync } from 'node:child_process';

export const SECONDS = 1000;
export const MINUTES = 60 * SECONDS;

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Kills the command after this many ms; default 10 minutes. */
  timeout?: number;
  /** Return a failed result instead of throwing. */
  allowFail?: boolean;
  /** Run as this user and group (only root may ask). */
  uid?: number;
  gid?: number;
}

export interface RunResult {
  ok: boolean;
  /** The exit code, or null when a signal ended the command. */
  status: number | null;
  signal: NodeJS.Signals | null;
  /** stdout alone, trimmed: for commands whose answer is their output. */
  stdout: string;
  /** stderr alone, trimmed: for one-line error reports. */
  stderr: string;
  /** stdout then stderr: for assertions on what a tool printed and for failure reports. */
  output: string;
}

/**
 * Runs a command to completion with its output captured. A failure throws with the end of the
 * output, since that is where npm, jest and docker put their reason.
 */
export function run(command: string, args: string[], options: RunOptions = {}): RunResult {
  const result = spawnSync(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: options.timeout ?? 10 * MINUTES,
    maxBuffer: 64 * 1024 * 1024,
    ...(options.uid === undefined ? {} : { uid: options.uid, gid: options.gid }),
  });
  return settle(`${command} ${args.join(' ')}${options.cwd ? ` (in ${options.cwd})` : ''}`, result, options);
}

/**
 * A finished command's RunResult, from what spawnSync reports (or the same fields, for a run
 * that was not a subprocess). A failure throws with the end of the output unless `allowFail`;
 * `what` names the command in that error.
 */
export function settle(
  what: string,
  result: { status: number | null; signal: NodeJS.Signals | null; stdout?: string | null; stderr?: string | null; error?: Error },
  options: Pick<RunOptions, 'allowFail'> = {},
): RunResult {
  const output = `${result.stdout ?? ''}\n${result.stderr ?? ''}`;
  const ok = result.status === 0;
  if (!ok && !options.allowFail) {
    const why = result.error ? result.error.message : result.signal ? `was killed by ${result.signal}` : `exited ${result.status}`;
    throw new Error(`${what} ${why}:\n${output.slice(-8000)}`);
  }
  return {
    ok,
    status: result.status,
    signal: result.signal,
    stdout: (result.stdout ?? '').trim(),
    stderr: (result.stderr ?? '').trim(),
    output,
  };
}
