/**
 * The variables the app reads: from .env.example / .env.sample / .env.template (with their
 * example values), and from `process.env.X` in the code. Those that look secret go to a
 * compose secret file, never into compose's environment or a build arg.
 */
import type { ProjectFiles } from './project-files.js';

export interface EnvVariable {
  name: string;
  /** The example file's value, or '' when the code alone names it. */
  value: string;
  secret: boolean;
}

/** The last, .env, only when the project has no example: a committed one is what the app starts with. */
const EXAMPLE_FILES = ['.env.example', '.env.sample', '.env.template', '.env.dist', 'example.env', '.env.defaults', '.env'];
const SECRET = /(?:PASSWORD|PASSWD|SECRET|TOKEN|_KEY|APIKEY|PRIVATE|CREDENTIALS?|^DATABASE_URL|^MONGO(?:DB)?_UR[IL]|^REDIS_URL|_DSN)$/;
/** Set by the image or by Node itself: never asked for. */
const PROVIDED = new Set(['PORT', 'HOST', 'NODE_ENV', 'HOME', 'PATH', 'PWD', 'TZ', 'CI', 'DATA_DIR', 'npm_package_version']);
const CODE_READ = /process\.env(?:\.([A-Z_][A-Z0-9_]*)|\[\s*['"]([A-Z_][A-Z0-9_]*)['"]\s*\])/g;

export function isSecretName(name: string): boolean {
  return SECRET.test(name);
}

/** `KEY=value` lines of a dotenv file (comments, `export`, quotes handled). */
export function parseDotenv(text: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (!m) continue;
    const raw = m[2]!;
    // "value"  # comment, 'value', or value # comment
    const quoted = /^(['"])(.*?)\1(?:\s+#.*)?$/.exec(raw);
    const value = quoted ? quoted[2]! : raw.replace(/\s+#.*$/, '');
    values.set(m[1]!, value);
  }
  return values;
}

export interface EnvironmentFinding {
  exampleFile: string | undefined;
  example: Map<string, string>;
  variables: EnvVariable[];
}

export function detectEnvironment(project: ProjectFiles): EnvironmentFinding {
  const exampleFile = EXAMPLE_FILES.find((file) => project.has(file));
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
