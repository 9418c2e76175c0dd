/**
 * What the code shows about how the app behaves in a container: whether it handles SIGTERM
 * (else `docker stop` waits out the grace period and kills it), which folders it writes to
 * (they become a volume: the root filesystem is read-only), and whether it binds to
 * loopback only (then nothing outside the container reaches it).
 */
import type { ProjectFiles } from './project-files.js';

export interface BehaviourFinding {
  handlesSigterm: boolean;
  /** Folders, relative to the app's working directory or absolute, the app writes to. */
  dataDirs: string[];
  /** A literal loopback host the app listens on, or undefined. */
  loopbackHost: string | undefined;
}

const SIGTERM = /['"]SIGTERM['"]|close-with-grace|@godaddy\/terminus|http-terminator|lightship|stoppable|fastify-graceful-shutdown/;
const WRITES = /(?:mkdirSync|mkdir|writeFileSync|createWriteStream|new\s+(?:sqlite3\.)?Database|Database\()\s*\(?\s*['"`]([^'"`]+)['"`]/g;

export function detectBehaviour(project: ProjectFiles): BehaviourFinding {
  const sources = project.sources();
  const handlesSigterm = sources.some(({ text }) => SIGTERM.test(text));
  const dirs = new Set<string>();
  for (const { text } of sources) {
    for (const m of text.matchAll(WRITES)) {
      const target = m[1]!;
      if (target === ':memory:' || target.includes('${') || target.startsWith('http')) continue;
      const dir = /\.[a-z0-9]+$/i.test(target) ? target.replace(/\/[^/]*$/, '') || '.' : target;
      if (dir !== '.' && dir !== '/' && !dir.startsWith('/tmp')) dirs.add(dir.replace(/^\.\//, '').replace(/\/$/, ''));
    }
  }
  // A database file named anywhere ('/etc/todos/todo.db', './data/app.sqlite'): its folder.
  for (const { text } of sources) {
    for (const m of text.matchAll(/['"`]((?:\/|\.\/)?[\w.\-/]+)\/[\w.-]+\.(?:db|sqlite3?)['"`]/g)) dirs.add(m[1]!.replace(/^\.\//, ''));
  }
  const loopback = sources
    .map(({ text }) => /\.listen\([^)]*?['"](localhost|127\.0\.0\.1)['"]|host:\s*['"](localhost|127\.0\.0\.1)['"]/.exec(text))
    .find(Boolean);
  return { handlesSigterm, dataDirs: [...dirs].sort(), loopbackHost: loopback ? (loopback[1] ?? loopback[2]) : undefined };
}
