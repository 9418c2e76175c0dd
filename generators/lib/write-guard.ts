/**
 * A run writes the whole project or nothing. Before the environment writes, the target is
 * checked for room and permissions, and what is about to change is noted; if a write still
 * fails half-way (a full disk, a folder that refuses files), `rollBack()` puts every noted
 * file back as it was and removes the folders the run made, so no partial project is left
 * for a re-run to refuse.
 */
import {
  accessSync,
  constants,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmdirSync,
  rmSync,
  statfsSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { UsageError } from './questions.js';

/** A file about to be written, and what it held before (undefined: it is new). */
interface Noted {
  file: string;
  before: Buffer | undefined;
}

/** Left free beyond the files themselves: file system overhead, and room for the lockfile and the user. */
const MARGIN = 1024 * 1024;

/** Errors of a write that the disk or the folder refused: the run is undone. */
const WRITE_FAULTS = new Set(['ENOSPC', 'EDQUOT', 'EPERM', 'EACCES', 'EROFS', 'EIO', 'EMFILE', 'ENFILE']);

/**
 * The run's journal: what it is about to write, and the folders that did not exist before it.
 * Kept on the global object, so the generator that fills it and the bin that reads it share
 * one journal even where a host loads this module more than once (the tests' worker does).
 */
interface Journal {
  noted: Noted[];
  madeDirs: string[];
}
const JOURNAL = Symbol.for('generator-container-api.write-journal');
const journal = (): Journal => {
  const scope = globalThis as { [JOURNAL]?: Journal };
  scope[JOURNAL] ??= { noted: [], madeDirs: [] };
  return scope[JOURNAL];
};

/** Starts a run with an empty journal; a run that finished writing forgets it the same way. */
export function resetWriteGuard(): void {
  Object.assign(journal(), { noted: [], madeDirs: [] });
}

/** The nearest part of a path that exists. */
function existingAncestor(target: string): string {
  let dir = target;
  while (!existsSync(dir) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
}

const kib = (bytes: number) => `${Math.ceil(bytes / 1024)} KB`;

/**
 * Checks that `files` (absolute paths and their new contents) can be written under `root`, and
 * notes what they replace. Throws a UsageError, before anything is written, when the disk is
 * too full or a folder or file is not writable.
 */
export function prepareWrite(root: string, files: readonly { file: string; contents: Buffer }[]): void {
  const base = existingAncestor(root);
  const { bavail, bsize } = statfsSync(base);
  const needed = files.reduce((sum, { contents }) => sum + contents.length, 0) + MARGIN;
  if (bavail * bsize < needed) {
    throw new UsageError(
      `${base} has ${kib(bavail * bsize)} free, and the project needs about ${kib(needed)}: free some space, or choose another folder. Nothing was written.`,
    );
  }
  const refused = new Set<string>();
  for (const { file } of files) {
    const probe = existsSync(file) ? file : existingAncestor(path.dirname(file));
    try {
      accessSync(probe, existsSync(file) ? constants.W_OK : constants.W_OK | constants.X_OK);
    } catch {
      refused.add(probe);
    }
  }
  if (refused.size > 0) {
    throw new UsageError(
      `Not writable by you: ${[...refused].sort().join(', ')}. Change their permissions (or attributes: lsattr), then run again. Nothing was written.`,
    );
  }
  const noted = files.map(({ file }) => ({ file, before: existsSync(file) ? readFileSync(file) : undefined }));
  const dirs = new Set<string>();
  for (const { file } of files) {
    const top = existingAncestor(path.dirname(file));
    for (let dir = path.dirname(file); dir !== top && dir.startsWith(top); dir = path.dirname(dir)) dirs.add(dir);
  }
  Object.assign(journal(), { noted, madeDirs: [...dirs].sort((a, b) => a.length - b.length) });
}

/** Whether `error` is a write the disk or the folder refused, after prepareWrite noted the run. */
export function isWriteFault(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return journal().noted.length > 0 && code !== undefined && WRITE_FAULTS.has(code);
}

/**
 * Undoes what the run wrote: new files removed, replaced ones written back, the folders it
 * made removed. Returns the number of files put back as they were.
 */
export function rollBack(): number {
  const { noted, madeDirs } = journal();
  for (const { file, before } of noted) {
    if (before === undefined) rmSync(file, { force: true });
    else {
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, before);
    }
  }
  for (const dir of [...madeDirs].reverse()) {
    if (existsSync(dir) && readdirSync(dir).length === 0) rmdirSync(dir);
  }
  resetWriteGuard();
  return noted.length;
}
