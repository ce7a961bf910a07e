import { startTestApp, TestApp } from './support/test-app';

const BROWSER = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };

async function page(app: TestApp): Promise<{ status: number; text: string }> {
  const response = await fetch(`${app.url}/graphql`, { headers: BROWSER });
  return { status: response.status, text: await response.text() };
}

describe('GraphiQL at GET /graphql', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ NODE_ENV: 'development' });
  });
  afterAll(() => app.close());

  it('serves the IDE to a browser, every file from this server (no CDN)', async () => {
    const { status, text } = await page(app);
    expect(status).toBe(200);
    const sources = [...text.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]);
    expect(sources).toEqual([
      '/graphiql/graphiql.min.css',
      '/graphiql/react.production.min.js',
      '/graphiql/react-dom.production.min.js',
      '/graphiql/graphql-ws.min.js',
      '/graphiql/graphiql.min.js',
      '/graphiql/ide.js',
    ]);
    for (const source of sources) {
      const asset = await fetch(`${app.url}${source}`);
      expect([source, asset.status]).toEqual([source, 200]);
      expect((await asset.text()).length).toBeGreaterThan(100);
    }
    expect((await fetch(`${app.url}/graphiql/package.json`)).status).toBe(404);
    expect((await fetch(`${app.url}/graphiql/..%2F..%2Fpackage.json`)).status).toBe(404);
  });

  it('still answers operations as before', async () => {
    expect(await app.gql('{ __typename }')).toEqual({ data: { __typename: 'Query' } });
  });
});

describe('GraphiQL with NODE_ENV=production', () => {
  it('is off by default and on with GRAPHQL_IDE=on', async () => {
    const off = await startTestApp({ NODE_ENV: 'production' });
    try {
      const { status, text } = await page(off);
      expect(status).toBe(400);
      expect(text).not.toContain('graphiql');
      expect((await fetch(`${off.url}/graphiql/ide.js`)).status).toBe(404);
    } finally {
      await off.close();
    }
    const on = await startTestApp({ NODE_ENV: 'production', GRAPHQL_IDE: 'on' });
    try {
      expect((await page(on)).status).toBe(200);
    } finally {
      await on.close();
    }
  });
});
