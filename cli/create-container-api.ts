#!/usr/bin/env node
/**
 * `npm create container-api` lands here. It runs the same generator as `yo container-api`
 * through yeoman-environment directly, which works as root (yo refuses) and without a
 * terminal when flags answer the questions.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { createEnv } from 'yeoman-environment';
import { type CliFlags, parseGivenAnswers, QUESTIONS, RUN_FLAGS, UsageError } from '../generators/app/command.js';
import { EXISTING_QUESTIONS, type ExistingFlags, parseExistingFlags } from '../generators/docker/command.js';
import { describeDefault, describeFlag } from '../generators/lib/questions.js';

const COMMAND = 'create-container-api';
const NAMESPACE = 'container-api:app';
const GENERATOR = fileURLToPath(new URL('../generators/app/index.js', import.meta.url));
/** `--existing`: containerize the project in the directory instead of creating one. */
const EXISTING_NAMESPACE = 'container-api:docker';
const EXISTING_GENERATOR = fileURLToPath(new URL('../generators/docker/index.js', import.meta.url));

/** A flag per question (a toggle is a boolean, anything else a string), and the run flags. */
function optionsFor(questions: readonly { key: string | number | symbol; kind: string }[]) {
  return {
    ...Object.fromEntries(questions.map((q) => [q.key, { type: q.kind === 'toggle' ? ('boolean' as const) : ('string' as const) }])),
    yes: { type: 'boolean', short: 'y' },
    force: { type: 'boolean' },
    'skip-install': { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
    existing: { type: 'boolean' },
  } satisfies ParseArgsConfig['options'];
}

const OPTIONS = optionsFor(QUESTIONS);
const EXISTING_OPTIONS = optionsFor(EXISTING_QUESTIONS);

function usage(): string {
  const lines = [`Usage: ${COMMAND} [directory] [options]`, '', 'Questions (each asked when not given; --yes takes the defaults):'];
  for (const q of QUESTIONS) lines.push(`  ${describeFlag(q).padEnd(36)} ${q.message} (default: ${describeDefault(q)})`);
  lines.push('', 'Run:');
  for (const [flag, text] of Object.entries(RUN_FLAGS)) lines.push(`  ${`--${flag}`.padEnd(36)} ${text}`);
  lines.push(`  ${'--help'.padEnd(36)} Show this help`);
  lines.push('', `Example: ${COMMAND} my-api --yes --port 8080`);
  lines.push('', `Containerize a project you have: ${COMMAND} --existing [directory] [options] (--existing --help lists them)`);
  return lines.join('\n');
}

function existingUsage(): string {
  const lines = [
    `Usage: ${COMMAND} --existing [directory] [options]`,
    '',
    'Containerizes the Node.js project in the directory. Questions (defaults: what is found in the project):',
  ];
  for (const q of EXISTING_QUESTIONS) lines.push(`  ${describeFlag(q).padEnd(36)} ${q.message} (default: ${describeDefault(q)})`);
  lines.push('', 'Run:');
  for (const [flag, text] of Object.entries(RUN_FLAGS)) lines.push(`  ${`--${flag}`.padEnd(36)} ${text}`);
  lines.push('', `Example: ${COMMAND} --existing . --yes --port 8080`);
  return lines.join('\n');
}

function parseCommandLine(argv: string[]) {
  try {
    // Only the options of the generator that runs are accepted.
    const options = argv.includes('--existing') ? EXISTING_OPTIONS : OPTIONS;
    return parseArgs({ args: argv, options, allowPositionals: true, allowNegative: true, strict: true });
  } catch (error) {
    // node:util names the offending flag; add what to do about it.
    throw new UsageError(`${(error as Error).message.split('. ')[0]}. Run ${COMMAND} --help for the options.`);
  }
}

/**
 * Yeoman logs "An error occured while running <task>" before rethrowing; this command
 * reports the error itself in one line, so that extra line is dropped.
 */
function quietTaskErrors(env: ReturnType<typeof createEnv>): void {
  const log = env.adapter.log;
  const original = log.error.bind(log);
  log.error = ((message: unknown, ...rest: unknown[]) =>
    typeof message === 'string' && message.startsWith('An error occured while running')
      ? log
      : original(message as string, ...(rest as string[]))) as typeof log.error;
}

export async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseCommandLine(argv);
  const existing = values.existing ?? false;
  if (values.help) {
    console.log(existing ? existingUsage() : usage());
    return;
  }
  if (positionals.length > 1) {
    throw new UsageError(`Expected at most one directory, got ${positionals.length}: ${positionals.join(' ')}.`);
  }
  // Check every given answer before the environment starts, so bad input writes nothing.
  if (existing) parseExistingFlags(values as ExistingFlags);
  else parseGivenAnswers(values as CliFlags);

  const directory = path.resolve(positionals[0] ?? '.');
  const skipInstall = values['skip-install'] ?? false;
  const env = createEnv({ cwd: directory, skipInstall });
  const namespace = existing ? EXISTING_NAMESPACE : NAMESPACE;
  env.register(existing ? EXISTING_GENERATOR : GENERATOR, { namespace });
  quietTaskErrors(env);
  // run() forwards these to the generator as its options.
  const generatorOptions: Record<string, unknown> = {
    ...values,
    skipInstall,
    force: values.force ?? false,
    yes: values.yes ?? false,
    interactive: Boolean(process.stdin.isTTY && process.stdout.isTTY),
  };
  delete generatorOptions.existing;
  await env.run([namespace, directory], generatorOptions);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  console.error(`${COMMAND}: ${message.split('\n')[0]}`);
  process.exitCode = error instanceof UsageError ? 2 : 1;
});
