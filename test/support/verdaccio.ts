/**
 * A local Verdaccio that serves our two package names and proxies every other package to the
 * registry this machine's npm is configured for, as a user's registry would serve them.
 *
 * It listens on the Docker bridge's gateway address, not loopback: an npm lockfile records
 * every tarball's URL, and the image build (whose RUN steps have a network of their own)
 * must fetch from those URLs as a user's build fetches from the npm registry. On 127.0.0.1
 * it would pass only while the engine's cache mount already held each tarball.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import path from 'node:path';
import { REPO_ROOT } from './paths.js';
import { run, SECONDS } from './run.js';

/** The host's address on the default bridge network, reachable from build steps and containers. */
export const BRIDGE_HOST = () =>
  run('docker', ['network', 'inspect', 'bridge', '--format', '{{(index .IPAM.Config 0).Gateway}}']).output.trim();

export function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * One request on a connection of its own, closed after it. Not fetch: its keep-alive pool
 * would hand the next request a connection Verdaccio closed while this process sat in a
 * synchronous run (the publish, a create), and that request fails with "other side closed".
 */
export function request(url: string, init: { method?: string; json?: unknown } = {}): Promise<{ status: number; body: string }> {
  const body = init.json === undefined ? undefined : JSON.stringify(init.json);
  const headers = { connection: 'close', ...(body ? { 'content-type': 'application/json' } : {}) };
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: init.method ?? 'GET', agent: false, headers }, (res) => {
      let text = '';
      res
        .setEncoding('utf8')
        .on('data', (chunk: string) => (text += chunk))
        .on('end', () => resolve({ status: res.statusCode ?? 0, body: text }))
        .on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

export interface Registry {
  /** `http://<bridge gateway>:<port>/` */
  url: string;
  host: string;
  /** A .npmrc that publishes to it as a registered user. */
  publisherConfig: string;
  /** Its output so far, for failure messages. */
  log: () => string;
  stop: () => void;
}

/** The registry npm is configured for here: Verdaccio's uplink for everything but our names. */
function upstream(): string {
  return run('npm', ['config', 'get', 'registry']).output.trim();
}

/** Starts Verdaccio with its storage under `work`, waits for it, and registers a publisher. */
export async function startRegistry(work: string): Promise<Registry> {
  const host = BRIDGE_HOST();
  const port = await freePort(host);
  const url = `http://${host}:${port}/`;
  const config = path.join(work, 'verdaccio.yaml');
  // Our two names are served from this registry only, never merged with a public package of
  // the same name; everything else is fetched through the uplink on first use.
  writeFileSync(
    config,
    [
      `storage: ${path.join(work, 'storage')}`,
      'auth:',
      '  htpasswd:',
      `    file: ${path.join(work, 'htpasswd')}`,
      'uplinks:',
      '  upstream:',
      `    url: ${upstream()}`,
      '    timeout: 60s',
      'packages:',
      "  'generator-container-api':",
      '    access: $all',
      '    publish: $authenticated',
      "  'create-container-api':",
      '    access: $all',
      '    publish: $authenticated',
      "  '**':",
      '    access: $all',
      '    proxy: upstream',
      'log: { type: stdout, format: pretty, level: warn }',
      '',
    ].join('\n'),
  );
  let log = '';
  const verdaccio: ChildProcess = spawn(
    process.execPath,
    [path.join(REPO_ROOT, 'node_modules/verdaccio/bin/verdaccio'), '--config', config, '--listen', `${host}:${port}`],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  verdaccio.stdout!.on('data', (chunk: Buffer) => (log += chunk.toString()));
  verdaccio.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const deadline = Date.now() + 60 * SECONDS;
  for (;;) {
    try {
      if ((await request(`${url}-/ping`)).status === 200) break;
    } catch {
      // not listening yet
    }
    if (verdaccio.exitCode !== null || Date.now() > deadline) {
      verdaccio.kill();
      throw new Error(`Verdaccio did not answer on ${url}:\n${log.slice(-4000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  // A publisher account, made the way `npm adduser` makes one.
  const user = await request(`${url}-/user/org.couchdb.user:release`, {
    method: 'PUT',
    json: { name: 'release', password: 'rehearsal-only' },
  });
  if (user.status !== 201) throw new Error(`Verdaccio refused the publisher account (${user.status}): ${user.body}`);
  const { token } = JSON.parse(user.body) as { token: string };
  const publisher = path.join(work, 'publisher');
  mkdirSync(publisher, { recursive: true });
  const publisherConfig = path.join(publisher, '.npmrc');
  writeFileSync(publisherConfig, `registry=${url}\n//${host}:${port}/:_authToken=${token}\n`);
  return { url, host, publisherConfig, log: () => log, stop: () => verdaccio.kill() };
}

/** Publishes both names at the version in package.json, with the release workflow's own script. */
export function publishOurs(registry: Registry): void {
  run(process.execPath, [path.join(REPO_ROOT, 'scripts/publish.mjs')], {
    cwd: REPO_ROOT,
    env: { ...process.env, npm_config_userconfig: registry.publisherConfig, npm_config_registry: registry.url },
  });
}

/** The environment a user's shell would have, with npm pointed at the registry and its own cache and prefix. */
export function userEnv(registry: Registry, home: string, prefix: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    HOME: home,
    npm_config_registry: registry.url,
    npm_config_cache: path.join(home, '.npm'),
    npm_config_prefix: prefix,
    // Nothing of the developer's own npm setup leaks in, such as a token or another registry.
    npm_config_userconfig: path.join(home, '.npmrc'),
    NO_UPDATE_NOTIFIER: '1',
  };
}
