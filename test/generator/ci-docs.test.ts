/**
 * What comes with each `--ci` choice besides the pipeline itself: the Renovate config (and
 * the Dockerfile form it can read), and the README, WORKSHOP and DEPLOY text, which must
 * describe the CI that was chosen and no other.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import JSON5 from 'json5';
import helpers from '../support/yeoman.js';
import type ContainerApiGenerator from '../../generators/app/index.js';
import { CI_PROVIDERS, type CiProvider } from '../../generators/app/project.js';
import { RUNTIMES } from '../../generators/container/node.js';
import { GENERATOR_PATH } from '../support/paths.js';

interface PackageRule {
  matchManagers?: string[];
  matchDatasources?: string[];
  matchPackageNames?: string[];
  matchUpdateTypes?: string[];
  groupName?: string;
  pinDigests?: boolean;
  enabled?: boolean;
}

interface RenovateConfig {
  extends: string[];
  schedule: string[];
  packageRules: PackageRule[];
  customManagers?: { customType: string; managerFilePatterns: string[]; matchStrings: string[]; datasourceTemplate: string }[];
}

const CASES = CI_PROVIDERS.flatMap((ci) => RUNTIMES.map((runtime) => ({ ci, runtime, node: runtime === 'slim' ? '26' : '22' })));

describe.each(CASES)('--ci $ci, --runtime $runtime', ({ ci, runtime, node }) => {
  let cwd = '';
  const read = (file: string) => readFileSync(path.join(cwd, file), 'utf8');
  const other: Record<CiProvider, string[]> = {
    github: ['.gitlab-ci.yml', 'GitLab CI'],
    gitlab: ['.github/workflows/ci.yml', 'GitHub Actions'],
    none: ['.gitlab-ci.yml', '.github/workflows/ci.yml', 'cosign verify'],
  };

  beforeAll(async () => {
    const run = await helpers
      .run<ContainerApiGenerator>(GENERATOR_PATH)
      .withOptions({ skipInstall: true, yes: true, interactive: false, name: `docs-${ci}`, ci, runtime, node });
    cwd = run.cwd;
  });

  it('names its base images in literal ARG defaults, the form Renovate follows into FROM', () => {
    const dockerfile = read('Dockerfile');
    const build = `node:${node}-bookworm-slim`;
    const runtimeImage = runtime === 'distroless' ? `gcr.io/distroless/nodejs${node}-debian12:nonroot` : build;
    expect(dockerfile).toMatch(new RegExp(`^ARG BUILD_IMAGE=${build}$`, 'm'));
    expect(dockerfile).toContain(`\nARG RUNTIME_IMAGE=${runtimeImage}\n`);
    // deps and prod-deps on the build image, build and dev (never shipped) on deps, runtime on its own.
    expect(dockerfile.match(/^FROM \S+/gm)).toEqual([
      'FROM ${BUILD_IMAGE}',
      'FROM deps',
      'FROM deps',
      'FROM ${BUILD_IMAGE}',
      'FROM ${RUNTIME_IMAGE}',
    ]);
    expect(dockerfile).not.toMatch(/^ARG \w+=.*\$\{/m);
  });

  it('has a Renovate config: weekly, npm grouped, base images pinned to digests, the CI pins for its CI', () => {
    const text = read('renovate.json5');
    const config = JSON5.parse(text) as RenovateConfig;
    expect(config.extends).toEqual(['config:recommended']);
    // One weekday, once a week: minute, hour, day of month, month, day of week.
    expect(config.schedule).toEqual(['* 0-5 * * 1']);
    const rule = (match: (r: PackageRule) => boolean) => config.packageRules.filter(match);
    expect(rule((r) => r.matchManagers?.includes('npm') ?? false)).toEqual([
      { matchManagers: ['npm'], matchUpdateTypes: ['minor', 'patch'], groupName: 'npm dependencies' },
    ]);
    expect(rule((r) => r.matchDatasources?.includes('docker') === true && r.pinDigests === true)).toHaveLength(1);
    expect(rule((r) => r.matchPackageNames?.includes('node') === true)).toEqual([
      expect.objectContaining({ matchUpdateTypes: ['major'], enabled: false }),
    ]);
    expect(rule((r) => r.matchManagers?.includes('github-actions') ?? false)).toHaveLength(ci === 'github' ? 1 : 0);
    expect(rule((r) => r.matchManagers?.includes('gitlabci') ?? false)).toHaveLength(ci === 'gitlab' ? 1 : 0);
    // The digest trade-off is stated here, once, and the Dockerfile points here.
    const prose = text.replace(/\s*\/\/\s*/g, ' ');
    expect(prose).toContain('the price is that a fix reaches the image only when that pull request is merged');
    expect(read('Dockerfile')).toContain('renovate.json5 says when to pin them to a digest, and what that costs');
    if (ci === 'gitlab') {
      // The custom manager's pattern, as Renovate reads it, finds the dind image in .gitlab-ci.yml.
      const [manager] = config.customManagers!;
      const filePattern = manager!.managerFilePatterns[0]!.slice(1, -1);
      expect(new RegExp(filePattern).test('.gitlab-ci.yml')).toBe(true);
      const match = new RegExp(manager!.matchStrings[0]!).exec(read('.gitlab-ci.yml'));
      expect(match?.groups).toEqual({ depName: 'docker', currentValue: '29-dind' });
    } else {
      expect(config.customManagers).toBeUndefined();
    }
  });

  it('describes the chosen CI in README, WORKSHOP and DEPLOY, and no other', () => {
    const readme = read('README.md');
    const workshop = read('WORKSHOP.md');
    const deploy = read('DEPLOY.md');
    for (const text of [readme, workshop]) for (const word of other[ci]) expect(text).not.toContain(word);
    const section = workshop.slice(workshop.indexOf('## 10. CI'), workshop.indexOf('## Clean up'));
    if (ci === 'none') {
      expect(section).toContain('This project was generated without CI (`--ci none`)');
      expect(deploy).toContain('This project was generated without CI (`--ci none`), so nothing signs its images.');
      return;
    }
    const file = ci === 'github' ? '.github/workflows/ci.yml' : '.gitlab-ci.yml';
    const issuer = ci === 'github' ? 'https://token.actions.githubusercontent.com' : 'https://gitlab.com';
    expect(section).toContain(`This project's CI is ${ci === 'github' ? 'GitHub Actions' : 'GitLab CI'}, in \`${file}\``);
    expect(readme).toContain(`\`${file}\``);
    // The documented verify command pins both the identity and the issuer.
    const verify = readme.slice(readme.indexOf('### Verify the image'));
    expect(verify).toMatch(
      new RegExp(
        `cosign verify \\S+:main \\\\\\n\\s+--certificate-identity-regexp '\\^https://\\S+\\$' \\\\\\n\\s+--certificate-oidc-issuer ${issuer}\\n`,
      ),
    );
    expect(deploy).toContain(`--certificate-oidc-issuer ${issuer} >/dev/null &&`);
    expect(deploy).toContain(`- issuer: ${issuer}`);
    // The identity in the README, DEPLOY's compose check and its cluster policy is one pattern.
    const identities = new Set([...`${readme}\n${deploy}`.matchAll(/(?:identity-regexp |subjectRegExp: )'([^']+)'/g)].map((m) => m[1]!));
    expect(identities.size).toBe(1);
    const identity = [...identities][0]!;
    const example =
      ci === 'github'
        ? 'https://github.com/<owner>/<repo>/.github/workflows/ci.yml@refs/tags/v1.2.0'
        : 'https://gitlab.com/<group>/<project>//.gitlab-ci.yml@refs/heads/main';
    expect(new RegExp(identity).test(example)).toBe(true);
    expect(new RegExp(identity).test(example.replace(/refs\/.*/, 'refs/heads/feature'))).toBe(false);
  });
});
