import { ConfigError, loadConfig } from './config';

const BASE = { JWT_SECRET: 'x'.repeat(32) };

describe('observability settings', () => {
  it('turns GraphiQL on outside production and off in production, unless GRAPHQL_IDE says otherwise', () => {
    expect(loadConfig({ ...BASE }).observability.graphqlIde).toBe(true);
    expect(loadConfig({ ...BASE, NODE_ENV: 'production' }).observability.graphqlIde).toBe(false);
    expect(loadConfig({ ...BASE, NODE_ENV: 'production', GRAPHQL_IDE: 'on' }).observability.graphqlIde).toBe(true);
    expect(loadConfig({ ...BASE, GRAPHQL_IDE: 'off' }).observability.graphqlIde).toBe(false);
    expect(() => loadConfig({ ...BASE, GRAPHQL_IDE: 'yes' })).toThrow(
      new ConfigError('GRAPHQL_IDE: must be one of on, off, got "yes"'),
    );
  });

  it('takes a metrics token of 16 or more characters and a metrics port', () => {
    expect(loadConfig({ ...BASE }).observability).toMatchObject({ metricsToken: undefined, metricsPort: undefined });
    expect(loadConfig({ ...BASE, METRICS_TOKEN: 'a'.repeat(16), METRICS_PORT: '9464' }).observability).toMatchObject({
      metricsToken: 'a'.repeat(16),
      metricsPort: 9464,
    });
    expect(() => loadConfig({ ...BASE, METRICS_TOKEN: 'short' })).toThrow(
      new ConfigError('METRICS_TOKEN: must be at least 16 characters long'),
    );
  });

  it('leaves the log format to the terminal unless LOG_FORMAT names one', () => {
    expect(loadConfig({ ...BASE }).observability.logFormat).toBeUndefined();
    expect(loadConfig({ ...BASE, LOG_FORMAT: 'json' }).observability.logFormat).toBe('json');
  });
});
