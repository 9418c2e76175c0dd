/**
 * The shape of a question table, shared by every generator: each question is its flag, its
 * prompt, its default and its parser at once. Flags, prompts and answers stored in
 * .yo-rc.json all go through the same `parse`, so no source of answers skips the checks.
 */

/** Flags that steer the run rather than answer a question, for every command. */
export const RUN_FLAGS = {
  yes: 'Take the default for every question not answered by a flag; ask nothing',
  force: 'Write into a non-empty directory and overwrite changed files',
  'skip-install': 'Run no package manager after writing (no install, no lockfile update); the output says what to run',
  'dry-run': 'List the files the run would write, and write nothing (no install either)',
  verbose: 'List every file written, not only the count per folder',
} as const;

/** The run flags of a command that creates a project: the shared ones, and git's. */
export const NEW_PROJECT_RUN_FLAGS = {
  ...RUN_FLAGS,
  'skip-git': 'Leave git alone (by default a new project outside any repository gets git init and a first commit)',
} as const;

export type RunFlags = Readonly<Record<string, string>> & typeof RUN_FLAGS;

/** A mistake in what the user gave: reported as one line, exit code 2, nothing written. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export interface DefaultContext {
  /** Absolute path of the directory the project is written to. */
  destination: string;
  /**
   * The answers settled before this question, in the table's order, for a default that
   * follows an earlier answer (no workshop for a two-container project).
   */
  answers?: Readonly<Record<string, unknown>>;
}

interface QuestionBase<A, K extends keyof A> {
  key: K;
  /** One line for `--help` and for the prompt. */
  message: string;
  /** Shown in `--help` as the value placeholder. */
  valueHint?: string;
  /** The default, which may depend on the target directory. */
  default: (context: DefaultContext) => A[K];
  /** How --help and the README state the default, when it depends on the directory. */
  defaultHelp?: string;
  /**
   * Turns a raw value into a checked answer, or throws a UsageError whose message starts
   * with `label` (`--port` for a flag; the file and key for a stored answer).
   */
  parse: (raw: unknown, label?: string) => A[K];
}

export interface TextQuestion<A, K extends keyof A> extends QuestionBase<A, K> {
  kind: 'text';
}
export interface ChoiceQuestion<A, K extends keyof A> extends QuestionBase<A, K> {
  kind: 'choice';
  choices: readonly string[];
}
export interface ToggleQuestion<A, K extends keyof A> extends QuestionBase<A, K> {
  kind: 'toggle';
}

/** One entry of a question table for the answers type `A`. */
export type QuestionOf<A> = {
  [K in keyof A]: TextQuestion<A, K> | ChoiceQuestion<A, K> | ToggleQuestion<A, K>;
}[keyof A];

/** A raw value as the user typed it, quoted. */
export function show(raw: unknown): string {
  return JSON.stringify(raw) ?? String(raw);
}

export const flagLabel = (key: PropertyKey): string => `--${String(key)}`;

/** A parser that accepts one of `choices`. */
export function choice<T extends string>(key: string, choices: readonly T[]) {
  return (raw: unknown, label = flagLabel(key)): T => {
    const value = String(raw);
    if ((choices as readonly string[]).includes(value)) return value as T;
    throw new UsageError(`${label} ${show(raw)} is not allowed: use one of ${choices.join(', ')}.`);
  };
}

/** A parser for a TCP port: a whole number from 1 to 65535. */
export function portNumber(key: string) {
  return (raw: unknown, label = flagLabel(key)): number => {
    const text = String(raw).trim();
    const port = Number(text);
    if (!/^\d+$/.test(text) || port < 1 || port > 65535) {
      throw new UsageError(`${label} ${show(raw)} is not allowed: use a whole number from 1 to 65535.`);
    }
    return port;
  };
}

/** A parser for an on/off flag (`--x`, `--no-x`). */
export function toggle(key: string) {
  return (raw: unknown, label = flagLabel(key)): boolean => {
    if (typeof raw === 'boolean') return raw;
    if (raw === 'true' || raw === 'yes') return true;
    if (raw === 'false' || raw === 'no') return false;
    throw new UsageError(`${label} ${show(raw)} is not allowed: use --${key} or --no-${key}.`);
  };
}

/**
 * The flags that give `answers` where the defaults would not, in question order: what to type
 * to make the same project again. `baseline` stands in for a default that depends on more
 * than the directory (the package manager follows whichever manager runs the generator).
 */
export function flagsFor<A>(questions: readonly QuestionOf<A>[], answers: A, context: DefaultContext, baseline: Partial<A> = {}): string[] {
  return questions.flatMap((question) => {
    const value = answers[question.key];
    const byDefault =
      question.key in baseline ? baseline[question.key] : question.default({ ...context, answers: answers as Record<string, unknown> });
    if (value === byDefault) return [];
    const key = String(question.key);
    if (question.kind === 'toggle') return [value ? `--${key}` : `--no-${key}`];
    return [`--${key}`, String(value)];
  });
}

/** The default as --help and the README state it: "on"/"off" for a toggle. */
export function describeDefault<A>(question: QuestionOf<A>): string {
  if (question.defaultHelp) return question.defaultHelp;
  const value = question.default({ destination: '' });
  return typeof value === 'boolean' ? (value ? 'on' : 'off') : String(value);
}

/** How a question is written as a flag: `--port <1-65535>`, `--node 22|24|26`, `--k8s, --no-k8s`. */
export function describeFlag<A>(question: QuestionOf<A>): string {
  const key = String(question.key);
  if (question.kind === 'toggle') return `--${key}, --no-${key}`;
  return `--${key} ${question.kind === 'choice' ? question.choices.join('|') : (question.valueHint ?? '<value>')}`;
}

/**
 * The README's options table, made from the question table so the two cannot disagree
 * (test/generator/readme.test.ts compares them; `npm run readme` rewrites it).
 */
export function optionsTable<A>(
  questions: readonly QuestionOf<A>[],
  runFlags: Record<string, string>,
  directory = { usage: '[directory]', what: 'where to write the project' },
): string {
  const code = (text: string) => `\`${text.replaceAll('|', '\\|')}\``;
  const rows = [
    '| flag | what it sets | default |',
    '| --- | --- | --- |',
    `| ${code(directory.usage)} | ${directory.what} | the current directory |`,
    ...questions.map((q) => `| ${code(describeFlag(q))} | ${q.message} | ${describeDefault(q)} |`),
    ...Object.entries(runFlags).map(([flag, text]) => `| ${code(`--${flag}`)} | ${text} | |`),
  ];
  return rows.join('\n');
}

/**
 * Checks every answer present in `given` with its question's parser. `labelFor` names where
 * a value came from in the error: a flag by default.
 */
export function parseAnswers<A>(
  questions: readonly QuestionOf<A>[],
  given: Partial<Record<keyof A, unknown>>,
  labelFor: (key: keyof A) => string = flagLabel,
): Partial<A> {
  const answers: Partial<Record<keyof A, unknown>> = {};
  for (const question of questions) {
    const raw = given[question.key];
    if (raw !== undefined) answers[question.key] = question.parse(raw, labelFor(question.key));
  }
  return answers as Partial<A>;
}
