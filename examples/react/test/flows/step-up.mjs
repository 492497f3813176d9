// The step-up dialog answered with a second factor, in each token mode: a code of the
// authenticator app (a wrong one refused beside its field first) and a passkey. Each flow asks for
// an email change, which the API takes only with a fresh proof.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { MODES } from '../rig.mjs';
import { signUp } from './api.mjs';
import { addPasskey, nextCode, openWithAuthenticator, turnOnTwoFactor, wrongCode } from './factors.mjs';

const activeId = (page) => page.evaluate(() => document.activeElement?.id);

/**
 * Asks for an email change from a freshly loaded account page (the client keeps a step-up token
 * in memory only, so the page's earlier step-up is gone); resolves to the dialog and the address.
 */
async function askEmailChange(page, username) {
  await page.goto('/account');
  const address = `${username}@example.com`;
  await page.getByLabel('New email').fill(address);
  await page.getByRole('button', { name: 'Change email' }).click();
  const dialog = page.getByRole('dialog', { name: 'Confirm it is you' });
  await dialog.waitFor();
  return { dialog, address };
}

const pending = (page, address) =>
  page.getByRole('status').filter({ hasText: `Pending: ${address} until you click the link` });

export function stepUpFlows(rig) {
  describe('the step-up dialog with a second factor', () => {
    for (const mode of MODES) {
      it(`takes a code of the authenticator app, a wrong one refused beside its field (${mode})`, async () => {
        const { page } = await rig().newPage(mode);
        const username = await signUp(page, 'stepup');
        const { secret } = await turnOnTwoFactor(page);
        const { dialog, address } = await askEmailChange(page, username);
        const code = dialog.getByLabel('Or a code from your authenticator app, or a recovery code');

        await code.fill(wrongCode(secret));
        await dialog.getByRole('button', { name: 'Confirm' }).click();
        const errors = dialog.locator('#code-errors');
        await errors.waitFor();
        assert.match(await errors.textContent(), /wrong|used/i);
        assert.equal(await code.getAttribute('aria-invalid'), 'true');
        assert.equal(await activeId(page), 'code');
        assert.equal(await pending(page, address).count(), 0, 'nothing changed');

        await code.fill(nextCode(secret));
        await dialog.getByRole('button', { name: 'Confirm' }).click();
        await dialog.waitFor({ state: 'hidden' });
        await pending(page, address).waitFor();
      });

      it(`takes a passkey of the account (${mode})`, async () => {
        const { page } = await openWithAuthenticator(rig, mode);
        const username = await signUp(page, 'stepup');
        await addPasskey(page, 'Laptop');
        const { dialog, address } = await askEmailChange(page, username);
        const before = await page.evaluate(() => window.webauthnRequests.length);

        await dialog.getByRole('button', { name: 'Use a passkey' }).click();
        await dialog.waitFor({ state: 'hidden' });
        await pending(page, address).waitFor();
        assert.deepEqual(await page.evaluate((from) => window.webauthnRequests.slice(from), before), ['button']);
      });
    }
  });
}
