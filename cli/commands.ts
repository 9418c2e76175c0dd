/**
 * The command table: every generator a user can run from the create-container-api bin, said
 * once. The bin's flags and --help, the bundle's entry points and the README's options tables
 * are all read from here, so a new generator is one entry.
 */
import { fileURLToPath } from 'node:url';
import { parseGivenAnswers, QUESTIONS } from '../generators/app/command.js';
import { EXISTING_QUESTIONS, parseExistingFlags } from '../generators/docker/command.js';
import type { GeneratorIdentity } from '../generators/lib/generator.js';
import { APP, DOCKER } from '../generators/lib/identities.js';
import { NEW_PROJECT_RUN_FLAGS, type QuestionOf, RUN_FLAGS, type RunFlags } from '../generators/lib/questions.js';

export const BIN = 'create-container-api';

/** A question of any generator's table, as the bin and the docs read it. */
export type Question = QuestionOf<Record<string, unknown>>;

export interface Command {
  identity: GeneratorIdentity;
  /** The flag that picks it (`existing` for --existing); undefined for the default command. */
  flag: string | undefined;
  /** What `yo` calls it, and the module that runs it (relative to this file, built). */
  namespace: string;
  module: string;
  /** --help's line above the questions. */
  summary: string;
  /** How another command's --help points to this one. */
  tagline: string;
  /** How the directory is given, and what it is, for --help and the README. */
  directory: { usage: string; what: string };
  questions: readonly Question[];
  /** The flags that steer the run (--yes, --dry-run, …): its --help and README table list them. */
  runFlags: RunFlags;
  /** Checks every given answer before the environment starts, so bad input writes nothing. */
  check: (given: Record<string, unknown>) => void;
  example: string;
}

export const COMMANDS: readonly Command[] = [
  {
    identity: APP,
    flag: undefined,
    namespace: 'container-api:app',
    module: '../generators/app/index.js',
    summary: 'Questions (each asked when not given; --yes takes the defaults):',
    tagline: 'Create a new API',
    directory: { usage: '[directory]', what: 'where to write the project' },
    questions: QUESTIONS as unknown as readonly Question[],
    runFlags: NEW_PROJECT_RUN_FLAGS,
    check: (given) => void parseGivenAnswers(given),
    example: `${BIN} my-api --yes --port 8080`,
  },
  {
    identity: DOCKER,
    flag: 'existing',
    namespace: 'container-api:docker',
    module: '../generators/docker/index.js',
    summary: 'Containerizes the Node.js project in the directory. Questions (defaults: what is found in the project):',
    tagline: 'Containerize a project you have',
    directory: { usage: '--existing [directory]', what: 'the project to containerize' },
    questions: EXISTING_QUESTIONS as unknown as readonly Question[],
    runFlags: RUN_FLAGS,
    check: (given) => void parseExistingFlags(given),
    example: `${BIN} --existing . --yes --port 8080`,
  },
];

/** Generators no command runs directly, which the commands compose: the shared container layer. */
export const COMPOSED: readonly string[] = ['../generators/container/index.js'];

/** The absolute path of a command's generator module. */
export function modulePath(command: Command): string {
  return fileURLToPath(new URL(command.module, import.meta.url));
}

/** The command a command line picks: the one whose flag it gives, else the default. */
export function commandFor(argv: readonly string[]): Command {
  return COMMANDS.find((c) => c.flag !== undefined && argv.includes(`--${c.flag}`)) ?? COMMANDS.find((c) => c.flag === undefined)!;
}
