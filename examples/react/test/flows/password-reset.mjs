// The mailed link of a forgotten password, from the login page to the new password, in each mode.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';

import { MODES } from '../rig.mjs';
import { register, signIn } from './api.mjs';

const NEW_PASSWORD = 'a-Brand-new-passphrase-for-2027';

export function passwordResetFlows(rig) {
  describe('a forgotten password', () => {
    for (const mode of MODES) {
      it(`is reset through the mailed link, which then works no more (${mode})`, async () => {
        const username = `reset_${randomBytes(5).toString('hex')}`;
        const email = `${username}@example.com`;
        await register(rig().apis[mode], username, { email, origin: rig().apps[mode] });
        const { page } = await rig().newPage(mode);

        await page.goto('/login');
        await page.getByRole('link', { name: 'Forgot your password?' }).click();
        await page.getByLabel('Email').fill(email);
        await page.getByRole('button', { name: 'Send the link' }).click();
        await page.getByText('If an account has this address').waitFor();

        const mail = await rig().mail.next(email);
        const link = mail.links.find((url) => url.startsWith(`${rig().apps[mode]}/reset/`));
        assert.ok(link, `a link to this mode's reset page in: ${mail.links.join(' ')}`);
        await page.goto(link);
        await page.getByLabel(/^New password/).fill('short');
        await page.getByRole('button', { name: 'Change password' }).click();
        await page.locator('#new_password-errors').waitFor();
        assert.equal(await page.evaluate(() => document.activeElement?.id), 'new_password');
        await page.getByLabel(/^New password/).fill(NEW_PASSWORD);
        await page.getByRole('button', { name: 'Change password' }).click();
        await page.getByRole('heading', { name: 'Password changed' }).waitFor();

        await page.getByRole('link', { name: 'Sign in' }).click();
        await signIn(page, username, NEW_PASSWORD);

        // Used once: the same link again is refused, and the page offers a new one.
        const { page: later } = await rig().newPage(mode);
        await later.goto(link);
        await later.getByLabel(/^New password/).fill(`${NEW_PASSWORD}-again`);
        await later.getByRole('button', { name: 'Change password' }).click();
        await later.getByRole('link', { name: 'Ask for a new link' }).waitFor();
        assert.equal(await later.evaluate(() => document.activeElement?.id), 'reset-problem');
      });
    }
  });
}
