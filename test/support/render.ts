/**
 * A project rendered in memory with the generator's own model, file rules and templates: no
 * yeoman, no disk, no install. For tests that check what one file says across many
 * combinations of options; the generator tests that run yeoman prove the same files are
 * what a real run writes.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ejs from 'ejs';
import { createCommandFor, QUESTIONS } from '../../generators/app/command.js';
import { toContainerModel } from '../../generators/app/container.js';
import { FILE_RULES as PROJECT_RULES } from '../../generators/app/files.js';
import { type Answers, toProjectModel } from '../../generators/app/project.js';
import { FILE_RULES as CONTAINER_RULES } from '../../generators/container/files.js';
import { destinationPath, type FileRule, selectTemplates } from '../../generators/lib/files.js';
import { templateRoot } from '../../generators/lib/paths.js';

export interface Rendered {
  /** Where the generator writes it, relative to the project. */
  file: string;
  text: string;
  /** The template it came from (absolute). */
  template: string;
}

/** Each template's text, read once for the thousands of renders. */
const sources = new Map<string, string>();
export const sourceText = (file: string) => sources.get(file) ?? sources.set(file, readFileSync(file, 'utf8')).get(file)!;

/** Which of a project's files to render, by where they are written: all of them by default. */
export type Only = (file: string) => boolean;

function renderSet<M extends object>(set: string, rules: readonly FileRule<M>[], model: M, only: Only): Rendered[] {
  const root = templateRoot(set);
  const selected = selectTemplates(root, rules, model).filter((template) => only(destinationPath(template)));
  return selected.map((template) => {
    const source = path.join(root, template);
    const text = ejs.render(sourceText(source), model, { filename: source });
    return { file: destinationPath(template), text, template: source };
  });
}

/** Where a new project's files are written for these answers, rendering none of them. */
export function projectFiles(answers: Answers): string[] {
  const project = toProjectModel(answers, createCommandFor(answers));
  const paths = <M extends object>(set: string, rules: readonly FileRule<M>[], model: M) =>
    selectTemplates(templateRoot(set), rules, model).map(destinationPath);
  return [...paths('project', PROJECT_RULES, project), ...paths('container', CONTAINER_RULES, toContainerModel(project))];
}

/** Every file a new project gets for these answers, or those of them `only` picks. */
export function renderProject(answers: Answers, only: Only = () => true): Rendered[] {
  const project = toProjectModel(answers, createCommandFor(answers));
  return [
    ...renderSet('project', PROJECT_RULES, project, only),
    ...renderSet('container', CONTAINER_RULES, toContainerModel(project), only),
  ];
}

/** The answers `--yes` takes in /tmp/<name>, with these set as flags would set them. */
export function answersWith(flags: Record<string, unknown>): Answers {
  const name = String(flags.name ?? 'my-api');
  const answers: Record<string, unknown> = {};
  for (const question of QUESTIONS) {
    answers[question.key] =
      question.key in flags ? question.parse(flags[question.key]) : question.default({ destination: path.join('/tmp', name), answers });
  }
  return answers as unknown as Answers;
}
