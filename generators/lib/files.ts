/**
 * Which templates of a set a model gets. Every file under the set's folder is rendered with
 * ejs, except those a rule leaves out for the chosen options.
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

export interface FileRule<M> {
  /** A template path, or a folder ending in "/", relative to the template set. */
  template: string;
  /** Whether the output gets it. */
  when: (model: M) => boolean;
}

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

function isWanted<M>(template: string, rules: readonly FileRule<M>[], model: M): boolean {
  return rules.every((rule) => {
    const matches = rule.template.endsWith('/') ? template.startsWith(rule.template) : template === rule.template;
    return !matches || rule.when(model);
  });
}

/** Template paths (posix, relative to `templateRoot`) that `model` gets, sorted. */
export function selectTemplates<M>(templateRoot: string, rules: readonly FileRule<M>[], model: M): string[] {
  return templatesIn(templateRoot).filter((template) => isWanted(template, rules, model));
}

/** A template set's files never change while the generator runs: listed once per set. */
const listings = new Map<string, readonly string[]>();

function templatesIn(templateRoot: string): readonly string[] {
  let listing = listings.get(templateRoot);
  if (!listing) {
    // Names relative to the root, not Dirent.parentPath: Yarn's Plug'n'Play runs `yarn create`
    // from a zip archive, whose file system sets parentPath wrongly for recursive listings.
    listing = readdirSync(templateRoot, { recursive: true, encoding: 'utf8' })
      .filter((name) => statSync(path.join(templateRoot, name)).isFile())
      .map((name) => name.split(path.sep).join('/'))
      .sort();
    listings.set(templateRoot, listing);
  }
  return listing;
}
