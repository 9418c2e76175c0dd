/**
 * The command-line contract, shared by `yo container-api` and `create-container-api`.
 * Each question is declared once here: its flag, its prompt, its default and what it
 * accepts. Adding a question means adding one entry to QUESTIONS.
 */
import path from 'node:path';
import {
  AUTH,
  CI_PROVIDERS,
  NODE_LINES,
  PERSISTENCE,
  RUNTIMES,
  type Answers,
} from './project.js';

/** A mistake in what the user typed: reported as one line, exit code 2, nothing written. */
export class UsageError extends Error {
  override name = 'UsageError';
}

interface QuestionBase<K extends keyof Answers> {
  key: K;
  /** One line for `--help` and for the prompt. */
  message: string;
  /** Shown in `--help` as the value placeholder. */
  valueHint?: string;
  /** The default, which may depend on the target directory. */
  default: (context: DefaultContext) => Answers[K];
  /** Turns a raw flag or prompt value into a checked answer, or throws a UsageError. */
  parse: (raw: unknown) => Answers[K];
}

export interface TextQuestion<K extends keyof Answers> extends QuestionBase<K> {
  kind: 'text';
}
export interface ChoiceQuestion<K extends keyof Answers> extends QuestionBase<K> {
  kind: 'choice';
  choices: readonly string[];
}
export interface ToggleQuestion<K extends keyof Answers> extends QuestionBase<K> {
  kind: 'toggle';
}

export type Question = {
  [K in keyof Answers]: TextQuestion<K> | ChoiceQuestion<K> | ToggleQuestion<K>;
}[keyof Answers];

export interface DefaultContext {
  /** Absolute path of the directory the project is written to. */
  destination: string;
}

export const DEFAULT_NAME = 'my-api';
export const DEFAULT_PORT = 3000;

const NPM_NAME = /^(?:@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/;

/** Why `value` is not a usable npm package name, or undefined when it is. */
export function npmNameProblem(value: string): string | undefined {
  if (value.length === 0) return 'it is empty';
  if (value.length > 214) return 'it is longer than 214 characters';
  if (value !== value.toLowerCase()) return 'it has uppercase letters';
  if (!NPM_NAME.test(value)) {
    return 'use lowercase letters, digits, "-", ".", "_" or "~", not starting with "." or "_", optionally scoped as @scope/name';
  }
  if (value === 'node_modules' || value === 'favicon.ico') return 'that name is reserved';
  return undefined;
}

/** The package name a directory suggests, or the default when it suggests none. */
export function nameFromDirectory(directory: string): string {
  const candidate = path
    .basename(directory)
    .toLowerCase()
    .replace(/[^a-z0-9._~-]+/g, '-')
    .replace(/^[._~-]+/, '')
    .replace(/-+$/, '');
  return npmNameProblem(candidate) ? DEFAULT_NAME : candidate;
}

function show(raw: unknown): string {
  return JSON.stringify(raw) ?? String(raw);
}

function choice<T extends string>(flag: string, choices: readonly T[]) {
  return (raw: unknown): T => {
    const value = String(raw);
    if ((choices as readonly string[]).includes(value)) return value as T;
    throw new UsageError(`--${flag} ${show(raw)} is not allowed: use one of ${choices.join(', ')}.`);
  };
}

function toggle(flag: string) {
  return (raw: unknown): boolean => {
    if (typeof raw === 'boolean') return raw;
    if (raw === 'true' || raw === 'yes') return true;
    if (raw === 'false' || raw === 'no') return false;
    throw new UsageError(`--${flag} ${show(raw)} is not allowed: use --${flag} or --no-${flag}.`);
  };
}

export const QUESTIONS: readonly Question[] = [
  {
    key: 'name',
    kind: 'text',
    message: 'npm package name of the API',
    valueHint: '<npm package name>',
    default: ({ destination }) => nameFromDirectory(destination),
    parse(raw) {
      const value = String(raw).trim();
      const problem = npmNameProblem(value);
      if (problem) throw new UsageError(`--name ${show(raw)} is not a valid npm package name: ${problem}.`);
      return value;
    },
  },
  {
    key: 'description',
    kind: 'text',
    message: 'One-line description',
    valueHint: '<text>',
    default: () => 'An Express 5 + TypeScript API, built and run in a container.',
    parse(raw) {
      const value = String(raw).trim();
      if (value.length === 0 || value.length > 200 || /[\r\n]/.test(value)) {
        throw new UsageError(`--description ${show(raw)} is not allowed: use one line of 1 to 200 characters.`);
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
    parse(raw) {
      const text = String(raw).trim();
      const port = Number(text);
      if (!/^\d+$/.test(text) || !Number.isInteger(port) || port < 1 || port > 65535) {
        throw new UsageError(`--port ${show(raw)} is not allowed: use a whole number from 1 to 65535.`);
      }
      return port;
    },
  },
  {
    key: 'node',
    kind: 'choice',
    message: 'Node.js line for the image, engines and CI',
    choices: NODE_LINES,
    default: () => '24',
    parse: choice('node', NODE_LINES),
  },
  {
    key: 'runtime',
    kind: 'choice',
    message: 'Runtime image (distroless: no shell, no npm)',
    choices: RUNTIMES,
    default: () => 'slim',
    parse: choice('runtime', RUNTIMES),
  },
  {
    key: 'persistence',
    kind: 'choice',
    message: 'Persistence (sqlite on a volume, or in memory)',
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
    default: () => true,
    parse: toggle('workshop'),
  },
  {
    key: 'k8s',
    kind: 'toggle',
    message: 'Add Kubernetes manifests (kustomize) under k8s/',
    default: () => false,
    parse: toggle('k8s'),
  },
];

/** Flags that steer the run rather than answer a question. */
export const RUN_FLAGS = {
  yes: 'Take the default for every question not answered by a flag; ask nothing',
  force: 'Write into a non-empty directory and overwrite changed files',
  'skip-install': 'Do not run npm install after writing the project',
} as const;

export type CliFlags = Partial<Record<keyof Answers, unknown>>;

/** Checks every answer given on the command line, so bad input fails before anything is written. */
export function parseGivenAnswers(given: CliFlags): Partial<Answers> {
  const answers: Partial<Record<keyof Answers, unknown>> = {};
  for (const question of QUESTIONS) {
    const raw = given[question.key];
    if (raw !== undefined) answers[question.key] = question.parse(raw);
  }
  return answers as Partial<Answers>;
}
