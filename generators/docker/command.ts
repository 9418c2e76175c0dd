/**
 * The questions `container-api:docker` asks about an existing project. Each is its flag;
 * each default is what detection found in the project (generators/docker/detect), so
 * `--yes` takes the findings and a flag corrects one of them.
 */
import type { NodeLine, Runtime } from '../container/node.js';
import type { PackageManagerName } from '../container/package-managers.js';
import { nodeQuestion, packageManagerQuestion, runtimeQuestion } from '../container/questions.js';
import path from 'node:path';
import { APP_DIR } from '../container/model.js';
import { choice, flagLabel, portNumber, parseAnswers, type QuestionOf, show, toggle, UsageError } from '../lib/questions.js';
import { detect, type Findings } from './detect/index.js';
import { isSecretName } from './detect/environment.js';
import { nxNextStep } from './detect/nx.js';
import { detectedServices, parseServices, SERVICE_KINDS, type ServiceKind } from './services.js';
import { TEST_RUNNERS, type TestRunner } from './test-runners.js';

export interface ExistingAnswers {
  start: string;
  build: string;
  outdir: string;
  port: number;
  node: NodeLine;
  runtime: Runtime;
  'package-manager': PackageManagerName;
  health: string;
  secrets: string[];
  services: ServiceKind[];
  volume: string;
  tools: boolean;
  'test-runner': TestRunner;
  graceful: boolean;
  workspace: string;
  /** Print the findings and the planned files as JSON, and write nothing: never stored. */
  json?: boolean;
}

export type ExistingQuestion = QuestionOf<ExistingAnswers>;
export type ExistingFlags = Partial<Record<keyof ExistingAnswers, unknown>>;

/** Detection runs once per directory, however many defaults ask for it. */
const cache = new Map<string, Findings>();
export function findingsFor(destination: string): Findings {
  let findings = cache.get(destination);
  if (!findings) {
    findings = detect(destination);
    cache.set(destination, findings);
  }
  return findings;
}

/** Folders of the image's system: a volume there would hide the system's own files, or never persist. */
const SYSTEM_DIRS = ['/bin', '/boot', '/dev', '/etc', '/lib', '/lib64', '/proc', '/root', '/run', '/sbin', '/sys', '/tmp', '/usr', '/var'];

/** Why a container path cannot hold the app's volume, or undefined when it can. */
export function volumeProblem(dir: string): string | undefined {
  if (dir === '/') return 'a volume on / would hide the whole image';
  if (dir === APP_DIR || APP_DIR.startsWith(`${dir}/`))
    return `${dir} holds the app's code (${APP_DIR}): a volume there would keep an old copy of it. Use a folder inside it, such as data`;
  const system = SYSTEM_DIRS.find((sys) => dir === sys || dir.startsWith(`${sys}/`));
  if (system) return `${dir} is under ${system}, a folder of the image's system: use a folder of the app's (data) or of its own (/data)`;
  return undefined;
}

const RELATIVE_FILE = /^(?!\/)(?!.*\.\.)[\w@.\-/]+$/;

function relativePath(key: string, what: string) {
  return (raw: unknown, label = flagLabel(key)): string => {
    const value = String(raw).trim().replace(/^\.\//, '');
    if (!RELATIVE_FILE.test(value))
      throw new UsageError(`${label} ${show(raw)} is not allowed: give ${what} relative to the project, e.g. dist/server.js.`);
    return value;
  };
}

export const EXISTING_QUESTIONS: readonly ExistingQuestion[] = [
  {
    key: 'start',
    kind: 'text',
    message: 'File the container runs with node',
    valueHint: '<file>',
    defaultHelp: 'the start script, made exec-form',
    default: ({ destination }) => {
      const findings = findingsFor(destination);
      const start = findings.start;
      if (!start) {
        const nx = findings.nxApps ? ` ${nxNextStep(findings.nxApps)}` : '';
        throw new UsageError(
          `No start command found (no start script, "main" or server.js/index.js): pass --start <file>, the file node runs.${nx}`,
        );
      }
      return start.file;
    },
    parse: relativePath('start', 'the file node runs'),
  },
  {
    key: 'build',
    kind: 'text',
    message: 'package.json script that builds the app, or none',
    valueHint: '<script>|none',
    defaultHelp: 'the build script found, else none',
    default: ({ destination }) => findingsFor(destination).build?.script ?? 'none',
    parse(raw, label = flagLabel('build')) {
      const value = String(raw).trim();
      if (!/^[\w:.-]+$/.test(value)) throw new UsageError(`${label} ${show(raw)} is not allowed: name a package.json script, or none.`);
      return value;
    },
  },
  {
    key: 'outdir',
    kind: 'text',
    message: 'Folder the build writes',
    valueHint: '<folder>',
    defaultHelp: 'tsconfig outDir or the build tool’s output, else dist',
    default: ({ destination }) => findingsFor(destination).build?.outputDir ?? 'dist',
    parse: relativePath('outdir', 'the folder the build writes'),
  },
  {
    key: 'port',
    kind: 'text',
    message: 'Port the app listens on',
    valueHint: '<1-65535>',
    defaultHelp: 'from the code (PORT default, listen(…)), else 3000',
    default: ({ destination }) => findingsFor(destination).port.port,
    parse: portNumber('port'),
  },
  nodeQuestion({
    message: 'Node.js line of the image',
    defaultHelp: 'from .nvmrc, .node-version, Volta or engines, else 24',
    default: ({ destination }) => findingsFor(destination).node.line,
  }),
  runtimeQuestion(),
  packageManagerQuestion({
    message: 'Package manager',
    defaultHelp: 'from packageManager or the lockfile, else npm',
    default: ({ destination }) => findingsFor(destination).packageManager.name,
  }),
  {
    key: 'health',
    kind: 'text',
    message: 'Health route the probe asks, or tcp to check the port only',
    valueHint: '</path>|tcp',
    defaultHelp: 'a health route found in the code, else tcp',
    default: ({ destination }) => findingsFor(destination).health?.path ?? 'tcp',
    parse(raw, label = flagLabel('health')) {
      const value = String(raw).trim();
      if (value === 'tcp' || /^\/[\w\-./~%]*$/.test(value)) return value;
      throw new UsageError(`${label} ${show(raw)} is not allowed: give a path starting with / (e.g. /health), or tcp.`);
    },
  },
  {
    key: 'secrets',
    kind: 'text',
    message: 'Variables kept in the secret file, comma-separated, or none',
    valueHint: '<NAME,…>|none',
    defaultHelp: 'the variables named like *_PASSWORD, *_SECRET, *_TOKEN, *_KEY, DATABASE_URL',
    default: ({ destination }) =>
      findingsFor(destination)
        .env.filter((v) => v.secret)
        .map((v) => v.name),
    parse(raw, label = flagLabel('secrets')) {
      if (Array.isArray(raw)) return raw.map(String);
      const text = String(raw).trim();
      if (text === 'none' || text === '') return [];
      const names = text.split(',').map((name) => name.trim());
      const bad = names.find((name) => !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name));
      if (bad !== undefined)
        throw new UsageError(`${label} ${show(bad)} is not a variable name: use letters, digits and _, comma-separated.`);
      return names;
    },
  },
  {
    key: 'services',
    kind: 'text',
    message: 'Services compose runs beside the app, comma-separated, or none',
    valueHint: `<${SERVICE_KINDS.join(',')}>|none`,
    defaultHelp: 'the databases and caches its dependencies talk to (pg, mysql2, ioredis, mongoose, …), else none',
    default: ({ destination }) => detectedServices(findingsFor(destination).services),
    parse: parseServices,
  },
  {
    key: 'volume',
    kind: 'text',
    message: 'Folder the app writes to, kept on a volume, or none',
    valueHint: '<folder>|none',
    defaultHelp: 'a folder the code writes to, else none',
    default: ({ destination }) => findingsFor(destination).behaviour.dataDirs[0] ?? 'none',
    parse(raw, label = flagLabel('volume')) {
      const value = String(raw).trim().replace(/\/$/, '');
      if (value === 'none') return value;
      if (!/^\/?[\w.\-/]+$/.test(value))
        throw new UsageError(`${label} ${show(raw)} is not allowed: give a folder (relative to the app, or absolute), or none.`);
      const problem = volumeProblem(path.posix.resolve(APP_DIR, value));
      if (problem) throw new UsageError(`${label} ${show(raw)} is not allowed: ${problem}.`);
      return value;
    },
  },
  {
    key: 'tools',
    kind: 'toggle',
    message: 'Install python3, make and g++ in the build stages (native addons)',
    defaultHelp: 'on when a dependency compiles (sqlite3, bcrypt < 6, …)',
    default: ({ destination }) => findingsFor(destination).native.compiling.length > 0,
    parse: toggle('tools'),
  },
  {
    key: 'test-runner',
    kind: 'choice',
    message: 'Test runner the container test is written for',
    choices: TEST_RUNNERS,
    defaultHelp: 'the one the test script or the dev dependencies name, else node',
    default: ({ destination }) => findingsFor(destination).testRunner,
    parse: choice('test-runner', TEST_RUNNERS),
  },
  {
    key: 'graceful',
    kind: 'toggle',
    message: 'Load docker/graceful-stop.mjs: on docker stop, finish requests in flight and exit 0',
    defaultHelp: 'on when the app does not handle SIGTERM, or its handler ends nothing',
    default: ({ destination }) => {
      const { behaviour } = findingsFor(destination);
      return !behaviour.handlesSigterm || behaviour.sigtermKeepsRunning || behaviour.sigtermReraises;
    },
    parse: toggle('graceful'),
  },
  {
    key: 'workspace',
    kind: 'text',
    message: 'Workspace package to containerize, in a monorepo',
    valueHint: '<folder>|<name>',
    defaultHelp: 'asked in a monorepo (refused with --yes); none elsewhere',
    default: () => 'none',
    parse(raw, label = flagLabel('workspace')) {
      const value = String(raw).trim().replace(/^\.\//, '').replace(/\/$/, '');
      if (value === 'none' || /^(?!\/)(?!.*\.\.)[\w@.\-/]+$/.test(value)) return value;
      throw new UsageError(`${label} ${show(raw)} is not allowed: give a workspace package's folder (packages/api) or name (@acme/api).`);
    },
  },
  {
    key: 'json',
    kind: 'toggle',
    message: 'Print the findings and the files it would write as JSON on stdout, and write nothing',
    defaultHelp: 'off: never asked, never stored',
    default: () => false,
    parse: toggle('json'),
  },
];

export function parseExistingFlags(given: ExistingFlags): Partial<ExistingAnswers> {
  return parseAnswers<ExistingAnswers>(EXISTING_QUESTIONS, given);
}

export { isSecretName };
