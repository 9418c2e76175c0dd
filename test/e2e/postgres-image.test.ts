/**
 * The local postgres:17 (scripts/provision/postgres-image.sh) keeps the parts of the official
 * image's contract that the generated project, its compose file and Testcontainers rely on.
 * Each test names one of them. Everything runs on the engine: containers on a network of this
 * suite's own, reached by psql from a second container, never through the host's addresses.
 *
 * Last, the image is run the way a generated project's k8s/db/statefulset.yaml runs it (its
 * user, read-only root, emptyDirs, claim and preStop, read from the rendered manifest), which
 * no cluster here can do.
 *
 * Leaves the engine as it found it: every container, the volumes and the network are removed.
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { generate } from '../support/generate.js';
import { MINUTES, run, SECONDS, type RunOptions } from '../support/run.js';

const IMAGE = 'postgres:17';
const PREFIX = 'pgimage-e2e';
const NETWORK = `${PREFIX}-net`;
const VOLUME = `${PREFIX}-data`;
/** Stands in for the StatefulSet's claim. */
const CLAIM = `${PREFIX}-claim`;
/** What the official image logs when a server can take connections (Testcontainers' old wait). */
const READY = 'database system is ready to accept connections';

const docker = (args: string[], options: RunOptions = {}) => run('docker', args, options);
const made: string[] = [];
let work = '';

/** Starts a detached container on the suite's network; its name is returned. */
function start(name: string, args: string[]): string {
  const container = `${PREFIX}-${name}`;
  made.push(container);
  docker(['run', '-d', '--name', container, '--network', NETWORK, ...args, IMAGE]);
  return container;
}

const logs = (container: string) => docker(['logs', container]).output;
const readyLines = (container: string) =>
  logs(container)
    .split('\n')
    .filter((line) => line.includes(READY)).length;

/** Polls until `check` is true; fails naming what it waited for, with the container's log. */
async function waitUntil(what: string, container: string, check: () => boolean, timeoutMs = 2 * MINUTES): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}; log of ${container}:\n${logs(container).slice(-4000)}`);
}

/** The real server (not the first-start one) is up: it logged "ready" twice, or once on a known PGDATA. */
const serverUp = (container: string, lines: number) =>
  waitUntil(`${lines} "${READY}" line(s)`, container, () => readyLines(container) >= lines);

/** `docker run` options and image for psql in a second container on the network, over TCP with a password, as a client connects. */
function psqlClient(host: string, user: string, password: string, database: string): string[] {
  return ['--network', NETWORK, '-e', `PGPASSWORD=${password}`, '--entrypoint', 'psql', IMAGE, '-h', host, '-U', user, '-d', database];
}

/** One statement through psqlClient, its rows unaligned and bare; a failed statement fails the run. */
function psql(host: string, user: string, password: string, database: string, sql: string, allowFail = false) {
  return docker(['run', '--rm', ...psqlClient(host, user, password, database), '-tAX', '-v', 'ON_ERROR_STOP=1', '-c', sql], { allowFail });
}

beforeAll(() => {
  if (!docker(['image', 'inspect', IMAGE], { allowFail: true }).ok) {
    throw new Error(`${IMAGE} is not on this engine: run scripts/provision/postgres-image.sh`);
  }
  work = mkdtempSync(path.join(os.tmpdir(), `${PREFIX}-`));
  docker(['network', 'create', NETWORK]);
  docker(['volume', 'create', VOLUME]);
});

afterAll(() => {
  for (const container of made) docker(['rm', '-f', '-v', container], { allowFail: true });
  docker(['volume', 'rm', '-f', VOLUME, CLAIM], { allowFail: true });
  docker(['network', 'rm', NETWORK], { allowFail: true });
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('postgres:17 stand-in', () => {
  // One cluster with every option set, shared by the tests below.
  let db = '';

  beforeAll(async () => {
    const secret = path.join(work, 'db_password');
    writeFileSync(secret, 's3cret-from-file\n');
    chmodSync(secret, 0o644);
    const initdb = path.join(work, 'initdb.d');
    run('mkdir', ['-p', initdb]);
    writeFileSync(path.join(initdb, '01-schema.sql'), 'CREATE TABLE notes (body text NOT NULL);\n');
    // Sourced (not executable): it runs in the entrypoint's shell, with PGUSER/PGDATABASE set.
    writeFileSync(path.join(initdb, '02-seed.sh'), `psql -v ON_ERROR_STOP=1 -c "INSERT INTO notes VALUES ('from sh as $(id -un)')"\n`);
    chmodSync(path.join(initdb, '02-seed.sh'), 0o644);
    db = start('full', [
      '-e',
      'POSTGRES_USER=app',
      '-e',
      'POSTGRES_DB=items',
      '-e',
      'POSTGRES_PASSWORD_FILE=/run/secrets/db_password',
      '-e',
      'PGDATA=/var/lib/postgresql/data/pgdata',
      '-v',
      `${secret}:/run/secrets/db_password:ro`,
      '-v',
      `${initdb}:/docker-entrypoint-initdb.d:ro`,
      '-v',
      `${VOLUME}:/var/lib/postgresql/data`,
    ]);
    await serverUp(db, 2);
  }, 3 * MINUTES);

  test('logs "database system is ready to accept connections" twice on a first start: the init server, then the real one', () => {
    expect(readyLines(db)).toBe(2);
    expect(logs(db)).toContain('PostgreSQL init process complete; ready for start up.');
  });

  test('POSTGRES_PASSWORD_FILE, POSTGRES_USER and POSTGRES_DB make the superuser, its password and the database', () => {
    expect(
      psql(
        db,
        'app',
        's3cret-from-file',
        'items',
        'SELECT current_user, current_database(), rolsuper FROM pg_roles WHERE rolname = current_user',
      ).stdout,
    ).toBe('app|items|t');
    const wrong = psql(db, 'app', 'not-the-password', 'items', 'SELECT 1', true);
    expect(wrong.ok).toBe(false);
    expect(wrong.output).toMatch(/password authentication failed for user "app"/);
  });

  test('/docker-entrypoint-initdb.d runs *.sql and *.sh, in order, in POSTGRES_DB', () => {
    expect(psql(db, 'app', 's3cret-from-file', 'items', 'SELECT body FROM notes').stdout).toBe('from sh as postgres');
  });

  test('PGDATA is where the cluster is made', () => {
    expect(docker(['exec', db, 'cat', '/var/lib/postgresql/data/pgdata/PG_VERSION']).stdout).toBe('17');
  });

  test('the server runs as the unprivileged postgres user (999:999), and owns PGDATA', () => {
    const status = docker(['exec', db, 'cat', '/proc/1/status']).stdout;
    expect(status).toMatch(/^Uid:\s+999\s+999\s+999\s+999$/m);
    expect(status).toMatch(/^Gid:\s+999\s+999\s+999\s+999$/m);
    expect(docker(['exec', db, 'cat', '/proc/1/comm']).stdout).toBe('postgres');
    expect(docker(['exec', db, 'stat', '-c', '%u:%g %a', '/var/lib/postgresql/data/pgdata']).stdout).toBe('999:999 700');
  });

  test("pg_isready answers as Testcontainers' health check asks it (TCP on localhost)", () => {
    const probe = docker(['exec', db, 'sh', '-c', 'PGPASSWORD=x pg_isready --host localhost --username app --dbname items']);
    expect(probe.stdout).toContain('localhost:5432 - accepting connections');
  });

  test(
    'docker stop ends it cleanly (exit 0), and a new container on the same volume keeps the data and skips init',
    async () => {
      docker(['stop', '-t', '30', db]);
      expect(docker(['inspect', '-f', '{{.State.ExitCode}}', db]).stdout).toBe('0');
      expect(logs(db)).toContain('database system is shut down');

      // No password given this time: a known PGDATA needs none.
      const again = start('again', ['-e', 'PGDATA=/var/lib/postgresql/data/pgdata', '-v', `${VOLUME}:/var/lib/postgresql/data`]);
      await serverUp(again, 1);
      expect(logs(again)).not.toContain('init process complete');
      expect(psql(again, 'app', 's3cret-from-file', 'items', 'SELECT count(*) FROM notes').stdout).toBe('1');
    },
    3 * MINUTES,
  );
});

describe('postgres:17 stand-in, defaults and bad input', () => {
  test(
    'POSTGRES_PASSWORD alone: user and database default to postgres',
    async () => {
      const db = start('plain', ['-e', 'POSTGRES_PASSWORD=plain-password']);
      await serverUp(db, 2);
      expect(psql(db, 'postgres', 'plain-password', 'postgres', 'SELECT current_user, current_database()').stdout).toBe(
        'postgres|postgres',
      );
    },
    3 * MINUTES,
  );

  test(
    'no password for an empty PGDATA: exits 1 and says which variable to set',
    async () => {
      const db = start('nopassword', []);
      await waitUntil(
        'the container to exit',
        db,
        () => docker(['inspect', '-f', '{{.State.Running}}', db]).stdout === 'false',
        1 * MINUTES,
      );
      expect(docker(['inspect', '-f', '{{.State.ExitCode}}', db]).stdout).toBe('1');
      expect(logs(db)).toMatch(/Set POSTGRES_PASSWORD, or POSTGRES_PASSWORD_FILE/);
    },
    2 * MINUTES,
  );

  test(
    'POSTGRES_PASSWORD and POSTGRES_PASSWORD_FILE together: refused, naming both',
    async () => {
      const db = start('both', ['-e', 'POSTGRES_PASSWORD=a', '-e', 'POSTGRES_PASSWORD_FILE=/etc/hostname']);
      await waitUntil(
        'the container to exit',
        db,
        () => docker(['inspect', '-f', '{{.State.Running}}', db]).stdout === 'false',
        1 * MINUTES,
      );
      expect(docker(['inspect', '-f', '{{.State.ExitCode}}', db]).stdout).toBe('1');
      expect(logs(db)).toContain('both POSTGRES_PASSWORD and POSTGRES_PASSWORD_FILE are set');
    },
    2 * MINUTES,
  );
});

describe('postgres:17 as k8s/db/statefulset.yaml runs it', () => {
  let project = '';
  let spec: any;
  let db = '';
  const env = () => Object.fromEntries((spec.containers[0].env as { name: string; value: string }[]).map((e) => [e.name, e.value]));
  const inDb = (command: string[], options: RunOptions = {}) => docker(['exec', db, ...command], options);

  /** `docker run` flags for what the pod spec asks of the container, one Kubernetes field at a time. */
  function runFlags(): string[] {
    const container = spec.containers[0];
    const pod = spec.securityContext;
    const flags = ['--user', `${pod.runAsUser}:${pod.runAsGroup}`, '--group-add', String(pod.fsGroup)];
    if (container.securityContext.readOnlyRootFilesystem) flags.push('--read-only');
    if (container.securityContext.allowPrivilegeEscalation === false) flags.push('--security-opt', 'no-new-privileges');
    for (const capability of container.securityContext.capabilities.drop) flags.push('--cap-drop', capability);
    for (const { name, value } of container.env) flags.push('-e', `${name}=${value}`);
    for (const mount of container.volumeMounts as { name: string; mountPath: string }[]) {
      const volume = (spec.volumes as any[]).find((v) => v.name === mount.name);
      if (!volume) {
        // The claim from volumeClaimTemplates.
        flags.push('-v', `${CLAIM}:${mount.mountPath}`);
      } else if (volume.emptyDir && mount.mountPath === '/dev/shm') {
        flags.push('--shm-size', volume.emptyDir.sizeLimit.replace(/i$/, '').toLowerCase());
      } else if (volume.emptyDir) {
        // The kubelet makes an emptyDir a world-writable folder on the node. (A --tmpfs would
        // take the image's folder's mode, owned by root.)
        const dir = mkdtempSync(path.join(work, `${mount.name}-`));
        chmodSync(dir, 0o777);
        flags.push('-v', `${dir}:${mount.mountPath}`);
      } else if (volume.secret) {
        for (const item of volume.secret.items) {
          flags.push('-v', `${path.join(project, 'secrets', item.key)}:${path.posix.join(mount.mountPath, item.path)}:ro`);
        }
      } else {
        throw new Error(`k8s/db/statefulset.yaml: no stand-in for volume ${JSON.stringify(volume)}`);
      }
    }
    return flags;
  }

  beforeAll(async () => {
    project = path.join(work, 'k8s-project');
    generate(project, ['--yes', '--persistence', 'postgres', '--k8s', '--skip-install', '--name', 'shop-api']);
    spec = parse(readFileSync(path.join(project, 'k8s/db/statefulset.yaml'), 'utf8')).spec.template.spec;
    expect(spec.containers[0].image).toBe(IMAGE);
    // What a fresh claim looks like to the pod: root's, group fsGroup with setgid, and
    // lost+found at its root (ext4), which is why PGDATA is a folder below it.
    docker(['volume', 'create', CLAIM]);
    docker([
      'run',
      '--rm',
      '-v',
      `${CLAIM}:/claim`,
      '--user',
      '0',
      '--entrypoint',
      'sh',
      IMAGE,
      '-c',
      `chown 0:${spec.securityContext.fsGroup} /claim && chmod 2775 /claim && mkdir /claim/lost+found`,
    ]);
    db = start('statefulset', runFlags());
    const readiness = spec.containers[0].readinessProbe.exec.command as string[];
    await waitUntil('its readinessProbe to pass', db, () => inDb(readiness, { allowFail: true }).ok);
  }, 3 * MINUTES);

  test('initializes PGDATA below the claim and serves the API its user and database, with the password from secrets/db_password', () => {
    expect(inDb(['cat', `${env().PGDATA}/PG_VERSION`]).stdout).toBe('17');
    const password = readFileSync(path.join(project, 'secrets/db_password'), 'utf8').trim();
    expect(psql(db, env().POSTGRES_USER!, password, env().POSTGRES_DB!, 'SELECT current_user').stdout).toBe('app');
    expect(inDb(['cat', '/proc/1/status']).stdout).toMatch(new RegExp(`^Uid:\\s+${spec.securityContext.runAsUser}\\s`, 'm'));
  });

  test(
    "its preStop, then the kubelet's SIGTERM, end it cleanly within the grace period while a client stays connected",
    async () => {
      const password = readFileSync(path.join(project, 'secrets/db_password'), 'utf8').trim();
      // A session from another container, as the API's pool holds one, that would outlast any
      // grace period: what a smart shutdown waits for.
      const client = `${PREFIX}-client`;
      made.push(client);
      docker(['run', '-d', '--name', client, ...psqlClient(db, 'app', password, 'app'), '-c', 'SELECT pg_sleep(600)']);
      const sessions = () =>
        psql(
          db,
          'app',
          password,
          'app',
          "SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%pg_sleep(600)%' AND pid <> pg_backend_pid()",
        ).stdout;
      await waitUntil('the client session', db, () => sessions() === '1');

      expect(inDb(spec.containers[0].lifecycle.preStop.exec.command).ok).toBe(true);
      docker(['kill', '--signal', 'TERM', db], { allowFail: true });
      const exited = () => docker(['inspect', '-f', '{{.State.Running}}', db]).stdout === 'false';
      await waitUntil('the container to exit before SIGKILL would come', db, exited, spec.terminationGracePeriodSeconds * SECONDS);
      const log = logs(db);
      expect({ exitCode: docker(['inspect', '-f', '{{.State.ExitCode}}', db]).stdout, log: log.slice(-2000) }).toEqual({
        exitCode: '0',
        log: expect.stringContaining('received fast shutdown request'),
      });
      expect(log).toMatch(/terminating connection due to administrator command[\s\S]*database system is shut down\n?$/);
    },
    2 * MINUTES,
  );
});
