/**
 * The command-line contract, shared by `yo container-api` and `create-container-api`.
 * Each question is declared once here: its flag, its prompt, its default and what it
 * accepts. Adding a question means adding one entry to QUESTIONS.
 */
import path from 'node:path';
import { quote } from 'shell-quote';
import validateNpmName from 'validate-npm-package-name';
import {
  choice,
  flagLabel,
  flagsFor,
  portNumber,
  parseAnswers,
  show,
  toggle,
  UsageError,
  type DefaultContext,
  type QuestionOf,
} from '../lib/questions.js';
import { DEFAULT_NODE_LINE } from '../container/node.js';
import { managerFromUserAgent } from '../container/package-managers.js';
import { nodeQuestion, packageManagerQuestion, runtimeQuestion } from '../container/questions.js';
import { AUTH, type Answers, CI_PROVIDERS, INSPECT_PORT, METRICS_PORT, PERSISTENCE } from './project.js';

export { managerFromUserAgent };

export { UsageError };
export type Question = QuestionOf<Answers>;
export type { DefaultContext };

export const DEFAULT_NAME = 'my-api';
export const DEFAULT_PORT = 3000;

/** Ports the project uses besides the API's own: the API cannot listen on them too. */
const RESERVED_PORTS = [
  { port: METRICS_PORT, what: 'metrics endpoint (GET /metrics)' },
  { port: INSPECT_PORT, what: 'Node.js inspector of the dev container' },
];

/**
 * Why `value` is not a name a new npm package may have, or undefined when it is. npm's own
 * rules (validate-npm-package-name), said our way.
 */
export function npmNameProblem(value: string): string | undefined {
  const { validForNewPackages, errors = [], warnings = [] } = validateNpmName(value);
  if (validForNewPackages) return undefined;
  const reasons = [...errors, ...warnings];
  if (value.length === 0) return 'it is empty';
  if (reasons.some((r) => r.includes('more than 214'))) return 'it is longer than 214 characters';
  if (reasons.some((r) => r.includes('capital letters'))) return 'it has uppercase letters';
  if (reasons.some((r) => r.endsWith('is not a valid package name'))) return 'that name is reserved';
  if (reasons.some((r) => r.endsWith('is a core module name'))) return 'that is the name of a Node.js core module';
  return 'use lowercase letters, digits, "-", "." or "_", not starting with ".", "_" or "-", optionally scoped as @scope/name';
}

/** The package name a directory suggests, or the default when it suggests none. */
export function nameFromDirectory(directory: string): string {
  const candidate = path
    .basename(directory)
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[._-]+/, '')
    .replace(/-+$/, '');
  return npmNameProblem(candidate) ? DEFAULT_NAME : candidate;
}

export const QUESTIONS: readonly Question[] = [
  {
    key: 'name',
    kind: 'text',
    message: 'npm package name of the API',
    valueHint: '<npm package name>',
    default: ({ destination }) => nameFromDirectory(destination),
    defaultHelp: `from the directory, else ${DEFAULT_NAME}`,
    parse(raw, label = flagLabel('name')) {
      const value = String(raw).trim();
      const problem = npmNameProblem(value);
      if (problem) throw new UsageError(`${label} ${show(raw)} is not a valid npm package name: ${problem}.`);
      return value;
    },
  },
  {
    key: 'description',
    kind: 'text',
    message: 'One-line description',
    valueHint: '<text>',
    default: () => 'An Express 5 + TypeScript API, built and run in a container.',
    parse(raw, label = flagLabel('description')) {
      const value = String(raw).trim();
      if (value.length === 0 || value.length > 200 || /[\r\n]/.test(value)) {
        throw new UsageError(`${label} ${show(raw)} is not allowed: use one line of 1 to 200 characters.`);
      }
      return value;
    },
  },
  {
    key: 'port',
    kind: 'text',
    message: 'Port the API listens on',
    valueHint: '<1-65535>',
    default: () => DEFAULT_PORT,
    parse(raw, label = flagLabel('port')) {
      const port = portNumber('port')(raw, label);
      const taken = RESERVED_PORTS.find((reserved) => reserved.port === port);
      if (taken) throw new UsageError(`${label} ${port} is the ${taken.what}'s port: choose another port for the API.`);
      return port;
    },
  },
  nodeQuestion({ message: 'Node.js line for the image, engines and CI', default: () => DEFAULT_NODE_LINE }),
  runtimeQuestion(),
  {
    key: 'persistence',
    kind: 'choice',
    message: 'Persistence (sqlite on a volume, postgres in a database service, or in memory)',
    choices: PERSISTENCE,
    default: () => 'sqlite',
    parse: choice('persistence', PERSISTENCE),
  },
  {
    key: 'auth',
    kind: 'choice',
    message: 'Protect writes with a bearer token read from a secret',
    choices: AUTH,
    default: () => 'token',
    parse: choice('auth', AUTH),
  },
  {
    key: 'ci',
    kind: 'choice',
    message: 'Continuous integration: GitHub Actions, GitLab CI, or none',
    choices: CI_PROVIDERS,
    default: () => 'github',
    parse: choice('ci', CI_PROVIDERS),
  },
  {
    key: 'workshop',
    kind: 'toggle',
    message: 'Include the containerization workshop guide (WORKSHOP.md)',
    // The workshop teaches with one container and its volume; a Postgres project runs two.
    default: ({ answers }) => answers?.persistence !== 'postgres',
    defaultHelp: 'on, off with --persistence postgres',
    parse: toggle('workshop'),
  },
  {
    key: 'k8s',
    kind: 'toggle',
    message: 'Add Kubernetes manifests (kustomize) under k8s/',
    default: () => false,
    parse: toggle('k8s'),
  },
  packageManagerQuestion({
    message: 'Package manager (pinned in package.json, used by the image and CI)',
    default: () => managerFromUserAgent(process.env.npm_config_user_agent),
    defaultHelp: 'the one that runs the generator, else npm',
  }),
];

export { RUN_FLAGS } from '../lib/questions.js';

/**
 * The one command that makes this project again, for its README: npm's create, into a folder
 * named after the package (so the name is its default), with a flag for each answer that is
 * not a default. Same answers, same command, wherever the project was written.
 */
export function createCommandFor(answers: Answers): string {
  const folder = answers.name.replace(/^@[^/]+\//, '');
  const flags = flagsFor(QUESTIONS, answers, { destination: path.join(path.sep, folder) }, { 'package-manager': 'npm' });
  return ['npm', 'create', 'container-api@latest', folder, '--', '--yes', ...flags].map(shellWord).join(' ');
}

/** A word as a shell reads it back: bare when it can be (shell-quote would escape even `@`). */
function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : quote([word]);
}

/**
 * Why a set of answers cannot make one project, or undefined when it can: each question
 * accepts its own value, and this says which values exclude each other.
 */
export function answersConflict(answers: Partial<Pick<Answers, 'persistence' | 'workshop'>>): string | undefined {
  if (answers.workshop && answers.persistence === 'postgres') {
    return '--workshop teaches with one container and its volume, and a --persistence postgres project runs two: drop --workshop, or choose --persistence sqlite for the workshop.';
  }
  return undefined;
}

export type CliFlags = Partial<Record<keyof Answers, unknown>>;

/** Checks every answer given on the command line, so bad input fails before anything is written. */
export function parseGivenAnswers(given: CliFlags): Partial<Answers> {
  return parseAnswers<Answers>(QUESTIONS, given);
}
