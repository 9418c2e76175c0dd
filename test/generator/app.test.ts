import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import helpers, { result } from '../support/yeoman.js';
import type ContainerApiGenerator from '../../generators/app/index.js';
import { DOCKER_GENERATOR_PATH, GENERATOR_PATH } from '../support/paths.js';

const KEY = 'generator-container-api';

function readJson(file: string): Record<string, any> {
  return JSON.parse(readFileSync(file, 'utf8'));
}

/** A generator run as a user would start it: yeoman-test itself defaults to --force. */
function run() {
  return helpers.run<ContainerApiGenerator>(GENERATOR_PATH).withOptions({ skipInstall: true, force: false });
}

describe('container-api generator: defaults', () => {
  beforeAll(async () => {
    await run().withOptions({ yes: true, interactive: false });
  });

  it('writes the project with dotfiles renamed', () => {
    result.assertFile(['package.json', '.gitignore', 'tsconfig.json', 'src/server.ts', 'Dockerfile', '.dockerignore']);
    result.assertNoFile(['_gitignore', '_dockerignore']);
  });

  it('renders the model into package.json', () => {
    const pkg = readJson(path.join(result.cwd, 'package.json'));
    expect(pkg.name).toBe(
      path
        .basename(result.cwd)
        .toLowerCase()
        .replace(/[^a-z0-9._~-]+/g, '-'),
    );
    expect(pkg.type).toBe('module');
    expect(pkg.engines.node).toBe('>=24');
    expect(pkg.scripts.test).toContain('test:container');
  });

  it('stores every answer in .yo-rc.json', () => {
    const stored = readJson(path.join(result.cwd, '.yo-rc.json'))[KEY][':app'].answers;
    expect(stored).toMatchObject({
      port: 3000,
      node: '24',
      runtime: 'slim',
      persistence: 'sqlite',
      auth: 'token',
      ci: 'github',
      workshop: true,
    });
    expect(typeof stored.name).toBe('string');
  });

  it('writes a random API token that git ignores', () => {
    const token = readFileSync(path.join(result.cwd, 'secrets/api_token'), 'utf8');
    expect(statSync(path.join(result.cwd, 'secrets')).mode & 0o777).toBe(0o700);
    expect(token).toMatch(/^[0-9a-f]{64}$/);
    expect(readFileSync(path.join(result.cwd, '.gitignore'), 'utf8')).toMatch(/^secrets\/$/m);
  });
});

describe('container-api generator: answers', () => {
  it('takes flags first and stores them', async () => {
    await run().withArguments(['orders']).withOptions({ name: '@acme/orders', port: '8088', yes: true, interactive: false });
    const project = path.join(result.cwd, 'orders');
    expect(readJson(path.join(project, 'package.json')).name).toBe('@acme/orders');
    expect(readJson(path.join(project, '.yo-rc.json'))[KEY][':app'].answers).toMatchObject({ name: '@acme/orders', port: 8088 });
  });

  it('asks in a terminal what the flags leave open', async () => {
    await run()
      .withOptions({ port: '4000', interactive: true })
      .withAnswers({ name: 'asked-api', node: '26', runtime: 'distroless', workshop: false });
    const stored = readJson(path.join(result.cwd, '.yo-rc.json'))[KEY][':app'].answers;
    expect(stored).toMatchObject({ name: 'asked-api', port: 4000, node: '26', runtime: 'distroless', workshop: false });
    expect(result.askedQuestions.map((q) => q.name)).not.toContain('port');
    result.assertNoFile(['WORKSHOP.md', 'INSTRUCTOR.md', 'SLIDES.md', 'workshop/check', 'workshop/hello/app.js']);
  });

  it('fails without a terminal, naming the flag a question needs', async () => {
    await expect(run().withOptions({ name: 'x', interactive: false })).rejects.toThrow(
      'No terminal to ask "One-line description": pass --description <text>, or --yes to take the defaults.',
    );
  });

  it.each([
    [{ port: '70000' }, '--port "70000" is not allowed'],
    [{ name: 'Not Valid' }, '--name "Not Valid" is not a valid npm package name'],
    [{ runtime: 'alpine' }, 'use one of slim, distroless'],
  ])('rejects %j and writes nothing', async (options, message) => {
    let dir = '';
    await expect(
      run()
        .inTmpDir((tmp) => (dir = tmp))
        .withOptions({ ...options, yes: true, interactive: false }),
    ).rejects.toThrow(message);
    expect(existsSync(path.join(dir, 'package.json'))).toBe(false);
    expect(existsSync(path.join(dir, '.yo-rc.json'))).toBe(false);
  });
});

describe('container-api generator: options change what is written', () => {
  it('leaves out the volume, the secret, CI and the guide when not wanted', async () => {
    await run().withOptions({
      yes: true,
      interactive: false,
      persistence: 'none',
      auth: 'none',
      ci: 'none',
      workshop: false,
    });
    result.assertNoFile(['secrets/api_token', '.github/workflows/ci.yml', 'WORKSHOP.md', 'src/items/sqlite-store.ts']);
    result.assertFile('src/items/memory-store.ts');
    result.assertNoFileContent('compose.yaml', /volumes:/);
    result.assertNoFileContent('compose.yaml', /secrets:/);
  });
});

describe('container-api generator: target directory and re-runs', () => {
  it('refuses a non-empty directory it did not make', async () => {
    let dir = '';
    await expect(
      run()
        .inTmpDir((tmp) => {
          dir = tmp;
          writeFileSync(path.join(tmp, 'notes.txt'), 'mine');
        })
        .withOptions({ yes: true, interactive: false }),
    ).rejects.toThrow(/is not empty \(notes\.txt\)\. .*pass --force/);
    expect(readFileSync(path.join(dir, 'notes.txt'), 'utf8')).toBe('mine');
    expect(existsSync(path.join(dir, 'package.json'))).toBe(false);
  });

  it('writes into a non-empty directory with --force, keeping unrelated files', async () => {
    await run()
      .inTmpDir((tmp) => writeFileSync(path.join(tmp, 'notes.txt'), 'mine'))
      .withOptions({ yes: true, force: true, interactive: false });
    result.assertFileContent('notes.txt', 'mine');
    result.assertFile('package.json');
  });

  describe('in a project it made', () => {
    let project = '';
    let token = '';

    beforeEach(async () => {
      // A directory of our own: yeoman-test removes its temporary ones on the next run.
      project = mkdtempSync(path.join(os.tmpdir(), 'rerun-'));
      await run().cd(project).withOptions({ yes: true, port: '8123', interactive: false });
      token = readFileSync(path.join(project, 'secrets/api_token'), 'utf8');
    });

    afterEach(() => rmSync(project, { recursive: true, force: true }));

    function rerun(options: Record<string, unknown> = {}) {
      return run()
        .cd(project)
        .withOptions({ interactive: false, ...options });
    }

    it('reads stored answers instead of asking, and keeps the token', async () => {
      await rerun();
      expect(result.askedQuestions).toEqual([]);
      expect(readJson(path.join(project, '.yo-rc.json'))[KEY][':app'].answers.port).toBe(8123);
      expect(readFileSync(path.join(project, 'secrets/api_token'), 'utf8')).toBe(token);
    });

    it('lists files the user changed and writes nothing without --force', async () => {
      const readme = path.join(project, 'README.md');
      writeFileSync(readme, '# my own notes\n');
      await expect(rerun()).rejects.toThrow('These files differ from what the generator would write: README.md. Nothing was written.');
      expect(readFileSync(readme, 'utf8')).toBe('# my own notes\n');
    });

    it('lists every file a changed answer would rewrite, and keeps the stored answers', async () => {
      await expect(rerun({ port: '9000' })).rejects.toThrow(/differ from what the generator would write: .*Dockerfile.*compose\.yaml/);
      expect(readJson(path.join(project, '.yo-rc.json'))[KEY][':app'].answers.port).toBe(8123);
    });

    it('overwrites changed files with --force', async () => {
      const readme = path.join(project, 'README.md');
      writeFileSync(readme, '# my own notes\n');
      await rerun({ force: true });
      expect(readFileSync(readme, 'utf8')).not.toBe('# my own notes\n');
    });
  });
});

describe('container-api:docker, the shared container layer', () => {
  it('is composed by the app: its files are written with the rest, from the same answers', async () => {
    await run().withOptions({ yes: true, interactive: false, port: '8123', name: '@acme/orders.api' });
    result.assertFileContent('Dockerfile', /^EXPOSE 8123 9464$/m);
    result.assertFileContent('compose.yaml', /image: \$\{API_IMAGE:-orders-api:latest\}/);
    result.assertFileContent('test/container/support/project.ts', "export const SLUG = 'orders-api';");
  });

  it('without a container model, containerizes the project in the folder, and refuses a folder with none', async () => {
    await expect(helpers.run(DOCKER_GENERATOR_PATH)).rejects.toThrow('has no package.json: run this in the folder of the Node.js project');
  });
});
