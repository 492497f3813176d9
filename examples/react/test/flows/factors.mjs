// The second factors the flows set up and answer with: TOTP codes of an account's secret, two-factor
// turned on through the app, and passkeys in the DevTools protocol's virtual authenticator (a
// platform authenticator with resident keys and user verification that always passes).
import assert from 'node:assert/strict';

import { totp } from '../../../support/totp.mjs';
import { PASSWORD } from '../rig.mjs';

const STEP_MS = 30_000;

// A TOTP code works once, and only codes of later steps count after it: the next step's code,
// within the server's one step of drift, is good right after the current one was spent.
export const nextCode = (secret) => totp(secret, Date.now() + STEP_MS);

/** A code none of the steps the server accepts now would take. */
export function wrongCode(secret) {
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

/** A page of a fresh browser profile with a virtual authenticator attached. */
export async function openWithAuthenticator(rig, mode) {
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

/** Turns two-factor on from the notes page; resolves to its secret and recovery codes. */
export async function turnOnTwoFactor(page) {
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
export async function addPasskey(page, name) {
  await page.goto('/notes');
  await page.getByRole('link', { name: 'Passkeys' }).click();
  await page.waitForURL('**/account/passkeys');
  const form = page.getByRole('form', { name: 'Add a passkey' });
  await form.getByLabel('Passkey name').fill(name);
  await form.getByLabel('Current password').fill(PASSWORD);
  await form.getByRole('button', { name: 'Add passkey' }).click();
  await page.getByRole('heading', { name }).waitFor();
}
