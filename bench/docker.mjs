// The engine side of the bench: docker commands, builds, image facts, and the removal of
// everything the bench made (containers, images, build-cache records).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseBuildLog, run } from './lib.mjs';
import { benchDir, FULL_BASE, log, QUIET_CONTAINER, SLIM_BASE, VARIANTS } from './options.mjs';

/** Everything made here, for cleanup. */
export const made = {
  images: new Set(),
  containers: new Set([...Object.values(VARIANTS).map((v) => v.container), QUIET_CONTAINER]),
  windows: [],
};
let cacheBefore = null;

export const docker = (args, o = {}) => run('docker', args, { timeoutMs: 60_000, ...o });

export async function imageId(ref) {
  const r = await docker(['image', 'inspect', '-f', '{{.Id}}', ref], { allowFail: true });
  return r.code === 0 ? r.out.trim() : null;
}

export async function imageSize(ref) {
  return Number((await docker(['image', 'inspect', '-f', '{{.Size}}', ref])).out.trim());
}

/** Build-cache records: id, createdAt (ms), description. */
export async function cacheRecords() {
  const r = await docker(['buildx', 'du', '--verbose'], { allowFail: true, timeoutMs: 120_000 });
  const recs = [];
  for (const block of r.out.split(/\n\s*\n/)) {
    const id = /^ID:\s+(\S+)/m.exec(block)?.[1];
    if (!id) continue;
    const created = /^Created at:\s+(\S+) (\S+)/m.exec(block);
    recs.push({
      id: id.replace(/\*$/, ''),
      createdAt: created ? Date.parse(`${created[1]}T${created[2].slice(0, 12)}Z`) : NaN,
      description: /^Description:\s+(.*)$/m.exec(block)?.[1] ?? '',
    });
  }
  return recs;
}

/** One `docker buildx build`; returns time, parsed log and the image id. */
export async function build(v, ctx, { cold }) {
  const args = ['buildx', 'build', '--progress=plain', '-t', v.image];
  if (cold) args.push('--no-cache');
  args.push(ctx);
  const start = Date.now();
  const t0 = performance.now();
  const r = await run('docker', args, { timeoutMs: 15 * 60_000 });
  const ms = performance.now() - t0;
  made.windows.push([start - 2000, Date.now() + 2000]);
  const id = await imageId(v.image);
  if (id) made.images.add(id);
  return { ms, ...parseBuildLog(r.err + r.out), imageId: id, log: r.err };
}

export async function containerIp(name) {
  return (await docker(['inspect', '-f', '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}', name])).out.trim();
}

export async function machine() {
  const cpuinfo = fs.readFileSync('/proc/cpuinfo', 'utf8');
  const dockerVersion = (await docker(['version', '--format', '{{.Server.Version}}'])).out.trim();
  const buildx = (await docker(['buildx', 'version'])).out.trim().split(/\s+/)[1];
  return {
    cpu: /^model name\s*:\s*(.*)$/m.exec(cpuinfo)?.[1] ?? 'unknown',
    cores: os.cpus().length,
    memGiB: os.totalmem() / 2 ** 30,
    kernel: os.release(),
    os: /^PRETTY_NAME="?([^"\n]*)/m.exec(fs.readFileSync('/etc/os-release', 'utf8'))?.[1] ?? os.type(),
    docker: dockerVersion,
    buildx,
    node: process.version,
  };
}

export async function ensureBases() {
  if (!(await imageId(SLIM_BASE))) throw new Error(`${SLIM_BASE} is missing (scripts/provision.sh makes it)`);
  if (!(await imageId(FULL_BASE))) {
    log(`${FULL_BASE} is missing: building the local stand-in (bench/dockerfiles/node-full-base.Dockerfile, a few minutes) ...`);
    await run(
      'docker',
      [
        'buildx',
        'build',
        '--progress=plain',
        '-t',
        FULL_BASE,
        '-f',
        path.join(benchDir, 'dockerfiles', 'node-full-base.Dockerfile'),
        path.join(benchDir, 'dockerfiles'),
      ],
      {
        timeoutMs: 20 * 60_000,
      },
    );
  }
}

/** The runtime base of (a): ARG RUNTIME_IMAGE of the generated Dockerfile, ARGs resolved. */
export function runtimeBase(app) {
  const text = fs.readFileSync(path.join(app, 'Dockerfile'), 'utf8');
  const args = {};
  for (const m of text.matchAll(/^ARG (\w+)=(\S+)/gm)) args[m[1]] = m[2].replace(/\$\{(\w+)\}/g, (_, k) => args[k] ?? '');
  return args.RUNTIME_IMAGE ?? SLIM_BASE;
}

/** Bytes of the layers holding production node_modules and the compiled app in image (a). */
export async function appLayers(ref) {
  const r = await docker(['history', '--no-trunc', '--human=false', '--format', '{{.Size}}\t{{.CreatedBy}}', ref]);
  let nodeModules = 0;
  let dist = 0;
  for (const line of r.out.trim().split('\n')) {
    const [size, by] = line.split('\t');
    if (/COPY .*node_modules/.test(by)) nodeModules += Number(size);
    else if (/COPY .*\/dist\b/.test(by)) dist += Number(size);
  }
  return { nodeModules, dist };
}

/** Notes the build-cache records that exist before the bench builds anything: those stay. */
export async function rememberCache() {
  cacheBefore = new Set((await cacheRecords()).map((r) => r.id));
}

/** Removes the containers, images and build-cache records this bench made. */
export async function removeMade() {
  for (const c of made.containers) await docker(['rm', '-f', '-v', c], { allowFail: true }).catch(() => {});
  for (const v of Object.values(VARIANTS)) await docker(['rmi', '-f', v.image], { allowFail: true }).catch(() => {});
  for (const id of made.images) await docker(['rmi', '-f', id], { allowFail: true }).catch(() => {});
  // Build-cache records this bench created: new since the start and created while one of our
  // builds ran. (Another build running in the same seconds may lose a fresh record too: that
  // only costs it a cache miss.) Parents are freed once their children are gone, so repeat.
  if (cacheBefore) {
    const inWindow = (t) => made.windows.some(([s, e]) => t >= s && t <= e);
    let pruned = 0;
    for (let pass = 0; pass < 4; pass++) {
      const recs = (await cacheRecords().catch(() => [])).filter((r) => !cacheBefore.has(r.id) && inWindow(r.createdAt));
      if (recs.length === 0) break;
      // One prune per batch: buildx turns `--filter id=X` into BuildKit's regex match `id~=X`,
      // so a quoted alternation of ids selects exactly those records (a prune call walks the
      // whole cache and takes seconds, so one call per record would take minutes).
      let progress = 0;
      for (let i = 0; i < recs.length; i += 40) {
        const ids = recs.slice(i, i + 40).map((r) => r.id);
        const p = await docker(['buildx', 'prune', '-f', '--filter', `id="${ids.join('|')}"`], {
          allowFail: true,
          timeoutMs: 300_000,
        }).catch(() => null);
        if (p) progress += ids.filter((id) => p.out.includes(id)).length;
      }
      pruned += progress;
      if (progress === 0) break;
    }
    log(`pruned ${pruned} build-cache records`);
  }
}
