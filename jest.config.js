// Three projects: fast generator tests, the sample's drift check, and end-to-end tests that
// pack, install, build images and run containers.
const tsJest = {
  '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }],
};
const common = {
  extensionsToTreatAsEsm: ['.ts'],
  transform: tsJest,
  // Sources import siblings as "./x.js" (what Node resolves after tsc); map to the .ts file.
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testEnvironment: 'node',
  // Only these are crawled: templates/ and sample-api/ hold package.json files of their own.
  roots: ['<rootDir>/test', '<rootDir>/generators', '<rootDir>/cli'],
  setupFilesAfterEnv: ['<rootDir>/test/support/restore-cwd.ts'],
};

export default {
  // Every core: Jest's default leaves one to itself, which on a 2-core CI machine halves the
  // generator tests' speed (86 s against 142 s for the 718 of them, measured). The e2e
  // suites run two at a time too: much of their time is spent waiting on the engine, on
  // npm and on containers' health, and each names what it creates so that none collide.
  maxWorkers: '100%',
  testSequencer: '<rootDir>/test/support/sequencer.js',
  // A generation takes about a second alone and several while the machine is busy (CI shares
  // it): 5 s, Jest's default, failed hooks that were only slow. Waits still end on conditions.
  testTimeout: 60_000,
  projects: [
    {
      ...common,
      displayName: 'generator',
      testMatch: ['<rootDir>/test/generator/**/*.test.ts'],
      // variants.test.ts renders each template thousands of times: compile each text once.
      setupFilesAfterEnv: [...common.setupFilesAfterEnv, '<rootDir>/test/support/ejs-compile-cache.ts'],
    },
    { ...common, displayName: 'sample', testMatch: ['<rootDir>/test/sample/**/*.test.ts'] },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.test.ts'] },
  ],
};
