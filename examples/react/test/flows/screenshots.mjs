// The pictures of the README (docs/screenshots/), taken from the built app by this test so that
// they show what the app is: run `npm test` and commit what changed. Bearer mode, a fixed
// window, fixed names (each run has new databases); times are masked, they differ every run.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';

import { APP_DIR, PASSWORD } from '../rig.mjs';
import { accessToken, createNotes, register, signIn } from './api.mjs';

export const SCREENSHOTS_DIR = path.join(APP_DIR, 'docs', 'screenshots');
const VIEWPORT = { width: 900, height: 700 };

/** Saves the page as docs/screenshots/`name`.png, times and `hidden` (what differs each run) masked. */
async function shoot(page, name, hidden = []) {
  await page.screenshot({
    path: path.join(SCREENSHOTS_DIR, `${name}.png`),
    fullPage: true,
    mask: [page.locator('time'), ...hidden],
    maskColor: '#dddddd',
    animations: 'disabled',
  });
}

export function screenshotFlows(rig) {
  describe('the README screenshots', () => {
    it('are taken of the main pages', async () => {
      await mkdir(SCREENSHOTS_DIR, { recursive: true });
      const { apis, apps } = rig();
      const username = await register(apis.bearer, 'ada', { email: 'ada@example.com', origin: apps.bearer });
      const access = await accessToken(apis.bearer, username, { origin: apps.bearer });
      await createNotes(apis.bearer, access, 'Reading list', 3);
      const { page } = await rig().newPage('bearer');
      await page.setViewportSize(VIEWPORT);

      await page.goto('/register');
      await page.getByLabel('Username').fill('grace');
      await page.getByLabel(/^Password/).fill('too short');
      await page.getByRole('button', { name: 'Create account' }).click();
      await page.locator('#password-errors').waitFor();
      await shoot(page, 'register-field-errors');

      await signIn(page, username);
      await page.getByRole('heading', { name: 'Reading list 3' }).waitFor();
      await shoot(page, 'notes');

      await page.getByRole('link', { name: 'Account', exact: true }).click();
      await page.getByRole('heading', { name: 'Profile' }).waitFor();
      await shoot(page, 'account');

      await page.getByRole('link', { name: 'Two-factor' }).click();
      await page.getByLabel('Current password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Set up two-factor' }).click();
      const qr = page.getByRole('img', { name: 'QR code of the two-factor setup' });
      await qr.waitFor();
      // The key and its QR code are new at every setup.
      await shoot(page, 'two-factor-setup', [qr, page.getByLabel('Setup key')]);

      await page.getByRole('link', { name: 'Sessions' }).click();
      await page.getByRole('list', { name: 'Your sessions' }).getByRole('listitem').first().waitFor();
      await shoot(page, 'sessions');

      await page.getByRole('link', { name: 'Security events' }).click();
      await page.getByRole('heading', { name: 'Security events' }).waitFor();
      await page.getByRole('listitem').first().waitFor();
      await shoot(page, 'security-events');
    });
  });
}
