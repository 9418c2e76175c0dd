#!/usr/bin/env node
/**
 * `npm create container-api` lands here. It runs the same generator as `yo container-api`
 * through yeoman-environment directly, which works as root (yo refuses) and without a
 * terminal when flags answer the questions.
 */
import { realpathSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import semver from 'semver';
import type { createEnv } from 'yeoman-environment';
import { describeDefault, describeFlag, UsageError } from '../generators/lib/questions.js';
import { configureOutput, files } from '../generators/lib/output.js';
import { NODE_RANGE, PACKAGE_VERSION } from '../generators/lib/paths.js';
import { checkStateFiles } from '../generators/lib/state-files.js';
import { isWriteFault, resetWriteGuard, rollBack } from '../generators/lib/write-guard.js';
import { BIN, type Command, COMMANDS, commandFor, modulePath } from './commands.js';

/** A flag per question (a toggle is a boolean, anything else a string), and the run flags. */
function optionsFor(command: Command): NonNullable<ParseArgsConfig['options']> {
  return {
    ...Object.fromEntries(
      command.questions.map((q) => [q.key, { type: q.kind === 'toggle' ? ('boolean' as const) : ('string' as const) }]),
    ),
    yes: { type: 'boolean', short: 'y' },
    force: { type: 'boolean' },
    'skip-install': { type: 'boolean' },
    'dry-run': { type: 'boolean' },
    verbose: { type: 'boolean' },
    ...(command.runFlags['skip-git'] ? { 'skip-git': { type: 'boolean' as const } } : {}),
    help: { type: 'boolean', short: 'h' },
    version: { type: 'boolean' },
    ...(command.flag ? { [command.flag]: { type: 'boolean' as const } } : {}),
  };
}

function usage(command: Command): string {
  const lines = [`Usage: ${BIN} ${command.directory.usage} [options]`, '', command.summary];
  for (const q of command.questions) lines.push(`  ${describeFlag(q).padEnd(36)} ${q.message} (default: ${describeDefault(q)})`);
  lines.push('', 'Run:');
  for (const [flag, text] of Object.entries(command.runFlags)) lines.push(`  ${`--${flag}`.padEnd(36)} ${text}`);
  lines.push(`  ${'--help'.padEnd(36)} Show this help`);
  lines.push(`  ${'--version'.padEnd(36)} Show the version`);
  lines.push('', `Example: ${command.example}`);
  for (const other of COMMANDS.filter((c) => c !== command && c.flag)) {
    lines.push('', `${other.tagline}: ${BIN} ${other.directory.usage} [options] (--${other.flag} --help lists them)`);
  }
  lines.push('', `Upgrade a project we wrote, keeping your changes: ${BIN} --upgrade [directory] [--dry-run] [--force]`);
  return lines.join('\n');
}

function parseCommandLine(argv: string[], command: Command) {
  try {
    // Only the options of the generator that runs are accepted.
    const parsed = parseArgs({ args: argv, options: optionsFor(command), allowPositionals: true, allowNegative: true, strict: true });
    return { values: parsed.values as Record<string, string | boolean | undefined>, positionals: parsed.positionals };
  } catch (error) {
    // node:util names the offending flag; add what to do about it.
    const message = (error as Error).message;
    const ambiguous = /^Option '(--[\w-]+)[^']*' argument is ambiguous/.exec(message)?.[1];
    if (ambiguous) {
      const value = argv[argv.indexOf(ambiguous) + 1];
      throw new UsageError(
        `${ambiguous} ${value}: a value that starts with "-" is written ${ambiguous}=${value}. Run ${BIN} --help for the options.`,
      );
    }
    throw new UsageError(`${message.split('. ')[0]}. Run ${BIN} --help for the options.`);
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

/** `--upgrade [directory] [--dry-run] [--force]`: merges this version's templates into a project we wrote. */
async function runUpgrade(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      upgrade: { type: 'boolean' },
      'dry-run': { type: 'boolean' },
      force: { type: 'boolean' },
      yes: { type: 'boolean', short: 'y' },
    },
    allowPositionals: true,
    strict: false,
  });
  const unknown = Object.keys(values).filter((k) => !['upgrade', 'dry-run', 'force', 'yes'].includes(k));
  if (unknown.length)
    throw new UsageError(
      `--upgrade takes only a directory, --dry-run and --force (not --${unknown[0]}): the answers are the ones recorded.`,
    );
  if (positionals.length > 1) throw new UsageError(`Expected at most one directory, got ${positionals.length}: ${positionals.join(' ')}.`);
  const { upgrade, report } = await import('./upgrade/index.js');
  const dryRun = Boolean(values['dry-run']);
  const result = await upgrade(path.resolve(positionals[0] ?? '.'), {
    bin: fileURLToPath(import.meta.url),
    dryRun,
    force: Boolean(values.force),
    err: (line) => console.error(line),
  });
  for (const line of report(result, dryRun)) console.log(line);
  const conflicts = result.steps.filter((s) => s.action === 'conflict').map((s) => s.file);
  if (conflicts.length && !dryRun) throw new Error(`conflicts to resolve in ${conflicts.join(', ')}`);
}

export async function main(argv: string[]): Promise<void> {
  // An older Node would fail later, on an API it lacks, in words that do not say why.
  if (!semver.satisfies(process.version, NODE_RANGE)) {
    throw new Error(`needs Node.js ${NODE_RANGE}, and this is ${process.version}: run it with a current Node.js (24 LTS).`);
  }
  if (argv.includes('--upgrade')) return runUpgrade(argv);
  const command = commandFor(argv);
  const { values, positionals } = parseCommandLine(argv, command);
  if (values.help) {
    console.log(usage(command));
    return;
  }
  if (values.version) {
    console.log(PACKAGE_VERSION);
    return;
  }
  if (positionals.length > 1) {
    throw new UsageError(`Expected at most one directory, got ${positionals.length}: ${positionals.join(' ')}.`);
  }
  command.check(values);

  const directory = path.resolve(positionals[0] ?? '.');
  checkStateFiles(directory);
  // A dry run goes through every step but the writes (yeoman's conflicter reports instead) and the install.
  const dryRun = Boolean(values['dry-run']);
  const skipInstall = dryRun || Boolean(values['skip-install']);
  configureOutput({ verbose: Boolean(values.verbose) });
  // Loaded only once the command line is known good: --help and a bad flag answer at once.
  const [{ createEnv }, { QueuedAdapter, createLogger }] = await Promise.all([import('yeoman-environment'), import('@yeoman/adapter')]);
  // Yeoman's own adapter, with its per-file status lines ("create src/app.ts", 80 of them)
  // collected into one summary that the generator prints once the files are on disk.
  const adapter = new QueuedAdapter({ log: createLogger({ loggers: files.loggers(directory) }) });
  const env = createEnv({ cwd: directory, skipInstall, dryRun, adapter });
  env.register(modulePath(command), { namespace: command.namespace });
  quietTaskErrors(env);
  // run() forwards these to the generator as its options.
  const generatorOptions: Record<string, unknown> = {
    ...values,
    skipInstall,
    dryRun,
    skipGit: Boolean(values['skip-git']),
    verbose: Boolean(values.verbose),
    force: values.force ?? false,
    yes: values.yes ?? false,
    interactive: Boolean(process.stdin.isTTY && process.stdout.isTTY),
  };
  if (command.flag) delete generatorOptions[command.flag];
  resetWriteGuard();
  try {
    await env.run([command.namespace, directory], generatorOptions);
    resetWriteGuard();
  } catch (error) {
    if (!isWriteFault(error)) throw error;
    // Half a project is worse than none: a re-run would refuse it.
    const restored = rollBack();
    throw new Error(
      `${(error as Error).message}. Nothing of this run is left: its ${restored} files are removed or put back as they were.`,
    );
  }
}

/** Whether this file is what node was asked to run (directly, or through npm's bin link). */
function isEntryPoint(): boolean {
  if (!process.argv[1]) return false;
  try {
    return realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
}

// Imported (the tests run main() in a worker thread), it only defines main().
if (isEntryPoint()) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    console.error(`${BIN}: ${message.split('\n')[0]}`);
    process.exitCode = error instanceof UsageError ? 2 : 1;
  });
}
