/**
 * The local mariadb:11 and redis:8 (scripts/provision/mariadb-image.sh, redis-image.sh) keep
 * the parts of the official images' contracts that the `--services` compose fragments rely
 * on (templates/container/services/mariadb.yaml, redis.yaml). Each test names one of them.
 * Everything runs on the engine: containers on a network of this suite's own, reached by
 * their own clients from a second container, never through the host's addresses.
 *
 * Leaves the engine as it found it: every container, volume and the network are removed.
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MINUTES, run, type RunOptions } from '../support/run.js';
import { waitFor } from '../support/wait.js';

const PREFIX = 'svcimage-e2e';
const NETWORK = `${PREFIX}-net`;
const docker = (args: string[], options: RunOptions = {}) => run('docker', args, options);
const made: string[] = [];
const volumes: string[] = [];
let work = '';

function start(name: string, image: string, args: string[], command: string[] = []): string {
  const container = `${PREFIX}-${name}`;
  made.push(container);
  docker(['run', '-d', '--name', container, '--network', NETWORK, ...args, image, ...command]);
  return container;
}
const logs = (container: string) => docker(['logs', container]).output;
const running = (container: string) => docker(['inspect', '-f', '{{.State.Running}}', container]).stdout === 'true';
const exited = (container: string) => waitFor(`${container} to exit`, MINUTES, () => (running(container) ? undefined : true));
/** A file of the suite's own, readable by the images' unprivileged users, as compose's secrets are. */
function file(name: string, text: string): string {
  const at = path.join(work, name);
  writeFileSync(at, text);
  chmodSync(at, 0o644);
  return at;
}
function volume(name: string): string {
  const v = `${PREFIX}-${name}`;
  volumes.push(v);
  docker(['volume', 'create', v]);
  return v;
}
const status = (container: string) => docker(['exec', container, 'cat', '/proc/1/status']).stdout;

beforeAll(() => {
  const missing = ['mariadb:11', 'redis:8'].filter((image) => !docker(['image', 'inspect', image], { allowFail: true }).ok);
  if (missing.length > 0) throw new Error(`${missing.join(', ')} not on this engine: run scripts/provision.sh`);
  work = mkdtempSync(path.join(os.tmpdir(), `${PREFIX}-`));
  docker(['network', 'create', NETWORK]);
});

afterAll(() => {
  for (const container of made) docker(['rm', '-f', '-v', container], { allowFail: true });
  for (const v of volumes) docker(['volume', 'rm', '-f', v], { allowFail: true });
  docker(['network', 'rm', NETWORK], { allowFail: true });
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('mariadb:11 stand-in', () => {
  const IMAGE = 'mariadb:11';
  let db = '';
  let data = '';
  /** The mariadb client from a second container on the network, over TCP with a password. */
  const sql = (host: string, user: string, password: string, query: string, allowFail = false) =>
    docker(
      [
        'run',
        '--rm',
        '--network',
        NETWORK,
        '--entrypoint',
        'mariadb',
        IMAGE,
        '-h',
        host,
        '-u',
        user,
        `-p${password}`,
        '-N',
        '-B',
        '-e',
        query,
      ],
      { allowFail },
    );
  const healthy = (container: string) =>
    waitFor(
      `healthcheck.sh in ${container}`,
      3 * MINUTES,
      () => (docker(['exec', container, 'healthcheck.sh', '--connect', '--innodb_initialized'], { allowFail: true }).ok ? true : undefined),
      { evidence: () => logs(container).slice(-3000) },
    );

  beforeAll(async () => {
    data = volume('mariadb-data');
    const initdb = path.join(work, 'mariadb-initdb');
    run('mkdir', ['-p', initdb]);
    file('mariadb-initdb/01-schema.sql', 'CREATE TABLE orders (item VARCHAR(50) NOT NULL);\n');
    file('mariadb-initdb/02-seed.sh', `"\${mysql[@]}" -e "INSERT INTO orders VALUES ('from sh as $(id -un)')"\n`);
    db = start('mariadb', IMAGE, [
      '-e',
      'MARIADB_USER=app',
      '-e',
      'MARIADB_DATABASE=app',
      '-e',
      'MARIADB_PASSWORD_FILE=/run/secrets/mariadb_password',
      '-e',
      'MARIADB_ROOT_PASSWORD_FILE=/run/secrets/mariadb_root_password',
      '-v',
      `${file('mariadb_password', 'app-s3cret')}:/run/secrets/mariadb_password:ro`,
      '-v',
      `${file('mariadb_root_password', 'root-s3cret\n')}:/run/secrets/mariadb_root_password:ro`,
      '-v',
      `${initdb}:/docker-entrypoint-initdb.d:ro`,
      '-v',
      `${data}:/var/lib/mysql`,
    ]);
    await healthy(db);
  }, 4 * MINUTES);

  test('healthcheck.sh --connect --innodb_initialized passes (over TCP, on which the init server never listens) after the init is done', () => {
    expect(logs(db)).toContain('MariaDB init process done. Ready for start up.');
    expect(logs(db)).toMatch(/ready for connections/);
  });

  test('MARIADB_USER, MARIADB_PASSWORD_FILE and MARIADB_DATABASE make the user, its password and its database', () => {
    expect(sql(db, 'app', 'app-s3cret', 'SELECT CURRENT_USER(), COUNT(*) FROM app.orders').stdout).toBe('app@%\t1');
    const wrong = sql(db, 'app', 'not-it', 'SELECT 1', true);
    expect(wrong.ok).toBe(false);
    expect(wrong.output).toMatch(/Access denied for user 'app'/);
  });

  test('MARIADB_ROOT_PASSWORD_FILE sets root, reachable over the network (a trailing newline dropped)', () => {
    expect(sql(db, 'root', 'root-s3cret', 'SELECT CURRENT_USER()').stdout).toBe('root@%');
  });

  test('/docker-entrypoint-initdb.d runs *.sql and *.sh, in order, in MARIADB_DATABASE', () => {
    expect(sql(db, 'app', 'app-s3cret', 'SELECT item FROM app.orders').stdout).toBe('from sh as mysql');
  });

  test('the server runs as the unprivileged mysql user (999:999) and owns /var/lib/mysql', () => {
    expect(status(db)).toMatch(/^Uid:\s+999\s+999\s+999\s+999$/m);
    expect(docker(['exec', db, 'cat', '/proc/1/comm']).stdout).toBe('mariadbd');
    expect(docker(['exec', db, 'stat', '-c', '%u:%g', '/var/lib/mysql']).stdout).toBe('999:999');
  });

  test(
    'docker stop ends it with exit 0, and a new container on the volume keeps the data and skips init',
    async () => {
      docker(['stop', '-t', '30', db]);
      expect(docker(['inspect', '-f', '{{.State.ExitCode}}', db]).stdout).toBe('0');
      const again = start('mariadb-again', IMAGE, ['-v', `${data}:/var/lib/mysql`]);
      await healthy(again);
      expect(logs(again)).not.toContain('init process done');
      expect(sql(again, 'app', 'app-s3cret', 'SELECT COUNT(*) FROM app.orders').stdout).toBe('1');
    },
    4 * MINUTES,
  );

  test(
    'an empty data directory and no root password: exits 1 naming the variables to set',
    async () => {
      const bare = start('mariadb-nopassword', IMAGE, []);
      await exited(bare);
      expect(docker(['inspect', '-f', '{{.State.ExitCode}}', bare]).stdout).toBe('1');
      expect(logs(bare)).toContain('Set MARIADB_ROOT_PASSWORD, or MARIADB_ROOT_PASSWORD_FILE');
    },
    2 * MINUTES,
  );
});

describe('redis:8 stand-in', () => {
  const IMAGE = 'redis:8';
  const CONFIG = '/run/secrets/redis_conf';
  /** The compose fragment's healthcheck, as it runs in the container. */
  const HEALTHCHECK = `REDISCLI_AUTH="$(sed -n 's/^requirepass //p' ${CONFIG})" redis-cli ping | grep -qx PONG`;
  const cli = (host: string, args: string[], allowFail = false) =>
    docker(['run', '--rm', '--network', NETWORK, '--entrypoint', 'redis-cli', IMAGE, '-h', host, '--no-auth-warning', ...args], {
      allowFail,
    });
  let cache = '';
  let data = '';
  let config = '';
  const answers = (container: string) =>
    waitFor(
      `the healthcheck in ${container}`,
      MINUTES,
      () => (docker(['exec', container, 'sh', '-c', HEALTHCHECK], { allowFail: true }).ok ? true : undefined),
      { evidence: () => logs(container).slice(-2000) },
    );

  beforeAll(async () => {
    data = volume('redis-data');
    config = file('redis.conf', 'requirepass cache-s3cret\nappendonly yes\n');
    cache = start('redis', IMAGE, ['-v', `${config}:${CONFIG}:ro`, '-v', `${data}:/data`], ['redis-server', CONFIG]);
    await answers(cache);
  }, 2 * MINUTES);

  test('`redis-server <config file>` takes the password from it: no password, no answer', () => {
    expect(cli(cache, ['ping']).stdout).toMatch(/NOAUTH/);
    expect(cli(cache, ['-a', 'cache-s3cret', 'ping']).stdout).toBe('PONG');
  });

  test('the server runs as the unprivileged redis user (999:999), in /data, which it owns', () => {
    expect(status(cache)).toMatch(/^Uid:\s+999\s+999\s+999\s+999$/m);
    expect(cli(cache, ['-a', 'cache-s3cret', 'CONFIG', 'GET', 'dir']).stdout).toBe('dir\n/data');
    expect(docker(['exec', cache, 'stat', '-c', '%u:%g', '/data']).stdout).toBe('999:999');
  });

  test(
    'docker stop ends it with exit 0, and with appendonly a new container on the volume has the writes',
    async () => {
      expect(cli(cache, ['-a', 'cache-s3cret', 'INCRBY', 'visits', '41']).stdout).toBe('41');
      docker(['stop', cache]);
      expect(docker(['inspect', '-f', '{{.State.ExitCode}}', cache]).stdout).toBe('0');
      const again = start('redis-again', IMAGE, ['-v', `${config}:${CONFIG}:ro`, '-v', `${data}:/data`], ['redis-server', CONFIG]);
      await answers(again);
      expect(cli(again, ['-a', 'cache-s3cret', 'INCR', 'visits']).stdout).toBe('42');
    },
    2 * MINUTES,
  );

  test("an option as the first argument is redis-server's, as in the official image", async () => {
    const plain = start('redis-port', IMAGE, [], ['--port', '6380', '--requirepass', 'p']);
    await waitFor('redis on 6380', MINUTES, () =>
      cli(plain, ['-p', '6380', '-a', 'p', 'ping'], true).stdout === 'PONG' ? true : undefined,
    );
    expect(docker(['exec', plain, 'cat', '/proc/1/comm']).stdout).toMatch(/^redis-server/);
  });
});
