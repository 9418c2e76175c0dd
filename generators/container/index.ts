/**
 * container-api:container, the container layer every generator shares: renders
 * templates/container (Dockerfile, .dockerignore, compose.yaml with its services) from the
 * container model it is given, into the folder it is given. It asks nothing, detects nothing
 * and stores nothing: the generator that composes it knows the app.
 */
import Generator, { type BaseOptions } from 'yeoman-generator';
import { destinationPath, selectTemplates } from '../lib/files.js';
import { templateRoot } from '../lib/paths.js';
import { FILE_RULES } from './files.js';
import type { ContainerModel } from './model.js';

const TEMPLATES = templateRoot('container');

export type ContainerOptions = BaseOptions & {
  container: ContainerModel;
  /** The folder the files go to, absolute; the destination root when not given. */
  into?: string;
};

export default class ContainerGenerator extends Generator<Record<string, never>, ContainerOptions> {
  constructor(args: string[], options: ContainerOptions) {
    super(args, options);
    if (!options.container) throw new Error('container-api:container renders a container model: compose it with { container }.');
    this.sourceRoot(TEMPLATES);
  }

  writing(): void {
    const { container } = this.options;
    const into = this.options.into ?? this.destinationRoot();
    for (const template of selectTemplates(TEMPLATES, FILE_RULES, container)) {
      this.fs.copyTpl(this.templatePath(template), this.destinationPath(into, destinationPath(template)), container);
    }
  }
}
