// Container tests: build the image once (globalSetup), then prove its claims on a real
// Docker engine with testcontainers. Run with `<%- pm.run('test:container') %>`.

// The suite removes every container, volume, network and image it makes (teardown and
// afterAll hooks), so testcontainers' reaper (Ryuk) is not needed; it would otherwise have
// to be pulled, which fails on air-gapped machines. Set it to "false" to use Ryuk anyway.
process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';

/** @type {import('jest').Config} */
export default {
  displayName: 'container',
  testEnvironment: 'node',
  roots: ['<rootDir>/test/container'],
  testMatch: ['**/*.test.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    // Imports keep naming the .ts files: jest resolves them, and so does Node itself when it
    // loads global-setup.ts and its helpers (their imports are not jest's to resolve).
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: { rewriteRelativeImportExtensions: false } }],
  },
  globalSetup: '<rootDir>/test/container/global-setup.ts',
  globalTeardown: '<rootDir>/test/container/global-teardown.ts',
  // One engine, one set of fixed names: the files run one after another.
  maxWorkers: 1,
  // Generous: containers start, stop and become healthy in seconds, but a loaded CI
  // machine can be slow. Every wait inside a test is on a condition, not a clock.
  testTimeout: 120_000,
  slowTestThreshold: 60,
};
