// The React app, built as `npm run build` builds it, in Debian's headless Chromium against live
// servers, in each token mode (Bearer, refresh cookie, DPoP): a user registers (a password the API
// refuses shows its message beside the field, which takes the focus), lands on the notes, adds
// and deletes notes, reloads without losing the session, outlives an access token, signs out.
// The page is http://localhost:<port> and the API http://localhost:<another port>, one site.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { chromium } from 'playwright-core';

import { CHROMIUM, LOCALHOST_CHROMIUM_ARGS, closeServer, startStaticServer } from '../../support/browser.mjs';
import { startLiveServer } from '../../support/live-server.mjs';

const APP_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PASSWORD = 'correct-Horse-battery-staple-7';
// The servers issue 2 s access tokens; exp has one-second resolution, so wait past a full extra second.
const ACCESS_EXPIRY_MS = 3500;
const WAIT_MS = 30_000;
const BUILD_TIMEOUT_MS = 120_000;
const ROUTES = ['/login', '/register', '/notes'];
const MODES = ['bearer', 'cookie', 'dpop'];

const skip = process.env.API_BASE_URL ? 'needs servers of its own allowing the app (API_BASE_URL is set)' : false;

let browser;
let plainApi;
let cookieApi;
const apps = {};
const cleanup = [];

/** Serves a build on a free port, every route of the app answered with its index.html. */
async function serveBuild(dir) {
  const routes = Object.fromEntries(ROUTES.map((route) => [route, path.join(dir, 'index.html')]));
  const server = await startStaticServer({ publicDir: dir, routes });
  cleanup.push(() => closeServer(server));
  return server;
}

async function build(mode, apiUrl, outDir) {
  await promisify(execFile)(path.join(APP_DIR, 'node_modules', '.bin', 'vite'), ['build', '--outDir', outDir, '--emptyOutDir'], {
    cwd: APP_DIR,
    env: { ...process.env, VITE_API_URL: apiUrl, VITE_TOKEN_MODE: mode },
    timeout: BUILD_TIMEOUT_MS,
  });
}

before(
  async () => {
    if (skip) return;
    const work = await mkdtemp(path.join(os.tmpdir(), 'notes-react-'));
    cleanup.push(() => rm(work, { recursive: true, force: true }));
    // The app's origin must be known to the servers' CORS, and the servers' to the build: the
    // page servers start first, on the folders the builds then fill.
    const pages = {};
    for (const mode of MODES) {
      const dir = path.join(work, mode);
      pages[mode] = { dir, server: await serveBuild(dir) };
    }
    const origin = (server) => `http://localhost:${server.address().port}`;
    const allowed = MODES.map((mode) => origin(pages[mode].server)).join(',');
    [plainApi, cookieApi] = await Promise.all([
      startLiveServer({ env: { CORS_ALLOWED_ORIGINS: allowed } }),
      // Plain HTTP: a Secure cookie would never come back.
      startLiveServer({
        env: { CORS_ALLOWED_ORIGINS: allowed, JWT_REFRESH_COOKIE: 'true', JWT_REFRESH_COOKIE_SECURE: 'false' },
      }),
    ]);
    const apiUrl = (server) => `http://localhost:${new URL(server.baseURL).port}`;
    for (const mode of MODES) {
      await build(mode, apiUrl(mode === 'cookie' ? cookieApi : plainApi), pages[mode].dir);
      apps[mode] = origin(pages[mode].server);
    }
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: LOCALHOST_CHROMIUM_ARGS,
      timeout: 60_000,
    });
  },
  { timeout: 300_000 },
);

after(
  async () => {
    await Promise.allSettled([browser?.close(), plainApi?.stop(), cookieApi?.stop(), ...cleanup.map((step) => step())]);
  },
  { timeout: 60_000 },
);

describe('the React app in a real browser', { timeout: 120_000, skip }, () => {
  it('builds with no warning', async () => {
    const { stderr } = await promisify(execFile)(path.join(APP_DIR, 'node_modules', '.bin', 'vite'), ['build', '--outDir', path.join(os.tmpdir(), `notes-react-check-${process.pid}`), '--emptyOutDir'], {
      cwd: APP_DIR,
      timeout: BUILD_TIMEOUT_MS,
    });
    assert.doesNotMatch(stderr, /warn/i, stderr);
    await rm(path.join(os.tmpdir(), `notes-react-check-${process.pid}`), { recursive: true, force: true });
  });

  for (const mode of MODES) {
    it(`registers, keeps notes across a reload and an expiry, and signs out (${mode})`, async () => {
      const context = await browser.newContext();
      try {
        const page = await context.newPage();
        page.setDefaultTimeout(WAIT_MS);
        // The scheme of every notes request the page sends, and whether a proof came with it.
        const sent = [];
        page.on('request', (request) => {
          if (new URL(request.url()).pathname.startsWith('/api/notes/') && request.method() !== 'OPTIONS') {
            const headers = request.headers();
            sent.push({ scheme: headers.authorization?.split(' ')[0], proof: 'dpop' in headers });
          }
        });
        await page.goto(`${apps[mode]}/notes`);
        await page.waitForURL('**/login');
        await page.getByRole('link', { name: 'Create an account' }).click();

        const username = `react_${randomBytes(5).toString('hex')}`;
        await page.getByLabel('Username').fill(username);
        await page.getByLabel(/^Password/).fill('too short');
        await page.getByRole('button', { name: 'Create account' }).click();
        const passwordErrors = page.locator('#password-errors');
        await passwordErrors.waitFor();
        assert.match(await passwordErrors.textContent(), /too short|at least 15/i);
        assert.equal(await page.evaluate(() => document.activeElement?.id), 'password');
        assert.equal(await page.getByLabel(/^Password/).getAttribute('aria-invalid'), 'true');

        await page.getByLabel(/^Password/).fill(PASSWORD);
        await page.getByRole('button', { name: 'Create account' }).click();
        await page.waitForURL('**/notes');
        await page.getByText('No notes yet.').waitFor();

        await page.getByLabel('Title').fill('Milk');
        await page.getByLabel('Content').fill('two litres');
        await page.getByRole('button', { name: 'Add note' }).click();
        await page.getByRole('heading', { name: 'Milk' }).waitFor();

        await page.reload();
        await page.getByRole('heading', { name: 'Milk' }).waitFor();
        assert.equal(new URL(page.url()).pathname, '/notes');

        await sleep(ACCESS_EXPIRY_MS);
        await page.getByLabel('Title').fill('Eggs');
        await page.getByLabel('Content').fill('a dozen');
        await page.getByRole('button', { name: 'Add note' }).click();
        await page.getByRole('heading', { name: 'Eggs' }).waitFor();
        await page.getByRole('button', { name: 'Delete Milk' }).click();
        await page.getByRole('heading', { name: 'Milk' }).waitFor({ state: 'detached' });

        const scheme = mode === 'dpop' ? 'DPoP' : 'Bearer';
        assert.ok(sent.length >= 4, JSON.stringify(sent));
        assert.deepEqual(new Set(sent.map(JSON.stringify)), new Set([JSON.stringify({ scheme, proof: mode === 'dpop' })]));
        const stored = await page.evaluate(() => localStorage.getItem('notes.refresh'));
        assert.equal(stored === null, mode === 'cookie', 'only cookie mode keeps no refresh token in the page');

        await page.getByRole('button', { name: 'Sign out' }).click();
        await page.waitForURL('**/login');
        await page.reload();
        await page.waitForURL('**/login');
      } finally {
        await context.close();
      }
    });
  }
});

