/**
 * Which templates a project gets. Every file under templates/project is rendered with
 * ejs, except those a rule below leaves out for the chosen options.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { ProjectModel } from './project.js';

interface FileRule {
  /** A template path, or a folder ending in "/", relative to templates/project. */
  template: string;
  /** Whether the project gets it. */
  when: (project: ProjectModel) => boolean;
}

const sqlite = (p: ProjectModel) => p.persistence === 'sqlite';
const memory = (p: ProjectModel) => p.persistence === 'none';

export const FILE_RULES: readonly FileRule[] = [
  { template: '_github/', when: (p) => p.githubCi },
  { template: '_gitlab-ci.yml', when: (p) => p.gitlabCi },
  { template: 'WORKSHOP.md', when: (p) => p.workshop },
  { template: 'k8s/', when: (p) => p.k8s },
  { template: 'src/items/sqlite-store.ts', when: sqlite },
  { template: 'src/items/memory-store.ts', when: memory },
  { template: 'test/unit/persistence.test.ts', when: sqlite },
  { template: 'src/auth.ts', when: (p) => p.auth === 'token' },
  { template: 'test/unit/auth.test.ts', when: (p) => p.auth === 'token' },
];

/**
 * npm drops `.gitignore` and `.npmrc` from a published package, so dotfile templates are
 * stored with a leading "_" instead: `_gitignore` is written as `.gitignore`.
 */
export function destinationPath(template: string): string {
  return template
    .split('/')
    .map((segment) => (segment.startsWith('_') ? `.${segment.slice(1)}` : segment))
    .join('/');
}

function isWanted(template: string, project: ProjectModel): boolean {
  return FILE_RULES.every((rule) => {
    const matches = rule.template.endsWith('/') ? template.startsWith(rule.template) : template === rule.template;
    return !matches || rule.when(project);
  });
}

/** Template paths (posix, relative to `templateRoot`) the project gets, sorted. */
export function selectTemplates(templateRoot: string, project: ProjectModel): string[] {
  return readdirSync(templateRoot, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(templateRoot, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .filter((template) => isWanted(template, project))
    .sort();
}
