/**
 * `--ci gitlab`: the generated .gitlab-ci.yml, for every combination of the options that
 * change a project, rendered in memory (test/support/render.ts): each is parsed, and its jobs,
 * images, rules, registry, multi-platform build and signing are asserted. gitlab-ci-local
 * (GitLab CI run locally, with GitLab's JSON schema) validates the file of each Node line,
 * and evaluates its rules on the default branch, a feature branch, a merge request and a
 * release tag, without running a job. One real run of the generator shows that it writes
 * what the render says. Running the jobs needs Docker: test/e2e/gitlab-ci.test.ts does that.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import helpers from '../support/yeoman.js';
import type ContainerApiGenerator from '../../generators/app/index.js';
import { AUTH, PERSISTENCE } from '../../generators/app/project.js';
import { NODE_LINES, RUNTIMES } from '../../generators/container/node.js';
import { GENERATOR_PATH } from '../support/paths.js';
import { answersWith, projectFiles, renderProject } from '../support/render.js';
import { PNPM_VERSION, YARN_VERSION } from '../../generators/container/package-manager-versions.js';

const GITLAB_CI_LOCAL = createRequire(import.meta.url).resolve('gitlab-ci-local/dist/index.js');

type Yaml = Record<string, any>;

interface Variant {
  options: Record<string, string>;
  node: string;
}

const VARIANTS: Variant[] = NODE_LINES.flatMap((node) =>
  RUNTIMES.flatMap((runtime) =>
    PERSISTENCE.flatMap((persistence) =>
      AUTH.map((auth) => ({ options: { name: `gl-${node}-${runtime}-${persistence}-${auth}`, node, runtime, persistence, auth }, node })),
    ),
  ),
);

const parseCi = (text: string) =>
  // GitLab's !reference tag, read as the list it names.
  parseYaml(text, { customTags: [{ tag: '!reference', collection: 'seq', resolve: (seq: unknown) => seq }] }) as Yaml;

/** The files `--yes --ci gitlab` writes with these flags, and its .gitlab-ci.yml rendered in memory. */
function rendered(flags: Record<string, unknown>) {
  const answers = answersWith({ ci: 'gitlab', ...flags });
  return { files: projectFiles(answers), text: renderProject(answers, (file) => file === '.gitlab-ci.yml')[0]!.text };
}

/** A folder holding only this .gitlab-ci.yml, committed as gitlab-ci-local needs it. */
function committed(text: string): string {
  const cwd = mkdtempSync(path.join(os.tmpdir(), 'gitlab-ci-'));
  writeFileSync(path.join(cwd, '.gitlab-ci.yml'), text);
  commitProject(cwd);
  return cwd;
}

function generate(options: Record<string, unknown>) {
  return helpers
    .run<ContainerApiGenerator>(GENERATOR_PATH)
    .withOptions({ skipInstall: true, force: false, yes: true, interactive: false, ci: 'gitlab', ...options });
}

function git(cwd: string, ...args: string[]): void {
  const result = spawnSync('git', ['-c', 'user.email=ci@example.com', '-c', 'user.name=ci', ...args], { cwd, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr}`);
}

/** A repository on `main` with one commit and an origin whose default branch is main. */
function commitProject(cwd: string): void {
  git(cwd, 'init', '-q', '-b', 'main');
  git(cwd, 'add', '-A');
  git(cwd, 'commit', '-q', '-m', 'generated');
  git(cwd, 'remote', 'add', 'origin', 'https://gitlab.example.com/acme/api.git');
  git(cwd, 'update-ref', 'refs/remotes/origin/main', 'HEAD');
  git(cwd, 'symbolic-ref', 'refs/remotes/origin/HEAD', 'refs/remotes/origin/main');
}

/** gitlab-ci-local's job list for a pipeline with these predefined variables. */
function pipelineJobs(cwd: string, variables: Record<string, string>, { schema = false } = {}): string[] {
  // The schema check is half of each call's time and says the same of the same file: asked once per file.
  const validation = schema ? ['--json-schema-validation'] : [];
  const args = [GITLAB_CI_LOCAL, '--list-csv', ...validation, '--ignore-predefined-vars', Object.keys(variables).join(',')];
  for (const [key, value] of Object.entries(variables)) args.push('--variable', `${key}=${value}`);
  const result = spawnSync(process.execPath, args, { cwd, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`gitlab-ci-local --list-csv failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
  const lines = result.stdout.trim().split('\n');
  expect(lines[0]).toBe('name;stage;when;allowFailure;environment;needs');
  return lines.slice(1).map((line) => line.split(';')[0]!);
}

function script(job: Yaml, key = 'script'): string {
  return (job[key] as unknown[]).flat().map(String).join('\n');
}

describe.each(VARIANTS)('.gitlab-ci.yml for $options.name', ({ options, node }) => {
  let text = '';
  let ci: Yaml;

  let files: string[] = [];

  beforeAll(() => {
    ({ files, text } = rendered(options));
    ci = parseCi(text);
  });

  it('is written instead of the GitHub workflow, and renders cleanly', () => {
    expect(files).toContain('.gitlab-ci.yml');
    expect(files.filter((f) => f.startsWith('.github/'))).toEqual([]);
    expect(text).not.toMatch(/<%|%>|undefined|\[object Object\]/);
    expect(text).not.toMatch(/[ \t]$/m);
    expect(text).not.toMatch(/\n\n\n/);
  });

  it('tests on the Node line of the image: type-check and unit tests, then container tests against docker:dind', () => {
    expect(ci.stages).toEqual(['test', 'publish']);
    expect(ci['.npm'].image).toBe(`node:${node}-bookworm-slim`);
    expect(ci['.npm'].before_script).toEqual(['npm ci --cache .npm --prefer-offline --no-audit --no-fund']);
    expect(ci.unit).toMatchObject({
      stage: 'test',
      extends: '.npm',
      script: ['npm run typecheck', 'npm run lint', 'npm run lint:openapi', 'npm run test:unit'],
    });
    expect(ci.container).toMatchObject({ stage: 'test', extends: ['.npm', '.dind'], script: ['npm run test:container'] });
    expect(ci.container.variables).toEqual({ TESTCONTAINERS_HOST_OVERRIDE: 'docker' });
    expect(ci['.dind'].services).toEqual([{ name: '$DIND_IMAGE', alias: 'docker' }]);
    expect(ci['.dind'].variables).toMatchObject({
      DIND_IMAGE: 'docker:29-dind',
      DOCKER_HOST: 'tcp://docker:2376',
      DOCKER_TLS_CERTDIR: '/certs',
    });
    // The container job installs the Docker CLI only where it is missing, then installs npm deps.
    expect(script(ci.container, 'before_script')).toMatch(
      /if ! command -v docker .*docker-ce-cli docker-buildx-plugin docker-compose-plugin/s,
    );
    expect(ci.container.before_script.at(-1)).toEqual(['.npm', 'before_script']);
  });

  it('publishes from the default branch and v* tags to the project registry, for amd64 and arm64, signed keylessly and verified', () => {
    const publish = ci.publish;
    expect(publish.stage).toBe('publish');
    expect(publish.extends).toBe('.dind');
    expect(publish.rules).toEqual([{ if: '$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH' }, { if: '$CI_COMMIT_TAG =~ /^v\\d/' }]);
    expect(publish.id_tokens).toEqual({ SIGSTORE_ID_TOKEN: { aud: 'sigstore' } });
    expect(publish.variables).toEqual({ IMAGE: '$CI_REGISTRY_IMAGE' });
    expect(script(publish, 'before_script')).toContain(
      'echo "$CI_REGISTRY_PASSWORD" | docker login --username "$CI_REGISTRY_USER" --password-stdin "$CI_REGISTRY"',
    );
    const commands = script(publish);
    expect(commands).toContain('docker run --rm --privileged tonistiigi/binfmt:qemu-v10.2.3 --install arm64');
    expect(commands).toMatch(/docker buildx build \\\n\s+--platform linux\/amd64,linux\/arm64 \\/);
    expect(commands).toMatch(/--provenance mode=max --sbom true \\\n\s+--metadata-file build.json --push \./);
    expect(commands).toContain('cosign sign --yes --recursive "$IMAGE@$DIGEST"');
    expect(commands).toMatch(
      /cosign verify "\$IMAGE@\$DIGEST" \\\n\s+--certificate-identity "\$CI_PROJECT_URL\/\/\$CI_CONFIG_PATH@\$REF" \\\n\s+--certificate-oidc-issuer "\$CI_SERVER_URL"/,
    );
    // Only the publish job can get an OIDC token or registry writes.
    expect(
      Object.entries(ci)
        .filter(([, job]) => (job as Yaml)?.id_tokens)
        .map(([name]) => name),
    ).toEqual(['publish']);
  });

  it('says in its comments where GitLab cannot do what the GitHub workflow does', () => {
    expect(text).toMatch(/Keyless signing with the public Sigstore works from GitLab\.com only/);
    expect(text).toMatch(/cosign sign --key env:\/\/COSIGN_PRIVATE_KEY/);
  });
});

describe('gitlab-ci-local', () => {
  const lines = NODE_LINES.map((node) => ({ node, text: rendered({ name: 'gl', node }).text }));

  it.each(lines)('passes GitLab schema with Node $node', ({ text }) => {
    expect(pipelineJobs(committed(text), {}, { schema: true })).toEqual(['unit', 'container', 'publish']);
  });

  it('runs publish only on the default branch and v* tags', () => {
    // The Node line changes the image and nothing else, so the rules are evaluated once.
    const [first, ...others] = lines;
    const imageless = (text: string) => text.replaceAll(/node:\d+-bookworm-slim/g, 'node:N');
    for (const { text } of others) expect(imageless(text)).toBe(imageless(first!.text));
    const cwd = committed(first!.text);
    expect(pipelineJobs(cwd, { CI_COMMIT_BRANCH: 'feature' })).toEqual(['unit', 'container']);
    expect(pipelineJobs(cwd, { CI_PIPELINE_SOURCE: 'merge_request_event', CI_COMMIT_BRANCH: '' })).toEqual(['unit', 'container']);
    expect(pipelineJobs(cwd, { CI_COMMIT_BRANCH: '', CI_COMMIT_TAG: 'v1.2.3' })).toEqual(['unit', 'container', 'publish']);
    // A tag that is not a release publishes nothing. (gitlab-ci-local's list leaves out
    // workflow:rules, which GitLab applies first: there, such a tag starts no pipeline.)
    expect(pipelineJobs(cwd, { CI_COMMIT_BRANCH: '', CI_COMMIT_TAG: 'nightly' })).toEqual(['unit', 'container']);
  });
});

describe('the gitlab-ci-local check', () => {
  it('fails a pipeline that breaks GitLab schema (in a project the generator really wrote, with the file the render gives)', async () => {
    const { cwd } = await generate({ name: 'gl-broken' });
    const file = path.join(cwd, '.gitlab-ci.yml');
    expect(readFileSync(file, 'utf8')).toBe(rendered({ name: 'gl-broken' }).text);
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace(
        '  stage: test\n  extends: .npm\n',
        '  stage: test\n  extends: .npm\n  timeout: soon\n  not-a-key: true\n',
      ),
    );
    commitProject(cwd);
    expect(() => pipelineJobs(cwd, {}, { schema: true })).toThrow(/'not-a-key' property is not expected to be here at unit/);
  });
});

describe.each([
  {
    pm: 'pnpm',
    global: `npm install --global pnpm@${PNPM_VERSION}`,
    install: 'pnpm install --frozen-lockfile --store-dir .pnpm-store',
    cache: '.pnpm-store/',
    lock: 'pnpm-lock.yaml',
  },
  {
    pm: 'yarn',
    global: `npm install --global @yarnpkg/cli-dist@${YARN_VERSION}`,
    install: 'yarn install --immutable',
    cache: '.yarn/cache/',
    lock: 'yarn.lock',
  },
])('.gitlab-ci.yml with --package-manager $pm', ({ pm, global, install, cache, lock }) => {
  let ci: Yaml;

  beforeAll(() => {
    const { text } = rendered({ name: `gl-${pm}`, 'package-manager': pm });
    expect(text).not.toMatch(/<%|%>|undefined|\[object Object\]/);
    ci = parseCi(text);
  });

  it('installs the pinned manager from npm, then exactly the lockfile, with its store cached in the project', () => {
    const base = ci[`.${pm}`];
    expect(base.before_script).toEqual([global, install]);
    expect(base.cache).toEqual({ key: { files: [lock] }, paths: [cache] });
    expect(ci.unit).toMatchObject({
      extends: `.${pm}`,
      script: [`${pm} run typecheck`, `${pm} run lint`, `${pm} run lint:openapi`, `${pm} run test:unit`],
    });
    expect(ci.container).toMatchObject({ extends: [`.${pm}`, '.dind'], script: [`${pm} run test:container`] });
    expect(ci.container.before_script.at(-1)).toEqual([`.${pm}`, 'before_script']);
  });
});
