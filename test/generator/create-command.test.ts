/**
 * The generated README's "How this project was made" names the command that wrote the project.
 * The proof that it does: run that command, as the README spells it, in an empty folder, and
 * it stores the same answers as the run that wrote the README.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'shell-quote';
import { generate } from '../support/generate.js';

let work = '';
beforeAll(() => (work = mkdtempSync(path.join(os.tmpdir(), 'create-command-'))));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function answersIn(project: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path.join(project, '.yo-rc.json'), 'utf8'))['generator-container-api'][':app'].answers;
}

/** The command in the README's fenced block under "How this project was made". */
function readmeCommand(project: string): string {
  const readme = readFileSync(path.join(project, 'README.md'), 'utf8');
  const command = /^## How this project was made\n\n```sh\n(.+)\n```$/m.exec(readme)?.[1];
  if (!command) throw new Error(`no create command under "How this project was made" in ${project}/README.md`);
  return command;
}

describe.each([
  { label: 'the defaults', folder: 'my-api', flags: [], expected: 'npm create container-api@latest my-api -- --yes' },
  {
    label: 'every kind of answer changed',
    folder: 'somewhere',
    flags: [
      '--name',
      '@acme/orders',
      '--description',
      "Bob's orders, kept",
      '--port',
      '8081',
      '--node',
      '22',
      '--persistence',
      'none',
      '--no-workshop',
      '--k8s',
      '--package-manager',
      'pnpm',
    ],
    expected:
      'npm create container-api@latest orders -- --yes --name @acme/orders --description "Bob\'s orders, kept" --port 8081 --node 22 --persistence none --no-workshop --k8s --package-manager pnpm',
  },
])('with $label', ({ folder, flags, expected }) => {
  it('names the command that wrote it, and that command makes the same answers', () => {
    const first = path.join(mkdtempSync(path.join(work, 'first-')), folder);
    generate(first, ['--yes', '--skip-install', ...flags], { cwd: path.dirname(first) });
    const command = readmeCommand(first);
    expect(command).toBe(expected);

    // npm create container-api@latest <folder> -- <args> runs create-container-api <folder> <args>.
    const words = parse(command).map(String);
    expect(words.slice(0, 3)).toEqual(['npm', 'create', 'container-api@latest']);
    const [target = '', separator, ...args] = words.slice(3);
    expect(separator).toBe('--');
    const again = mkdtempSync(path.join(work, 'again-'));
    generate(target, [...args, '--skip-install'], { cwd: again });
    expect(answersIn(path.join(again, target))).toEqual(answersIn(first));
  });
});
