/**
 * The port: one the start command gives its tool (`fastify start -p 8081`), the default next to
 * `process.env.PORT`, a literal `listen(…)` or a constant it names, or .env.example.
 */
import type { ProjectFiles } from './project-files.js';

export interface PortFinding {
  port: number;
  /** Whether the app reads PORT from its environment (then the image's ENV PORT sets it). */
  fromEnv: boolean;
  source: string;
}

const DEFAULT_PORT = 3000;
const READS_PORT = /process\.env(?:\.PORT\b|\[\s*['"]PORT['"]\s*\])|\benv\.PORT\b|\bPORT\s*:\s*(?:port|num|str|Type\.Number|z\.)/;
/** `process.env.PORT || 8080`, `?? '8080'`, `PORT: port({ default: 8080 })`, `PORT: Type.Number({ default: 8080 })`. */
const PORT_DEFAULT = /\b([A-Z_]*PORT)\b[^\n;]{0,60}?(?:\|\||\?\?|default:)\s*['"]?(\d{2,5})\b/g;
/**
 * Variables that hold the port of a service the app connects to, not the one it listens on:
 * `DB_PORT || 3306` in a database config is no port to publish.
 */
const CLIENT_PORT =
  /^(DB|DATABASE|MYSQL|MARIADB|PG|POSTGRES|POSTGRESQL|MSSQL|SQL|TYPEORM|REDIS|CACHE|MEMCACHED|MONGO|MONGODB|SMTP|MAIL|EMAIL|AMQP|RABBITMQ|KAFKA|NATS|ELASTIC|ELASTICSEARCH|ES)_/;

/** `process.env.port || 3334`, as Nx's Express apps have it: a lower-case name the image's PORT does not set. */
const LOWER_PORT_DEFAULT = /process\.env\.port\s*(?:\|\||\?\?)\s*['"]?(\d{2,5})\b/;

/** The default the app gives its own port variable (`process.env.PORT || 8080`), not a client's. */
function portDefault(text: string): string | undefined {
  return [...text.matchAll(PORT_DEFAULT)].find(([, name]) => !CLIENT_PORT.test(name!))?.[2] ?? LOWER_PORT_DEFAULT.exec(text)?.[1];
}
const LITERAL_LISTEN = /\.listen\(\s*(?:\{\s*port:\s*)?(\d{2,5})\b/;
/** `.listen(port)` or `.listen({ port })`: the name, which a constant in the same file may hold. */
const NAMED_LISTEN = /\.listen\(\s*(?:\{\s*(?:port:\s*)?)?([A-Za-z_$][\w$]*)\b/;

/** The number a `const|let|var <name> = 8080` in `text` gives `name`, seen as a listen(…) argument. */
function listenConstant(text: string): string | undefined {
  const name = NAMED_LISTEN.exec(text)?.[1];
  if (!name) return undefined;
  return new RegExp(`\\b(?:const|let|var)\\s+${name.replace(/\$/g, '\\$')}\\s*=\\s*['"]?(\\d{2,5})\\b`).exec(text)?.[1];
}

export function detectPort(project: ProjectFiles, envExample: ReadonlyMap<string, string>, toolArgs: readonly string[] = []): PortFinding {
  const given = toolPort(toolArgs);
  if (given) return given;
  const fromEnv = project.sources().some(({ text }) => READS_PORT.test(text));
  const finders = [portDefault, (text: string) => LITERAL_LISTEN.exec(text)?.[1], listenConstant];
  for (const find of finders) {
    for (const { file, text } of project.sources()) {
      const port = Number(find(text));
      if (port > 0 && port < 65536) return { port, fromEnv, source: file };
    }
  }
  const example = envExample.get('PORT') ?? [...envExample].find(([name]) => /^[A-Z_]*_PORT$/.test(name) && !CLIENT_PORT.test(name))?.[1];
  if (example && /^\d+$/.test(example)) return { port: Number(example), fromEnv: true, source: 'PORT in the example env file' };
  return { port: DEFAULT_PORT, fromEnv, source: fromEnv ? 'process.env.PORT without a default in the code' : 'nothing found' };
}

/** `-p 8081`, `--port 8081` or `--port=8081` among the tool's arguments: the tool takes it over PORT. */
function toolPort(args: readonly string[]): PortFinding | undefined {
  const at = args.findIndex((arg) => arg === '-p' || arg === '--port');
  const value = at >= 0 ? args[at + 1] : args.find((arg) => arg.startsWith('--port='))?.slice('--port='.length);
  const port = Number(value);
  return Number.isInteger(port) && port > 0 && port < 65536
    ? { port, fromEnv: false, source: `the start command (${args.join(' ')})` }
    : undefined;
}
