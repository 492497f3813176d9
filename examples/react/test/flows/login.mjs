// The second factor and passkeys, in each token mode: two-factor setup and logins with a code and
// a recovery code; passkeys added, used from the button, as autofill and as the second factor,
// renamed and removed. Passkeys live in the DevTools protocol's virtual authenticator (a platform
// authenticator with resident keys and user verification that always passes); the servers' RP
// ID is localhost, and their WEBAUTHN_ORIGINS list the apps.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';

import { totp } from '../../../support/totp.mjs';
import { MODES, PASSWORD } from '../rig.mjs';

const STEP_MS = 30_000;

// A TOTP code works once, and only codes of later steps count after it: the next step's code,
// within the server's one step of drift, is good right after the current one was spent.
const nextCode = (secret) => totp(secret, Date.now() + STEP_MS);

/** A code none of the steps the server accepts now would take. */
function wrongCode(secret) {
  const good = new Set([-1, 0, 1, 2].map((step) => totp(secret, Date.now() + step * STEP_MS)));
  for (let n = 0; ; n += 1) {
    const code = String(n).padStart(6, '0');
    if (!good.has(code)) return code;
  }
}

// Records, in the page, the mediation of each WebAuthn request on its way to the browser. The
// virtual authenticator may answer an autofill request before any focus (it shows no suggestions
// to pick from); with `test.autofill` set to `wait` the request stands for a user who picks nothing
// there, and waits until the app ends it.
function recordWebAuthn() {
  window.webauthnRequests = [];
  const original = CredentialsContainer.prototype.get;
  CredentialsContainer.prototype.get = function record(options) {
    const mediation = options?.mediation ?? 'button';
    window.webauthnRequests.push(mediation);
    if (mediation === 'conditional' && localStorage.getItem('test.autofill') === 'wait') {
      return new Promise((_resolve, reject) => {
        options.signal?.addEventListener('abort', () => reject(options.signal.reason));
      });
    }
    return original.call(this, options);
  };
}

/** Whether the login page's autofill request waits (the user picks nothing there) or is answered. */
const autofillWaits = (page, waits) =>
  page.evaluate((waits) => (waits ? localStorage.setItem('test.autofill', 'wait') : localStorage.removeItem('test.autofill')), waits);

/** Waits for the login page's autofill request (conditional mediation) to reach the browser. */
const waitForAutofill = (page) => page.waitForFunction(() => window.webauthnRequests.includes('conditional'));

/** A page of a fresh browser profile with a virtual authenticator attached. */
async function openWithAuthenticator(rig, mode) {
  const { context, page } = await rig().newPage(mode);
  await context.addInitScript(recordWebAuthn);
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true },
  });
  const credentials = async () => (await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials;
  return { page, credentials };
}

async function register(page) {
  const username = `login_${randomBytes(5).toString('hex')}`;
  await page.goto('/register');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel(/^Password/).fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForURL('**/notes');
  return username;
}

async function signOut(page) {
  await page.goto('/notes');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL('**/login');
}

async function signInWithPassword(page, username) {
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

const codeField = (page) => page.getByLabel('Authentication code or recovery code');

/** Turns two-factor on from the notes page; resolves to its secret and recovery codes. */
async function turnOnTwoFactor(page) {
  await page.goto('/notes');
  await page.getByRole('link', { name: 'Two-factor' }).click();
  await page.waitForURL('**/account/two-factor');
  await page.getByText('Two-factor login is off.').waitFor();
  await page.getByLabel('Current password').fill(`${PASSWORD}-wrong`);
  await page.getByRole('button', { name: 'Set up two-factor' }).click();
  await page.locator('#password-errors').waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'password');
  await page.getByLabel('Current password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Set up two-factor' }).click();

  const qr = page.getByRole('img', { name: 'QR code of the two-factor setup' });
  await qr.waitFor();
  assert.match(await qr.getAttribute('src'), /^data:image\/svg\+xml/);
  assert.equal(await qr.evaluate((img) => img.complete && img.naturalWidth > 0), true, 'the QR code renders');
  const secret = await page.getByLabel('Setup key').inputValue();
  assert.match(secret, /^[A-Z2-7]+=*$/);
  assert.match(await page.getByRole('link', { name: 'Open in an authenticator app' }).getAttribute('href'), /^otpauth:\/\/totp\//);

  await page.getByLabel('Code from the app').fill(wrongCode(secret));
  await page.getByRole('button', { name: 'Turn on two-factor' }).click();
  await page.locator('#code-errors').waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'code');
  await page.getByLabel('Code from the app').fill(totp(secret));
  await page.getByRole('button', { name: 'Turn on two-factor' }).click();
  const list = page.getByRole('list', { name: 'Recovery codes' });
  await list.waitFor();
  const codes = (await list.getByRole('listitem').allTextContents()).map((code) => code.trim());
  assert.equal(codes.length, 10);
  await page.getByRole('button', { name: 'I saved them' }).click();
  await page.getByText('Two-factor login is on.').waitFor();
  assert.equal(await list.count(), 0, 'the recovery codes are shown once');
  return { secret, codes };
}

/** Adds a passkey from the passkeys page, the step-up answered with the password. */
async function addPasskey(page, name) {
  await page.goto('/notes');
  await page.getByRole('link', { name: 'Passkeys' }).click();
  await page.waitForURL('**/account/passkeys');
  const form = page.getByRole('form', { name: 'Add a passkey' });
  await form.getByLabel('Passkey name').fill(name);
  await form.getByLabel('Current password').fill(PASSWORD);
  await form.getByRole('button', { name: 'Add passkey' }).click();
  await page.getByRole('heading', { name }).waitFor();
}

export function loginFlows(rig) {
  describe('two-factor and passkey logins', () => {
    for (const mode of MODES) {
      it(`sets up two-factor, signs in with a code, then with a recovery code once, and turns it off (${mode})`, async () => {
        const { page } = await rig().newPage(mode);
        const username = await register(page);
        const { secret, codes } = await turnOnTwoFactor(page);

        await signOut(page);
        await signInWithPassword(page, username);
        await codeField(page).waitFor();
        assert.equal(await page.evaluate(() => document.activeElement?.id), 'code');
        await codeField(page).fill(wrongCode(secret));
        await page.getByRole('button', { name: 'Verify' }).click();
        await page.locator('#code-errors').waitFor();
        assert.match(await page.locator('#code-errors').textContent(), /wrong|used/i);
        assert.equal(await page.evaluate(() => document.activeElement?.id), 'code');
        assert.equal(await codeField(page).getAttribute('aria-invalid'), 'true');
        await codeField(page).fill(nextCode(secret));
        await page.getByRole('button', { name: 'Verify' }).click();
        await page.waitForURL('**/notes');

        await signOut(page);
        await signInWithPassword(page, username);
        await codeField(page).fill(codes[0]);
        await page.getByRole('button', { name: 'Verify' }).click();
        await page.waitForURL('**/notes');

        // A recovery code signs in once.
        await signOut(page);
        await signInWithPassword(page, username);
        await codeField(page).fill(codes[0]);
        await page.getByRole('button', { name: 'Verify' }).click();
        await page.locator('#code-errors').waitFor();
        assert.equal(await page.evaluate(() => document.activeElement?.id), 'code');
        await codeField(page).fill(codes[1]);
        await page.getByRole('button', { name: 'Verify' }).click();
        await page.waitForURL('**/notes');

        await page.getByRole('link', { name: 'Two-factor' }).click();
        await page.getByLabel('Current password').fill(PASSWORD);
        await codeField(page).fill(codes[2]);
        await page.getByRole('button', { name: 'Turn off two-factor' }).click();
        await page.getByText('Two-factor login is off.').waitFor();
        await signOut(page);
        await signInWithPassword(page, username);
        await page.waitForURL('**/notes');
      });

      it(`adds a passkey, signs in with the button and as autofill, renames and removes it (${mode})`, async () => {
        const { page, credentials } = await openWithAuthenticator(rig, mode);
        const username = await register(page);
        await page.getByRole('link', { name: 'Passkeys' }).click();
        await page.getByText('No passkeys yet.').waitFor();
        await addPasskey(page, 'Laptop');
        const [credential, ...others] = await credentials();
        assert.deepEqual(others, []);
        assert.equal(credential.userName, username);

        // The autofill request waits, and the user clicks the button: the app ends the waiting
        // request before the button asks the browser.
        await autofillWaits(page, true);
        await signOut(page);
        await waitForAutofill(page);
        await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
        await page.waitForURL('**/notes');
        assert.deepEqual(await page.evaluate(() => window.webauthnRequests), ['conditional', 'button']);

        // Autofill: offered on the login page, picked in the username input.
        await autofillWaits(page, false);
        await signOut(page);
        await waitForAutofill(page);
        await page.evaluate(() => document.getElementById('username')?.focus());
        await page.waitForURL('**/notes');
        assert.deepEqual(await page.evaluate(() => window.webauthnRequests), ['conditional']);

        await page.getByRole('link', { name: 'Passkeys' }).click();
        await page.getByRole('button', { name: 'Rename Laptop' }).click();
        const rename = page.getByRole('form', { name: 'Rename Laptop' });
        await rename.getByLabel('New name').fill('');
        await rename.getByLabel('New name').fill('Work laptop');
        await rename.getByRole('button', { name: 'Save' }).click();
        await page.getByRole('heading', { name: 'Work laptop' }).waitFor();
        await page.reload();
        await page.getByRole('heading', { name: 'Work laptop' }).waitFor();

        // The API keeps an account's last way to log in (a passkey of an account with no usable
        // password); this one has a password, so that answer is played here.
        const origin = rig().apps[mode];
        await page.route('**/api/user/passkeys/*/', (route) =>
          route.request().method() === 'DELETE'
            ? route.fulfill({
                status: 409,
                contentType: 'application/json',
                headers: { 'Access-Control-Allow-Origin': origin, 'Access-Control-Allow-Credentials': 'true' },
                body: JSON.stringify({
                  detail: "This is the account's last way to log in: set a password or add another passkey first.",
                  code: 'last_login_method',
                }),
              })
            : route.fallback(),
        );
        await page.getByRole('button', { name: 'Remove Work laptop' }).click();
        const remove = page.getByRole('form', { name: 'Remove Work laptop' });
        await remove.getByLabel('Current password').fill(PASSWORD);
        await remove.getByRole('button', { name: 'Remove passkey' }).click();
        const refused = remove.getByRole('alert');
        await refused.waitFor();
        assert.match(await refused.textContent(), /last way to log in/);
        assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('role')), 'alert');
        await page.unroute('**/api/user/passkeys/*/');

        await remove.getByRole('button', { name: 'Remove passkey' }).click();
        await page.getByText('No passkeys yet.').waitFor();
      });

      it(`finishes a two-factor login with a passkey in place of the code (${mode})`, async () => {
        const { page } = await openWithAuthenticator(rig, mode);
        const username = await register(page);
        await turnOnTwoFactor(page);
        await addPasskey(page, 'Phone');

        // The autofill offers the passkey in the username input; this user types the password.
        await autofillWaits(page, true);
        await signOut(page);
        await waitForAutofill(page);
        await signInWithPassword(page, username);
        await codeField(page).waitFor();
        await page.getByRole('button', { name: 'Use a passkey' }).click();
        await page.waitForURL('**/notes');
        assert.equal(await page.evaluate(() => window.webauthnRequests.at(-1)), 'button');
      });
    }
  });
}
