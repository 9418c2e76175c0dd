/**
 * Claims about the image itself: how it is built and what it holds.
 */
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { BuildError, buildImage, docker, inspect, runDocker } from './support/docker.ts';
import {
  APP_UID,
  BUILD_LOG,
  METRICS_PORT,
  PACKAGE,
  PORT,
  ROOT,
  TEST_IMAGE,
  WORK_DIR,
  PROJECT_TOKEN_FILE,
} from './support/project.ts';
import { contentOf, readTar } from './support/tar.ts';

interface ImageInspect {
  Id: string;
  Size: number;
  Config: {
    User: string;
    Env: string[];
    Cmd: string[] | null;
    Entrypoint: string[] | null;
    Healthcheck?: { Test: string[] };
    ExposedPorts?: Record<string, object>;
    Volumes?: Record<string, object> | null;
  };
}

/** Every path in the image's final filesystem, as `docker export` of a new container shows it. */
async function imageFiles(): Promise<Map<string, Buffer>> {
  const id = (await docker(['create', TEST_IMAGE])).trim();
  const archive = path.join(WORK_DIR, 'export.tar');
  try {
    await docker(['export', '--output', archive, id]);
  } finally {
    await runDocker(['rm', '--volumes', id]);
  }
  const files = new Map<string, Buffer>();
  for await (const entry of readTar(archive)) files.set(entry.path.replace(/\/$/, ''), entry.data);
  rmSync(archive);
  return files;
}

describe('the image', () => {
  test('builds with BuildKit, from the lockfile, with cache and secret mounts', async () => {
    const log = readFileSync(BUILD_LOG, 'utf8');
    // Cache and secret mounts exist only in BuildKit; the classic builder rejects them.
    expect(log).toMatch(/\[deps \d+\/\d+\] RUN --mount=type=cache,target=\/root\/\.npm\s+--mount=type=secret,id=npmrc/);
    expect(log).toMatch(/\[prod-deps \d+\/\d+\] RUN .*npm ci --omit=dev --no-audit --no-fund/);
    const image = await inspect<ImageInspect>('image', TEST_IMAGE);
    expect(image.Id).toMatch(/^sha256:/);
    process.stdout.write(`image ${TEST_IMAGE}: ${(image.Size / 1e6).toFixed(0)} MB\n`);
  });

  test("a broken build fails, and the failure shows the daemon's own output", async () => {
    // A copy of the build context with a type error in it; the project is left alone.
    const context = mkdtempSync(path.join(WORK_DIR, 'broken-'));
    try {
      const skip = new Set(['node_modules', 'dist', 'coverage', 'data', 'secrets', '.git']);
      cpSync(ROOT, context, {
        recursive: true,
        filter: (source) => !skip.has(path.relative(ROOT, source).split(path.sep)[0] ?? ''),
      });
      appendFileSync(
        path.join(context, 'src', 'server.ts'),
        "\nexport const brokenOnPurpose: number = 'not a number';\n",
      );

      const failure = await buildImage({ context, target: 'build' }).then(
        () => undefined,
        (error: unknown) => error,
      );

      expect(failure).toBeInstanceOf(BuildError);
      const message = (failure as BuildError).message;
      expect(message).toContain('npm run build'); // the step that failed
      expect(message).toMatch(/error TS2322/); // the compiler's own words, from inside the build
      expect(message).toMatch(/exit code: 2/); // BuildKit's verdict
    } finally {
      rmSync(context, { recursive: true, force: true });
    }
  });

  test('runs a numeric non-root user, with exec-form CMD and HEALTHCHECK', async () => {
    const { Config } = await inspect<ImageInspect>('image', TEST_IMAGE);
    expect(Config.User).toBe(String(APP_UID));
    expect(Config.Env).toContain('NODE_ENV=production');
    expect(Object.keys(Config.ExposedPorts ?? {})).toEqual([`${PORT}/tcp`, `${METRICS_PORT}/tcp`]);
    expect(Config.Cmd).toEqual(['node', 'dist/server.js']);
    expect(Config.Healthcheck?.Test).toEqual(['CMD', 'node', 'dist/healthcheck.js']);
    expect(Object.keys(Config.Volumes ?? {})).toEqual(['/app/data']);
  });

  test("the API token's value appears nowhere: not in history, config, environment or any layer", async () => {
    // secrets/api_token sits in the build context directory; .dockerignore must keep it out.
    const token = readFileSync(PROJECT_TOKEN_FILE, 'utf8').trim();
    expect(token.length).toBeGreaterThanOrEqual(16);

    expect(await docker(['history', '--no-trunc', TEST_IMAGE])).not.toContain(token);
    expect(await docker(['image', 'inspect', TEST_IMAGE])).not.toContain(token);

    // `docker save` holds the config (environment, history) and every layer as a tar.
    const archive = path.join(WORK_DIR, 'save.tar');
    await docker(['save', '--output', archive, TEST_IMAGE]);
    try {
      const needle = Buffer.from(token);
      const leaks: string[] = [];
      let layers = 0;
      for await (const entry of readTar(archive)) {
        const content = contentOf(entry);
        if (content.includes(needle)) leaks.push(entry.path);
        // Layers are tars themselves ("<id>/layer.tar", or "blobs/sha256/<digest>" in OCI layout).
        if (content.subarray(257, 262).toString('latin1') !== 'ustar') continue;
        layers += 1;
        for await (const file of readTar(content))
          if (/(^|\/)secrets\//.test(file.path)) leaks.push(`${entry.path}: ${file.path}`);
      }
      expect(layers).toBeGreaterThan(0);
      expect(leaks).toEqual([]);
    } finally {
      rmSync(archive, { force: true });
    }
  });

  test('holds no devDependencies, no TypeScript sources, no tests and no npm cache', async () => {
    const files = await imageFiles();
    const paths = [...files.keys()];
    expect(files.has('app/dist/server.js')).toBe(true);
    expect(files.has('app/node_modules/express/package.json')).toBe(true);

    // Every package the lockfile marks as dev-only, and every declared devDependency.
    const lock = JSON.parse(readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { dev?: boolean }>;
    };
    const devOnly = Object.entries(lock.packages)
      .filter(([, info]) => info.dev === true)
      .map(([location]) => location);
    for (const name of Object.keys(PACKAGE.devDependencies ?? {})) devOnly.push(`node_modules/${name}`);
    expect(devOnly.length).toBeGreaterThan(0);
    expect(devOnly.filter((location) => files.has(`app/${location}`))).toEqual([]);

    const app = paths.filter((file) => file.startsWith('app/') && !file.startsWith('app/node_modules/'));
    expect(app.filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))).toEqual([]);
    expect(
      app.filter((file) => /^app\/(src|test|coverage|secrets)(\/|$)|tsconfig|jest\.|\.test\.js$/.test(file)),
    ).toEqual([]);
    // The package manager's own files, caches and credentials.
    const leftovers = /(^|\/)(\.npm|_cacache)(\/|$)|(^|\/)\.npmrc$/;
    expect(paths.filter((file) => leftovers.test(file))).toEqual([]);
  });
});
