/**
 * The services an existing app gets in compose (`--services`), and how its own variables are
 * pointed at them. Detection names the clients the app depends on; this turns them into
 * service kinds, and each variable the app reads (from its example env file or its code) that
 * names a part of a connection (DB_HOST, MYSQL_PASSWORD, DATABASE_URL, REDIS_URL, PGUSER, …)
 * into the value that reaches the service compose runs. Those values go to secrets/app.env,
 * which node loads itself: the app's code is not changed.
 */
import { type Endpoint, SERVICE_KINDS, type ServiceKind, type ServiceSpec, serviceSpec } from '../container/services.js';
import { flagLabel, show, UsageError } from '../lib/questions.js';
import type { ServiceFinding } from './detect/services.js';

export { SERVICE_KINDS, type ServiceKind };

/** Detection's service names, for the kinds compose can bring. */
const FROM_FINDING: Readonly<Record<string, ServiceKind>> = {
  PostgreSQL: 'postgres',
  MySQL: 'mysql',
  Redis: 'redis',
  MongoDB: 'mongodb',
};

/** Other spellings a user may type for a kind. */
const ALIASES: Readonly<Record<string, ServiceKind>> = {
  postgresql: 'postgres',
  pg: 'postgres',
  mariadb: 'mysql',
  mongo: 'mongodb',
};

/** The kinds the app's clients need, in the order of SERVICE_KINDS. */
export function detectedServices(found: readonly ServiceFinding[]): ServiceKind[] {
  const kinds = new Set(found.flatMap((f) => (FROM_FINDING[f.service] ? [FROM_FINDING[f.service]!] : [])));
  return SERVICE_KINDS.filter((kind) => kinds.has(kind));
}

/** Whether compose brings what a finding names. */
export const broughtBy = (finding: ServiceFinding, kinds: readonly ServiceKind[]) =>
  kinds.includes(FROM_FINDING[finding.service] as ServiceKind);

export function parseServices(raw: unknown, label = flagLabel('services')): ServiceKind[] {
  const given = Array.isArray(raw) ? raw.map(String) : String(raw).split(',');
  const names = given.map((name) => name.trim().toLowerCase()).filter((name) => name !== '');
  if (names.length === 1 && names[0] === 'none') return [];
  const kinds = new Set<ServiceKind>();
  for (const name of names) {
    const kind = (SERVICE_KINDS as readonly string[]).includes(name) ? (name as ServiceKind) : ALIASES[name];
    if (!kind)
      throw new UsageError(
        `${label} ${show(name)} is not a service compose can bring: use ${SERVICE_KINDS.join(', ')} (comma-separated), or none.`,
      );
    kinds.add(kind);
  }
  return SERVICE_KINDS.filter((kind) => kinds.has(kind));
}

/** The part of a connection a variable names. */
export type Part = 'url' | 'host' | 'port' | 'user' | 'password' | 'database';

const PARTS: readonly (readonly [Part, RegExp])[] = [
  ['url', /_(?:URL|URI|DSN|CONNECTION(?:_STRING)?|CONN(?:_STRING)?)$/],
  ['host', /_(?:HOST|HOSTNAME|SERVER)$/],
  ['port', /_PORT$/],
  ['user', /_(?:USER|USERNAME)$/],
  ['password', /_(?:PASSWORD|PASS|PASSWD|PWD)$/],
  ['database', /_(?:NAME|DATABASE|DB|SCHEMA)$/],
];

/** libpq's own variables, which node-postgres reads too. */
const LIBPQ: Readonly<Record<string, Part>> = {
  PGHOST: 'host',
  PGPORT: 'port',
  PGUSER: 'user',
  PGPASSWORD: 'password',
  PGDATABASE: 'database',
};

/** Words of a variable's prefix that name a kind. */
const OWN_WORDS: readonly (readonly [ServiceKind, RegExp])[] = [
  ['postgres', /^(?:PG|PGSQL|POSTGRES|POSTGRESQL)$/],
  ['mysql', /^(?:MYSQL|MARIADB)$/],
  ['redis', /^(?:REDIS|CACHE|VALKEY)$/],
  ['mongodb', /^(?:MONGO|MONGODB)$/],
];
/** Words that name "the database" without saying which: the app's SQL database, else its MongoDB. */
const GENERIC = /^(?:DB|DATABASE|SQL|TYPEORM|SEQUELIZE|KNEX|ORM)$/;

export interface Wiring {
  name: string;
  kind: ServiceKind;
  part: Part;
}

/** Which chosen service, and which part of its connection, a variable names; undefined: none. */
export function wiringOf(name: string, kinds: readonly ServiceKind[]): Wiring | undefined {
  const upper = name.toUpperCase();
  const libpq = LIBPQ[upper];
  if (libpq) return kinds.includes('postgres') ? { name, kind: 'postgres', part: libpq } : undefined;
  const match = PARTS.find(([, suffix]) => suffix.test(upper));
  if (!match) return undefined;
  const [part, suffix] = match;
  const words = upper.replace(suffix, '').split('_');
  const own = OWN_WORDS.find(([, word]) => words.some((w) => word.test(w)))?.[0];
  const generic = words.some((w) => GENERIC.test(w))
    ? (['postgres', 'mysql', 'mongodb'] as const).find((kind) => kinds.includes(kind))
    : undefined;
  const kind = own ?? generic;
  if (!kind || !kinds.includes(kind)) return undefined;
  // Redis numbers its databases: REDIS_DB is an index the app picks, not a name to point.
  if (part === 'database' && serviceSpec(kind).endpoint.database === undefined) return undefined;
  return { name, kind, part };
}

/** The variables of the app that reach the chosen services, in the order given. */
export function wiringsFor(variables: readonly string[], kinds: readonly ServiceKind[]): Wiring[] {
  return variables.flatMap((name) => {
    const wiring = wiringOf(name, kinds);
    return wiring ? [wiring] : [];
  });
}

export function connectionValue(part: Part, endpoint: Endpoint, password: string): string {
  switch (part) {
    case 'url':
      return endpoint.url(password);
    case 'host':
      return endpoint.host;
    case 'port':
      return String(endpoint.port);
    case 'user':
      return endpoint.user;
    case 'password':
      return password;
    case 'database':
      return endpoint.database ?? '';
  }
}

export function specsFor(kinds: readonly ServiceKind[]): ServiceSpec[] {
  return kinds.map(serviceSpec);
}
