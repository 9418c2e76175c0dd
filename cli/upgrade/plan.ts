/**
 * What an upgrade does to each file we write, decided from three trees: the base (what the
 * recorded version writes for the recorded answers), the new (what this version writes for
 * them) and the user's project as it is. Only files one of our renders holds are in play:
 * the user's own files are never read or written.
 */
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { mergePackageJson, mergeText } from './merge.js';

export type Action =
  /** The user's file is already what the new version writes, or the template did not change it. */
  | 'unchanged'
  /** The user never changed it: the new template is written. */
  | 'updated'
  /** Both changed it, in different places: merged. */
  | 'merged'
  /** Both changed the same lines or the same value: written with markers, or reported (JSON). */
  | 'conflict'
  /** The new version writes a file the old one did not. */
  | 'added'
  /** The new version dropped a file the user never changed. */
  | 'removed'
  /** Not touched, with the reason: a secret, a binary, a dropped file the user changed, one they deleted. */
  | 'kept'
  /** No base to merge against (offline): the new text is written beside the user's as <file>.new. */
  | 'beside';

export interface Step {
  file: string;
  action: Action;
  /** What the user should know: the conflicting keys, why a file is kept. */
  detail?: string;
  /** The text to write (updated, merged, conflict, added, beside). */
  text?: string;
  /** The new render's file mode, for a file this run creates (scripts stay executable). */
  mode?: number;
}

/** Never merged: the generator writes fresh random secrets, and they are the user's since. */
const NEVER = /^secrets\//;
/** Not ours to diff: tools' state, and the renders' own git repository when a version makes one. */
const IGNORED = /^(\.git|node_modules)(\/|$)/;

/** Every file below `root`, as paths relative to it with "/" separators. */
export function filesOf(root: string): string[] {
  if (!existsSync(root)) return [];
  return (readdirSync(root, { recursive: true, withFileTypes: true }) as import('node:fs').Dirent[])
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .filter((file) => !IGNORED.test(file))
    .sort();
}

const read = (root: string, file: string): Buffer | undefined => {
  const full = path.join(root, file);
  return existsSync(full) ? readFileSync(full) : undefined;
};
const isBinary = (...contents: (Buffer | undefined)[]) => contents.some((c) => c?.includes(0));
const equal = (a: Buffer | undefined, b: Buffer | undefined) => (a === undefined || b === undefined ? a === b : a.equals(b));

/** One file's step; `base` is undefined when the old version could not be had. */
function stepFor(file: string, base: string | undefined, next: string, project: string): Step | undefined {
  const b = base === undefined ? undefined : read(base, file);
  const n = read(next, file);
  const o = read(project, file);
  if (NEVER.test(file)) return o === undefined && n !== undefined ? { file, action: 'added', text: n.toString() } : undefined;
  if (equal(o, n)) return n === undefined ? undefined : { file, action: 'unchanged' };
  if (isBinary(b, n, o)) return { file, action: 'kept', detail: 'binary: not merged' };
  if (base === undefined) {
    if (o === undefined) return { file, action: 'added', text: n!.toString() };
    return n === undefined ? undefined : { file, action: 'beside', text: n.toString() };
  }
  if (n === undefined) {
    if (o === undefined) return undefined;
    if (equal(o, b)) return { file, action: 'removed' };
    return { file, action: 'kept', detail: 'the new version no longer writes it, and you changed it' };
  }
  if (o === undefined) {
    if (b === undefined) return { file, action: 'added', text: n.toString() };
    return equal(b, n) ? undefined : { file, action: 'kept', detail: 'you deleted it; the new version changed it' };
  }
  if (equal(o, b)) return { file, action: 'updated', text: n.toString() };
  if (equal(n, b)) return { file, action: 'unchanged' };
  if (file === 'package.json' || file.endsWith('/package.json')) {
    const merged = mergePackageJson(o.toString(), (b ?? Buffer.from('{}')).toString(), n.toString());
    return merged.conflicts.length
      ? { file, action: 'conflict', text: merged.text, detail: `kept yours for ${merged.conflicts.join(', ')}` }
      : { file, action: 'merged', text: merged.text };
  }
  const merged = mergeText(o.toString(), (b ?? Buffer.alloc(0)).toString(), n.toString());
  return merged.conflicts
    ? { file, action: 'conflict', text: merged.text, detail: `${merged.conflicts} conflict${merged.conflicts > 1 ? 's' : ''}` }
    : { file, action: 'merged', text: merged.text };
}

/** The step for every file either render holds, in path order. */
export function plan(base: string | undefined, next: string, project: string): Step[] {
  const files = [...new Set([...(base ? filesOf(base) : []), ...filesOf(next)])].sort();
  return files.flatMap((file) => {
    const step = stepFor(file, base, next, project);
    if (!step) return [];
    if (step.action === 'added' || step.action === 'beside') step.mode = statSync(path.join(next, file)).mode & 0o777;
    return [step];
  });
}

/** Carries the plan out in the project. */
export function apply(project: string, steps: readonly Step[]): void {
  for (const step of steps) {
    const target = path.join(project, step.action === 'beside' ? `${step.file}.new` : step.file);
    if (step.action === 'removed') rmSync(target, { force: true });
    else if (step.text !== undefined && step.action !== 'unchanged' && step.action !== 'kept') {
      mkdirSync(path.dirname(target), { recursive: true });
      writeFileSync(target, step.text);
      if (step.mode !== undefined) chmodSync(target, step.mode);
    }
  }
}
