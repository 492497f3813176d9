// What every flow of the React app's browser test needs, started once for the whole run: the app
// built as `npm run build` builds it, once per token mode (Bearer, refresh cookie, DPoP), each
// served at http://localhost:<port> with its client-side routes answered by its index.html; the live APIs
// at http://localhost:<other ports>, one a mode, that allow those origins (the cookie mode's on
// plain HTTP, where a Secure cookie would never come back), with passkeys for these origins, their mail
// sent to an SMTP sink, and the backend's test OpenID provider as `test`; and Debian's headless Chromium.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { chromium } from 'playwright-core';

import { CHROMIUM, LOCALHOST_CHROMIUM_ARGS, closeServer, startStaticServer } from '../../support/browser.mjs';
import { startLiveServer } from '../../support/live-server.mjs';
import { oidcEnv, startOidcProvider } from '../../support/oidc-provider.mjs';
import { startSmtpSink } from '../../support/smtp-sink.mjs';

export const APP_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const MODES = ['bearer', 'cookie', 'dpop'];
export const PASSWORD = 'correct-Horse-battery-staple-7';
// The servers issue 2 s access tokens; exp has one-second resolution, so wait past a full extra second.
export const ACCESS_EXPIRY_MS = 3500;
export const WAIT_MS = 30_000;
const BUILD_TIMEOUT_MS = 120_000;
export const skip = process.env.API_BASE_URL
  ? 'needs servers of its own allowing the app (API_BASE_URL is set)'
  : false;

/** `vite build` of the app for `mode` against `apiUrl` into `outDir`; resolves to its stderr. */
export async function build(mode, apiUrl, outDir) {
  const { stderr } = await promisify(execFile)(
    path.join(APP_DIR, 'node_modules', '.bin', 'vite'),
    ['build', '--outDir', outDir, '--emptyOutDir'],
    {
      cwd: APP_DIR,
      env: { ...process.env, VITE_API_URL: apiUrl, VITE_TOKEN_MODE: mode },
      timeout: BUILD_TIMEOUT_MS,
    },
  );
  return stderr;
}

/**
 * Starts everything; resolves to `{apps, apis, mail, provider, browser, buildWarnings,
 * newPage(mode), stop()}`: `apps[mode]` is the app's origin, `apis[mode]` the API it talks to,
 * `mail` the SMTP sink (`mail.next(to)` waits for the next message to an address), `provider`
 * the OpenID provider (`provider.signIn({username, email?})` picks who is signed in there),
 * `newPage(mode)` a page in a fresh browser context, closed by stop().
 */
export async function startRig() {
  const started = [];
  const stop = () => Promise.allSettled(started.map((end) => end()));
  try {
    const work = await mkdtemp(path.join(os.tmpdir(), 'notes-react-'));
    started.push(() => rm(work, { recursive: true, force: true }));
    // The app's origin must be known to the servers' CORS, and the servers' to the build: the
    // page servers start first, on the folders the builds then fill.
    const pages = {};
    for (const mode of MODES) {
      const dir = path.join(work, mode);
      const server = await startStaticServer({ publicDir: dir, fallback: path.join(dir, 'index.html') });
      started.push(() => closeServer(server));
      pages[mode] = { dir, origin: `http://localhost:${server.address().port}` };
    }
    const mail = await startSmtpSink();
    started.push(() => mail.close());
    // Before the servers, whose settings name its issuer.
    const provider = await startOidcProvider();
    started.push(() => provider.stop());
    const origins = MODES.map((mode) => pages[mode].origin).join(',');
    // The links in the mail lead to the app of the mode whose server sent them.
    const common = (mode) => ({
      CORS_ALLOWED_ORIGINS: origins,
      WEBAUTHN_RP_ID: 'localhost',
      WEBAUTHN_ORIGINS: origins,
      EMAIL_URL: `smtp://127.0.0.1:${mail.port}`,
      DEFAULT_FROM_EMAIL: 'notes@example.com',
      // The pages of the development defaults (backend/settings/mail.py), on this mode's app.
      PASSWORD_RESET_URL: `${pages[mode].origin}/reset/{uid}/{token}`,
      EMAIL_VERIFY_URL: `${pages[mode].origin}/verify-email/{uid}/{token}`,
      ...oidcEnv(provider, `${pages[mode].origin}/oidc/callback`),
    });
    // One server a mode, so that each one's mailed links lead to its own app.
    const servers = await Promise.allSettled(
      MODES.map((mode) =>
        startLiveServer({
          env:
            mode === 'cookie'
              ? { ...common(mode), JWT_REFRESH_COOKIE: 'true', JWT_REFRESH_COOKIE_SECURE: 'false' }
              : common(mode),
        }),
      ),
    );
    for (const server of servers) if (server.status === 'fulfilled') started.push(() => server.value.stop());
    const localhost = (server) => `http://localhost:${new URL(server.baseURL).port}`;
    const apis = Object.fromEntries(
      servers.map((server, i) => {
        if (server.status === 'rejected') throw server.reason;
        return [MODES[i], localhost(server.value)];
      }),
    );
    const buildWarnings = {};
    for (const mode of MODES) buildWarnings[mode] = await build(mode, apis[mode], pages[mode].dir);
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: LOCALHOST_CHROMIUM_ARGS,
      timeout: 60_000,
    });
    started.unshift(() => browser.close());
    const apps = Object.fromEntries(MODES.map((mode) => [mode, pages[mode].origin]));
    const newPage = async (mode) => {
      const context = await browser.newContext({ baseURL: apps[mode] });
      started.unshift(() => context.close());
      const page = await context.newPage();
      page.setDefaultTimeout(WAIT_MS);
      return { context, page };
    };
    return { apps, apis, mail, provider, browser, buildWarnings, newPage, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
