/**
 * Services the app connects to, from the client libraries it depends on: a database, a cache,
 * a broker. None of them is in the image or in compose.yaml, and an app that connects before
 * it listens (most do) cannot turn healthy without one. Said before anything is written, in
 * README.Docker.md, and by the container test when the container does not turn healthy.
 */
import type { ProjectFiles } from './project-files.js';

export interface ServiceFinding {
  /** What the app needs running, e.g. `PostgreSQL`. */
  service: string;
  /** The dependencies that say so. */
  packages: string[];
}

/** Client packages, and the service each one talks to. ORMs name the drivers they load. */
// Framework plugins count as clients: they bring the driver with them, so the driver itself
// may be only a dev dependency (for types) or not listed at all.
const CLIENTS: readonly (readonly [string, readonly string[]])[] = [
  ['PostgreSQL', ['pg', 'postgres', 'pg-promise', 'slonik', '@fastify/postgres']],
  ['MySQL', ['mysql', 'mysql2', 'mariadb', '@fastify/mysql']],
  ['MongoDB', ['mongodb', 'mongoose', '@fastify/mongodb', 'fastify-mongodb']],
  ['Redis', ['redis', 'ioredis', 'bullmq', 'bull', '@fastify/redis']],
  ['Elasticsearch', ['@elastic/elasticsearch', 'elasticsearch', '@fastify/elasticsearch']],
  // A remote libSQL (Turso) database; a `file:` URL would be a local file instead.
  ['libSQL', ['@libsql/client']],
  ['S3 object storage', ['@aws-sdk/client-s3', 'minio']],
  ['RabbitMQ', ['amqplib', 'amqp-connection-manager']],
  ['Kafka', ['kafkajs']],
  ['Microsoft SQL Server', ['mssql', 'tedious']],
  ['a database through Prisma', ['@prisma/client']],
];

export function detectServices(project: ProjectFiles): ServiceFinding[] {
  const runtime = Object.keys(project.dependencies);
  return CLIENTS.flatMap(([service, clients]) => {
    const packages = clients.filter((name) => runtime.includes(name));
    return packages.length > 0 ? [{ service, packages }] : [];
  });
}
