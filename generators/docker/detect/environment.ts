/**
 * The variables the app reads: from an example env file (.env.example, .env.local.example and
 * the like, with their example values), and from the code: `process.env.X`, `env.X` through a name
 * that holds process.env (`const env = process.env`), and `const { X } = process.env`. Those that
 * look secret go to a compose secret file, never into compose's environment or a build arg.
 */
import { readdirSync } from 'node:fs';
import { parseEnv } from 'node:util';
import type { ProjectFiles } from './project-files.js';

export interface EnvVariable {
  name: string;
  /** The example file's value, or '' when the code alone names it. */
  value: string;
  secret: boolean;
}

const EXAMPLE_FILES = ['.env.example', '.env.sample', '.env.template', '.env.dist', 'example.env', '.env.defaults'];
/**
 * An example for one of dotenv's stage files (`.env.local.example`, `.env.development.sample`),
 * or a dashed name (`.example-env`): what a project documents when its tooling loads `.env.local`.
 */
const STAGE_EXAMPLE = /^(?:\.env\.[\w-]+\.(?:example|sample|template|dist)|\.example[.-]env|\.env-(?:example|sample))$/;
const SECRET = /(?:PASSWORD|PASSWD|SECRET|TOKEN|_KEY|APIKEY|PRIVATE|CREDENTIALS?|^DATABASE_URL|^MONGO(?:DB)?_UR[IL]|^REDIS_URL|_DSN)$/;
/** Set by the image or by Node itself: never asked for. */
const PROVIDED = new Set(['PORT', 'HOST', 'NODE_ENV', 'HOME', 'PATH', 'PWD', 'TZ', 'CI', 'DATA_DIR', 'npm_package_version']);
const NAME = /^[A-Z_][A-Z0-9_]*$/;
/** A read through `source`: `source.X` or `source['X']`; `guard` leaves out `other.source.X`. */
const readThrough = (source: string, guard = true) =>
  new RegExp(`${guard ? '(?<![\\w$.])' : ''}${source}(?:\\s*\\.\\s*([A-Z_][A-Z0-9_]*)|\\[\\s*['"]([A-Z_][A-Z0-9_]*)['"]\\s*\\])`, 'g');
/** `globalThis.process.env.X` counts too. */
const CODE_READ = readThrough('process\\.env', false);
/**
 * A name bound to process.env itself, which the file then reads variables through:
 * `const env = process.env` (as a config module keeps it short), `const { env } = process`, and
 * `import { env } from 'node:process'`. `process.env.X` after the `=` binds a value, not the object.
 */
const ALIASES = [
  /\b(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=\s*process\.env\b(?!\s*(?:[.[]|\?\.))/g,
  /\b(?:const|let|var)\s*\{\s*env(?:\s*:\s*([A-Za-z_$][\w$]*))?\s*\}\s*=\s*process\b(?!\s*[.[])/g,
  /\bimport\s*\{[^}]*?\benv(?:\s+as\s+([A-Za-z_$][\w$]*))?\s*[,}][^;]*?from\s*['"](?:node:)?process['"]/g,
];
/** `const { DB_HOST, DB_PORT: port, DB_NAME = 'app' } = process.env`: the keys are the variables. */
const DESTRUCTURED = /\b(?:const|let|var)\s*\{([^{}]*)\}\s*=\s*process\.env\b(?!\s*[.[])/g;

/** The variables one source file reads, through process.env and through the names it binds to it. */
export function variablesRead(text: string): string[] {
  const names: string[] = [];
  const through = (re: RegExp) => {
    for (const m of text.matchAll(re)) names.push((m[1] ?? m[2])!);
  };
  through(CODE_READ);
  const aliases = new Set(ALIASES.flatMap((re) => [...text.matchAll(re)].map((m) => m[1] ?? 'env')));
  for (const alias of aliases) through(readThrough(alias.replace(/\$/g, '\\$')));
  for (const m of text.matchAll(DESTRUCTURED)) {
    for (const part of m[1]!.split(',')) {
      const key = part.split(/[:=]/)[0]!.trim();
      if (NAME.test(key)) names.push(key);
    }
  }
  return names;
}

export function isSecretName(name: string): boolean {
  return SECRET.test(name);
}

/**
 * A dotenv file's variables, read by Node's own parser: the one `node --env-file` uses, so
 * quotes, escapes, comments and multi-line values mean here what they mean to the container.
 */
export function parseDotenv(text: string): Map<string, string> {
  return new Map(Object.entries(parseEnv(text)).map(([name, value]) => [name, value ?? '']));
}

/**
 * `NAME=value` as `node --env-file` reads back exactly `value`: bare when that is safe, else in
 * the first quotes that survive (single, backtick, double; a bare `#` would start a comment and
 * cut a secret short). Proved by parsing it back; a value no quoting carries is refused.
 */
export function dotenvLine(name: string, value: string): string {
  for (const candidate of [value, `'${value}'`, `\`${value}\``, `"${value}"`]) {
    const line = `${name}=${candidate}`;
    if (parseEnv(line)[name] === value) return line;
  }
  throw new Error(`${name}: its value cannot be written so that node --env-file reads it back unchanged (it holds every kind of quote)`);
}

export interface EnvironmentFinding {
  exampleFile: string | undefined;
  example: Map<string, string>;
  variables: EnvVariable[];
}

/**
 * The file that documents the app's variables: a plain example first, then a stage's example
 * (sorted, so the same project always gives the same answer), and a committed .env only when
 * there is no example at all, since that is what the app starts with.
 */
function findExample(project: ProjectFiles): string | undefined {
  const stage = readdirSync(project.root)
    .filter((name) => STAGE_EXAMPLE.test(name))
    .sort();
  return [...EXAMPLE_FILES, ...stage, '.env'].find((file) => project.read(file) !== undefined);
}

export function detectEnvironment(project: ProjectFiles): EnvironmentFinding {
  const exampleFile = findExample(project);
  const example = exampleFile ? parseDotenv(project.read(exampleFile) ?? '') : new Map<string, string>();
  const names = new Set(example.keys());
  for (const { text } of project.sources()) {
    for (const name of variablesRead(text)) names.add(name);
  }
  const variables = [...names]
    .filter((name) => !PROVIDED.has(name) && !name.startsWith('npm_'))
    .sort()
    .map((name) => ({ name, value: example.get(name) ?? '', secret: isSecretName(name) }));
  return { exampleFile, example, variables };
}
