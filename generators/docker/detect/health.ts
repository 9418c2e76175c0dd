/**
 * A health route the app defines (Express, Koa router, Fastify: `get('/health', …)`; a node:http
 * server comparing `req.url`), with the prefix it is mounted under when that is plain to see.
 * None found: the probe is a TCP connect through node, which proves the port is open and
 * nothing more.
 */
import type { ProjectFiles } from './project-files.js';

export interface HealthFinding {
  path: string;
  source: string;
}

/** A path that names a health check: /health, /api/healthz, /ready, /ping, /status… */
const PATH = String.raw`\/[\w\-/]*?(?:health|healthz|healthcheck|health-check|ready|readyz|live|livez|ping|status)[\w\-/]*`;
/** A framework's route: `app.get('/health', …)`, `router.all(…)`, Fastify's `route({ method: 'GET', url })`. */
const ROUTE = new RegExp(String.raw`\.(?:get|all|route)\(\s*(?:\{\s*(?:method:\s*['"]GET['"],\s*)?url:\s*)?['"\`](${PATH})['"\`]`, 'i');
/** node:http's own routing: `req.url === '/health'`, `pathname === '/health'`, `case '/health':`. */
const RAW_ROUTE = new RegExp(String.raw`(?:\.url|\bpathname)\s*===?\s*['"\`](${PATH})['"\`]|\bcase\s+['"\`](${PATH})['"\`]\s*:`, 'i');
/** Best first: a readiness route says more than a liveness one. */
const RANK = ['ready', 'health', 'live', 'ping', 'status'];

export function detectHealthRoute(project: ProjectFiles): HealthFinding | undefined {
  const found: HealthFinding[] = [];
  for (const { file, text } of project.sources()) {
    // app.use('/health-check', healthRouter): the router answers at its mount point.
    const mounted = /\.use\(\s*['"`](\/[\w\-/]*(?:health|healthz|ready|readyz|ping)[\w\-/]*)['"`]\s*,/i.exec(text);
    if (mounted) found.push({ path: mounted[1]!, source: file });
    const match = ROUTE.exec(text);
    if (match) found.push({ path: withPrefix(project, file, match[1]!), source: file });
    // A raw server answers at the path it compares: no router mounts it under a prefix.
    const raw = RAW_ROUTE.exec(text);
    if (raw) found.push({ path: (raw[1] ?? raw[2])!, source: file });
  }
  const rank = (p: string) => {
    const i = RANK.findIndex((word) => p.toLowerCase().includes(word));
    return i === -1 ? RANK.length : i;
  };
  return found.sort((a, b) => rank(a.path) - rank(b.path) || a.path.length - b.path.length)[0];
}

/**
 * `app.use('/api', healthRouter)` elsewhere, where healthRouter is imported from this file:
 * the route answers under the prefix. A route mounted where this cannot see stays as found.
 */
function withPrefix(project: ProjectFiles, routeFile: string, route: string): string {
  const base = routeFile.replace(/\.[cm]?[jt]s$/, '').replace(/\/index$/, '');
  const stem = base.split('/').at(-1)!;
  for (const { text } of project.sources()) {
    const imported = new RegExp(
      `(?:import\\s+(?:\\{\\s*)?(\\w+)[^;]*?from\\s+|(?:const|let|var)\\s+(?:\\{\\s*)?(\\w+)[^=]*=\\s*require\\()\\s*['"][^'"]*${escapeRegExp(stem)}(?:\\.[cm]?[jt]s)?['"]`,
    ).exec(text);
    const name = imported?.[1] ?? imported?.[2];
    if (!name) continue;
    const mount = new RegExp(`\\.(?:use|register)\\(\\s*['"\`](/[\\w\\-/]*)['"\`]\\s*,\\s*${escapeRegExp(name)}\\b`).exec(text);
    const prefixOption = new RegExp(`\\.register\\(\\s*${escapeRegExp(name)}\\s*,\\s*\\{[^}]*prefix:\\s*['"\`](/[\\w\\-/]*)['"\`]`).exec(
      text,
    );
    const prefix = mount?.[1] ?? prefixOption?.[1];
    if (prefix && prefix !== '/') return `${prefix.replace(/\/$/, '')}${route === '/' ? '' : route}`;
  }
  return route;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
