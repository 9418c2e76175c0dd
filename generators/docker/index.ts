/**
 * container-api:docker, the shared container layer: renders templates/docker from a
 * container model. container-api:app composes it with the model of the API it generates;
 * a generator that containerizes another app composes it with that app's model.
 */
import Generator, { type BaseOptions } from 'yeoman-generator';
import { destinationPath, selectTemplates } from '../lib/files.js';
import { templateRoot } from '../lib/paths.js';
import { FILE_RULES } from './files.js';
import type { ContainerModel } from './model.js';

const TEMPLATES = templateRoot('docker');

export type DockerOptions = BaseOptions & { container?: ContainerModel };

export default class DockerGenerator extends Generator<Record<string, never>, DockerOptions> {
  readonly #container: ContainerModel;

  constructor(args: string[], options: DockerOptions) {
    super(args, options);
    if (!options.container) {
      throw new Error('container-api:docker renders from a container model: compose it with { container } from another generator.');
    }
    this.#container = options.container;
    this.sourceRoot(TEMPLATES);
  }

  writing(): void {
    for (const template of selectTemplates(TEMPLATES, FILE_RULES, this.#container)) {
      this.fs.copyTpl(this.templatePath(template), this.destinationPath(destinationPath(template)), this.#container);
    }
  }
}
