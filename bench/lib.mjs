// Small helpers for bench/run.mjs: processes with a time bound, BuildKit plain-progress
// parsing, statistics, formatting.
import { spawn } from 'node:child_process';
import http from 'node:http';

/** Runs a command; resolves {code, out, err, ms}. Kills it (and rejects) after timeoutMs. */
export function run(cmd, args, { timeoutMs = 120_000, cwd, env, input, allowFail = false } = {}) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(cmd, args, { cwd, env: env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`timed out after ${timeoutMs} ms: ${cmd} ${args.join(' ')}\n${tail(out + err)}`));
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      const ms = performance.now() - t0;
      if (code !== 0 && !allowFail) {
        reject(new Error(`exit ${code}: ${cmd} ${args.join(' ')}\n${tail(out + err)}`));
      } else resolve({ code, out, err, ms });
    });
    if (input !== undefined) child.stdin.end(input);
    else child.stdin.end();
  });
}

export function tail(text, lines = 30) {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** One GET; resolves the status code, or 0 on any connection error or timeout. */
export function probe(url, timeoutMs = 250) {
  return new Promise((resolve) => {
    const req = http.get(url, { agent: false, timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
  });
}

/** Polls url every intervalMs until a 200; resolves ms since `since`, or null at the deadline. */
export async function firstOk(url, since, { intervalMs = 20, deadlineMs = 30_000 } = {}) {
  while (performance.now() - since < deadlineMs) {
    if ((await probe(url)) === 200) return performance.now() - since;
    await sleep(intervalMs);
  }
  return null;
}

/** Parses `docker buildx build --progress=plain` output. */
export function parseBuildLog(log) {
  const names = new Map();
  const cached = new Set();
  let contextBytes = 0;
  for (const line of log.split('\n')) {
    let m = /^#(\d+) (\[.+)$/.exec(line);
    if (m) {
      if (!names.has(m[1])) names.set(m[1], m[2]);
      continue;
    }
    m = /^#(\d+) CACHED\s*$/.exec(line);
    if (m) {
      cached.add(m[1]);
      continue;
    }
    m = /^#\d+ transferring context: ([\d.]+)\s*([kMG]?B)/.exec(line);
    if (m) contextBytes = Math.max(contextBytes, toBytes(Number(m[1]), m[2]));
  }
  const steps = [...names].map(([id, name]) => ({ name, cached: cached.has(id) }));
  // Dependency installs of npm, pnpm or Yarn (the naive one also compiles in the same RUN).
  const depSteps = steps.filter((s) => /\bRUN\b.*(\bnpm (ci|install)\b|\bpnpm install\b|\byarn (install|workspaces focus)\b)/.test(s.name));
  const work = steps.filter((s) => /\] (RUN|COPY|ADD) /.test(s.name));
  return {
    contextBytes,
    steps,
    depsReinstalled: depSteps.some((s) => !s.cached),
    depSteps: depSteps.length,
    cachedSteps: work.filter((s) => s.cached).length,
    totalSteps: work.length,
  };
}

function toBytes(n, unit) {
  return n * ({ B: 1, kB: 1e3, MB: 1e6, GB: 1e9 }[unit] ?? 1);
}

export function median(xs) {
  const v = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  const mid = v.length >> 1;
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

/**
 * Median, min, max and noise of a series of runs. The noise is the largest distance of a run
 * from the median: the farther end of min–max.
 */
export function summary(xs) {
  const v = xs.filter((x) => Number.isFinite(x));
  const mid = median(v);
  return {
    n: v.length,
    median: mid,
    noise: v.length ? Math.max(...v.map((x) => Math.abs(x - mid))) : NaN,
    min: v.length ? Math.min(...v) : NaN,
    max: v.length ? Math.max(...v) : NaN,
    values: xs,
  };
}

export function mb(bytes, digits = 1) {
  return Number.isFinite(bytes) ? (bytes / 1e6).toFixed(digits) : 'n/a';
}

export function fixed(x, digits = 2) {
  return Number.isFinite(x) ? x.toFixed(digits) : 'n/a';
}

export function kb(bytes) {
  return Number.isFinite(bytes) ? (bytes / 1e3).toFixed(1) : 'n/a';
}
