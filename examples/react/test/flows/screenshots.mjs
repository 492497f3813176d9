// The pictures of the README (docs/screenshots/), taken from the built app by this test so that
// they show what the app is: run `npm test` and commit what changed. Bearer mode, a fixed
// window, fixed names (each run has new databases), and one fixed time in every <time> (the API's
// times differ every run). A picture is written only when its pixels differ from the file's, so
// that a run that changed nothing leaves the files alone (the PNG bytes may differ all the same).
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';

import { APP_DIR, PASSWORD } from '../rig.mjs';
import { accessToken, createNotes, register, signIn } from './api.mjs';

export const SCREENSHOTS_DIR = path.join(APP_DIR, 'docs', 'screenshots');
const VIEWPORT = { width: 900, height: 700 };
const SHOWN_TIME = new Date(Date.UTC(2026, 0, 15, 9, 30)).toLocaleString('en-US', { timeZone: 'UTC' });
// A pixel differs when one of its channels moves by more than this (of 255), and a picture when
// more than DIFFERENT_PIXELS of its pixels do: what stays below is noise of the rendering.
const CHANNEL_TOLERANCE = 8;
const DIFFERENT_PIXELS = 16;

/** Whether two PNG images differ in size or in more than DIFFERENT_PIXELS pixels, decoded by `page`. */
function imagesDiffer(page, before, after) {
  return page.evaluate(
    async ([before, after, tolerance, allowed]) => {
      const decode = async (base64) => {
        const blob = await (await fetch(`data:image/png;base64,${base64}`)).blob();
        const bitmap = await createImageBitmap(blob);
        const context = new OffscreenCanvas(bitmap.width, bitmap.height).getContext('2d');
        context.drawImage(bitmap, 0, 0);
        return context.getImageData(0, 0, bitmap.width, bitmap.height);
      };
      const [a, b] = await Promise.all([decode(before), decode(after)]);
      if (a.width !== b.width || a.height !== b.height) return true;
      let different = 0;
      for (let i = 0; i < a.data.length; i += 4) {
        for (let channel = 0; channel < 4; channel += 1) {
          if (Math.abs(a.data[i + channel] - b.data[i + channel]) > tolerance) {
            different += 1;
            if (different > allowed) return true;
            break;
          }
        }
      }
      return false;
    },
    [before.toString('base64'), after.toString('base64'), CHANNEL_TOLERANCE, DIFFERENT_PIXELS],
  );
}

/**
 * Saves the page as docs/screenshots/`name`.png unless the file there shows the same, with every
 * time shown as SHOWN_TIME and `hidden` (what differs each run) masked; `decoder` is a blank page.
 */
async function shoot(page, decoder, name, hidden = []) {
  await page.evaluate((shown) => {
    for (const time of document.querySelectorAll('time')) time.textContent = shown;
  }, SHOWN_TIME);
  const image = await page.screenshot({
    fullPage: true,
    mask: hidden,
    maskColor: '#dddddd',
    animations: 'disabled',
    caret: 'hide',
  });
  const file = path.join(SCREENSHOTS_DIR, `${name}.png`);
  const saved = await readFile(file).catch((error) => (error.code === 'ENOENT' ? null : Promise.reject(error)));
  if (!saved || (await imagesDiffer(decoder, saved, image))) await writeFile(file, image);
}

export function screenshotFlows(rig) {
  describe('the README screenshots', () => {
    it('are taken of the main pages', async () => {
      await mkdir(SCREENSHOTS_DIR, { recursive: true });
      const { apis, apps } = rig();
      const username = await register(apis.bearer, 'ada', { email: 'ada@example.com', origin: apps.bearer });
      const access = await accessToken(apis.bearer, username, { origin: apps.bearer });
      await createNotes(apis.bearer, access, 'Reading list', 3);
      const { page, context } = await rig().newPage('bearer');
      await page.setViewportSize(VIEWPORT);
      const decoder = await context.newPage();

      await page.goto('/register');
      await page.getByLabel('Username').fill('grace');
      await page.getByLabel(/^Password/).fill('too short');
      await page.getByRole('button', { name: 'Create account' }).click();
      await page.locator('#password-errors').waitFor();
      await shoot(page, decoder, 'register-field-errors');

      await signIn(page, username);
      await page.getByRole('heading', { name: 'Reading list 3' }).waitFor();
      await shoot(page, decoder, 'notes');

      await page.getByRole('link', { name: 'Account', exact: true }).click();
      await page.getByRole('heading', { name: 'Profile' }).waitFor();
      await page.getByText('No provider account is linked.').waitFor();
      await shoot(page, decoder, 'account');

      await page.getByRole('link', { name: 'Two-factor' }).click();
      await page.getByLabel('Current password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Set up two-factor' }).click();
      const qr = page.getByRole('img', { name: 'QR code of the two-factor setup' });
      await qr.waitFor();
      // The key and its QR code are new at every setup.
      await shoot(page, decoder, 'two-factor-setup', [qr, page.getByLabel('Setup key')]);

      await page.getByRole('link', { name: 'Sessions' }).click();
      await page.getByRole('list', { name: 'Your sessions' }).getByRole('listitem').first().waitFor();
      await shoot(page, decoder, 'sessions');

      await page.getByRole('link', { name: 'Security events' }).click();
      await page.getByRole('heading', { name: 'Security events' }).waitFor();
      await page.getByRole('listitem').first().waitFor();
      await shoot(page, decoder, 'security-events');
    });
  });
}
