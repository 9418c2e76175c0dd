import path from 'node:path';
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { CLI_PATH, REPO_ROOT } from './paths.js';
import { MINUTES, type RunOptions, type RunResult, run, settle } from './run.js';

/**
 * Generates a project the way users do: the create-container-api bin, with no terminal. `args`
 * are its flags; a failure throws unless `allowFail`.
 *
 * The bin's main() runs in a worker thread of this process (test/support/generate-worker.mjs
 * says how each run is kept apart from the others), which answers with what the subprocess
 * would have: exit status, stdout and stderr. That saves a Node start and a load of yeoman per
 * run. Two kinds of run still spawn the bin: one as another user (`uid`), and one that installs
 * (no --skip-install), whose package manager would write to this process's own stdout.
 */
export function generate(target: string, args: string[], options: RunOptions = {}): RunResult {
  args = withoutGit(args);
  const skipsInstall = args.findLast((a) => a === '--skip-install' || a === '--no-skip-install') === '--skip-install';
  if (options.uid !== undefined || !skipsInstall || !WORKER_HOOKS_WORK) return generateInSubprocess(target, args, options);
  return generateInWorker([target, ...args], options);
}

/**
 * A new project's git init and first commit cost every run a few git processes, and only
 * the tests of git itself look at them: those say --skip-git or --no-skip-git themselves;
 * every other new-project run gets --skip-git. (--existing has no such flag.)
 */
function withoutGit(args: string[]): string[] {
  const says = args.some((a) => a === '--skip-git' || a === '--no-skip-git' || a === '--existing' || a === '--help');
  return says ? args : [...args, '--skip-git'];
}

/**
 * The worker's module hooks (module.registerHooks) misbehave on early Node 22 releases: on
 * 22.18.0, the engines floor, its default resolve fails on the hook's context
 * (`conditions.includes` / `conditions.has is not a function`). There the bin runs as a
 * subprocess, as users run it; 22.23 and later, 24 and 26 take the worker.
 */
const [NODE_MAJOR = 0, NODE_MINOR = 0] = process.versions.node.split('.').map(Number);
const WORKER_HOOKS_WORK = NODE_MAJOR > 22 || (NODE_MAJOR === 22 && NODE_MINOR >= 23);

/** The bin itself in a subprocess, for the tests of the bin. */
export function generateInSubprocess(target: string, args: string[], options: RunOptions = {}): RunResult {
  return run(process.execPath, [CLI_PATH, target, ...args], options);
}

interface Answer {
  status: number;
  stdout: string;
  stderr: string;
}

/** One worker per test file (each has its own copy of this module), ended after its tests. */
let worker: { thread: Worker; port: MessagePort } | undefined;
afterAll(async () => {
  const thread = worker?.thread;
  worker = undefined;
  await thread?.terminate();
});

function startWorker(): { thread: Worker; port: MessagePort } {
  const { port1, port2 } = new MessageChannel();
  const thread = new Worker(new URL('./generate-worker.mjs', import.meta.url), {
    workerData: { port: port2, dist: path.join(REPO_ROOT, 'dist') },
    transferList: [port2],
    // As the bin runs: plain node, not jest's flags.
    execArgv: [],
  });
  thread.unref();
  return { thread, port: port1 };
}

function generateInWorker(argv: string[], options: RunOptions): RunResult {
  const what = `create-container-api ${argv.join(' ')} (in a worker thread${options.cwd ? `, in ${options.cwd}` : ''})`;
  worker ??= startWorker();
  const { thread, port } = worker;
  const state = new Int32Array(new SharedArrayBuffer(4));
  const timeout = options.timeout ?? 10 * MINUTES;
  // The bin resolves its directory against the working directory, and says where it wrote
  // relative to it: the process's is options.cwd for the run alone, and the worker is told.
  const cwd = process.cwd();
  if (options.cwd) process.chdir(options.cwd);
  try {
    port.postMessage({ argv, cwd: process.cwd(), env: { ...(options.env ?? process.env) }, state });
    if (Atomics.wait(state, 0, 0, timeout) === 'timed-out') {
      worker = undefined;
      void thread.terminate();
      return settle(what, { status: null, signal: 'SIGTERM', error: new Error(`timed out after ${timeout} ms`) }, options);
    }
  } finally {
    process.chdir(cwd);
  }
  const answer = receiveMessageOnPort(port)?.message as Answer;
  return settle(what, { status: answer.status, signal: null, stdout: answer.stdout, stderr: answer.stderr }, options);
}
