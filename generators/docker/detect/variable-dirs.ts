/**
 * Folders the app writes to whose name comes from a variable, not a literal: fastify/demo
 * makes `path.join(import.meta.dirname, '../../..', fastify.config.UPLOAD_DIRNAME)` at start,
 * and `uploads` is only in its @fastify/env schema (`UPLOAD_DIRNAME: { default: 'uploads' }`).
 * On the image's read-only root that mkdir fails (EROFS), so the folder needs a volume, and
 * the variable's default says which.
 *
 * The chain is read as the rest of detection reads code: a write call (mkdir,
 * createWriteStream, writeFile, multer's `dest`) given the variable, or a constant of the same
 * file built from it with path.join/resolve, then the variable's default: a JSON-schema
 * property's `default:`, a `process.env.X || '…'` fallback, or the example env file.
 */
import path from 'node:path';
import type { ProjectFiles } from './project-files.js';

export interface VariableDir {
  /** The folder, relative to the app's working directory. */
  dir: string;
  variable: string;
  /** Where the default was found: a source file, or the example env file. */
  defaultFrom: string;
}

/** A write call or multer option, and the expression it is given, up to the first `,` or `)`. */
const WRITE_ARG =
  /\b(?:mkdirSync|mkdir|createWriteStream|writeFileSync|writeFile|ensureDirSync|ensureDir)\s*\(\s*([^,()]+(?:\([^()]*\))?[^,()]*)|\b(?:dest|destination)\s*:\s*([^,}\n]+)/g;
/** `process.env.X`, `process.env['X']`, `config.X`, `fastify.config.X`, `env.X`: a variable of upper-case name. */
const VARIABLE = /(?:process\.env|\bconfig|\benv)(?:\.([A-Z][A-Z0-9_]*)\b|\[\s*['"]([A-Z][A-Z0-9_]*)['"]\s*\])/;
const DIRNAME = /\b__dirname\b|\bimport\.meta\.dirname\b/;
const SAFE_DIR = /^(?:\.\/|\/)?[\w.-]+(?:\/[\w.-]+)*\/?$/;

/** The expression a `const|let|var <name> =` of the file gives, to the end of its statement. */
function definition(text: string, name: string): string | undefined {
  const escaped = name.replace(/\$/g, '\\$');
  const m = new RegExp(`\\b(?:const|let|var)\\s+${escaped}\\s*=\\s*`).exec(text);
  if (!m) return undefined;
  const from = m.index + m[0].length;
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    const c = text[i]!;
    if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c)) depth--;
    else if ((c === ';' || c === '\n') && depth <= 0) return text.slice(from, i);
  }
  return text.slice(from);
}

/** The default the project gives a variable, and where: a schema's `default:`, a fallback in code, or the example. */
function defaultOf(
  project: ProjectFiles,
  variable: string,
  example: ReadonlyMap<string, string>,
): { value: string; from: string } | undefined {
  // The property's own braces: a string in it (a `pattern`) may hold braces of its own.
  const schema = new RegExp(`\\b${variable}['"]?\\s*:\\s*\\{(?:[^{}'"]|'[^']*'|"[^"]*")*?\\bdefault\\s*:\\s*['"]([^'"]+)['"]`);
  const fallback = new RegExp(`process\\.env\\.${variable}\\s*(?:\\|\\||\\?\\?)\\s*['"]([^'"]+)['"]`);
  for (const { file, text } of project.sources()) {
    // Comments out first: an apostrophe in one ("the app's folder") would open a string.
    const code = text.replace(/\/\*[\s\S]*?\*\/|(^|\s)\/\/.*$/gm, '$1');
    const value = (schema.exec(code) ?? fallback.exec(code))?.[1];
    if (value) return { value, from: file };
  }
  const value = example.get(variable);
  return value ? { value, from: 'the example env file' } : undefined;
}

/**
 * Where `expression` points, when it joins the variable onto the file's own folder: the
 * literal segments before it, from the file's folder (`'../../..'` from src/plugins/external
 * is the project root). A path that stays inside the source folder is undefined: the image
 * runs the built copy in another folder (dist/), so the source path is not the one written.
 */
function baseOf(expression: string, file: string): string | undefined {
  if (!DIRNAME.test(expression)) return '.';
  const before = expression.slice(0, expression.search(VARIABLE));
  const segments = [...before.slice(before.search(DIRNAME)).matchAll(/['"]([^'"]*)['"]/g)].map((m) => m[1]!);
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(file), ...segments));
  return base === '.' ? base : undefined;
}

export function detectVariableDirs(project: ProjectFiles, example: ReadonlyMap<string, string>): VariableDir[] {
  const found = new Map<string, VariableDir>();
  for (const { file, text } of project.sources()) {
    for (const m of text.matchAll(WRITE_ARG)) {
      let expression = (m[1] ?? m[2])!.trim();
      const name = /^[A-Za-z_$][\w$]*$/.exec(expression)?.[0];
      if (name) expression = definition(text, name) ?? expression;
      const v = VARIABLE.exec(expression);
      const variable = v && (v[1] ?? v[2])!;
      if (!variable || found.has(variable)) continue;
      const base = baseOf(expression, file);
      const value = base && defaultOf(project, variable, example);
      if (!value || !SAFE_DIR.test(value.value) || value.value.split('/').includes('..')) continue;
      const dir = value.value.replace(/^\.\//, '').replace(/(.)\/$/, '$1');
      // An absolute default is that folder, unless it is joined onto the file's own.
      if (dir.startsWith('/') && (DIRNAME.test(expression) || dir === '/' || /^\/tmp\b/.test(dir))) continue;
      if (dir !== '.') found.set(variable, { dir, variable, defaultFrom: value.from });
    }
  }
  return [...found.values()];
}
