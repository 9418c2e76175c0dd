/**
 * Detection: what an existing project is, read from its files and never from running it.
 * Each finding is only a default: the question of the same name (a flag) overrides it.
 */
import { detectDocs } from './docs.js';
import { detectEnvironment, type EnvVariable } from './environment.js';
import { detectExtensionlessImports, detectTypeStrippedImports } from './esm-imports.js';
import { detectNxApps, type NxApp } from './nx.js';
import { detectHealthRoute, type HealthFinding } from './health.js';
import { detectLanguage, detectModuleType, type Language, type ModuleType } from './language.js';
import { detectHookFiles, detectLifecycle, type LifecycleFinding } from './lifecycle.js';
import { detectNative, type NativeFinding } from './native.js';
import { DEFAULT_SOURCE, detectNodeLine, type NodeLineFinding } from './node-line.js';
import { detectPackageManager, type PackageManagerFinding } from './package-manager.js';
import { detectPort, type PortFinding } from './port.js';
import { ProjectFiles } from './project-files.js';
import type { LoopbackFinding } from './listen-host.js';
import { type BehaviourFinding, detectBehaviour } from './runtime-behaviour.js';
import { detectServices, type ServiceFinding } from './services.js';
import { type BuildFinding, detectBuild } from './build.js';
import { StartDetector, type StartFinding } from './start.js';
import { detectTestRunner, type TestRunner } from './test-runner.js';
import { detectWorkspaces, enclosingWorkspaceRoot, type WorkspaceFinding } from './workspaces.js';

export { ProjectFiles };
export type { EnvVariable, TestRunner };

export interface Findings {
  root: string;
  name: string;
  language: Language;
  moduleType: ModuleType;
  packageManager: PackageManagerFinding;
  node: NodeLineFinding;
  build: BuildFinding | undefined;
  start: StartFinding | undefined;
  port: PortFinding;
  health: HealthFinding | undefined;
  native: NativeFinding;
  lifecycle: LifecycleFinding[];
  /** The project's files that the lifecycle scripts kept run on install (copied in beside the manifests). */
  hookFiles: string[];
  exampleFile: string | undefined;
  env: EnvVariable[];
  behaviour: BehaviourFinding;
  /** Databases, caches and brokers the app connects to, none of which the image or compose brings. */
  services: ServiceFinding[];
  workspaces: WorkspaceFinding | undefined;
  /** The monorepo root, when the project is one of its workspace packages: the lockfile and manager are there. */
  workspaceRoot: string | undefined;
  testRunner: TestRunner;
  /** Docker files the project has already: never overwritten without --force. */
  dockerFiles: string[];
  /** Documentation the code never names (README, CHANGELOG, docs/…): left out of the build context. */
  docs: string[];
  /** Relative imports with no extension in an app tsc compiles to ES modules: node cannot resolve them. */
  extensionlessImports: string[];
  /** Relative imports of an app node runs as TypeScript itself that name no file (`./config.js` for config.ts). */
  typeStrippedImports: string[];
  /** An Nx workspace's node apps (their build and serve are Nx targets), or undefined when it is none. */
  nxApps: NxApp[] | undefined;
}

const DOCKER_FILES = ['Dockerfile', '.dockerignore', 'compose.yaml', 'compose.yml', 'docker-compose.yml', 'docker-compose.yaml'];

export function detect(root: string): Findings {
  const project = new ProjectFiles(root);
  const environment = detectEnvironment(project);
  const build = detectBuild(project);
  const lifecycle = detectLifecycle(project);
  const start = new StartDetector(project, build).detect();
  const workspaceRoot = enclosingWorkspaceRoot(root);
  const monorepo = workspaceRoot ? new ProjectFiles(workspaceRoot) : project;
  const node = detectNodeLine(project);
  return {
    root,
    name: project.pkg.name ?? 'app',
    language: detectLanguage(project),
    moduleType: detectModuleType(project),
    packageManager: detectPackageManager(monorepo),
    // A package that says nothing of its Node line follows the monorepo's.
    node: node.source === DEFAULT_SOURCE && workspaceRoot ? detectNodeLine(monorepo) : node,
    build,
    start,
    port: detectPort(project, environment.example, start?.args),
    health: detectHealthRoute(project),
    native: detectNative(project),
    lifecycle,
    hookFiles: detectHookFiles(project, lifecycle),
    exampleFile: environment.exampleFile,
    env: environment.variables,
    behaviour: detectBehaviour(project, {
      toolStops: start?.toolStops ?? false,
      toolBindsAll: 'FASTIFY_ADDRESS' in (start?.env ?? {}),
      example: environment.example,
    }),
    services: detectServices(project),
    workspaces: detectWorkspaces(project),
    workspaceRoot,
    testRunner: detectTestRunner(project),
    dockerFiles: DOCKER_FILES.filter((file) => project.has(file)),
    docs: detectDocs(project),
    extensionlessImports: detectExtensionlessImports(project, workspaceRoot),
    typeStrippedImports: detectTypeStrippedImports(project, { built: build !== undefined, startFile: start?.file }),
    nxApps: detectNxApps(project),
  };
}

function sigtermLine(f: Findings): string {
  if (!f.behaviour.handlesSigterm)
    return 'not handled in the code: docker/graceful-stop.mjs closes the servers on stop (--no-graceful to leave it out)';
  if (f.behaviour.sigtermKeepsRunning)
    return "the app's handler ends nothing (no exit, close or shutdown): docker/graceful-stop.mjs closes the servers after it (--no-graceful to leave it out)";
  if (f.behaviour.sigtermReraises)
    return "the app's handler ends by re-raising the signal (process.kill(process.pid, …): exit 143): docker/graceful-stop.mjs takes the second one and exits 0 (--no-graceful to leave it out)";
  return f.start?.toolStops ? `handled by the tool that serves the app (${f.start.file})` : 'handled by the app';
}

/** The findings as the user reads them before anything is written: one line each. */
export function summarize(f: Findings): string[] {
  const pm = f.packageManager;
  const lines = [
    `Found ${f.name} in ${f.root}:`,
    `  language        ${f.language === 'typescript' ? 'TypeScript' : 'JavaScript'}, ${f.moduleType === 'esm' ? 'ESM' : 'CommonJS'}`,
    `  package manager ${pm.name}${pm.version ? ` ${pm.version}` : ''} (${pm.source})${pm.lockfile ? '' : ': the install after writing creates one, which the image installs from'}`,
    `  Node.js         ${f.node.line} (${f.node.source})`,
    `  build           ${f.build ? `script "${f.build.script}" → ${f.build.outputDir}/` : 'none: the sources run as they are'}`,
    `  start           ${f.start ? `node ${[...f.start.nodeArgs, f.start.file].join(' ')} (${f.start.source})` : 'not found: pass --start <file>'}`,
    ...(f.start?.note ? [`                  ${f.start.note}`] : []),
    `  port            ${f.port.port} (${f.port.source}${f.port.fromEnv ? ', read from PORT' : ''})`,
    `  health check    ${f.health ? `GET ${f.health.path} (${f.health.source})` : 'no health route found: a TCP check of the port'}`,
    `  native deps     ${f.native.compiling.length > 0 ? `${f.native.compiling.join(', ')}: python3, make and g++ in the build stages` : 'none that compile'}${f.native.prebuilt.length > 0 ? ` (prebuilt from npm: ${f.native.prebuilt.join(', ')})` : ''}`,
    `  install scripts ${installScriptsLine(f)}`,
    `  environment     ${f.env.length > 0 ? f.env.map((v) => (v.secret ? `${v.name} (secret)` : v.name)).join(', ') : 'no variables found'}${f.exampleFile ? ` (from ${f.exampleFile} and the code)` : ''}`,
    `  writes to       ${writesToLine(f)}`,
    `  SIGTERM         ${sigtermLine(f)}`,
    `  tests           ${f.testRunner === 'node' ? 'node --test, or no runner found' : f.testRunner}: the container test is written for it`,
  ];
  if (f.behaviour.loopback) lines.push(`  warning         ${loopbackLine(f.behaviour.loopback)}`);
  if (f.extensionlessImports.length > 0)
    lines.push(
      `  warning         ${f.extensionlessImports.join(', ')}: imported with no extension, which tsc keeps as written and node's ES module loader cannot resolve (ERR_MODULE_NOT_FOUND at start, here and in the image): name the .js file`,
    );
  if (f.typeStrippedImports.length > 0)
    lines.push(
      `  warning         ${f.typeStrippedImports.join(', ')}: nothing builds the app, so node runs its TypeScript as it is, and node loads the file a specifier names, never its .ts twin (tsx maps them, node does not: ERR_MODULE_NOT_FOUND at start): name the .ts file (tsconfig allowImportingTsExtensions; rewriteRelativeImportExtensions if tsc also builds it), or give the app a build`,
    );
  if (f.services.length > 0)
    lines.push(
      `  needs           ${f.services.map((s) => `${s.service} (${s.packages.join(', ')})`).join(', ')}: PostgreSQL, MySQL, Redis and MongoDB go into compose.yaml (--services); the image brings none, and an app that connects at startup turns healthy only where it reaches ${f.services.length > 1 ? 'them' : 'it'} (README.Docker.md)`,
    );
  if (f.dockerFiles.length > 0)
    lines.push(`  already here    ${f.dockerFiles.join(', ')}: kept unless --force (or you say so file by file)`);
  return lines;
}

/**
 * The folders that become a volume (the question takes the first), each named by a variable
 * said with it: the default is what the volume holds, so a value set in secrets/app.env that
 * names another folder needs --volume to match.
 */
function writesToLine(f: Findings): string {
  const { dataDirs, variableDirs } = f.behaviour;
  if (dataDirs.length === 0) return 'nothing found: no volume';
  const named = dataDirs.map((dir) => {
    const v = variableDirs.find((d) => d.dir === dir);
    return v ? `${dir} (${v.variable}'s default, in ${v.defaultFrom}: if it is set to another folder, pass that as --volume)` : dir;
  });
  return `${named.join(', ')}: a volume`;
}

/**
 * The loopback warning: where, why, and the one-argument fix. The published port and the
 * healthcheck knock on the container's own address, so such an app never turns healthy.
 */
function loopbackLine({ at, call, host, defaultOf }: LoopbackFinding): string {
  const why = defaultOf ? `gives listen no host, and ${defaultOf} then binds ${host} only` : `listens on '${host}' only`;
  const fix = defaultOf ? "add host: '0.0.0.0' (or '::')" : "give the host '0.0.0.0' (or '::')";
  return `${at} (${call}) ${why}: the published port and the healthcheck reach the container's own address, where nothing answers; ${fix}, or read it from a variable such as HOST`;
}

/** Lifecycle scripts left out of the installs, files copied in for those kept, binary downloads skipped. */
function installScriptsLine(f: Findings): string {
  return [
    f.lifecycle.length > 0
      ? `${f.lifecycle.map((l) => `"${l.script}": ${l.command}`).join('; ')} (left out of the image installs)`
      : 'none that break a production install',
    ...(f.hookFiles.length > 0 ? [`runs ${f.hookFiles.join(', ')} (copied in for the install)`] : []),
    ...f.native.downloads.map((d) => `${d.pkg}'s binary download skipped (${d.variable}=${d.value})`),
  ].join('; ');
}
