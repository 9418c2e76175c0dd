/**
 * The generated .gitlab-ci.yml, run: gitlab-ci-local (GitLab CI's job runner, locally)
 * executes its test stage, `unit` and `container`, on this machine's Docker engine.
 *
 * How it runs here. No registry is reachable, so neither the job image (node) nor the
 * docker:dind service can be pulled. gitlab-ci-local's shell executor runs each job's
 * script on this host instead, which has the same Node line, the Docker CLI with buildx and
 * compose, and an engine. Variables given on the command line stand in for the runner:
 * DIND_IMAGE empty (the pipeline then starts no dind service), DOCKER_HOST at the host's
 * engine without TLS, Testcontainers reaching mapped ports on localhost. Every command of
 * the two jobs runs as written, the Docker CLI install included (it finds docker present).
 *
 * Why `publish` does not run, which the last test checks: keyless signing needs the OIDC
 * token GitLab's server issues to the job, and its images (docker:29-cli, docker:29-dind,
 * tonistiigi/binfmt) are not on the engine; here no registry can be reached to pull them, nor
 * a GitLab registry to push to, nor Sigstore's Fulcio and Rekor.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { CLI_PATH } from '../support/paths.js';
import { MINUTES, run } from '../support/run.js';

const GITLAB_CI_LOCAL = createRequire(import.meta.url).resolve('gitlab-ci-local/dist/index.js');
const PUBLISH_IMAGES = ['docker:29-cli', 'docker:29-dind', 'tonistiigi/binfmt:qemu-v10.2.3'];

let work = '';
let project = '';
beforeAll(() => (work = mkdtempSync(path.join(os.tmpdir(), 'gitlab-ci-'))));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function git(...args: string[]): void {
  run('git', ['-c', 'user.email=ci@example.com', '-c', 'user.name=ci', ...args], { cwd: project });
}

function gitlabCiLocal(args: string[], timeout = 2 * MINUTES) {
  return run(process.execPath, [GITLAB_CI_LOCAL, ...args], { cwd: project, timeout });
}

describe('a --ci gitlab project, its pipeline run by gitlab-ci-local', () => {
  it(
    'is generated, installed and committed on main',
    () => {
      project = path.join(work, 'gl-api');
      run(process.execPath, [CLI_PATH, project, '--yes', '--ci', 'gitlab', '--name', 'gl-e2e-api', '--skip-git'], {
        cwd: work,
        timeout: 10 * MINUTES,
      });
      git('init', '-q', '-b', 'main');
      git('add', '-A');
      git('commit', '-q', '-m', 'generated');
      git('remote', 'add', 'origin', 'https://gitlab.example.com/acme/gl-api.git');
      git('update-ref', 'refs/remotes/origin/main', 'HEAD');
      git('symbolic-ref', 'refs/remotes/origin/HEAD', 'refs/remotes/origin/main');
      const jobs = gitlabCiLocal(['--list-csv'])
        .stdout.split('\n')
        .slice(1)
        .map((l) => l.split(';')[0]);
      expect(jobs).toEqual(['unit', 'container', 'publish']);
    },
    11 * MINUTES,
  );

  it(
    'runs the test stage: type-check and unit tests, then the container tests on the engine',
    () => {
      const { output } = gitlabCiLocal(
        [
          '--force-shell-executor',
          // One job at a time: with the shell executor both would `npm ci` in the same folder.
          '--concurrency',
          '1',
          '--variable',
          'DIND_IMAGE=',
          '--variable',
          'DOCKER_HOST=unix:///var/run/docker.sock',
          '--variable',
          'TESTCONTAINERS_HOST_OVERRIDE=localhost',
          '--unset-variable',
          'DOCKER_TLS_VERIFY',
          '--unset-variable',
          'DOCKER_CERT_PATH',
          'unit',
          'container',
        ],
        25 * MINUTES,
      );
      const ran = [...output.matchAll(/^(\w+)\s+starting shell \(test\)$/gm)].map((m) => m[1]);
      expect(ran.sort()).toEqual(['container', 'unit']);
      expect(output).toMatch(/^unit\s+> Tests:\s+(?:\d+ skipped, )?\d+ passed, \d+ total$/m);
      // Jest adds the suite's time to the line when it ran slowly ("image.test.ts (63.567 s)").
      expect(output).toMatch(/^container\s+> PASS container test\/container\/image\.test\.ts(?: \([\d.]+ m?s\))?$/m);
      expect(output).toMatch(/^container\s+> Tests:\s+(?:\d+ skipped, )?\d+ passed, \d+ total$/m);
      expect(output).toMatch(/^ PASS\s+unit\s*$/m);
      expect(output).toMatch(/^ PASS\s+container\s*$/m);
      expect(output).not.toMatch(/FAIL/);
      expect(output).not.toMatch(/publish\s+starting/);
    },
    26 * MINUTES,
  );

  it('leaves publish out, for reasons that hold wherever this runs: a GitLab-issued OIDC token, and images not on the engine', () => {
    // Keyless signing needs the token GitLab's server issues to the job (id_tokens); a local
    // runner has no GitLab to issue it.
    const ci = readFileSync(path.join(project, '.gitlab-ci.yml'), 'utf8');
    expect(ci).toMatch(/^publish:\n(?: {2}.*\n|\n)*? {2}id_tokens:\n {4}SIGSTORE_ID_TOKEN:\n {6}aud: sigstore\n/m);
    // And its job and service images are not on this engine (here, no registry can be reached
    // to pull them either).
    for (const image of PUBLISH_IMAGES) {
      expect(`${image}: ${run('docker', ['image', 'inspect', image], { allowFail: true }).ok ? 'present' : 'absent'}`).toBe(
        `${image}: absent`,
      );
    }
  });
});
