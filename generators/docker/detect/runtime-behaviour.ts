/**
 * What the code shows about how the app behaves in a container: whether it handles SIGTERM
 * (else `docker stop` waits out the grace period and kills it), which folders it writes to
 * (they become a volume: the root filesystem is read-only), and whether it binds to
 * loopback only (then nothing outside the container reaches it).
 */
import { detectLoopback, type LoopbackFinding } from './listen-host.js';
import type { ProjectFiles } from './project-files.js';
import { detectVariableDirs, type VariableDir } from './variable-dirs.js';

export interface BehaviourFinding {
  handlesSigterm: boolean;
  /**
   * The app's own SIGTERM handlers are all inline functions that neither exit nor close or
   * stop anything (log and flush only): the process lives on until SIGKILL.
   */
  sigtermKeepsRunning: boolean;
  /**
   * The app's handler ends by sending the signal to itself again (`process.kill(process.pid,
   * signal)`, after its own cleanup): node then dies of it, with exit code 143, not 0.
   */
  sigtermReraises: boolean;
  /** Folders, relative to the app's working directory or absolute, the app writes to. */
  dataDirs: string[];
  /** Those of dataDirs named by a variable's default (`UPLOAD_DIRNAME: { default: 'uploads' }`), not a literal. */
  variableDirs: VariableDir[];
  /** A listen call that binds loopback only (a literal host, or Fastify's default), or undefined. */
  loopback: LoopbackFinding | undefined;
}

const SIGTERM = /['"]SIGTERM['"]|close-with-grace|@godaddy\/terminus|http-terminator|lightship|stoppable|fastify-graceful-shutdown/;
/** SIGTERM, every mention in a file counted. */
const SIGTERM_ALL = new RegExp(SIGTERM.source, 'g');
/** An inline SIGTERM handler, `process.on('SIGTERM', () =>` or `function () {`, up to where its body starts. */
const INLINE_HANDLER =
  /process\.(?:on|once|addListener)\(\s*['"]SIGTERM['"]\s*,\s*(?:async\s*)?(?:\([^)]*\)\s*=>|\w+\s*=>|function\s*\w*\s*\([^)]*\))\s*/g;
/** What a handler that ends the process calls: exit, close or stop something, or kill itself. */
const ENDS =
  /\bexit\b|\.close\(|\bclose\w*\(|shutdown|terminate|\.stop\(|\bstop\w*\(|\.kill\(|\.destroy\(|\.disconnect\(|\.end\(|\.quit\(/i;
/** A process sending a signal to itself. */
const RERAISE = /process\.kill\(\s*process\.pid\s*,/;
const WRITES = /(?:mkdirSync|mkdir|writeFileSync|createWriteStream|new\s+(?:sqlite3\.)?Database|Database\()\s*\(?\s*['"`]([^'"`]+)['"`]/g;

/**
 * `toolStops`: the app is started by a tool that closes it on SIGTERM itself (fastify-cli), so
 * whatever the app's own code does about the signal, it stops. `toolBindsAll`: that tool is
 * told by the image to listen on every address (FASTIFY_ADDRESS).
 */
export function detectBehaviour(
  project: ProjectFiles,
  { toolStops = false, toolBindsAll = false, example = new Map<string, string>() as ReadonlyMap<string, string> } = {},
): BehaviourFinding {
  const sources = project.sources();
  const handlesSigterm = toolStops || sources.some(({ text }) => SIGTERM.test(text));
  const dirs = new Set<string>();
  for (const { text } of sources) {
    for (const m of text.matchAll(WRITES)) {
      const target = m[1]!;
      if (target === ':memory:' || target.includes('${') || target.startsWith('http')) continue;
      const dir = /\.[a-z0-9]+$/i.test(target) ? target.replace(/\/[^/]*$/, '') || '.' : target;
      if (dir !== '.' && dir !== '/' && !dir.startsWith('/tmp')) dirs.add(dir.replace(/^\.\//, '').replace(/\/$/, ''));
    }
  }
  const variableDirs = detectVariableDirs(project, example);
  for (const { dir } of variableDirs) dirs.add(dir);
  // A database file named anywhere ('/etc/todos/todo.db', './data/app.sqlite'): its folder.
  for (const { text } of sources) {
    for (const m of text.matchAll(/['"`]((?:\/|\.\/)?[\w.\-/]+)\/[\w.-]+\.(?:db|sqlite3?)['"`]/g)) dirs.add(m[1]!.replace(/^\.\//, ''));
  }
  return {
    handlesSigterm,
    sigtermKeepsRunning: !toolStops && handlesSigterm && keepsRunning(sources.map(({ text }) => text)),
    sigtermReraises: !toolStops && sources.some(({ text }) => SIGTERM.test(text) && RERAISE.test(text)),
    dataDirs: [...dirs].sort(),
    variableDirs,
    loopback: detectLoopback(project, { toolBindsAll }),
  };
}

/**
 * Whether every sign of SIGTERM handling is an inline handler whose body ends nothing. A
 * named handler (`process.on('SIGTERM', shutdown)`) or a shutdown library counts as stopping:
 * only what can be read in place is judged.
 */
function keepsRunning(texts: string[]): boolean {
  let handlers = 0;
  for (const text of texts) {
    const mentions = text.match(SIGTERM_ALL)?.length ?? 0;
    const inline = [...text.matchAll(INLINE_HANDLER)];
    if (inline.length < mentions) return false;
    for (const m of inline) {
      const from = m.index + m[0].length;
      // A block body up to its closing brace; an expression body (`() => log('bye')`) to the line's end.
      const code = text[from] === '{' ? body(text, from + 1) : text.slice(from).split('\n', 1)[0]!;
      // Comments do not count: "clean up resources on shutdown" above a log line ends nothing.
      if (ENDS.test(code.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, ''))) return false;
      handlers++;
    }
  }
  return handlers > 0;
}

/** The text of a block from just after its opening brace to the matching closing one. */
function body(text: string, from: number): string {
  let depth = 1;
  for (let i = from; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) return text.slice(from, i);
  }
  return text.slice(from);
}
