#!/usr/bin/env node
// Bundles what `npm create container-api` runs into a few files with no dependencies to
// install: the create bin, every generator of the command table (cli/commands.ts) and the
// shared ones they compose, with everything they import (yeoman-environment,
// yeoman-generator, ejs, ...). npm then fetches one small tarball instead of ~300 packages.
// Usage: node scripts/bundle.mjs <dist folder> <output folder> (scripts/pack.mjs calls bundle()).
//
// The entries keep their dist/ layout, so what the code finds next to itself at run time
// still resolves: the bin registers ../generators/*/index.js, both compose ../container/index.js,
// and lib/paths.js walks up to templates/. Shared code (one yeoman-generator for both
// generators) goes into chunks beside them.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

/** The bin, and every generator module it registers or that those compose, as dist/ lays them out. */
async function entries(dist) {
  const { COMMANDS, COMPOSED } = await import(path.join(dist, 'cli/commands.js'));
  const fromCli = (module) => path.posix.join('cli', module);
  return ['cli/create-container-api.js', ...[...COMMANDS.map((c) => c.module), ...COMPOSED].map(fromCli)];
}

/** Reads of a dependency's own package.json, each replaced by the fields it takes from it. */
const OWN_MANIFEST_READS = [
  {
    file: /[\\/]yeoman-generator[\\/]dist[\\/]generator\.js$/,
    read: "JSON.parse(readFileSync(pathJoin(_dirname, '../package.json'), 'utf8'))",
    keep: ({ name, version }) => ({ name, version }),
  },
  {
    file: /[\\/]yeoman-environment[\\/]dist[\\/]module-lookup\.js$/,
    read: "JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json')).toString())",
    keep: ({ name }) => ({ name }),
  },
  {
    file: /[\\/]yeoman-environment[\\/]dist[\\/]environment-base\.js$/,
    read: "require('../package.json')",
    keep: ({ version }) => ({ version }),
  },
];

/**
 * Two kinds of code in the dependency tree work only from their own package folder:
 * - yeoman-generator and yeoman-environment read their own package.json (name, version):
 *   the fields are inlined at build time.
 * - yeoman-environment constructs fly-import's repository (npm's arborist, pacote and
 *   run-script: most of the ~300 packages, with resources beside their sources) only to
 *   install generators it cannot find. Ours are registered by path, and the project's own
 *   install is spawned as `<package manager> install`, so fly-import is replaced by a stub
 *   that says so if it is ever reached.
 */
const resourceFree = {
  name: 'resource-free',
  setup(b) {
    for (const { file, read, keep } of OWN_MANIFEST_READS) {
      b.onLoad({ filter: file }, (args) => {
        const source = readFileSync(args.path, 'utf8');
        // Fail the build, not a user's run, when a dependency changes how it reads.
        if (!source.includes(read)) throw new Error(`${args.path} no longer has ${read}: update scripts/bundle.mjs`);
        const manifest = JSON.parse(readFileSync(path.join(path.dirname(args.path), '../package.json'), 'utf8'));
        return { contents: source.replace(read, `(${JSON.stringify(keep(manifest))})`), loader: 'js' };
      });
    }
    b.onResolve({ filter: /^fly-import$/ }, () => ({ path: 'fly-import', namespace: 'stub' }));
    b.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({
      contents: `
const unavailable = () => {
  throw new Error('create-container-api installs no generators; use yo for that');
};
export class FlyRepository {
  constructor({ repositoryPath } = {}) { this.repositoryPath = repositoryPath; }
  install() { unavailable(); }
}
export const flyImport = unavailable;
`,
      loader: 'js',
    }));
  },
};

export async function bundle(dist, outdir) {
  await build({
    entryPoints: (await entries(dist)).map((entry) => path.join(dist, entry)),
    outbase: dist,
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node22',
    chunkNames: 'chunks/[name]-[hash]',
    // CommonJS dependencies require() Node's built-ins; an ES module bundle needs a require for that.
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
    plugins: [resourceFree],
    // The bundled packages' licence notices, at the end of each file.
    legalComments: 'eof',
    logLevel: 'warning',
  });
}

if (import.meta.url === `file://${process.argv[1]}`) await bundle(path.resolve(process.argv[2]), path.resolve(process.argv[3]));
