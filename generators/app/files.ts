/**
 * Which templates a project gets. Every file under templates/project is rendered with
 * ejs, except those a rule below leaves out for the chosen options.
 */
import type { FileRule } from '../lib/files.js';
import type { ProjectModel } from './project.js';

const sqlite = (p: ProjectModel) => p.persistence === 'sqlite';
const postgres = (p: ProjectModel) => p.postgres;

export const FILE_RULES: readonly FileRule<ProjectModel>[] = [
  { template: '_github/', when: (p) => p.githubCi },
  { template: '_yarnrc.yml', when: (p) => p.yarn },
  { template: 'pnpm-workspace.yaml', when: (p) => p.pnpm },
  { template: '_gitlab-ci.yml', when: (p) => p.gitlabCi },
  { template: 'WORKSHOP.md', when: (p) => p.workshop },
  { template: 'workshop/', when: (p) => p.workshop },
  { template: 'INSTRUCTOR.md', when: (p) => p.workshop },
  { template: 'SLIDES.md', when: (p) => p.workshop },
  { template: 'k8s/', when: (p) => p.k8s },
  { template: 'kustomization.yaml', when: (p) => p.k8s },
  // What the workload allows: a claim for one SQLite writer; disruption budget and autoscaler
  // for replicas that share nothing.
  { template: 'k8s/pvc.yaml', when: sqlite },
  { template: 'k8s/pdb.yaml', when: (p) => p.scalable },
  { template: 'k8s/hpa.yaml', when: (p) => p.scalable },
  { template: 'k8s/db/', when: postgres },
  { template: 'src/items/sqlite-store.ts', when: sqlite },
  // PostgreSQL's unit tests run the routes on the memory store; test/db/ runs the real one.
  { template: 'src/items/memory-store.ts', when: (p) => !p.sqlite },
  { template: 'src/items/pg-store.ts', when: postgres },
  { template: 'src/db/', when: postgres },
  { template: 'src/migrate.ts', when: postgres },
  { template: 'test/container/store.test.ts', when: postgres },
  { template: 'test/unit/persistence.test.ts', when: sqlite },
  { template: 'src/auth.ts', when: (p) => p.auth === 'token' },
  { template: 'test/unit/auth.test.ts', when: (p) => p.auth === 'token' },
];
