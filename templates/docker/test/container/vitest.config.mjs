// Vitest settings for the container test alone (npm run test:container): the project's own
// config (its include globs, environment, setup files, plugins) is for its unit tests, whose
// default include (*.test.*, *.spec.*) leaves container.e2e.mjs out. The verbose reporter
// lists each proof by name, as the other runners do.
export default {
  test: { include: ['test/container/container.e2e.mjs'], reporters: ['verbose'] },
};
