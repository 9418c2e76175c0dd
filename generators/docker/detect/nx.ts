/**
 * An Nx workspace keeps its apps' build and serve in Nx targets (apps/<name>/project.json), not
 * in package.json scripts, so --existing finds no start there. What Nx writes is knowable: each
 * node app's build target names its entry (`main`) and its `outputPath`, and the built entry
 * is `<outputPath>/main.js`. The finding lets the refusal say exactly what to add and pass.
 */
import path from 'node:path';
import { globSync } from 'tinyglobby';
import type { ProjectFiles } from './project-files.js';

export interface NxApp {
  name: string;
  /** The folder the build target writes, relative to the workspace root. */
  outputPath: string;
  /** The file node runs once that target has built. */
  entry: string;
}

interface NxProject {
  name?: string;
  projectType?: string;
  targets?: Record<string, { executor?: string; options?: { main?: string; outputPath?: string; target?: string } }>;
}

/** Executors that build an app for node (webpack and rollup only when their target is node). */
const NODE_BUILD = /^@(?:nx|nrwl)\/(?:node|js|esbuild):|^@(?:nx|nrwl)\/(?:webpack|rollup):/;

/** The workspace's node apps, or undefined when the project is no Nx workspace. */
export function detectNxApps(project: ProjectFiles): NxApp[] | undefined {
  if (!project.has('nx.json')) return undefined;
  const apps: NxApp[] = [];
  for (const file of globSync('**/project.json', { cwd: project.root, ignore: ['**/node_modules/**'] }).sort()) {
    const config = project.readJsonc<NxProject>(file);
    if (config?.projectType !== 'application') continue;
    const build = config.targets?.build;
    const options = build?.options;
    if (!build?.executor || !NODE_BUILD.test(build.executor) || !options?.main || !options.outputPath) continue;
    if (/webpack|rollup/.test(build.executor) && options.target !== 'node') continue;
    const name = config.name ?? path.posix.basename(path.posix.dirname(file));
    const outputPath = options.outputPath.replace(/^\{workspaceRoot\}\//, '').replace(/\/$/, '');
    apps.push({ name, outputPath, entry: `${outputPath}/${path.posix.basename(options.main).replace(/\.[cm]?ts$/, '.js')}` });
  }
  return apps;
}

/** What to add and pass for one of the apps: the refusal's next step. */
export function nxNextStep(apps: NxApp[]): string {
  if (apps.length === 0)
    return 'This is an Nx workspace, and none of its project.json files builds a node app: pass --build <script> and --start <file>.';
  const [app] = apps as [NxApp, ...NxApp[]];
  return (
    `This is an Nx workspace: its node apps (${apps.map((a) => a.name).join(', ')}) are built and served by Nx targets, not package.json scripts. ` +
    `For ${app.name}, add the script "build:${app.name}": "nx build ${app.name} --configuration=production" to package.json, ` +
    `then pass --build build:${app.name} --outdir ${app.outputPath.split('/')[0]} --start ${app.entry}.`
  );
}
