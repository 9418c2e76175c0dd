/**
 * The services an app can get beside it in compose, one entry per kind: the official image
 * (name and tag spelled out, for Renovate), its fragment, its secrets, volume and network, and
 * how a client reaches it (host, port, user, database, URL). A generator picks kinds; the
 * fragments (templates/container/services/<fragment>) read only the Service made here.
 * The new project's PostgreSQL is `postgresService()` in model.ts: same fragment, its own names.
 */
import type { Secret, Service } from './model.js';

export const SERVICE_KINDS = ['postgres', 'mysql', 'redis', 'mongodb'] as const;
export type ServiceKind = (typeof SERVICE_KINDS)[number];

/** What a client needs to reach a service, for the app's own connection variables. */
export interface Endpoint {
  host: string;
  port: number;
  user: string;
  /** The database the app's user owns; undefined where the server has none to name (Redis). */
  database: string | undefined;
  /** The connection URL with the password in place of `${password}`. */
  url: (password: string) => string;
}

export interface ServiceSpec {
  kind: ServiceKind;
  /** What the README calls it. */
  label: string;
  service: Service;
  endpoint: Endpoint;
  /** The file the generated password goes in, and how it is written (a bare password, or a config file). */
  passwordFile: string;
  passwordFileText: (password: string) => string;
  /** The password such a file holds (the user may have changed it), or undefined. */
  passwordIn: (text: string) => string | undefined;
  /** Files of passwords of its own that no client needs (a root password), each the password alone. */
  ownPasswordFiles: readonly string[];
  /** A line more for the README, when a client needs to know something about it. */
  note?: string;
  /** Whether this generator's own tests bring it up on an engine (MongoDB cannot be made where they run). */
  provenHere: boolean;
}

/** Every service's database and user are `app`: the app's own variables are pointed at them. */
const APP = 'app';

/** A secret only the service mounts (the app reads its copy of the password from secrets/app.env). */
const serviceSecret = (name: string, file = `secrets/${name}`): Secret => ({
  name,
  file,
  env: undefined,
  target: `/run/secrets/${name}`,
});

const quoted = (value: string) => JSON.stringify(value);
/** A file that holds the password alone, as the images' *_PASSWORD_FILE read it (a trailing newline dropped). */
const bare = (text: string) => text.trim() || undefined;

function postgres(): ServiceSpec {
  const password = serviceSecret('postgres_password');
  return {
    kind: 'postgres',
    label: 'PostgreSQL',
    service: {
      name: 'postgres',
      fragment: 'services/postgres.yaml',
      image: 'postgres:17',
      condition: 'service_healthy',
      secrets: [password],
      volume: 'postgres-data',
      network: 'postgres',
    },
    endpoint: {
      host: 'postgres',
      port: 5432,
      user: APP,
      database: APP,
      url: (pw) => `postgres://${APP}:${pw}@postgres:5432/${APP}?sslmode=disable`,
    },
    note: 'Its URL says `sslmode=disable`: the official image serves no TLS, and the traffic never leaves the internal network; without it, an app that asks for TLS in production (`ssl: true`) could not connect.',
    passwordFile: password.file,
    passwordFileText: (pw) => pw,
    passwordIn: bare,
    ownPasswordFiles: [],
    provenHere: true,
  };
}

function mysql(): ServiceSpec {
  const password = serviceSecret('mariadb_password');
  const root = serviceSecret('mariadb_root_password');
  return {
    kind: 'mysql',
    label: 'MariaDB (MySQL-compatible)',
    service: {
      name: 'mariadb',
      fragment: 'services/mariadb.yaml',
      image: 'mariadb:11',
      condition: 'service_healthy',
      secrets: [password, root],
      volume: 'mariadb-data',
      network: 'mariadb',
      environment: [
        ['MARIADB_DATABASE', quoted(APP)],
        ['MARIADB_USER', quoted(APP)],
        ['MARIADB_PASSWORD_FILE', password.target],
        ['MARIADB_ROOT_PASSWORD_FILE', root.target],
      ],
    },
    endpoint: {
      host: 'mariadb',
      port: 3306,
      user: APP,
      database: APP,
      url: (pw) => `mysql://${APP}:${pw}@mariadb:3306/${APP}`,
    },
    passwordFile: password.file,
    passwordFileText: (pw) => pw,
    passwordIn: bare,
    ownPasswordFiles: [root.file],
    provenHere: true,
  };
}

function redis(): ServiceSpec {
  // Redis reads no password file: its config file, a secret, holds the password.
  const config = serviceSecret('redis_conf', 'secrets/redis.conf');
  return {
    kind: 'redis',
    label: 'Redis',
    service: {
      name: 'redis',
      fragment: 'services/redis.yaml',
      image: 'redis:8',
      condition: 'service_healthy',
      secrets: [config],
      volume: 'redis-data',
      network: 'redis',
    },
    endpoint: {
      host: 'redis',
      port: 6379,
      user: 'default',
      database: undefined,
      url: (pw) => `redis://default:${pw}@redis:6379`,
    },
    passwordFile: config.file,
    passwordFileText: (pw) =>
      [
        '# Redis settings, mounted at /run/secrets/redis_conf and read by redis-server. Never commit this file.',
        `requirepass ${pw}`,
        // Every write goes to the append-only file on the volume, so a restart loses nothing.
        'appendonly yes',
        '',
      ].join('\n'),
    ownPasswordFiles: [],
    passwordIn: (text) => /^requirepass\s+(\S+)\s*$/m.exec(text)?.[1],
    provenHere: true,
  };
}

function mongodb(): ServiceSpec {
  const password = serviceSecret('mongodb_password');
  return {
    kind: 'mongodb',
    label: 'MongoDB',
    service: {
      name: 'mongodb',
      fragment: 'services/mongodb.yaml',
      image: 'mongo:8',
      condition: 'service_healthy',
      secrets: [password],
      volume: 'mongodb-data',
      network: 'mongodb',
      environment: [
        ['MONGO_INITDB_ROOT_USERNAME', quoted(APP)],
        ['MONGO_INITDB_ROOT_PASSWORD_FILE', password.target],
        ['MONGO_INITDB_DATABASE', quoted(APP)],
      ],
    },
    // The user is made in the admin database, so that is where it authenticates.
    endpoint: {
      host: 'mongodb',
      port: 27017,
      user: APP,
      database: APP,
      url: (pw) => `mongodb://${APP}:${pw}@mongodb:27017/${APP}?authSource=admin`,
    },
    passwordFile: password.file,
    passwordFileText: (pw) => pw,
    passwordIn: bare,
    ownPasswordFiles: [],
    provenHere: false,
  };
}

const SPECS: Record<ServiceKind, () => ServiceSpec> = { postgres, mysql, redis, mongodb };

export function serviceSpec(kind: ServiceKind): ServiceSpec {
  return SPECS[kind]();
}
