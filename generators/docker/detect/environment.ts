/**
 * The variables the app reads: from an example env file (.env.example, .env.local.example and
 * the like, with their example values), and from `process.env.X` in the code. Those that look secret go to a
 * compose secret file, never into compose's environment or a build arg.
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
const CODE_READ = /process\.env(?:\.([A-Z_][A-Z0-9_]*)|\[\s*['"]([A-Z_][A-Z0-9_]*)['"]\s*\])/g;

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
    for (const m of text.matchAll(CODE_READ)) names.add((m[1] ?? m[2])!);
  }
  const variables = [...names]
    .filter((name) => !PROVIDED.has(name) && !name.startsWith('npm_'))
    .sort()
    .map((name) => ({ name, value: example.get(name) ?? '', secret: isSecretName(name) }));
  return { exampleFile, example, variables };
}
