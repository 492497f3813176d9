// The second factor and passkeys, in each token mode: two-factor setup and logins with a code and
// a recovery code, new recovery codes; passkeys added, used from the button, as autofill and as the second factor,
// renamed and removed. Passkeys live in the DevTools protocol's virtual authenticator (factors.mjs);
// the servers' RP ID is localhost, and their WEBAUTHN_ORIGINS list the apps.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { MODES, PASSWORD } from '../rig.mjs';
import { refuseAsLastWayIn, secondStepStatus, signUp } from './api.mjs';
import { addPasskey, nextCode, openWithAuthenticator, turnOnTwoFactor, wrongCode } from './factors.mjs';

/** Whether the login page's autofill request waits (the user picks nothing there) or is answered. */
const autofillWaits = (page, waits) =>
  page.evaluate((waits) => (waits ? localStorage.setItem('test.autofill', 'wait') : localStorage.removeItem('test.autofill')), waits);

/** Waits for the login page's autofill request (conditional mediation) to reach the browser. */
const waitForAutofill = (page) => page.waitForFunction(() => window.webauthnRequests.includes('conditional'));

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

export function loginFlows(rig) {
  describe('two-factor and passkey logins', () => {
    for (const mode of MODES) {
      it(`sets up two-factor, signs in with a code, then with a recovery code once, and turns it off (${mode})`, async () => {
        const { page } = await rig().newPage(mode);
        const username = await signUp(page, 'login');
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

      it(`gives new recovery codes for a code of the app, and the old ones stop working (${mode})`, async () => {
        const { page } = await rig().newPage(mode);
        const username = await signUp(page, 'recovery');
        const { secret, codes: old } = await turnOnTwoFactor(page);
        const form = page.getByRole('form', { name: 'New recovery codes' });
        const code = form.getByLabel('Code from the app');

        await code.fill(wrongCode(secret));
        await form.getByRole('button', { name: 'Get new recovery codes' }).click();
        await form.locator('#renew-code-errors').waitFor();
        assert.match(await form.locator('#renew-code-errors').textContent(), /wrong|used/i);
        assert.equal(await page.evaluate(() => document.activeElement?.id), 'renew-code');
        await code.fill(nextCode(secret));
        await form.getByRole('button', { name: 'Get new recovery codes' }).click();

        const list = page.getByRole('list', { name: 'Recovery codes' });
        await list.waitFor();
        await page.getByRole('status').filter({ hasText: 'the old ones no longer work' }).waitFor();
        const codes = (await list.getByRole('listitem').allTextContents()).map((one) => one.trim());
        assert.equal(codes.length, 10);
        assert.deepEqual(codes.filter((one) => old.includes(one)), []);
        await page.getByRole('button', { name: 'I saved them' }).click();
        await page.getByText('Two-factor login is on.').waitFor();
        assert.equal(await list.count(), 0, 'the new codes are shown once');

        const { apis, apps } = rig();
        const origin = apps[mode];
        assert.equal(await secondStepStatus(apis[mode], username, old[0], { origin }), 401, 'an old code is refused');
        assert.equal(await secondStepStatus(apis[mode], username, codes[0], { origin }), 200, 'a new code signs in');
        // The page's own session outlived the change (it ends the others).
        await page.reload();
        await page.getByText('Two-factor login is on.').waitFor();
      });

      it(`adds a passkey, signs in with the button and as autofill, renames and removes it (${mode})`, async () => {
        const { page, credentials } = await openWithAuthenticator(rig, mode);
        const username = await signUp(page, 'login');
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
        const played = await refuseAsLastWayIn(page, '**/api/user/passkeys/*/', {
          origin,
          detail: "This is the account's last way to log in: set a password or add another passkey first.",
        });
        await page.getByRole('button', { name: 'Remove Work laptop' }).click();
        const remove = page.getByRole('form', { name: 'Remove Work laptop' });
        await remove.getByLabel('Current password').fill(PASSWORD);
        await remove.getByRole('button', { name: 'Remove passkey' }).click();
        const refused = remove.getByRole('alert');
        await refused.waitFor();
        assert.match(await refused.textContent(), /last way to log in/);
        assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('role')), 'alert');
        await played();

        await remove.getByRole('button', { name: 'Remove passkey' }).click();
        await page.getByText('No passkeys yet.').waitFor();
      });

      it(`finishes a two-factor login with a passkey in place of the code (${mode})`, async () => {
        const { page } = await openWithAuthenticator(rig, mode);
        const username = await signUp(page, 'login');
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
