import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BrowserContext, chromium, Page } from 'playwright-core';
import { generatedRegistry, registryXlsx, uploadRegistry } from './support/registry-files';
import { createOrganization, startTestApp, TestApp, TEST_PASSWORD, TestOrganization } from './support/test-app';

/** Debian's Chromium (`apt-get install -y chromium`; .ci/run installs it when missing). */
const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = join(__dirname, 'artifacts');

/** The text of a CodeMirror editor of the page (GraphiQL 3 keeps the instance on its element). */
function editorText(page: Page, selector: string): Promise<string> {
  return page.evaluate((css) => {
    const page = globalThis as unknown as {
      document: { querySelector(selector: string): { CodeMirror?: { getValue(): string } } | null };
    };
    const element = page.document.querySelector(css);
    return element?.CodeMirror?.getValue() ?? '';
  }, selector);
}

/** Replaces an editor's text the way a person pastes: click into it, select all, insert. */
async function pasteInto(page: Page, selector: string, text: string): Promise<void> {
  await page.click(`${selector} .CodeMirror-lines`);
  await page.keyboard.press('Control+A');
  await page.keyboard.insertText(text);
}

const RESULT = '.result-window .CodeMirror';
const VISIBLE_TOOL = '.graphiql-editor-tool .graphiql-editor:not(.hidden)';

/** Switches to a saved example's tab and waits until its operation is the one the editor holds. */
async function openTab(page: Page, name: string): Promise<void> {
  await page.locator('.graphiql-tab', { hasText: name }).first().click();
  const until = Date.now() + 5000;
  while (!(await editorText(page, '.graphiql-query-editor .CodeMirror')).includes(` ${name}`)) {
    if (Date.now() > until) throw new Error(`the ${name} tab did not open`);
    await page.waitForTimeout(50);
  }
  // GraphiQL settles the tab's operation name after the editor's text.
  await page.waitForTimeout(300);
}

async function run(page: Page): Promise<void> {
  await page.click('.graphiql-execute-button');
}

async function waitForResult(page: Page, contains: string, timeoutMs = 15_000): Promise<string> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const text = await editorText(page, RESULT);
    if (text.includes(contains)) return text;
    if (Date.now() > until) throw new Error(`the result pane never showed ${contains}; it shows: ${text}`);
    await page.waitForTimeout(50);
  }
}

describe('GraphiQL in a real browser (headless Chromium)', () => {
  let app: TestApp;
  let org: TestOrganization;
  let context: BrowserContext;
  let profile: string;
  const outsideRequests: string[] = [];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
    app = await startTestApp({ GRAPHQL_IDE: 'on' });
    org = await createOrganization(app);
    profile = mkdtempSync(join(tmpdir(), 'domovoy-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1400, height: 900 },
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    // Offline: anything the page asks of another host is refused and remembered.
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(app.url) || url.startsWith(app.url.replace(/^http/, 'ws'))) return route.continue();
      outsideRequests.push(url);
      return route.abort();
    });
  });
  afterAll(async () => {
    await context?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
    await app?.close();
  });

  it('signs in, runs me, and shows importJobProgress events live while an import runs', async () => {
    const page = context.pages()[0] ?? (await context.newPage());
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(`${app.url}/graphql`);
    await page.waitForSelector('.graphiql-container .CodeMirror', { timeout: 20_000 });

    // The Login tab is first: its variables get the e-mail and password, then Run.
    await page.getByRole('button', { name: 'Variables' }).click();
    await pasteInto(page, VISIBLE_TOOL, JSON.stringify({ input: { email: org.adminEmail, password: TEST_PASSWORD } }));
    await run(page);
    const login = JSON.parse(await waitForResult(page, 'accessToken')) as { data: { login: { accessToken: string } } };
    const token = login.data.login.accessToken;

    // The token goes into the tab's headers editor, as the Login tab's comment says (GraphiQL keeps headers per tab).
    const authorization = JSON.stringify({ Authorization: `Bearer ${token}` });
    await openTab(page, 'Me');
    await page.getByRole('button', { name: 'Headers' }).click();
    await pasteInto(page, VISIBLE_TOOL, authorization);
    await run(page);
    expect(JSON.parse(await waitForResult(page, org.adminEmail))).toEqual({
      data: { me: expect.objectContaining({ email: org.adminEmail, role: 'ADMIN' }) },
    });

    // The docs explorer reads the schema by introspection.
    await page.getByRole('button', { name: /Show Documentation Explorer/ }).click();
    await page.locator('.graphiql-doc-explorer', { hasText: 'Query' }).waitFor({ timeout: 10_000 });

    // An import big enough to run for a few seconds; the subscription is started from the IDE.
    const upload = await uploadRegistry(app, org.adminToken, await registryXlsx(generatedRegistry(15_000, 500_000)));
    expect(upload.status).toBe(202);
    await openTab(page, 'ImportJobProgress');
    await page.getByRole('button', { name: 'Headers' }).click();
    await pasteInto(page, VISIBLE_TOOL, authorization);
    await page.getByRole('button', { name: 'Variables' }).click();
    await pasteInto(page, VISIBLE_TOOL, JSON.stringify({ id: upload.body.id }));
    await run(page);

    const seen = new Set<string>();
    const until = Date.now() + 60_000;
    let last = '';
    while (Date.now() < until) {
      const text = await editorText(page, RESULT);
      if (text.includes('importJobProgress')) {
        const event = (JSON.parse(text) as { data: { importJobProgress: { status: string; processedRows: number } } })
          .data.importJobProgress;
        seen.add(`${event.status}:${event.processedRows}`);
        last = event.status;
        if (last === 'COMPLETED' || last === 'FAILED') break;
      }
      await page.waitForTimeout(25);
    }
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'graphiql-import-progress.png') });
    expect(last).toBe('COMPLETED');
    expect(seen.size).toBeGreaterThanOrEqual(2);
    expect([...seen].some((event) => event.startsWith('RUNNING:'))).toBe(true);
    expect(pageErrors).toEqual([]);
    expect(outsideRequests).toEqual([]);
  });
});
