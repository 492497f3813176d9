// The login device cookie in Debian's headless Chromium, cross-origin, in both modes: a browser
// that has logged in to an account before keeps logging in while guessers elsewhere have locked
// the account's name. The page is http://localhost:<port> and the API http://localhost:<another
// port>: different origins of one site, so the API's SameSite=Lax cookie travels with the page's
// credentialed requests (cookie.test.js explains the set-up).
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
const PASSWORD = 'correct-Horse-battery-staple-7';
const LIMIT = 3;
const WAIT_MS = 30_000;

const skip = process.env.API_BASE_URL ? 'needs servers of its own (API_BASE_URL is set)' : false;

let pageServer;
let appOrigin;
let browser;
const apis = {};

before(
  async () => {
    if (skip) return;
    await assertClientInstalled();
    pageServer = await startStaticServer({ publicDir: path.resolve(HERE, '..', 'public'), routes: ROUTES });
    appOrigin = `http://localhost:${pageServer.address().port}`;
    const env = {
      CORS_ALLOWED_ORIGINS: appOrigin,
      LOGIN_FAILURE_RATE: `${LIMIT}/hour`,
      // Plain HTTP: a Secure cookie would never come back.
      LOGIN_DEVICE_COOKIE_SECURE: 'false',
    };
    const [bearer, cookie] = await Promise.all([
      startLiveServer({ env }),
      startLiveServer({ env: { ...env, JWT_REFRESH_COOKIE: 'true', JWT_REFRESH_COOKIE_SECURE: 'false' } }),
    ]);
    Object.assign(apis, { bearer, cookie });
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, timeout: 60_000 });
  },
  { timeout: 240_000 },
);

after(
  async () => {
    await Promise.allSettled([browser?.close(), ...Object.values(apis).map((api) => api.stop()), pageServer && closeServer(pageServer)]);
  },
  { timeout: 60_000 },
);

describe('the login device cookie, cross-origin', { timeout: 120_000, skip }, () => {
  for (const mode of ['bearer', 'cookie']) {
    it(`keeps the owner's browser in while guessers lock the name out (${mode} mode)`, async () => {
      const apiBase = `http://localhost:${new URL(apis[mode].baseURL).port}`;
      const username = `device_${randomBytes(5).toString('hex')}`;
      const registered = await postJsonWithin(`${apiBase}/api/user/register/`, { username, password: PASSWORD }, {}, WAIT_MS);
      assert.equal(registered.status, 201, JSON.stringify(registered.body));
      const context = await browser.newContext();
      try {
        const page = await context.newPage();
        page.setDefaultTimeout(WAIT_MS);
        await page.goto(`${appOrigin}/device.html?api=${encodeURIComponent(apiBase)}${mode === 'cookie' ? '&cookie=1' : ''}`);
        await page.waitForFunction(() => window.deviceDemo !== undefined);
        const login = () => page.evaluate(({ user, password }) => window.deviceDemo.login(user, password), { user: username, password: PASSWORD });

        assert.deepEqual(await login(), { status: 200 });
        const cookies = await context.cookies(`${apiBase}/api/token/`);
        assert.ok(cookies.some((cookie) => cookie.name === 'login_device'), 'the browser kept the device cookie');

        // Guessers without the cookie, from outside the browser, spend the name's allowance.
        const origin = mode === 'cookie' ? { Origin: appOrigin } : {};
        for (let n = 0; n < LIMIT; n += 1) {
          const guess = await postJsonWithin(`${apiBase}/api/token/`, { username, password: 'a guess' }, origin, WAIT_MS);
          assert.equal(guess.status, 401);
        }
        const elsewhere = await postJsonWithin(`${apiBase}/api/token/`, { username, password: PASSWORD }, origin, WAIT_MS);
        assert.equal(elsewhere.status, 429, 'the name is locked for clients without the cookie');

        assert.deepEqual(await login(), { status: 200 }, 'the browser with the cookie still logs in');
      } finally {
        await context.close();
      }
    });
  }
});
