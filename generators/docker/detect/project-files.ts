/**
 * Reading an existing project: its manifest, its config files, and the source files the
 * other detectors search. Nothing here writes.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import JSON5 from 'json5';
import { UsageError } from '../../lib/questions.js';

export interface PackageJson {
  name?: string;
  type?: string;
  main?: string;
  packageManager?: string;
  engines?: { node?: string };
  volta?: { node?: string };
  workspaces?: string[] | { packages?: string[] };
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  [key: string]: unknown;
}

/** Folders that hold no source of the app's own: installed, built, generated, or tests. */
const SKIPPED_DIRS = new Set([
  'node_modules',
  '.git',
  'dist',
  'build',
  'out',
  'lib-cov',
  'coverage',
  '.next',
  'test',
  'tests',
  '__tests__',
  'spec',
  'secrets',
  'public',
  'static',
  'docs',
]);
const SOURCE = /\.(?:[cm]?[jt]s)$/;
const TEST_FILE = /\.(?:test|spec)\.[cm]?[jt]s$|\.d\.[cm]?ts$/;
/** Enough for any API; a repository with more is read in part, never for minutes. */
const MAX_SOURCES = 2000;

/** package.json as an object, or a UsageError that names the file and what is wrong with it. */
function readManifest(file: string): PackageJson {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UsageError(`${file} is not valid JSON (${(error as Error).message}): fix it, then run again. Nothing was written.`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new UsageError(`${file} holds no JSON object: a package.json is one ({ "name": … }). Nothing was written.`);
  }
  return parsed as PackageJson;
}

export class ProjectFiles {
  readonly root: string;
  readonly pkg: PackageJson;
  #sources: { file: string; text: string }[] | undefined;

  constructor(root: string) {
    this.root = root;
    const manifest = path.join(root, 'package.json');
    this.pkg = readManifest(manifest);
  }

  has(file: string): boolean {
    return existsSync(path.join(this.root, file));
  }

  read(file: string): string | undefined {
    const full = path.join(this.root, file);
    return existsSync(full) && statSync(full).isFile() ? readFileSync(full, 'utf8') : undefined;
  }

  /** A JSON-with-comments file such as tsconfig.json, or undefined when absent or unreadable. */
  readJsonc<T>(file: string): T | undefined {
    const text = this.read(file);
    if (text === undefined) return undefined;
    try {
      return JSON5.parse(text) as T;
    } catch {
      return undefined;
    }
  }

  get scripts(): Record<string, string> {
    return this.pkg.scripts ?? {};
  }

  get dependencies(): Record<string, string> {
    return this.pkg.dependencies ?? {};
  }

  get devDependencies(): Record<string, string> {
    return this.pkg.devDependencies ?? {};
  }

  /** Whether a package is among the dependencies of either kind. */
  depends(name: string): boolean {
    return name in this.dependencies || name in this.devDependencies;
  }

  /** The app's own source files (tests, installed and built code left out), with their text. */
  sources(): readonly { file: string; text: string }[] {
    if (this.#sources) return this.#sources;
    const found: { file: string; text: string }[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(path.join(this.root, dir), { withFileTypes: true })) {
        if (found.length >= MAX_SOURCES) return;
        const relative = dir ? `${dir}/${entry.name}` : entry.name;
        if (entry.isDirectory()) {
          if (!SKIPPED_DIRS.has(entry.name) && !entry.name.startsWith('.')) walk(relative);
        } else if (entry.isFile() && SOURCE.test(entry.name) && !TEST_FILE.test(entry.name)) {
          found.push({ file: relative, text: readFileSync(path.join(this.root, relative), 'utf8') });
        }
      }
    };
    walk('');
    this.#sources = found;
    return found;
  }
}
