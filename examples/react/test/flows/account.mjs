// The account pages, in each token mode: the password and the email (with the step-up dialog and
// the mailed link), deleting the account, the sessions of two browsers, the security events.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';

import { ACCESS_EXPIRY_MS, MODES, PASSWORD } from '../rig.mjs';
import { signUp } from './api.mjs';

const NEW_PASSWORD = `${PASSWORD}-renewed`;

async function signIn(page, username, password = PASSWORD) {
  await page.goto('/login');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

const activeId = (page) => page.evaluate(() => document.activeElement?.id);

export function accountFlows(rig) {
  describe('the account pages', () => {
    for (const mode of MODES) {
      it(`changes the password and the email, and lists what happened (${mode})`, async () => {
        const { page } = await rig().newPage(mode);
        const username = await signUp(page, 'acct');
        await page.getByRole('link', { name: 'Account' }).click();
        await page.waitForURL('**/account');
        const profile = page.getByRole('region', { name: 'Profile' });
        await profile.getByText(username).waitFor();

        // Refused: each field's error beside it, the keyboard on the first.
        await page.getByLabel('Current password').fill('not the password at all');
        await page.getByLabel(/^New password/).fill('too short');
        await page.getByRole('button', { name: 'Change password' }).click();
        await page.locator('#old_password-errors').waitFor();
        assert.match(await page.locator('#new_password-errors').textContent(), /too short|at least 15/i);
        assert.equal(await activeId(page), 'old_password');

        await page.getByLabel('Current password').fill(PASSWORD);
        await page.getByLabel(/^New password/).fill(NEW_PASSWORD);
        await page.getByRole('button', { name: 'Change password' }).click();
        await page.getByRole('status').filter({ hasText: 'Password changed' }).waitFor();
        // The session goes on with the answer's tokens: an expired access token refreshes.
        await sleep(ACCESS_EXPIRY_MS);
        await page.getByRole('link', { name: 'Security events' }).click();
        const events = page.getByRole('list', { name: 'Security events' }).getByRole('listitem');
        await events.first().filter({ hasText: 'Password changed' }).waitFor();
        const times = await page.locator('ol time').evaluateAll((all) => all.map((t) => t.getAttribute('datetime')));
        assert.ok(times.length >= 2, String(times));
        assert.deepEqual(times, [...times].sort().reverse(), 'newest first');
        await events.filter({ hasText: 'Signed in' }).first().waitFor();

        // The email: the step-up dialog first, then pending until the mailed link is opened.
        await page.reload();
        await page.getByRole('link', { name: 'Account', exact: true }).click();
        const address = `${username}@example.com`;
        await page.getByLabel('New email').fill(address);
        await page.getByRole('button', { name: 'Change email' }).click();
        const dialog = page.getByRole('dialog', { name: 'Confirm it is you' });
        await dialog.waitFor();
        assert.equal(await activeId(page), 'password');
        await page.keyboard.press('Escape');
        await dialog.waitFor({ state: 'hidden' });
        await page.getByRole('alert').filter({ hasText: 'Nothing was changed' }).waitFor();
        assert.equal(await activeId(page), 'email-problem');

        await page.getByRole('button', { name: 'Change email' }).click();
        await dialog.getByLabel('Password').fill(PASSWORD); // the old one: refused
        await dialog.getByRole('button', { name: 'Confirm' }).click();
        await dialog.locator('#password-errors').filter({ hasText: 'Wrong password' }).waitFor();
        assert.equal(await activeId(page), 'password');
        await dialog.getByLabel('Password').fill(NEW_PASSWORD);
        await dialog.getByRole('button', { name: 'Confirm' }).click();
        await dialog.waitFor({ state: 'hidden' });
        await page.getByRole('status').filter({ hasText: `Pending: ${address} until you click the link` }).waitFor();

        const { links } = await rig().mail.next(address);
        const link = links.find((url) => url.includes('/verify-email/'));
        assert.ok(link?.startsWith(rig().apps[mode]), String(links));
        await page.goto(link);
        await page.getByRole('status').filter({ hasText: 'Your email address is verified.' }).waitFor();
        await page.getByRole('link', { name: 'Back to your account' }).click();
        await profile.getByText(`${address} (verified)`).waitFor();
        assert.equal(await page.getByText('Pending:').count(), 0);

        // A used link is refused, and the page says why.
        await page.goto(link);
        await page.getByRole('alert').filter({ hasText: 'not valid' }).waitFor();
      });

      it(`deletes the account after a step-up, then refuses its login (${mode})`, async () => {
        const { page } = await rig().newPage(mode);
        const username = await signUp(page, 'acct');
        await page.goto('/account');
        await page.getByLabel('Yes, delete my account and all my notes').check();
        await page.getByRole('button', { name: 'Delete account' }).click();
        const dialog = page.getByRole('dialog', { name: 'Confirm it is you' });
        await dialog.getByLabel('Password').fill(PASSWORD);
        await dialog.getByRole('button', { name: 'Confirm' }).click();
        await page.waitForURL('**/login');

        await signIn(page, username);
        await page.getByRole('alert').filter({ hasText: /no active account/i }).waitFor();
        assert.equal(new URL(page.url()).pathname, '/login');
      });

      it(`ends another browser's session, then every session (${mode})`, async () => {
        const { page } = await rig().newPage(mode);
        const { page: other } = await rig().newPage(mode);
        const username = await signUp(page, 'acct');
        await signIn(other, username);
        await other.waitForURL('**/notes');

        await page.goto('/account/sessions');
        const sessions = page.getByRole('list', { name: 'Your sessions' }).getByRole('listitem');
        await sessions.nth(1).waitFor();
        assert.equal(await sessions.count(), 2);
        await sessions.filter({ hasText: '(this device)' }).waitFor();
        assert.equal(await sessions.filter({ hasText: '(this device)' }).getByRole('button').count(), 0);
        await page.getByRole('button', { name: /^End the session of/ }).click();
        await sessions.nth(1).waitFor({ state: 'detached' });

        // The other browser's next request is refused, and it lands on the login page.
        await other.getByLabel('Title').fill('Bread');
        await other.getByLabel('Content').fill('rye');
        await other.getByRole('button', { name: 'Add note' }).click();
        await other.waitForURL('**/login');

        await signIn(other, username);
        await other.waitForURL('**/notes');
        await page.getByRole('button', { name: 'Sign out everywhere' }).click();
        await page.waitForURL('**/login');
        await other.reload();
        await other.waitForURL('**/login');
        await page.goto('/account/security');
        await page.waitForURL('**/login');
      });
    }
  });
}
