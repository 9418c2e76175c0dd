/**
 * A long step (the install, git's first commit) said while it runs, on stderr: a spinner with
 * the elapsed time in a terminal (ora), and without one (CI, a pipe, a log file) a line when
 * it starts, one every `every` ms while it runs and one when it ends, each with the time so
 * far. A log then shows that a 40 s install is alive, and where the time went.
 */
import ora from 'ora';

export interface StepOptions {
  /** What it says while it runs: "Installing dependencies with npm". */
  doing: string;
  /** What it says once done: "Installed dependencies with npm". */
  done: string;
  /** Without a terminal, a line this often (ms); 10 s by default. */
  every?: number;
  stream?: NodeJS.WriteStream;
}

/** Elapsed time as people read it: "0.4 s", "12 s", "1 min 05 s". */
export function elapsed(ms: number): string {
  if (ms < 9_950) return `${(ms / 1000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  return `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, '0')} s`;
}

/**
 * A terminal that shows a spinner: not a pipe, not CI's log, not TERM=dumb (ora's own test),
 * and one that knows its width: a pseudo-terminal of zero columns (`script`, some `docker
 * exec -t`) makes ora count the lines to clear as infinite, and it never stops clearing.
 */
function spins(stream: NodeJS.WriteStream): boolean {
  return Boolean(stream.isTTY) && (stream.columns ?? 0) > 0 && process.env.TERM !== 'dumb' && !('CI' in process.env);
}

/** Runs `task`, saying so as it goes; a failure is said (✖ with the time) and rethrown. */
export async function step<T>(task: () => Promise<T>, options: StepOptions): Promise<T> {
  const stream = options.stream ?? process.stderr;
  const start = performance.now();
  const since = () => elapsed(performance.now() - start);
  if (spins(stream)) {
    const spinner = ora({ text: options.doing, stream, discardStdin: false }).start();
    const ticker = setInterval(() => (spinner.text = `${options.doing} (${since()})`), 1000);
    try {
      const result = await task();
      spinner.succeed(`${options.done} (${since()})`);
      return result;
    } catch (error) {
      spinner.fail(`${options.doing}: failed after ${since()}`);
      throw error;
    } finally {
      clearInterval(ticker);
    }
  }
  stream.write(`${options.doing}…\n`);
  const ticker = setInterval(() => stream.write(`  … ${since()}\n`), options.every ?? 10_000);
  try {
    const result = await task();
    stream.write(`✔ ${options.done} (${since()})\n`);
    return result;
  } catch (error) {
    stream.write(`✖ ${options.doing}: failed after ${since()}\n`);
    throw error;
  } finally {
    clearInterval(ticker);
  }
}
