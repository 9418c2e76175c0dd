/**
 * The questions every generator that writes a container asks, said once: the Node.js line,
 * the runtime image and the package manager. Each generator says only where the default
 * comes from (the user agent for a new project, what detection found for an existing one).
 */
import { type ChoiceQuestion, choice, type DefaultContext } from '../lib/questions.js';
import { DEFAULT_RUNTIME, NODE_LINES, type NodeLine, RUNTIMES, type Runtime } from './node.js';
import { PACKAGE_MANAGERS, type PackageManagerName } from './package-managers.js';

/** The answers these questions give, under their flag names. */
export interface ContainerAnswers {
  node: NodeLine;
  runtime: Runtime;
  'package-manager': PackageManagerName;
}

interface Default<T> {
  message: string;
  default: (context: DefaultContext) => T;
  defaultHelp?: string;
}

export function nodeQuestion<A extends ContainerAnswers>(how: Default<NodeLine>): ChoiceQuestion<A, 'node'> {
  return { key: 'node', kind: 'choice', choices: NODE_LINES, parse: choice('node', NODE_LINES), ...how } as ChoiceQuestion<A, 'node'>;
}

export function runtimeQuestion<A extends ContainerAnswers>(): ChoiceQuestion<A, 'runtime'> {
  return {
    key: 'runtime',
    kind: 'choice',
    message: 'Runtime image (distroless: no shell, no npm)',
    choices: RUNTIMES,
    default: () => DEFAULT_RUNTIME,
    parse: choice('runtime', RUNTIMES),
  } as ChoiceQuestion<A, 'runtime'>;
}

export function packageManagerQuestion<A extends ContainerAnswers>(how: Default<PackageManagerName>): ChoiceQuestion<A, 'package-manager'> {
  return {
    key: 'package-manager',
    kind: 'choice',
    choices: PACKAGE_MANAGERS,
    parse: choice('package-manager', PACKAGE_MANAGERS),
    ...how,
  } as ChoiceQuestion<A, 'package-manager'>;
}
