// The pictures of the README (docs/screenshots/), taken from the built app by this test so that
// they show what the app is: run `npm test` and commit what changed. Bearer mode, a fixed
// window, fixed names (each run has new databases); times are masked, they differ every run.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';

import { APP_DIR } from '../rig.mjs';
import { accessToken, createNotes, register, signIn } from './api.mjs';

export const SCREENSHOTS_DIR = path.join(APP_DIR, 'docs', 'screenshots');
const VIEWPORT = { width: 900, height: 700 };

/** Saves the page as docs/screenshots/`name`.png, times masked. */
async function shoot(page, name) {
  await page.screenshot({
    path: path.join(SCREENSHOTS_DIR, `${name}.png`),
    fullPage: true,
    mask: [page.locator('time')],
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
    });
  });
}
