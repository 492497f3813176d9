// Refresh cookie mode as a browser lives it, in Debian's headless Chromium: the reference Axios
// client on a page of its own origin, an API in cookie mode on another, and a third origin that
// the API does not allow.
//
// Origins. The page is served as http://localhost:<port>, like a Vite dev server, and the API is
// reached as http://localhost:<another port>. Cookies ignore ports, and SameSite compares sites
// (scheme and registrable domain), not origins: both are the site http://localhost, so the
// browser sends the API's SameSite=Lax cookies with the page's credentialed fetches, which is the
// realistic development set-up (and the "same site" deployment of docs/security.md). With the
// API at http://127.0.0.1 instead, the page and the API would be different sites, a Lax cookie
// would never travel with the page's requests, and refresh would fail: that set-up needs
// SameSite=None, which needs Secure, which needs HTTPS. The origin the API refuses is
// http://localhost:<a third port>: same site, so the browser sends the cookies its way too, and
// only the Origin check and CORS stand between it and the session.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

import {
  CHROMIUM,
  CLIENT_ROUTES as ROUTES,
  LOCALHOST_CHROMIUM_ARGS as CHROMIUM_ARGS,
  assertClientInstalled,
  closeServer,
  postJson as postJsonWithin,
  startStaticServer,
} from '../../support/browser.mjs';
import { startLiveServer } from '../../support/live-server.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const PUBLIC_DIR = path.resolve(HERE, '..', 'public');
const PASSWORD = 'correct-Horse-battery-staple-7';
const TITLES = ['first', 'second'];
const REFRESH_COOKIE = 'refresh_token';
// Playwright's waits (page loads, waitForFunction, waitForResponse); page.evaluate is bounded by
// the page's own Axios timeout and by the test's.
const WAIT_MS = 30_000;

// A server someone else started (API_BASE_URL) runs in whichever mode it was given.
const skip = process.env.API_BASE_URL ? 'needs a server of its own in cookie mode (API_BASE_URL is set)' : false;

const pageServers = [];

/** Serves public/ (and the client) as a frontend dev server would, at http://localhost:<free port>. */
async function startPageServer() {
  const server = await startStaticServer({
    publicDir: PUBLIC_DIR,
    routes: ROUTES,
    // An HTML page, so that the tests can look at document.cookie on any path.
    notFound: '<!doctype html><title>not found</title>',
  });
  pageServers.push(server);
  return `http://localhost:${server.address().port}`;
}

const postJson = (url, body, headers = {}) => postJsonWithin(url, body, headers, WAIT_MS);

let appOrigin;
let otherOrigin;
let api;
let apiBase;
let browser;

before(
  async () => {
    if (skip) return;
    await assertClientInstalled();
    appOrigin = await startPageServer();
    otherOrigin = await startPageServer();
    api = await startLiveServer({
      env: {
        JWT_REFRESH_COOKIE: 'true',
        // Plain HTTP: a Secure cookie would never be sent back. SameSite stays Lax (the default).
        JWT_REFRESH_COOKIE_SECURE: 'false',
        CORS_ALLOWED_ORIGINS: appOrigin,
      },
    });
    // The same server, by the name that makes it the page's site (see the top of this file).
    apiBase = `http://localhost:${new URL(api.baseURL).port}`;
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, timeout: 60_000 });
  },
  { timeout: 240_000 },
);

after(
  async () => {
    await Promise.allSettled([browser?.close(), api?.stop(), ...pageServers.map(closeServer)]);
  },
  { timeout: 60_000 },
);

/** A user with notes, made outside the browser (the login there is what is being tested). */
async function userWithNotes() {
  const username = `cookie_${randomBytes(5).toString('hex')}`;
  const registered = await postJson(`${apiBase}/api/user/register/`, { username, password: PASSWORD });
  assert.equal(registered.status, 201, JSON.stringify(registered.body));
  const login = await postJson(`${apiBase}/api/token/`, { username, password: PASSWORD }, { Origin: appOrigin });
  assert.equal(login.status, 200, JSON.stringify(login.body));
  for (const title of TITLES) {
    const created = await postJson(
      `${apiBase}/api/notes/`,
      { title, content: title },
      { Authorization: `Bearer ${login.body.access}` },
    );
    assert.equal(created.status, 201, JSON.stringify(created.body));
  }
  return username;
}

/**
 * Records the requests of `page` as they went over the wire (headers as sent, cookies included,
 * status, CORS verdict), through the DevTools protocol.
 */
async function watchWire(context, page) {
  const cdp = await context.newCDPSession(page);
  const requests = new Map();
  const entry = (id) => requests.get(id) ?? requests.set(id, { status: null, corsError: null, headers: {} }).get(id);
  cdp.on('Network.requestWillBeSent', ({ requestId, request }) =>
    Object.assign(entry(requestId), { url: request.url, method: request.method }),
  );
  cdp.on('Network.requestWillBeSentExtraInfo', ({ requestId, headers }) => Object.assign(entry(requestId), { headers }));
  cdp.on('Network.responseReceivedExtraInfo', ({ requestId, statusCode }) => Object.assign(entry(requestId), { status: statusCode }));
  cdp.on('Network.loadingFailed', ({ requestId, corsErrorStatus }) =>
    Object.assign(entry(requestId), { corsError: corsErrorStatus?.corsError ?? null }),
  );
  await cdp.send('Network.enable');
  return {
    /** The first `count` requests to `url` once all of them are complete, in the order they were made. */
    async requestsTo(url, count) {
      const deadline = Date.now() + WAIT_MS;
      for (;;) {
        const found = [...requests.values()]
          .filter((request) => request.url === url)
          .map((request) => ({ ...request, mode: request.headers['Sec-Fetch-Mode'] ?? null }));
        // A request is complete once it has an answer or a CORS verdict.
        if (found.length >= count && found.every(({ status, corsError }) => status !== null || corsError !== null)) {
          return found.slice(0, count);
        }
        if (Date.now() > deadline) throw new Error(`saw ${JSON.stringify(found)} of ${count} requests to ${url}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
  };
}

/** Opens the cookie-mode page of `origin` and waits for its start-up restore. */
async function openApp(context, origin) {
  const page = await context.newPage();
  page.setDefaultTimeout(WAIT_MS);
  await page.goto(`${origin}/cookie.html?api=${encodeURIComponent(apiBase)}`);
  await page.waitForFunction(() => window.cookieDemo !== undefined);
  return page;
}

const logIn = (page, username) =>
  page.evaluate(({ user, password }) => window.cookieDemo.login(user, password), { user: username, password: PASSWORD });

const restoredOnLoad = (page) => page.evaluate(() => window.cookieDemo.restored);

/** The browser's refresh cookies (the URL given must be under its Path for Playwright to list it). */
async function refreshCookies(context) {
  return (await context.cookies(`${apiBase}/api/token/`)).filter((cookie) => cookie.name === REFRESH_COOKIE);
}

/** document.cookie of a page of `origin` whose path the refresh cookie's Path covers. */
async function scriptVisibleCookies(context, origin) {
  const page = await context.newPage();
  try {
    await page.goto(`${origin}/api/token/`, { timeout: WAIT_MS });
    return await page.evaluate(() => document.cookie);
  } finally {
    await page.close();
  }
}

describe('refresh cookie mode in a real browser', { timeout: 120_000, skip }, () => {
  it('logs in, survives a reload through the cookie alone, and never shows the refresh token to scripts', async () => {
    const username = await userWithNotes();
    const context = await browser.newContext();
    try {
      const page = await openApp(context, appOrigin);
      assert.deepEqual(await restoredOnLoad(page), { ok: true, value: false }, 'a new browser has no session');

      assert.deepEqual(await logIn(page, username), { ok: true, value: true });
      const [cookie] = await refreshCookies(context);
      assert.ok(cookie, 'the browser kept the refresh cookie');
      assert.equal(cookie.httpOnly, true);
      assert.equal(cookie.path, '/api/token/');
      assert.equal(cookie.sameSite, 'Lax');
      assert.deepEqual(await page.evaluate(() => window.cookieDemo.listNotes()), { ok: true, value: ['second', 'first'] });
      const firstAccess = await page.evaluate(() => window.cookieDemo.accessToken());
      assert.ok(firstAccess);

      // A reload empties the page's memory: the access token is gone, the cookie is not.
      await page.reload();
      await page.waitForFunction(() => window.cookieDemo !== undefined);
      assert.deepEqual(await restoredOnLoad(page), { ok: true, value: true }, 'restored from the cookie');
      assert.equal(await page.locator('#status').textContent(), 'signed in');
      const secondAccess = await page.evaluate(() => window.cookieDemo.accessToken());
      assert.ok(secondAccess);
      assert.notEqual(secondAccess, firstAccess);
      assert.deepEqual(await page.evaluate(() => window.cookieDemo.listNotes()), { ok: true, value: ['second', 'first'] });
      assert.deepEqual(await page.locator('#notes li').allTextContents(), ['second', 'first']);
      assert.notEqual((await refreshCookies(context))[0].value, cookie.value, 'the refresh rotated the cookie');

      // The cookies of http://localhost are shared by all its ports, so the page's scripts see the
      // API's csrftoken; the refresh cookie they never see, not even on a path under its Path.
      assert.match(await page.evaluate(() => document.cookie), /(^|; )csrftoken=/);
      assert.doesNotMatch(await page.evaluate(() => document.cookie), new RegExp(REFRESH_COOKIE));
      const underPath = await scriptVisibleCookies(context, appOrigin);
      assert.match(underPath, /(^|; )csrftoken=/);
      assert.doesNotMatch(underPath, new RegExp(REFRESH_COOKIE));
      assert.equal(await page.evaluate(() => localStorage.length + sessionStorage.length), 0);

      // Logout clears the cookie, so the next load has nothing to restore.
      assert.deepEqual(await page.evaluate(() => window.cookieDemo.logout()), { ok: true, value: true });
      assert.deepEqual(await refreshCookies(context), []);
      const rejected = await fetch(`${apiBase}/api/notes/`, {
        headers: { Authorization: `Bearer ${secondAccess}` },
        signal: AbortSignal.timeout(WAIT_MS),
      });
      assert.equal(rejected.status, 401, 'the access token failed at once');
      assert.equal((await rejected.json()).code, 'token_not_valid');
      await page.reload();
      await page.waitForFunction(() => window.cookieDemo !== undefined);
      assert.deepEqual(await restoredOnLoad(page), { ok: true, value: false });
      assert.equal(await page.evaluate(() => window.cookieDemo.accessToken()), null);
    } finally {
      await context.close();
    }
  });

  it('another origin of the same site gets no access token from the cookie', async () => {
    const username = await userWithNotes();
    const context = await browser.newContext();
    try {
      // The browser holds a live session of the allowed frontend.
      const app = await openApp(context, appOrigin);
      await restoredOnLoad(app);
      assert.deepEqual(await logIn(app, username), { ok: true, value: true });
      const [cookie] = await refreshCookies(context);
      assert.ok(cookie);

      // The same page, served from an origin the API does not allow. Its client's restore() fails
      // at its first step: the answer of GET /api/csrf/ carries no CORS grant for this origin, so
      // the browser hides it, and Axios reports a network error.
      const other = await openApp(context, otherOrigin);
      const restored = await restoredOnLoad(other);
      assert.equal(restored.ok, false, JSON.stringify(restored));
      assert.equal(restored.error.code, 'ERR_NETWORK');
      assert.equal(await other.locator('#status').textContent(), 'could not reach the API');
      assert.equal(await other.evaluate(() => window.cookieDemo.accessToken()), null);

      // A script there tries by hand. The csrftoken cookie is readable to it (same host), so the
      // CSRF token alone would not stop it: the preflight that the X-CSRFToken header needs is
      // refused by CORS, and a request without that header is refused by the server's Origin
      // check. What went over the wire is read through the DevTools protocol: the page cannot
      // see it, and Playwright's own events leave out requests that CORS failed.
      const refreshURL = `${apiBase}/api/token/refresh/`;
      const wire = await watchWire(context, other);
      const attempts = await other.evaluate(async (url) => {
        const csrf = /(?:^|; )csrftoken=([^;]+)/.exec(document.cookie)?.[1] ?? null;
        const outcome = async (request) => {
          try {
            const response = await request();
            return { type: response.type, status: response.status };
          } catch (error) {
            return { error: error.name };
          }
        };
        return {
          csrfReadable: csrf !== null,
          withCsrfHeader: await outcome(() =>
            fetch(url, { method: 'POST', credentials: 'include', headers: { 'X-CSRFToken': csrf } }),
          ),
          simple: await outcome(() => fetch(url, { method: 'POST', credentials: 'include' })),
          noCors: await outcome(() => fetch(url, { method: 'POST', credentials: 'include', mode: 'no-cors' })),
        };
      }, refreshURL);
      assert.deepEqual(attempts, {
        csrfReadable: true,
        withCsrfHeader: { error: 'TypeError' },
        simple: { error: 'TypeError' },
        // Answered, and opaque: neither status nor body is readable.
        noCors: { type: 'opaque', status: 0 },
      });
      assert.equal(await other.evaluate(() => window.cookieDemo.accessToken()), null);

      const seen = await wire.requestsTo(refreshURL, 4);
      const summary = ({ mode, status, corsError }) => ({ mode, status, corsError });
      // The X-CSRFToken attempt's preflight gets no CORS grant...
      assert.deepEqual(
        seen.filter(({ method }) => method === 'OPTIONS').map(summary),
        [{ mode: 'cors', status: 200, corsError: null }],
      );
      const posts = seen.filter(({ method }) => method === 'POST');
      assert.deepEqual(posts.map(summary), [
        // ...so its POST is never sent;
        { mode: null, status: null, corsError: 'PreflightMissingAllowOriginHeader' },
        // the other two reach the server, refresh cookie and all, and are refused.
        { mode: 'cors', status: 403, corsError: 'MissingAllowOriginHeader' },
        { mode: 'no-cors', status: 403, corsError: null },
      ]);
      for (const request of seen.filter(({ status }) => status === 403)) {
        assert.equal(request.headers.Origin, otherOrigin);
        assert.equal(request.headers['Sec-Fetch-Site'], 'same-site');
        assert.match(request.headers.Cookie, new RegExp(`(^|; )${REFRESH_COOKIE}=${cookie.value}(;|$)`));
      }
      // The browser keeps the body of those answers from the page and from DevTools alike; the
      // same request sent again from here shows what the server said.
      const { Origin, Cookie } = posts[1].headers;
      const replay = await fetch(refreshURL, { method: 'POST', headers: { Origin, Cookie }, signal: AbortSignal.timeout(WAIT_MS) });
      assert.equal(replay.status, 403);
      assert.equal((await replay.json()).code, 'origin_not_allowed');
      assert.equal(replay.headers.get('set-cookie'), null);

      // The session is untouched: the allowed page still refreshes with the same cookie.
      assert.equal((await refreshCookies(context))[0].value, cookie.value, 'nothing was spent');
      assert.deepEqual(await app.evaluate(() => window.cookieDemo.restore()), { ok: true, value: true });
      assert.deepEqual(await app.evaluate(() => window.cookieDemo.listNotes()), { ok: true, value: ['second', 'first'] });
    } finally {
      await context.close();
    }
  });
});
