/**
 * Lifecycle scripts that break a production install. The manager runs the project's own
 * `prepare` (and pre/postinstall) on install; when that calls a development tool (husky,
 * lint-staged, patch-package is fine), the dev-free install fails with "not found", and the
 * full install runs git hooks setup in a folder with no .git. The Dockerfile drops exactly
 * these scripts from the copy of package.json it installs from; the app's own file is untouched.
 */
import path from 'node:path';
import type { ProjectFiles } from './project-files.js';

const HOOKS = ['preinstall', 'install', 'postinstall', 'prepare', 'prepublish', 'preprepare', 'postprepare'];

export interface LifecycleFinding {
  script: string;
  command: string;
}

export function detectLifecycle(project: ProjectFiles): LifecycleFinding[] {
  const devOnly = Object.keys(project.devDependencies).filter((name) => !(name in project.dependencies));
  const findings: LifecycleFinding[] = [];
  for (const script of HOOKS) {
    const command = project.scripts[script];
    if (!command) continue;
    const words = command.split(/[\s;&|()]+/);
    const usesDevTool = words.some(
      (word) => devOnly.includes(word) || /^(husky|lint-staged|simple-git-hooks|is-ci|npm-run-all|run-s|run-p)$/.test(word),
    );
    if (usesDevTool || /\bhusky\b|\bgit\b/.test(command)) findings.push({ script, command });
  }
  return findings;
}

/**
 * The project's own files that the lifecycle scripts kept run (`"postinstall": "node
 * ./decorate-angular-cli.js"`, a script that patches node_modules). The install stages copy
 * only the manifests, so these go in beside them, or the install fails with "Cannot find module".
 */
export function detectHookFiles(project: ProjectFiles, dropped: readonly LifecycleFinding[]): string[] {
  const files = HOOKS.filter((script) => project.scripts[script] && !dropped.some((d) => d.script === script)).flatMap((script) =>
    project.scripts[script]!.split(/[\s;&|()]+/)
      .map((word) => path.posix.normalize(word.replace(/^['"]|['"]$/g, '')).replace(/^\.\//, ''))
      .filter((file) => /\.[cm]?[jt]s$|\.sh$/.test(file) && !file.startsWith('..') && project.has(file)),
  );
  return [...new Set(files)];
}
