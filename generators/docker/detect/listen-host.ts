/**
 * Whether the app binds loopback only. In a container that reaches nothing: the published
 * port and Docker's healthcheck (generators/container/health.ts) both knock on the
 * container's own address, not on 127.0.0.1, so the app runs but nobody gets an answer.
 *
 * Two shapes say so in the code. A host written as a loopback literal, in any framework
 * (`app.listen(port, 'localhost')`, `serve({ fetch, hostname: '127.0.0.1' })`). And a Fastify
 * `listen` given no host at all: Fastify's default host is `localhost` (127.0.0.1 and ::1),
 * unlike node's http, Express or Koa, which bind every address. A host that is a variable
 * (`host: process.env.HOST`) is the user's to set, and is left alone.
 *
 * The calls are read as text, as the rest of detection reads code: the argument list of each
 * call up to its closing parenthesis, split at its top-level commas.
 */
import semver from 'semver';
import type { ProjectFiles } from './project-files.js';

export interface LoopbackFinding {
  /** Where the call is: `src/server.ts:77`. */
  at: string;
  /** The call as written, up to its first line's end. */
  call: string;
  /** The host it binds: the literal given, or `localhost` when Fastify's default is taken. */
  host: string;
  /** The framework whose default it is (`Fastify 5`), when no host is given; else undefined. */
  defaultOf: string | undefined;
}

const LOOPBACK = /^(?:localhost|127(?:\.\d{1,3}){3}|::1|\[::1\])$/;
/** `.listen(` of any server, and `serve({` of @hono/node-server (its option is `hostname`). */
const CALL = /\.listen\s*\(|\bserve\s*\(\s*(?=\{)/g;
/** Server frameworks other than Fastify, whose `listen(port)` binds every address. */
const OTHER_SERVERS = ['express', 'koa', '@hono/node-server', '@hapi/hapi', 'restify', 'polka', '@nestjs/platform-express'];

/**
 * Walks source text from `from`, past string literals, and stops at the first character outside
 * them for which `stop` (given the bracket depth before it) says so: its index, or the end.
 */
function scan(text: string, from: number, depth: number, stop: (c: string, depth: number) => boolean): number {
  let quote = '';
  for (let i = from; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
    } else if (c === '"' || c === "'" || c === '`') quote = c;
    else if (stop(c, depth)) return i;
    else if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c)) depth--;
  }
  return text.length;
}

/** The text from just after an opening parenthesis to its matching closing one. */
function argumentText(text: string, from: number): string {
  return text.slice(
    from,
    scan(text, from, 1, (c, depth) => depth === 1 && ')]}'.includes(c)),
  );
}

/** A list split at its top-level commas: `port, 'localhost', () => {…}` is three. */
function splitTopLevel(list: string): string[] {
  const parts: string[] = [];
  for (let start = 0; start <= list.length; ) {
    const end = scan(list, start, 0, (c, depth) => c === ',' && depth === 0);
    parts.push(list.slice(start, end).trim());
    start = end + 1;
  }
  return parts.filter(Boolean);
}

/** A string literal's value, or undefined for any other expression. */
function literal(expression: string): string | undefined {
  return /^(['"`])([^'"`$]*)\1$/.exec(expression)?.[2];
}

/**
 * The host a call's arguments give: the expression, `''` when they give none, or undefined
 * when they cannot be read (an options object spread from elsewhere, a socket path).
 */
function hostArgument(args: string[]): string | undefined {
  const [first = '', second] = args;
  if (first.startsWith('{')) {
    const entries = splitTopLevel(first.slice(1, -1));
    if (entries.some((entry) => entry.startsWith('...'))) return undefined;
    for (const entry of entries) {
      const m = /^['"]?(host|hostname)['"]?\s*(?::\s*([\s\S]+))?$/.exec(entry);
      // `{ port, host }`: the shorthand names a variable.
      if (m) return m[2]?.trim() ?? m[1]!;
    }
    return '';
  }
  const path = literal(first);
  if (path !== undefined && !/^\d+$/.test(path)) return undefined;
  // `listen(port, cb)` and `listen(port, function …)` give a callback, not a host.
  if (!second || /^(?:async\s*)?(?:function\b|\(|[\w$]+\s*=>)/.test(second)) return '';
  return second;
}

/** `Fastify 5` from the dependency's range, or `NestJS on Fastify` through its adapter; else undefined. */
function fastifyOf(project: ProjectFiles): string | undefined {
  const range = project.dependencies.fastify;
  if (range) {
    const major = semver.validRange(range) ? semver.minVersion(range)?.major : undefined;
    return major === undefined ? 'Fastify' : `Fastify ${major}`;
  }
  return project.depends('@nestjs/platform-fastify') ? 'NestJS on Fastify' : undefined;
}

/**
 * The first listen call that binds loopback only. `toolBindsAll`: a command-line tool serves
 * the app and is told the address by the image, so no listen call of the app's own runs.
 * That is fastify-cli: `fastify start` listens on FASTIFY_ADDRESS (or `-a`); with neither, on
 * 0.0.0.0 only where it guesses it is in a container (is-docker: /.dockerenv or a docker
 * cgroup; recent releases also ask whether it runs in Kubernetes), and on localhost anywhere
 * else, such as Podman. The image sets FASTIFY_ADDRESS=0.0.0.0 (detect/start.ts), so no
 * guess is needed.
 */
export function detectLoopback(project: ProjectFiles, { toolBindsAll = false } = {}): LoopbackFinding | undefined {
  if (toolBindsAll) return undefined;
  const fastify = fastifyOf(project);
  const onlyFastify = fastify !== undefined && !OTHER_SERVERS.some((name) => project.depends(name));
  for (const { file, text } of project.sources()) {
    // In a project with several server frameworks, a file that names Fastify is read as Fastify's.
    const fastifyFile = fastify !== undefined && (onlyFastify || /fastify/i.test(text));
    for (const m of text.matchAll(CALL)) {
      const lineStart = text.lastIndexOf('\n', m.index) + 1;
      if (/^\s*(?:\/\/|\*)/.test(text.slice(lineStart, m.index))) continue;
      const isServe = !m[0].startsWith('.');
      const host = hostArgument(splitTopLevel(argumentText(text, m.index + m[0].length)));
      if (host === undefined) continue;
      const value = host === '' ? undefined : literal(host);
      const lineEnd = text.indexOf('\n', m.index);
      const finding = (bound: string, defaultOf: string | undefined): LoopbackFinding => ({
        at: `${file}:${text.slice(0, m.index).split('\n').length}`,
        call: text.slice(lineStart, lineEnd === -1 ? undefined : lineEnd).trim(),
        host: bound,
        defaultOf,
      });
      if (value !== undefined && LOOPBACK.test(value)) return finding(value, undefined);
      if (host === '' && !isServe && fastifyFile) return finding('localhost', fastify);
    }
  }
  return undefined;
}
