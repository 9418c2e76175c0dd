<%_ if (sqlite) { _%>
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
<%_ } _%>
import { Writable } from 'node:stream';
import type { Express } from 'express';
import { pino } from 'pino';
import request from 'supertest';
import { createApp, type AppDeps } from '../../src/app.ts';
<%_ if (sqlite) { _%>
import { openSqliteStore } from '../../src/items/sqlite-store.ts';
<%_ } else { _%>
import { createMemoryStore } from '../../src/items/memory-store.ts';
<%_ } _%>
import type { ItemStore } from '../../src/items/store.ts';
import { createLogger } from '../../src/logger.ts';

<%_ if (token) { _%>
export const TOKEN = 'test-token';
<%_ } _%>
export const silentLogger = pino({ level: 'silent' });

/** A logger as production configures it, writing to memory: `lines()` parses what it logged. */
export function captureLogs() {
  let text = '';
  const sink = new Writable({
    write(chunk, _encoding, done) {
      text += String(chunk);
      done();
    },
  });
  return {
    logger: createLogger({ logLevel: 'info', nodeEnv: 'test' }, sink),
    // biome-ignore lint/suspicious/noExplicitAny: log lines are JSON whose fields each test names
    lines: (): Record<string, any>[] =>
      text
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line)),
  };
}

export interface Harness {
  app: Express;
  store: ItemStore;
  close(): Promise<void>;
}

/** The app as tests run it: quiet, with test settings, over the given store. */
export function buildApp(store: ItemStore, overrides: Partial<AppDeps> = {}): Express {
  return createApp({
    config: { bodyLimit: '100kb', apiDocs: true<%- token ? ', apiToken: TOKEN' : '' %> },
    store,
    logger: silentLogger,
    ...overrides,
  });
}

/** An app over a fresh, empty store, and a way to throw both away. */
export function createHarness(): Harness {
<%_ if (sqlite) { _%>
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'items-test-'));
  const store = openSqliteStore(dataDir);
<%_ } else { _%>
  const store = createMemoryStore();
<%_ } _%>
  return {
    app: buildApp(store),
    store,
    async close() {
      await store.close();
<%_ if (sqlite) { _%>
      rmSync(dataDir, { recursive: true, force: true });
<%_ } _%>
    },
  };
}

<%_ if (token) { _%>
/** A client that sends the bearer token, as every write needs. */
<%_ } else { _%>
/** A client for the app; writes are open, so there is nothing extra to send. */
<%_ } _%>
export function client(app: Express) {
  return request.agent(app)<%- token ? ".set('Authorization', `Bearer ${TOKEN}`)" : '' %>;
}

/** A promise with its resolve function at hand, to make a test wait for an event. */
export function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}
