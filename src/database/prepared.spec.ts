import { withStartupOption } from './prepared';

describe('withStartupOption', () => {
  const OPTION = '-c plan_cache_mode=force_generic_plan';

  it('adds the setting to a connection string, keeping its own options and parameters', () => {
    const config = withStartupOption(
      { connectionString: 'postgres://u:p@db:5432/app?options=-c%20statement_timeout%3D5000&sslmode=disable', max: 5 },
      OPTION,
    );
    const url = new URL(config.connectionString!);
    expect(url.searchParams.get('options')).toBe(`-c statement_timeout=5000 ${OPTION}`);
    expect(url.searchParams.get('sslmode')).toBe('disable');
    expect(url.pathname).toBe('/app');
    expect(config.max).toBe(5);
  });

  it("keeps the config's own options when a connection string has none", () => {
    const config = withStartupOption(
      { connectionString: 'postgres://u@db/app', options: '-c search_path=crm' },
      OPTION,
    );
    expect(new URL(config.connectionString!).searchParams.get('options')).toBe(`-c search_path=crm ${OPTION}`);
    expect(config.options).toBeUndefined();
  });

  it("keeps a socket connection string WHATWG cannot parse, and sets the config's options", () => {
    expect(withStartupOption({ connectionString: 'postgres://app@/crm?host=/var/run/postgresql' }, OPTION)).toEqual({
      connectionString: 'postgres://app@/crm?host=/var/run/postgresql',
      options: OPTION,
    });
  });

  it('sets the options of a config without a connection string', () => {
    expect(withStartupOption({ host: '127.0.0.1', port: 5432 }, OPTION)).toEqual({
      host: '127.0.0.1',
      port: 5432,
      options: OPTION,
    });
    expect(withStartupOption({ host: '127.0.0.1', options: '-c work_mem=8MB' }, OPTION).options).toBe(
      `-c work_mem=8MB ${OPTION}`,
    );
  });
});
