/**
 * `create-container-api --upgrade [directory]`: brings a project we wrote to this version's
 * templates, keeping the user's changes. Each file we write is merged three ways between
 * what the recorded version wrote (fetched through npm and rendered again), what this
 * version writes, and the file as it is now (plan.ts says how each kind merges).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { installFor, lockfileUpdateFor } from '../../generators/container/package-managers.js';
import { detect } from '../../generators/docker/detect/index.js';
import { PACKAGE_VERSION } from '../../generators/lib/paths.js';
import { UsageError } from '../../generators/lib/questions.js';
import { hasGit } from './merge.js';
import { apply, plan, type Step } from './plan.js';
import { fetchVersion, render } from './renders.js';

export interface UpgradeOptions {
  /** This version's own bin, which renders the new side. */
  bin: string;
  dryRun: boolean;
  force: boolean;
  /** Where diagnostics go (stderr); the plan is the caller's to print (report()). */
  err: (line: string) => void;
}

export interface UpgradeResult {
  from: string;
  steps: Step[];
  /** Why there was no base to merge against, when there was none. */
  fallback?: string;
}

interface Recorded {
  version: string;
  existing: boolean;
}

/** The version and generator .yo-rc.json records, or a UsageError saying what is wrong. */
function recorded(project: string, bin: string): Recorded {
  const file = path.join(project, '.yo-rc.json');
  if (!existsSync(file)) {
    throw new UsageError(`${project} has no .yo-rc.json, so no version of ours is recorded as its author: nothing to upgrade.`);
  }
  const sections = (JSON.parse(readFileSync(file, 'utf8')) as Record<string, Record<string, { version?: string } | undefined>>)[
    'generator-container-api'
  ];
  const own = sections?.[':app'] ?? sections?.[':docker'];
  if (!own?.version) {
    throw new UsageError(
      `${file} records no generator version (projects written before 0.1.0 do not): run ${path.basename(bin, '.js')} . --force to rewrite the files instead.`,
    );
  }
  return { version: own.version, existing: !sections?.[':app'] };
}

/** git's view of uncommitted changes, or undefined when the project is no git work tree. */
function uncommitted(project: string): string[] | undefined {
  if (!hasGit()) return undefined;
  const status = spawnSync('git', ['status', '--porcelain'], { cwd: project, encoding: 'utf8' });
  if (status.status !== 0) return undefined;
  return status.stdout.split('\n').filter(Boolean);
}

/**
 * Brings the lockfile up to date with a merged package.json, without building anything: the
 * lockfile's own manager and major, the lockfile only (lockfileUpdateFor, as --existing does).
 */
export function updateLockfile(project: string, err: (line: string) => void): void {
  let manager: ReturnType<typeof detect>['packageManager'];
  try {
    manager = detect(project).packageManager;
  } catch (error) {
    err(`The lockfile is not updated (${(error as Error).message.split('\n')[0]}): run your package manager's install yourself.`);
    return;
  }
  if (!manager.lockfile || manager.unsupported) return;
  const update = lockfileUpdateFor(installFor(manager));
  const run = spawnSync(update.command, [...update.args], { cwd: project, encoding: 'utf8', env: { ...process.env, ...update.env } });
  if (run.status !== 0) {
    err(`${manager.lockfile} is not updated (${update.command} exited ${run.status}): run ${manager.name} install yourself.`);
  }
}

export async function upgrade(project: string, options: UpgradeOptions): Promise<UpgradeResult> {
  const { version: from, existing } = recorded(project, options.bin);
  const dirty = uncommitted(project);
  if (dirty?.length && !options.force && !options.dryRun) {
    throw new UsageError(
      `${project} has ${dirty.length} uncommitted change${dirty.length > 1 ? 's' : ''} (${dirty.slice(0, 3).join(', ').trim()}…): commit or stash first, so the upgrade is one diff you can review or undo, or pass --force.`,
    );
  }
  if (from === PACKAGE_VERSION)
    options.err(`${project} was written by ${from}, this version: files are merged with its templates as they are.`);
  const seed = { project, existing };
  const scratch: string[] = [];
  try {
    // No repository in a new project's scratch copy (--existing makes none). An older
    // version may make one: renders ignore .git.
    const next = render(options.bin, seed, 'new', existing ? [] : ['--skip-git']);
    scratch.push(next);
    let base: string | undefined;
    // The line merge is git's: without git there is nothing to merge with, so no base either.
    let fallback = hasGit() ? undefined : 'git is not installed, and the line merge is git merge-file';
    if (!fallback) {
      try {
        const old = fetchVersion(from);
        scratch.push(path.join(old.dir, 'package'));
        base = render(old.bin, seed, 'base');
        scratch.push(base);
      } catch (error) {
        fallback = (error as Error).message;
      }
    }
    const steps = plan(base, next, project);
    if (!options.dryRun) {
      apply(project, steps);
      if (steps.some((s) => s.file === 'package.json' && s.text !== undefined && s.action !== 'unchanged')) {
        updateLockfile(project, options.err);
      }
    }
    return { from, steps, fallback };
  } finally {
    for (const dir of scratch) rmSync(path.dirname(dir), { recursive: true, force: true });
  }
}

/** The plan as a user reads it: one line per file that changes, then the counts. */
export function report(result: UpgradeResult, dryRun: boolean): string[] {
  const lines: string[] = [];
  if (result.fallback) {
    lines.push(
      `No merge base: ${result.fallback}.`,
      'The new files are written beside yours as <file>.new: compare and take what you want.',
    );
  }
  for (const step of result.steps.filter((s) => s.action !== 'unchanged')) {
    lines.push(`  ${step.action.padEnd(9)} ${step.file}${step.action === 'beside' ? '.new' : ''}${step.detail ? ` (${step.detail})` : ''}`);
  }
  const counts = new Map<string, number>();
  for (const step of result.steps) counts.set(step.action, (counts.get(step.action) ?? 0) + 1);
  const summary = [...counts].map(([action, n]) => `${n} ${action}`).join(', ');
  lines.push(`${dryRun ? 'Would upgrade' : 'Upgraded'} from ${result.from} to ${PACKAGE_VERSION}: ${summary || 'nothing to do'}.`);
  const conflicts = result.steps.filter((s) => s.action === 'conflict');
  if (conflicts.length && !dryRun) {
    lines.push(
      `${conflicts.length} file${conflicts.length > 1 ? 's have' : ' has'} conflicts: resolve the <<<<<<< markers (package.json: the keys named), then commit.`,
    );
  }
  return lines;
}
