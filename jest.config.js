/** Unit tests sit next to the code; e2e suites in test/ run against real PostgreSQL and Redis. */
const moduleNameMapper = {
  '^@guichet/(config|core|database|jobs|live|testing)/(.*)$': '<rootDir>/libs/$1/src/$2',
};
// Type checking is done once by `tsc --noEmit` (npm test); ts-jest only transpiles.
const transform = {
  '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }],
  // content-disposition 3 (under @fastify/static) ships ESM only; Node requires it natively, Jest needs it transpiled.
  '/node_modules/content-disposition/.+\\.js$': ['ts-jest', { tsconfig: { allowJs: true, isolatedModules: true } }],
};
const transformIgnorePatterns = ['/node_modules/(?!content-disposition/)'];

module.exports = {
  testTimeout: 60000,
  projects: [
    {
      displayName: 'unit',
      rootDir: __dirname,
      testEnvironment: 'node',
      testMatch: ['<rootDir>/apps/**/*.spec.ts', '<rootDir>/libs/**/*.spec.ts', '<rootDir>/scripts/**/*.spec.ts'],
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/apps/console/'],
      moduleNameMapper,
      transform,
      transformIgnorePatterns,
    },
    {
      displayName: 'e2e',
      rootDir: __dirname,
      testEnvironment: 'node',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/browser/'],
      globalSetup: '<rootDir>/test/global-setup.ts',
      globalTeardown: '<rootDir>/test/global-teardown.ts',
      moduleNameMapper,
      transform,
      transformIgnorePatterns,
    },
    {
      // The consoles in Debian's Chromium (playwright-core) against the real API serving the built console.
      displayName: 'browser',
      rootDir: __dirname,
      testEnvironment: 'node',
      testMatch: ['<rootDir>/test/browser/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/browser/global-setup.ts',
      globalTeardown: '<rootDir>/test/global-teardown.ts',
      moduleNameMapper,
      transform,
      transformIgnorePatterns,
    },
  ],
};
