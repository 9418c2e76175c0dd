/**
 * The docker CLI, run through child_process. Builds go through `docker buildx build`
 * (BuildKit) rather than the Docker API: the CLI's BuildKit session is the reliable one,
 * and a failed build reports the daemon's own output, which the thrown error carries.
 */
import { spawn } from 'node:child_process';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `docker ...args`; never throws for a non-zero exit. */
export function runDocker(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('docker', args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      resolve({
        code: code ?? -1,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      });
    });
  });
}

/** Runs `docker ...args` and returns stdout; a non-zero exit throws with docker's own words. */
export async function docker(args: string[], options: { cwd?: string } = {}): Promise<string> {
  const result = await runDocker(args, options);
  if (result.code !== 0) {
    throw new Error(`docker ${args.join(' ')} exited with ${result.code}:\n${result.stderr || result.stdout}`);
  }
  return result.stdout;
}

/** The oldest Docker Engine the Dockerfile works on: HEALTHCHECK --start-interval came in 25. */
export const MIN_ENGINE_MAJOR = 25;

/**
 * Fails at once, before any build, when the engine is missing or older than the Dockerfile
 * needs: otherwise an old engine fails later, inside the build, with a parse error.
 */
export async function requireEngine(): Promise<string> {
  const result = await runDocker(['version', '--format', '{{.Server.Version}}']);
  const version = result.stdout.trim();
  if (result.code !== 0 || !version) {
    throw new Error(`No Docker engine answers: start Docker, or point DOCKER_HOST at one.\n${result.stderr.trim()}`);
  }
  if (Number.parseInt(version, 10) < MIN_ENGINE_MAJOR) {
    throw new Error(
      `Docker Engine ${version} is too old: the Dockerfile's HEALTHCHECK --start-interval needs ${MIN_ENGINE_MAJOR} or later. Upgrade Docker (Docker Desktop 4.27+, docker-ce 25+).`,
    );
  }
  return version;
}

export class BuildError extends Error {
  readonly output: string;

  constructor(message: string, output: string) {
    super(message);
    this.name = 'BuildError';
    this.output = output;
  }
}

export interface BuildOptions {
  context: string;
  tag?: string;
  target?: string;
  buildArgs?: Record<string, string>;
}

/**
 * `docker buildx build --load`: BuildKit, with the cache and secret mounts the Dockerfile
 * uses. Returns the build's log; a failed build throws a BuildError whose message ends with
 * the daemon's output (plain progress, so every step's own output is there).
 */
export async function buildImage(options: BuildOptions): Promise<string> {
  const args = ['buildx', 'build', '--load', '--progress=plain'];
  if (options.tag) args.push('--tag', options.tag);
  if (options.target) args.push('--target', options.target);
  for (const [key, value] of Object.entries(options.buildArgs ?? {})) args.push('--build-arg', `${key}=${value}`);
  args.push(options.context);
  const result = await runDocker(args, { env: { ...process.env, BUILDKIT_PROGRESS: 'plain' } });
  // BuildKit writes its progress, step output included, to stderr.
  const output = `${result.stderr}${result.stdout}`;
  if (result.code !== 0) {
    throw new BuildError(
      `docker ${args.join(' ')} failed (exit ${result.code}). Daemon output:\n${tail(output, 150)}`,
      output,
    );
  }
  return output;
}

/** The last `lines` lines: enough to show a failing step without flooding the report. */
export function tail(text: string, lines: number): string {
  const all = text.trimEnd().split('\n');
  return (all.length > lines ? ['…', ...all.slice(-lines)] : all).join('\n');
}

export async function inspect<T = Record<string, unknown>>(
  kind: 'image' | 'container' | 'volume',
  name: string,
): Promise<T> {
  const [first] = JSON.parse(await docker([kind, 'inspect', name])) as T[];
  if (first === undefined) throw new Error(`docker ${kind} inspect ${name}: nothing found`);
  return first;
}

/** Removes what exists and ignores what does not: teardown must not fail on a clean engine. */
type Removable = 'container' | 'volume' | 'image'<%- postgres ? " | 'network'" : '' %>;

export async function removeQuietly(kind: Removable, names: string[]): Promise<void> {
  if (names.length === 0) return;
  const args = kind === 'container' ? ['rm', '--force', '--volumes', ...names] : [kind, 'rm', '--force', ...names];
  await runDocker(args);
}
