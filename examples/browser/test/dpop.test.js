// DPoP in Debian's headless Chromium with the reference Axios client: the key pair made by the
// browser's WebCrypto with `extractable: false` and kept in IndexedDB; a login, a reload that
// keeps the session (refresh cookie mode, and tokens in localStorage), an access token's expiry;
// then the tokens taken out of the page and replayed from elsewhere, refused, while the page keeps
// working. The page is http://localhost:<port> and each API http://localhost:<another port>, as in
// cookie.test.js, so that the refresh cookie is same-site.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

import { startClientRig } from '../../support/browser.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const PASSWORD = 'correct-Horse-battery-staple-7';
// The servers issue 2 s access tokens; exp has one-second resolution, so wait past a full extra second.
const ACCESS_EXPIRY_MS = 3500;
const WAIT_MS = 30_000;
const FETCH_TIMEOUT_MS = 20_000;

const skip = process.env.API_BASE_URL ? 'needs servers of its own allowing this page (API_BASE_URL is set)' : false;

let rig;
let appOrigin;
let apiBase;
let cookieApiBase;
let browser;

before(
  async () => {
    if (skip) return;
    rig = await startClientRig({ chromium, publicDir: path.resolve(HERE, '..', 'public') });
    ({ appOrigin, apiBase, cookieApiBase, browser } = rig);
  },
  { timeout: 240_000 },
);

after(
  async () => {
    await rig?.stop();
  },
  { timeout: 60_000 },
);

/** A new browser profile with the DPoP page open against one of the APIs. */
async function openApp({ cookieMode }) {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.setDefaultTimeout(WAIT_MS);
  const base = cookieMode ? cookieApiBase : apiBase;
  const url = `${appOrigin}/dpop.html?api=${encodeURIComponent(base)}${cookieMode ? '&cookie=1' : ''}`;
  const ready = async () => {
    await page.waitForFunction(() => window.dpopDemo !== undefined);
    return page.evaluate(() => window.dpopDemo.restored());
  };
  await page.goto(url);
  await ready();
  const demo = (name, ...args) => page.evaluate(({ name, args }) => window.dpopDemo[name](...args), { name, args });
  const reload = async () => {
    await page.reload();
    return ready();
  };
  return { context, page, demo, reload, base };
}

/** A request from outside the page, as a thief holding the tokens would send it. */
async function fromElsewhere(url, { method = 'GET', headers = {}, body } = {}) {
  const response = await fetch(url, {
    method,
    headers: { ...(body && { 'Content-Type': 'application/json' }), ...headers },
    body: body && JSON.stringify(body),
    signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
  });
  return { status: response.status, body: await response.json() };
}

const newUsername = () => `dpop_${randomBytes(5).toString('hex')}`;

describe('DPoP in a real browser', { timeout: 120_000, skip }, () => {
  for (const cookieMode of [true, false]) {
    const mode = cookieMode ? 'refresh cookie mode' : 'tokens in localStorage';

    it(`logs in with a non-extractable key, survives a reload and an expiry, and the tokens taken out fail elsewhere (${mode})`, async () => {
      const { context, demo, reload, base } = await openApp({ cookieMode });
      try {
        assert.deepEqual(await demo('signUp', newUsername(), PASSWORD), { ok: true, value: 'DPoP' });
        assert.deepEqual(await demo('storedKey'), { type: 'private', extractable: false, exported: false });
        assert.deepEqual(await demo('createNote', 'before reload'), { ok: true, value: 201 });

        // The key comes back from IndexedDB; in cookie mode restore() refreshes with the cookie
        // and a proof by that key.
        assert.deepEqual(await reload(), { ok: true, value: true });
        assert.deepEqual(await demo('titles'), { ok: true, value: ['before reload'] });
        await sleep(ACCESS_EXPIRY_MS);
        assert.deepEqual(await demo('titles'), { ok: true, value: ['before reload'] });

        const stolen = await demo('tokens');
        assert.ok(stolen.access);
        const notes = `${base}/api/notes/`;
        for (const scheme of ['Bearer', 'DPoP']) {
          const replayed = await fromElsewhere(notes, { headers: { Authorization: `${scheme} ${stolen.access}` } });
          assert.equal(replayed.status, 401, `${scheme}: ${JSON.stringify(replayed.body)}`);
        }
        if (cookieMode) {
          assert.equal(stolen.refresh, undefined, 'the refresh token never reaches the page');
          const [cookie] = (await context.cookies(`${base}/api/token/refresh/`)).filter((c) => c.name === 'refresh_token');
          assert.ok(cookie, 'the refresh cookie is set');
          // Another browser with the cookie copied into its jar and a key of its own: the page's
          // restore() there refreshes with that cookie and is refused, as bound to another key.
          const thief = await browser.newContext();
          try {
            await thief.addCookies([cookie]);
            const page = await thief.newPage();
            page.setDefaultTimeout(WAIT_MS);
            await page.goto(`${appOrigin}/dpop.html?api=${encodeURIComponent(base)}&cookie=1`);
            await page.waitForFunction(() => window.dpopDemo !== undefined);
            assert.deepEqual(await page.evaluate(() => window.dpopDemo.restored()), { ok: true, value: false });
            assert.deepEqual(await page.evaluate(() => window.dpopDemo.titles()), {
              ok: false,
              error: { message: 'Request failed with status code 401', status: 401, apiCode: 'not_authenticated' },
            });
          } finally {
            await thief.close();
          }
        } else {
          const refreshed = await fromElsewhere(`${base}/api/token/refresh/`, {
            method: 'POST',
            body: { refresh: stolen.refresh },
          });
          assert.equal(refreshed.status, 400, JSON.stringify(refreshed.body));
          assert.equal(refreshed.body.code, 'invalid_dpop_proof');
        }

        // The page, which holds the key, goes on: its refresh token was not spent by the thief.
        await sleep(ACCESS_EXPIRY_MS);
        assert.deepEqual(await demo('createNote', 'after the theft'), { ok: true, value: 201 });
        assert.equal((await demo('logout')).ok, true);
        assert.equal(await demo('storedKey'), null);
      } finally {
        await context.close();
      }
    });
  }
});
