/**
 * Three-way merges of one file: what we wrote then (base), what the user has (ours) and what
 * we write now (theirs). Text goes through `git merge-file`, the merge git itself runs, so a
 * conflict looks as it would in any merge. package.json is merged as JSON, key by key, since
 * a line merge of two dependency bumps next to each other conflicts for nothing.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface TextMerge {
  text: string;
  /** How many conflict blocks the text holds (each between standard markers). */
  conflicts: number;
}

/** Labels shown on the conflict markers. */
export const LABELS = { ours: 'yours', base: 'as generated', theirs: 'new template' } as const;

/** Whether git can be run here: without it, there is no line merge (see upgrade's fallback). */
export function hasGit(): boolean {
  return spawnSync('git', ['--version'], { stdio: 'ignore' }).status === 0;
}

/** A line-level three-way merge of `ours` and `theirs` since `base`. */
export function mergeText(ours: string, base: string, theirs: string): TextMerge {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'container-api-merge-'));
  try {
    const files = { ours: path.join(dir, 'ours'), base: path.join(dir, 'base'), theirs: path.join(dir, 'theirs') };
    writeFileSync(files.ours, ours);
    writeFileSync(files.base, base);
    writeFileSync(files.theirs, theirs);
    const args = ['merge-file', '-p', '-L', LABELS.ours, '-L', LABELS.base, '-L', LABELS.theirs, files.ours, files.base, files.theirs];
    const run = spawnSync('git', args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    // git merge-file exits with the number of conflicts (capped at 127), or < 0 on error.
    if (run.status === null || run.status > 127 || run.error) {
      throw new Error(`git merge-file failed: ${run.error?.message ?? run.stderr.trim()}`);
    }
    return { text: run.stdout, conflicts: run.status };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface JsonMerge {
  value: Json;
  /** Dotted paths (`dependencies.express`) where both sides changed the same value differently. */
  conflicts: string[];
}

const same = (a: Json | undefined, b: Json | undefined) => JSON.stringify(a) === JSON.stringify(b);
const isObject = (v: Json | undefined): v is { [key: string]: Json } => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Merges JSON documents key by key: a side that left a value as it was takes the other
 * side's change (a removal included); two different changes keep the user's and are
 * reported. Objects merge recursively; arrays and scalars are one value each.
 */
export function mergeJson(
  ours: Json | undefined,
  base: Json | undefined,
  theirs: Json | undefined,
  at = '',
): JsonMerge & { removed?: true } {
  if (same(ours, theirs) || same(theirs, base))
    return ours === undefined ? { value: null, conflicts: [], removed: true } : { value: ours, conflicts: [] };
  if (same(ours, base)) return theirs === undefined ? { value: null, conflicts: [], removed: true } : { value: theirs, conflicts: [] };
  if (isObject(ours) && isObject(theirs)) {
    const baseObject = isObject(base) ? base : {};
    const value: { [key: string]: Json } = {};
    const conflicts: string[] = [];
    // The user's key order first, then keys the template added, in its order.
    const keys = [...new Set([...Object.keys(ours), ...Object.keys(theirs)])];
    for (const key of keys) {
      const merged = mergeJson(ours[key], baseObject[key], theirs[key], at ? `${at}.${key}` : key);
      conflicts.push(...merged.conflicts);
      if (!merged.removed) value[key] = merged.value;
    }
    return { value, conflicts };
  }
  return ours === undefined ? { value: null, conflicts: [at], removed: true } : { value: ours, conflicts: [at] };
}

/** package.json text, merged as JSON and written back in npm's layout (two spaces, final newline). */
export function mergePackageJson(ours: string, base: string, theirs: string): { text: string; conflicts: string[] } {
  const { value, conflicts } = mergeJson(JSON.parse(ours), JSON.parse(base), JSON.parse(theirs));
  return { text: `${JSON.stringify(value, null, 2)}\n`, conflicts };
}
