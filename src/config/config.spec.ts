import { ConfigError, loadConfig } from './config';

const SECRET = 'x'.repeat(32);
const generated = () => 'generated-secret-'.padEnd(40, '0');

function failure(env: Record<string, string>): string {
  try {
    loadConfig(env, generated);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('defaults to the embedded set-up: port 3000, role all, .data, generated secret', () => {
    const config = loadConfig({}, generated);
    expect(config).toMatchObject({
      port: 3000,
      role: 'all',
      logLevel: 'info',
      requestTracing: false,
      jwtSecretGenerated: true,
      databaseUrl: undefined,
      redisUrl: undefined,
    });
    expect(config.dataDir.endsWith('.data')).toBe(true);
  });

  it('accepts the external set-up', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://u@db:5432/app',
      REDIS_URL: 'redis://cache:6379',
      ROLE: 'worker',
      JWT_SECRET: SECRET,
      PORT: '8080',
    });
    expect(config).toMatchObject({ role: 'worker', port: 8080, jwtSecret: SECRET, jwtSecretGenerated: false });
  });

  it('turns introspection off in production unless asked for, and sizes the GraphQL gate', () => {
    expect(loadConfig({}, generated).graphql).toMatchObject({
      introspection: true,
      maxAliases: 30,
      maxStringLength: 100_000,
      maxBodyBytes: 2 * 1024 * 1024,
    });
    expect(loadConfig({ NODE_ENV: 'production' }, generated).graphql.introspection).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', GRAPHQL_INTROSPECTION: 'on' }, generated).graphql.introspection).toBe(
      true,
    );
    expect(loadConfig({ GRAPHQL_INTROSPECTION: 'off' }, generated).graphql.introspection).toBe(false);
    expect(failure({ GRAPHQL_INTROSPECTION: 'yes' })).toMatch(/^GRAPHQL_INTROSPECTION: must be one of off, on/);
  });

  it('throttles staff login by default: 5 failures free, 10 per account and 50 per address in 15 minutes', () => {
    expect(loadConfig({}, generated).login).toEqual({
      windowSeconds: 900,
      freeFailuresPerAccount: 5,
      maxFailuresPerAccount: 10,
      maxFailuresPerAddress: 50,
      delayMs: 1000,
    });
    expect(
      loadConfig(
        { LOGIN_WINDOW_SECONDS: '60', LOGIN_FREE_FAILURES: '0', LOGIN_MAX_FAILURES_PER_ACCOUNT: '3' },
        generated,
      ).login,
    ).toMatchObject({ windowSeconds: 60, freeFailuresPerAccount: 0, maxFailuresPerAccount: 3 });
  });

  it('traces requests only when asked to', () => {
    expect(loadConfig({ REQUEST_TRACING: 'on' }, generated).requestTracing).toBe(true);
    expect(loadConfig({ REQUEST_TRACING: 'off' }, generated).requestTracing).toBe(false);
  });

  it.each([
    [{ PORT: 'abc' }, /^PORT: must be an integer from 0 to 65535, got "abc"$/],
    [{ PORT: '70000' }, /^PORT: /],
    [{ ROLE: 'web' }, /^ROLE: must be one of all, api, worker, got "web"$/],
    [{ ROLE: 'worker', DATABASE_URL: 'postgres://db/app', JWT_SECRET: SECRET }, /^ROLE: "worker" needs REDIS_URL/],
    [{ ROLE: 'api', REDIS_URL: 'redis://cache' }, /^ROLE: "api" needs DATABASE_URL/],
    [{ DATABASE_URL: 'not a url' }, /^DATABASE_URL: not a valid URL/],
    [{ DATABASE_URL: 'mysql://db/app' }, /^DATABASE_URL: protocol must be postgres: or postgresql:, got mysql:$/],
    [{ REDIS_URL: 'http://cache' }, /^REDIS_URL: protocol must be redis: or rediss:/],
    [{ JWT_SECRET: 'short' }, /^JWT_SECRET: must be at least 32 characters long$/],
    [{ DATABASE_URL: 'postgres://db/app' }, /^JWT_SECRET: required when DATABASE_URL is set/],
    [{ LOG_LEVEL: 'verbose' }, /^LOG_LEVEL: must be one of error, warn, info, debug/],
    [{ REQUEST_TRACING: 'yes' }, /^REQUEST_TRACING: must be one of off, on, got "yes"$/],
    [{ BOOTSTRAP_ADMIN_EMAIL: 'admin' }, /^BOOTSTRAP_ADMIN_EMAIL: not an e-mail address/],
    [{ BOOTSTRAP_ADMIN_PASSWORD: 'short' }, /^BOOTSTRAP_ADMIN_PASSWORD: must be at least 8 characters/],
    [{ QUEUE_PREFIX: 'domovoy' }, /^QUEUE_PREFIX: must look like \{name\}/],
    [
      { LOGIN_MAX_FAILURES_PER_ACCOUNT: '0' },
      /^LOGIN_MAX_FAILURES_PER_ACCOUNT: must be an integer from 1 to 1000, got "0"$/,
    ],
    [
      { LOGIN_FREE_FAILURES: '10' },
      /^LOGIN_FREE_FAILURES: must be below LOGIN_MAX_FAILURES_PER_ACCOUNT \(10\), got "10"$/,
    ],
    [{ LOGIN_DELAY_MS: 'soon' }, /^LOGIN_DELAY_MS: must be an integer/],
  ])('rejects %j with one line naming the variable', (env, message) => {
    const text = failure(env as Record<string, string>);
    expect(text).toMatch(message);
    expect(text).not.toContain('\n');
  });
});
