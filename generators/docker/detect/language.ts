/** JavaScript or TypeScript, ESM or CommonJS. */
import type { ProjectFiles } from './project-files.js';

export type Language = 'javascript' | 'typescript';
export type ModuleType = 'esm' | 'commonjs';

export function detectLanguage(project: ProjectFiles): Language {
  const typescript =
    project.has('tsconfig.json') || project.depends('typescript') || project.sources().some(({ file }) => /\.[cm]?ts$/.test(file));
  return typescript ? 'typescript' : 'javascript';
}

/** What Node makes of the app's .js files: package.json "type" decides, CommonJS by default. */
export function detectModuleType(project: ProjectFiles): ModuleType {
  return project.pkg.type === 'module' ? 'esm' : 'commonjs';
}
