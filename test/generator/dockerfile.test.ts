/**
 * Every Dockerfile the options can produce passes a public Dockerfile linter, dockerfile-utils
 * (the checks behind VS Code's Docker support), with every optional rule raised to an error.
 * hadolint ships as a binary that cannot be installed here, and BuildKit's own
 * `docker build --check` needs buildx 0.15 or later (Debian 13 packages 0.13).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { validate, ValidationSeverity, type ValidatorSettings } from 'dockerfile-utils';
import helpers, { result } from '../support/yeoman.js';
import { PERSISTENCE } from '../../generators/app/project.js';
import { NODE_LINES, RUNTIMES } from '../../generators/container/node.js';
import { PACKAGE_MANAGERS } from '../../generators/container/package-managers.js';
import type ContainerApiGenerator from '../../generators/app/index.js';
import { GENERATOR_PATH } from '../support/paths.js';
import { answersWith, renderProject } from '../support/render.js';

const STRICT: ValidatorSettings = Object.fromEntries(
  [
    'deprecatedMaintainer',
    'directiveCasing',
    'emptyContinuationLine',
    'instructionCasing',
    'instructionCmdMultiple',
    'instructionEntrypointMultiple',
    'instructionHealthcheckMultiple',
    'instructionJSONInSingleQuotes',
    'instructionWorkdirRelative',
  ].map((rule) => [rule, ValidationSeverity.ERROR]),
);

/** One line per problem: line number, then the linter's message. */
function lint(dockerfile: string): string[] {
  return validate(dockerfile, STRICT).map((problem) => `${problem.range.start.line + 1}: ${problem.message}`);
}

const VARIANTS = NODE_LINES.flatMap((node) =>
  RUNTIMES.flatMap((runtime) => PERSISTENCE.flatMap((persistence) => PACKAGE_MANAGERS.map((pm) => ({ node, runtime, persistence, pm })))),
);

/** The Dockerfile `--yes` writes with these flags, rendered in memory (test/support/render.ts). */
const dockerfileFor = (flags: Record<string, unknown>) => renderProject(answersWith(flags), (file) => file === 'Dockerfile')[0]!.text;

describe.each(VARIANTS)(
  'the Dockerfile for --node $node --runtime $runtime --persistence $persistence --package-manager $pm',
  ({ pm, ...variant }) => {
    it('has nothing for the linter to report', () => {
      expect(lint(dockerfileFor({ ...variant, 'package-manager': pm }))).toEqual([]);
    });
  },
);

describe('the Dockerfile a real run writes', () => {
  it('is the one rendered in memory for the same flags', async () => {
    const flags = { node: '22', runtime: 'distroless', persistence: 'postgres', 'package-manager': 'pnpm' };
    await helpers.run<ContainerApiGenerator>(GENERATOR_PATH).withOptions({ yes: true, skipInstall: true, interactive: false, ...flags });
    expect(readFileSync(path.join(result.cwd, 'Dockerfile'), 'utf8')).toBe(dockerfileFor({ ...flags, name: path.basename(result.cwd) }));
  });
});

describe('the linter', () => {
  it('reports the mistakes it is there for', () => {
    const broken =
      'FROM node:24-bookworm-slim\nworkdir app\nHEALTHCHECK --start-intervals=1s CMD ["node", "x.js"]\nEXPOSE http\nCMD [\'node\']\n';
    expect(lint(broken)).toEqual([
      '2: Instructions should be written in uppercase letters',
      '2: WORKDIR paths should be absolute',
      '3: Unknown flag: start-intervals',
      '4: Invalid containerPort: http',
      '5: Instruction written as a JSON array but is using single quotes instead of double quotes',
    ]);
  });
});
