/**
 * The create-container-api bin, run inside a worker thread: test/support/generate.ts sends a
 * command line and blocks until this answers, so generate() stays synchronous like spawnSync
 * without paying a Node start and a fresh load of yeoman for every run.
 *
 * Each run is made to look like a process of its own:
 * - the bin and our generators (everything under dist/) load afresh for each run, by a
 *   resolve hook that gives their URLs the run's number, so module state (detection's cache
 *   of findings, for one) never carries over from an earlier run; the dependencies
 *   (yeoman-environment, yeoman-generator, ejs, ...) load once and are shared;
 * - process.env is the caller's, set for the run and put back after it, and the run starts
 *   with no process.exitCode;
 * - what it writes to stdout and stderr (console, and yeoman's log, which writes to stderr)
 *   is captured, not printed;
 * - an error ends it as the bin's own catch does: `create-container-api: <first line>` on
 *   stderr, exit code 2 for a UsageError and 1 otherwise. An uncaught exception or unhandled
 *   rejection during a run ends it with status 1 and the stack on stderr, as Node would.
 * - process.cwd() is the run's working directory, which the caller also makes the process's
 *   for the run.
 */
import { registerHooks } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { workerData } from 'node:worker_threads';

/** @type {{ port: import('node:worker_threads').MessagePort, dist: string }} */
const { port, dist } = workerData;
const DIST = pathToFileURL(`${dist}${path.sep}`).href;
const url = (file) => pathToFileURL(path.join(dist, file)).href;

let runNumber = 0;
registerHooks({
  resolve(specifier, context, nextResolve) {
    const resolved = nextResolve(specifier, context);
    if (!resolved.url.startsWith(DIST)) return resolved;
    // yeoman-environment require()s a generator first and import()s it when require says
    // ERR_REQUIRE_ESM. Node keeps what require() loads by file name, whatever the URL, so one
    // instance would serve every run: say so, and it imports the run's own.
    if (context.conditions.includes('require')) {
      throw Object.assign(new Error(`${resolved.url} is loaded with import() in this worker`), { code: 'ERR_REQUIRE_ESM' });
    }
    return { ...resolved, url: `${resolved.url.split('?')[0]}?run=${runNumber}` };
  },
});

/** Where the current run's output goes; outside a run, writes reach the real streams. */
let sink;
for (const name of ['stdout', 'stderr']) {
  const stream = process[name];
  const write = stream.write.bind(stream);
  stream.write = (chunk, encoding, callback) => {
    if (!sink) return write(chunk, encoding, callback);
    const done = typeof encoding === 'function' ? encoding : callback;
    sink[name].push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString());
    if (done) queueMicrotask(() => done());
    return true;
  };
}

/**
 * The caller changes the process's working directory for the run, but process.cwd() here
 * would not say so: graceful-fs (under yeoman) replaces it with one that keeps the first
 * answer until a process.chdir, which a worker cannot call. So the run's directory is sent
 * along and is process.cwd() until the run ends, and the replacement is ignored.
 */
let runCwd;
const cwd = process.cwd.bind(process);
const runOrProcessCwd = () => runCwd ?? cwd();
Object.defineProperty(process, 'cwd', { configurable: true, get: () => runOrProcessCwd, set() {} });

/** The run in progress: finishing it twice (an uncaught error, then main settling) answers once. */
let current;

function finish(run, status) {
  if (current !== run) return;
  current = undefined;
  const { stdout, stderr } = sink;
  sink = undefined;
  runCwd = undefined;
  for (const key of Object.keys(process.env)) if (!(key in run.savedEnv)) delete process.env[key];
  Object.assign(process.env, run.savedEnv);
  process.exitCode = undefined;
  port.postMessage({ status, stdout: stdout.join(''), stderr: stderr.join('') });
  Atomics.store(run.state, 0, 1);
  Atomics.notify(run.state, 0);
}

function crash(error) {
  if (!current) throw error;
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n\nNode.js ${process.version}\n`);
  finish(current, 1);
}
process.on('uncaughtException', crash);
process.on('unhandledRejection', crash);

port.on('message', async ({ argv, cwd: directory, env, state }) => {
  runNumber += 1;
  const run = { state, savedEnv: { ...process.env } };
  current = run;
  sink = { stdout: [], stderr: [] };
  runCwd = directory;
  for (const key of Object.keys(process.env)) if (!(key in env)) delete process.env[key];
  Object.assign(process.env, env);
  process.exitCode = undefined;
  try {
    const version = `?run=${runNumber}`;
    const { UsageError } = await import(url('generators/lib/questions.js') + version);
    const { BIN } = await import(url('cli/commands.js') + version);
    const { main } = await import(url('cli/create-container-api.js') + version);
    // The bin's own catch, word for word (cli/create-container-api.ts).
    await main(argv).catch((error) => {
      const message = error instanceof Error ? error.message : String(error);
      console.error(`${BIN}: ${message.split('\n')[0]}`);
      process.exitCode = error instanceof UsageError ? 2 : 1;
    });
    // What the process would still do before exiting.
    await new Promise((resolve) => setImmediate(resolve));
    finish(run, Number(process.exitCode ?? 0));
  } catch (error) {
    crash(error);
  }
});
