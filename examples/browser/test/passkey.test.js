// Passkeys in Debian's headless Chromium with the reference Axios client and the browser's own
// WebAuthn (its JSON helpers and credential.toJSON()), against the DevTools protocol's virtual
// authenticator: a platform authenticator (internal, CTAP2) with resident keys and user
// verification that always passes.
//
// Origins. A passkey belongs to an RP ID, a domain that the page's host must be or end with; an IP
// address never is one, so the page is http://localhost:<port> (a secure context without TLS) and
// the server's WEBAUTHN_RP_ID is localhost, with WEBAUTHN_ORIGINS (and CORS) listing exactly that
// origin. The API is http://localhost:<another port>, as in cookie.test.js; a second one runs in
// refresh cookie mode.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

import { startClientRig } from '../../support/browser.mjs';
import { totp } from '../../support/totp.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const PASSWORD = 'correct-Horse-battery-staple-7';
// Playwright's waits; page.evaluate is bounded by the page's Axios timeout, WebAuthn requests by
// the options' timeout, and everything by the test's.
const WAIT_MS = 30_000;

const skip = process.env.API_BASE_URL ? 'needs a server of its own with WEBAUTHN_* set (API_BASE_URL is set)' : false;

let rig;
let appOrigin;
let apiBase;
let cookieApiBase;
let browser;

before(
  async () => {
    if (skip) return;
    rig = await startClientRig({ chromium, publicDir: path.resolve(HERE, '..', 'public'), env: (appOrigin) => ({ WEBAUTHN_RP_ID: 'localhost', WEBAUTHN_ORIGINS: appOrigin }) });
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

// Records, in the page, what each WebAuthn request asked the browser for, on its way to the
// browser's own navigator.credentials: the client under test runs unchanged.
function recordWebAuthn() {
  window.webauthnRequests = [];
  for (const method of ['create', 'get']) {
    const original = CredentialsContainer.prototype[method];
    CredentialsContainer.prototype[method] = function record(options) {
      window.webauthnRequests.push({
        method,
        mediation: options?.mediation ?? null,
        allowCredentials: options?.publicKey?.allowCredentials?.length ?? null,
      });
      return original.call(this, options);
    };
  }
}

/** A new browser profile with the passkey page open and a virtual authenticator attached to it. */
async function openApp({ cookieMode = false } = {}) {
  const context = await browser.newContext();
  await context.addInitScript(recordWebAuthn);
  const page = await context.newPage();
  page.setDefaultTimeout(WAIT_MS);
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
    },
  });
  const url = `${appOrigin}/passkey.html?api=${encodeURIComponent(cookieMode ? cookieApiBase : apiBase)}${cookieMode ? '&cookie=1' : ''}`;
  await page.goto(url);
  await page.waitForFunction(() => window.passkeyDemo !== undefined);
  const demo = (name, ...args) => page.evaluate(({ name, args }) => window.passkeyDemo[name](...args), { name, args });
  const authenticator = {
    credentials: async () => (await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials,
    // Off: the authenticator waits for a touch that never comes (a user who has not picked yet).
    presence: (enabled) => cdp.send('WebAuthn.setAutomaticPresenceSimulation', { authenticatorId, enabled }),
  };
  return { context, page, demo, authenticator, requests: () => page.evaluate(() => window.webauthnRequests) };
}

const newUsername = () => `passkey_${randomBytes(5).toString('hex')}`;
const status = (page) => page.locator('#status').textContent();

/** Signs up with a password and registers a passkey, the step-up answered with the password. */
async function signUpWithPasskey({ demo }, username) {
  assert.deepEqual(await demo('signUp', username, PASSWORD), { ok: true, value: username });
  await demo('answerStepUpWith', { password: PASSWORD });
  const registered = await demo('registerPasskey', 'Laptop');
  assert.equal(registered.ok, true, JSON.stringify(registered));
  return registered.value;
}

async function submitPassword(page, username) {
  await page.fill('#username', username);
  await page.fill('#password', PASSWORD);
  await page.click('button[type=submit]');
  return page.evaluate(() => window.passkeyDemo.lastSubmit);
}

describe('passkeys in a real browser', { timeout: 120_000, skip }, () => {
  it('registers a passkey after a step-up, logs in with it from the button and as autofill, and passes a step-up with it', async () => {
    const app = await openApp();
    const { page, demo, authenticator } = app;
    try {
      assert.equal(await demo('supported'), true, "Chromium's WebAuthn has the JSON helpers");
      assert.equal(await demo('autofillAvailable'), true);
      const username = newUsername();

      const passkey = await signUpWithPasskey(app, username);
      assert.equal(passkey.name, 'Laptop');
      assert.deepEqual(await demo('prompts'), ['password'], 'registering asked for a step-up');
      const [credential, ...others] = await authenticator.credentials();
      assert.deepEqual(others, []);
      assert.equal(credential.isResidentCredential, true, 'a discoverable passkey, as passwordless login needs');
      assert.equal(credential.rpId, 'localhost');
      assert.equal(credential.userName, username);

      // Passwordless, from the button.
      assert.deepEqual(await demo('logout'), { ok: true, value: true });
      await page.click('#passkey-login');
      assert.deepEqual(await page.evaluate(() => window.passkeyDemo.lastButton), { ok: true, value: username });
      assert.equal(await status(page), `signed in as ${username} (passkey)`);

      // As autofill: the login form offers the passkeys; the user focuses the username input and
      // the authenticator answers.
      assert.deepEqual(await demo('logout'), { ok: true, value: true });
      const autofill = page.evaluate(() => window.passkeyDemo.offerAutofill());
      await page.focus('#username');
      assert.deepEqual(await autofill, { ok: true, value: username });
      assert.equal(await status(page), `signed in as ${username} (passkey, autofill)`);

      // A sensitive change: refused to the access token alone, passed with a passkey step-up.
      const token = await demo('accessToken');
      const bare = await fetch(`${apiBase}/api/user/me/`, {
        method: 'PATCH',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ email: `${username}@example.com` }),
        signal: AbortSignal.timeout(WAIT_MS),
      });
      assert.equal(bare.status, 403);
      assert.equal((await bare.json()).code, 'reauthentication_required');
      await demo('answerStepUpWith', { passkey: true });
      assert.deepEqual(await demo('changeEmail', `${username}@example.com`), { ok: true, value: 200 });
      assert.deepEqual(await demo('prompts'), ['password', 'passkey']);

      assert.deepEqual(await app.requests(), [
        { method: 'create', mediation: null, allowCredentials: null },
        { method: 'get', mediation: null, allowCredentials: 0 },
        { method: 'get', mediation: 'conditional', allowCredentials: 0 },
        // The step-up names the account's passkey.
        { method: 'get', mediation: null, allowCredentials: 1 },
      ]);
      const [used] = await authenticator.credentials();
      assert.equal(used.signCount, 4, 'registered, then signed three times');
      const list = await demo('passkeys');
      assert.ok(list.value[0].last_used_at);
    } finally {
      await app.context.close();
    }
  });

  it('a password login ends the waiting autofill request, and so does the passkey button', async () => {
    const app = await openApp();
    const { page, demo, authenticator } = app;
    try {
      const username = newUsername();
      await signUpWithPasskey(app, username);
      assert.deepEqual(await demo('logout'), { ok: true, value: true });

      // The user has not picked the passkey: the request waits.
      await authenticator.presence(false);
      await page.evaluate(() => {
        window.passkeyDemo.offerAutofill();
      });
      await page.waitForFunction(() => window.webauthnRequests.some(({ mediation }) => mediation === 'conditional'));
      assert.equal(await status(page), 'signed out');

      assert.deepEqual(await submitPassword(page, username), { ok: true, value: username });
      const aborted = await page.evaluate(() => window.passkeyDemo.autofillOutcome());
      assert.equal(aborted.ok, false);
      assert.equal(aborted.error.name, 'AbortError');
      assert.equal(await status(page), `signed in as ${username} (password)`);

      // Waiting again, and the user clicks the button instead: the browser runs one request at a
      // time, so the client ends the autofill request before it asks for the passkey.
      assert.deepEqual(await demo('logout'), { ok: true, value: true });
      await page.evaluate(() => {
        window.passkeyDemo.offerAutofill();
      });
      await page.waitForFunction(
        () => window.webauthnRequests.filter(({ mediation }) => mediation === 'conditional').length === 2,
      );
      await authenticator.presence(true);
      await page.click('#passkey-login');
      assert.deepEqual(await page.evaluate(() => window.passkeyDemo.lastButton), { ok: true, value: username });
      const ended = await page.evaluate(() => window.passkeyDemo.autofillOutcome());
      assert.equal(ended.ok, false);
      assert.equal(ended.error.name, 'AbortError');
      assert.equal(await status(page), `signed in as ${username} (passkey)`);
    } finally {
      await app.context.close();
    }
  });

  it('finishes a two-factor login with the passkey in place of the code', async () => {
    const app = await openApp();
    const { page, demo } = app;
    try {
      const username = newUsername();
      assert.deepEqual(await demo('signUp', username, PASSWORD), { ok: true, value: username });
      await demo('answerStepUpWith', { password: PASSWORD });
      const secret = await demo('startTotp');
      assert.equal(secret.ok, true, JSON.stringify(secret));
      assert.deepEqual(await demo('confirmTotp', totp(secret.value)), { ok: true, value: 10 });
      assert.equal((await demo('registerPasskey', 'Laptop')).ok, true);
      assert.deepEqual(await demo('logout'), { ok: true, value: true });

      assert.deepEqual(await submitPassword(page, username), { ok: true, value: 'mfa_required' });
      assert.equal(await status(page), 'second factor needed');
      assert.equal(await demo('accessToken'), null);
      assert.deepEqual(await demo('secondFactorWithPasskey'), { ok: true, value: username });
      assert.equal(await status(page), `signed in as ${username} (password and passkey)`);
      assert.deepEqual((await app.requests()).at(-1), { method: 'get', mediation: null, allowCredentials: 1 });
    } finally {
      await app.context.close();
    }
  });

  it('in refresh cookie mode, a passkey login sets the refresh cookie, and a reload restores the session', async () => {
    const app = await openApp({ cookieMode: true });
    const { page, demo, context } = app;
    try {
      const username = newUsername();
      await signUpWithPasskey(app, username);
      assert.deepEqual(await demo('logout'), { ok: true, value: true });
      const refreshCookies = async () =>
        (await context.cookies(`${cookieApiBase}/api/token/`)).filter(({ name }) => name === 'refresh_token');
      assert.deepEqual(await refreshCookies(), []);

      await page.click('#passkey-login');
      assert.deepEqual(await page.evaluate(() => window.passkeyDemo.lastButton), { ok: true, value: username });
      const [cookie] = await refreshCookies();
      assert.equal(cookie?.httpOnly, true, 'the passkey login set the HttpOnly refresh cookie');

      await page.reload();
      await page.waitForFunction(() => window.passkeyDemo !== undefined);
      assert.equal(await demo('accessToken'), null, 'a reload forgets the access token');
      assert.deepEqual(await demo('restore'), { ok: true, value: username });
      assert.equal(await status(page), `signed in as ${username} (restored)`);
    } finally {
      await app.context.close();
    }
  });
});
