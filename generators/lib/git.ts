/**
 * A new project's own repository and first commit, as create-t3-app and JHipster make them:
 * only where git is installed and the project is not inside a repository already (a
 * monorepo's history, and what it ignores, are its owner's to decide).
 */
import { spawnSync } from 'node:child_process';

export type FirstCommit =
  | { kind: 'committed'; branch: string; commit: string }
  | { kind: 'no-git' }
  | { kind: 'inside'; repository: string }
  /** The repository is made and its files staged, but git would not commit (no identity, a hook…). */
  | { kind: 'not-committed'; why: string };

function git(cwd: string, ...args: string[]) {
  const result = spawnSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return { ok: result.status === 0, out: (result.stdout ?? '').trim(), err: (result.stderr ?? '').trim(), missing: Boolean(result.error) };
}

/** git init, add and commit in `dir`, with the user's own git settings (branch name, identity, signing). */
export function firstCommit(dir: string, message: string): FirstCommit {
  const inside = git(dir, 'rev-parse', '--show-toplevel');
  if (inside.missing) return { kind: 'no-git' };
  if (inside.ok) return { kind: 'inside', repository: inside.out };
  const init = git(dir, 'init', '--quiet');
  const add = init.ok ? git(dir, 'add', '--all') : init;
  const commit = add.ok ? git(dir, 'commit', '--quiet', '--message', message) : add;
  if (!commit.ok) {
    // git's last line says why ("fatal: unable to auto-detect email address …").
    const why = (commit.err || commit.out).split('\n').at(-1) ?? 'git gave no reason';
    return { kind: 'not-committed', why };
  }
  return {
    kind: 'committed',
    branch: git(dir, 'branch', '--show-current').out,
    commit: git(dir, 'rev-parse', '--short', 'HEAD').out,
  };
}
