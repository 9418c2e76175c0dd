/**
 * Where a run's words go, by the usual convention: what the run produced (the answers taken,
 * the files written, the next steps) on stdout, and diagnostics (progress, warnings, errors)
 * on stderr. So `create-container-api … | tee log` keeps the results and a terminal still
 * shows progress, and a script that asked for machine output reads only that from stdout.
 *
 * The bin configures it once per run (configureOutput); under `yo` it keeps its defaults.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';

export interface OutputSettings {
  /** List every file written, not only the summary line (--verbose). */
  verbose: boolean;
  /**
   * The run prints machine-readable output (--json) on stdout: every human result is left
   * out, so stdout parses. Diagnostics still go to stderr.
   */
  machine: boolean;
}

const DEFAULTS: OutputSettings = { verbose: false, machine: false };
let settings: OutputSettings = { ...DEFAULTS };
/** Whether the bin set this run up; under `yo` or yeoman-test, results go through yeoman's log. */
let configured = false;

export function configureOutput(next: Partial<OutputSettings>): void {
  settings = { ...DEFAULTS, ...next };
  configured = true;
  files.clear();
}

/** Whether results go to stdout (the bin runs): else the generator logs them as yeoman does. */
export function resultsToStdout(): boolean {
  return configured;
}

export function outputSettings(): Readonly<OutputSettings> {
  return settings;
}

/** A result line, for stdout: nothing under machine output. */
export function say(line = ''): void {
  if (!settings.machine) process.stdout.write(`${line}\n`);
}

/** A diagnostic line (a warning, a step's progress), for stderr. */
export function note(line = ''): void {
  process.stderr.write(`${line}\n`);
}

/** What the conflicter decided for a file: written new, overwritten, or left as it was. */
type FileStatus = 'create' | 'force' | 'identical' | 'skip';

/**
 * The files of a run, as yeoman's conflicter reports them one by one. Yeoman prints a status
 * line per file (`create src/app.ts`, and `force .yo-rc.json` on a first run, since it
 * always rewrites its own state file); the bin collects them here instead and prints one
 * summary, or the whole list with --verbose.
 */
class FileReport {
  #statuses = new Map<string, FileStatus>();
  /** Whether the bin's adapter feeds this report (under `yo`, yeoman prints its own lines). */
  #collecting = false;
  #root = '';

  clear(): void {
    this.#statuses.clear();
    this.#collecting = false;
  }

  /**
   * The adapter loggers that replace yeoman's per-file lines (@yeoman/adapter's createLogger
   * takes them as `loggers`). `root` is what the conflicter's paths are relative to.
   */
  loggers(root: string): Record<FileStatus, (this: unknown, file: string) => unknown> {
    this.#collecting = true;
    this.#root = root;
    const report = this;
    const record = (status: FileStatus) =>
      function (this: unknown, file: string) {
        report.#record(file, status);
        return this;
      };
    return { create: record('create'), force: record('force'), identical: record('identical'), skip: record('skip') };
  }

  #record(file: string, status: FileStatus): void {
    // Yeoman forces its state file on every run; called before the write, so a file not yet
    // on disk is a new one, and the first run says so instead of "force".
    const created = status === 'force' && !existsSync(path.resolve(this.#root, file));
    this.#statuses.set(file, created ? 'create' : status);
  }

  /**
   * What the bin prints once the files are on disk: one line, such as
   * `Wrote 83 files in my-api/ (test 27, src 15, workshop 6, …, 24 at the top)`, and before it
   * every file with its status under --verbose or a dry run (whose list is its result).
   */
  summary(where: string, dryRun: boolean): string[] {
    if (!this.#collecting) return [];
    const all = [...this.#statuses];
    const changed = all.filter(([, status]) => status === 'create' || status === 'force').map(([file]) => file);
    const unchanged = all.length - changed.length;
    const lines = settings.verbose || dryRun ? all.map(([file, status]) => `  ${dryRun ? 'would write' : LABELS[status]} ${file}`) : [];
    const folder = where === '.' ? 'the current directory' : `${where}${where.endsWith(path.sep) ? '' : path.sep}`;
    const verb = dryRun ? 'Would write' : 'Wrote';
    const count = `${changed.length} file${changed.length === 1 ? '' : 's'}`;
    const kept = unchanged > 0 ? `; ${unchanged} unchanged` : '';
    const groups = changed.length > 0 ? ` (${groupByFolder(changed)}${kept})` : kept ? ` (${kept.slice(2)})` : '';
    lines.push(`${verb} ${count} in ${folder}${groups}.`);
    return lines;
  }
}

const LABELS: Record<FileStatus, string> = {
  create: 'created    ',
  force: 'overwritten',
  identical: 'unchanged  ',
  skip: 'kept       ',
};

/** The biggest top-level folders by file count, then the files at the top: "test 27, src 15, …, 24 at the top". */
function groupByFolder(files: readonly string[]): string {
  const counts = new Map<string, number>();
  let top = 0;
  for (const file of files) {
    const [first, ...rest] = file.split(/[\\/]/);
    if (rest.length === 0) top += 1;
    else counts.set(first!, (counts.get(first!) ?? 0) + 1);
  }
  const folders = [...counts].sort(([a, x], [b, y]) => y - x || a.localeCompare(b));
  const shown = folders.slice(0, 4).map(([folder, n]) => `${folder} ${n}`);
  const others = folders.slice(4).reduce((sum, [, n]) => sum + n, 0);
  if (others > 0) shown.push(`${others} in ${folders.length - 4} more folder${folders.length - 4 === 1 ? '' : 's'}`);
  if (top > 0) shown.push(`${top} at the top`);
  return shown.join(', ');
}

/** The run's file report: fed by the bin's adapter, printed by the generator that owns the target. */
export const files = new FileReport();
