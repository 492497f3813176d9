// The API as a browser on another origin sees it, in Debian's headless Chromium.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

import { CHROMIUM, CHROMIUM_ARGS, closeServer, postJson, startStaticServer } from '../../support/browser.mjs';
import { startLiveServer } from '../../support/live-server.mjs';

const PUBLIC_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'public');
const PASSWORD = 'correct-Horse-battery-staple-7';
const TITLES = ['note 1', 'note 2', 'note 3'];

// Every one that listens, so that a failure halfway through the set-up still closes it.
const pageServers = [];

/**
 * Serves public/ the way a frontend dev server would, on one origin: the one given, or one on a
 * port that the OS finds free, since a developer's own dev server may hold any fixed one.
 */
async function startPageServer(origin = 'http://127.0.0.1:0') {
  const url = new URL(origin);
  if (url.protocol !== 'http:') throw new Error(`the page is served over plain HTTP, not from ${origin}`);
  const server = await startStaticServer({
    publicDir: PUBLIC_DIR,
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: Number(url.port || 80),
  });
  pageServers.push(server);
  url.port = String(server.address().port);
  return url.origin;
}

let allowedOrigin;
let refusedOrigin;
let api;
let browser;
let username;

before(
  async () => {
    if (process.env.API_BASE_URL && !process.env.PAGE_ORIGIN) {
      throw new Error('with API_BASE_URL, set PAGE_ORIGIN to the origin that server allows by CORS');
    }
    // The pages come first: the API is told which origin to allow, known only once its server listens.
    allowedOrigin = await startPageServer(process.env.PAGE_ORIGIN);
    refusedOrigin = await startPageServer();
    api = await startLiveServer({ env: { CORS_ALLOWED_ORIGINS: allowedOrigin } });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      timeout: 60_000,
    });

    // The user and notes are made outside the browser: the page has only to read them.
    username = `browser_${randomBytes(5).toString('hex')}`;
    const registered = await postJson(`${api.baseURL}/api/user/register/`, { username, password: PASSWORD });
    assert.equal(registered.status, 201, JSON.stringify(registered.body));
    const { body: tokens } = await postJson(`${api.baseURL}/api/token/`, { username, password: PASSWORD });
    for (const title of TITLES) {
      const created = await postJson(
        `${api.baseURL}/api/notes/`,
        { title, content: title },
        { Authorization: `Bearer ${tokens.access}` },
      );
      assert.equal(created.status, 201, JSON.stringify(created.body));
    }
  },
  { timeout: 240_000 },
);

after(
  async () => {
    // Each on its own, so that one that fails or hangs leaves none of the others open.
    await Promise.allSettled([browser?.close(), api?.stop(), ...pageServers.map(closeServer)]);
  },
  { timeout: 60_000 },
);

async function openPage(origin) {
  const page = await browser.newPage();
  const consoleErrors = [];
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  await page.goto(`${origin}/?api=${encodeURIComponent(api.baseURL)}`);
  await page.waitForFunction(() => window.notesDemo !== undefined);
  return { page, consoleErrors };
}

describe('the API in a real browser', { timeout: 120_000 }, () => {
  it('lets the allowed origin log in, list notes with a Bearer token and read the Link header', async () => {
    const { page } = await openPage(allowedOrigin);
    try {
      const pages = await page.evaluate(
        ({ user, password }) => window.notesDemo.signInAndList(user, password, 2),
        { user: username, password: PASSWORD },
      );

      assert.equal(pages.length, 2, `expected two pages, got ${JSON.stringify(pages)}`);
      // Newest first, split across the cursor.
      assert.deepEqual(pages[0].titles, ['note 3', 'note 2']);
      assert.deepEqual(pages[1].titles, ['note 1']);
      assert.ok(pages[0].link, 'the Link header is exposed to the page by CORS');
      assert.ok(pages[0].links.next, `no rel="next" in ${pages[0].link}`);
      assert.ok(pages[1].links.prev, `no rel="prev" in ${pages[1].link}`);
      assert.equal(pages[1].links.next, undefined);

      const rendered = await page.locator('#notes li').allTextContents();
      assert.deepEqual(rendered, ['note 3', 'note 2', 'note 1']);
      assert.equal(await page.locator('#status').textContent(), `signed in as ${username}`);
    } finally {
      await page.close();
    }
  });

  it('refuses another origin, which is not allowed', async () => {
    const { page } = await openPage(refusedOrigin);
    try {
      const outcome = await page.evaluate(
        async ({ user, password }) => {
          const attempts = {
            // Preflighted: JSON body.
            login: () => window.notesDemo.login(user, password),
            // Preflighted: Authorization header.
            list: () => window.notesDemo.fetchNotes('any', `${window.notesDemo.apiBase}/api/notes/`),
          };
          const results = {};
          for (const [name, attempt] of Object.entries(attempts)) {
            try {
              await attempt();
              results[name] = 'allowed';
            } catch (error) {
              results[name] = error.name;
            }
          }
          return results;
        },
        { user: username, password: PASSWORD },
      );
      assert.deepEqual(outcome, { login: 'TypeError', list: 'TypeError' });
    } finally {
      await page.close();
    }

    // The same refusal, seen from the server side: no CORS grant for that origin.
    const preflight = await fetch(`${api.baseURL}/api/token/`, {
      method: 'OPTIONS',
      headers: {
        Origin: refusedOrigin,
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'content-type',
      },
    });
    assert.equal(preflight.headers.get('access-control-allow-origin'), null);
  });

  it('renders the operations in Swagger UI at /api/docs/, from the server alone', async (t) => {
    const page = await browser.newPage();
    const foreign = [];
    page.on('request', (request) => {
      const { protocol, origin } = new URL(request.url());
      if ((protocol === 'http:' || protocol === 'https:') && origin !== api.baseURL) foreign.push(request.url());
    });
    try {
      const response = await page.goto(`${api.baseURL}/api/docs/`);
      if (response.status() === 404) {
        t.skip('/api/docs/ answers 404: Swagger UI (drf-spectacular) is not installed on this server yet');
        return;
      }
      assert.equal(response.status(), 200);
      await page.locator('.opblock').first().waitFor({ timeout: 30_000 });
      const operations = await page.locator('.opblock').count();
      assert.ok(operations >= 5, `only ${operations} operations rendered`);
      const paths = await page.locator('.opblock-summary-path').allTextContents();
      for (const expected of ['/api/token/', '/api/token/refresh/', '/api/notes/']) {
        assert.ok(
          paths.some((text) => text.replace(/\u200b/g, '') === expected),
          `${expected} missing from ${paths}`,
        );
      }
      assert.deepEqual(foreign, [], 'Swagger UI must not load anything from another host');
    } finally {
      await page.close();
    }
  });
});
