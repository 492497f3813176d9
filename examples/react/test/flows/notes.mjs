// Register, notes, reload, expiry, sign out: the tutorial's flows, in each token mode.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';

import { ACCESS_EXPIRY_MS, MODES, PASSWORD } from '../rig.mjs';

export function notesFlows(rig) {
  describe('registering and notes', () => {
    for (const mode of MODES) {
      it(`registers, keeps notes across a reload and an expiry, and signs out (${mode})`, async () => {
        const { page } = await rig().newPage(mode);
        // The scheme of every notes request the page sends, and whether a proof came with it.
        const sent = [];
        page.on('request', (request) => {
          if (new URL(request.url()).pathname.startsWith('/api/notes/') && request.method() !== 'OPTIONS') {
            const headers = request.headers();
            sent.push({ scheme: headers.authorization?.split(' ')[0], proof: 'dpop' in headers });
          }
        });
        await page.goto('/notes');
        await page.waitForURL('**/login');
        await page.getByRole('link', { name: 'Create an account' }).click();

        const username = `react_${randomBytes(5).toString('hex')}`;
        await page.getByLabel('Username').fill(username);
        await page.getByLabel(/^Password/).fill('too short');
        await page.getByRole('button', { name: 'Create account' }).click();
        const passwordErrors = page.locator('#password-errors');
        await passwordErrors.waitFor();
        assert.match(await passwordErrors.textContent(), /too short|at least 15/i);
        assert.equal(await page.evaluate(() => document.activeElement?.id), 'password');
        assert.equal(await page.getByLabel(/^Password/).getAttribute('aria-invalid'), 'true');

        await page.getByLabel(/^Password/).fill(PASSWORD);
        await page.getByRole('button', { name: 'Create account' }).click();
        await page.waitForURL('**/notes');
        await page.getByText('No notes yet.').waitFor();

        await page.getByLabel('Title').fill('Milk');
        await page.getByLabel('Content').fill('two litres');
        await page.getByRole('button', { name: 'Add note' }).click();
        await page.getByRole('heading', { name: 'Milk' }).waitFor();

        await page.reload();
        await page.getByRole('heading', { name: 'Milk' }).waitFor();
        assert.equal(new URL(page.url()).pathname, '/notes');

        await sleep(ACCESS_EXPIRY_MS);
        await page.getByLabel('Title').fill('Eggs');
        await page.getByLabel('Content').fill('a dozen');
        await page.getByRole('button', { name: 'Add note' }).click();
        await page.getByRole('heading', { name: 'Eggs' }).waitFor();
        await page.getByRole('button', { name: 'Delete Milk' }).click();
        await page.getByRole('heading', { name: 'Milk' }).waitFor({ state: 'detached' });

        const scheme = mode === 'dpop' ? 'DPoP' : 'Bearer';
        assert.ok(sent.length >= 4, JSON.stringify(sent));
        assert.deepEqual(new Set(sent.map(JSON.stringify)), new Set([JSON.stringify({ scheme, proof: mode === 'dpop' })]));
        const stored = await page.evaluate(() => localStorage.getItem('notes.refresh'));
        assert.equal(stored === null, mode === 'cookie', 'only cookie mode keeps no refresh token in the page');

        await page.getByRole('button', { name: 'Sign out' }).click();
        await page.waitForURL('**/login');
        await page.reload();
        await page.waitForURL('**/login');
      });
    }
  });
}
