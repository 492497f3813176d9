// Register, notes, reload, expiry, sign out: the tutorial's flows, in each token mode.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';

import { ACCESS_EXPIRY_MS, MODES, PASSWORD, WAIT_MS } from '../rig.mjs';
import { accessToken, createNotes, register, signIn } from './api.mjs';

const PAGE_SIZE = 20; // src/notes.ts
const PARALLEL = 4;

const isPath = (request, pathname, method) =>
  new URL(request.url()).pathname.startsWith(pathname) && request.method() === method;

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

      it(`refreshes once for ${PARALLEL} deletes that find the access token expired together (${mode})`, async () => {
        const api = rig().apis[mode];
        const origin = rig().apps[mode];
        const username = await register(api, `parallel_${randomBytes(5).toString('hex')}`, { origin });
        await createNotes(api, await accessToken(api, username, { origin }), 'Chore', PARALLEL);
        const { page } = await rig().newPage(mode);
        await signIn(page, username);
        await page.getByRole('heading', { name: `Chore ${PARALLEL}`, exact: true }).waitFor();

        const refreshes = [];
        page.on('request', (request) => isPath(request, '/api/token/refresh/', 'POST') && refreshes.push(request));
        let refused = 0;
        let allRefused;
        const everyDeleteRefused = new Promise((resolve) => {
          allRefused = resolve;
        });
        page.on('response', (response) => {
          if (isPath(response.request(), '/api/notes/', 'DELETE') && response.status() === 401) {
            refused += 1;
            if (refused === PARALLEL) allRefused();
          }
        });
        // The refresh goes on only once every delete has been refused: all of them are under way
        // together, however fast or slow the machine (a bounded wait, for a client that never sends them).
        await page.route('**/api/token/refresh/', async (route) => {
          if (route.request().method() === 'POST') await Promise.race([everyDeleteRefused, sleep(WAIT_MS / 3)]);
          await route.continue();
        });

        await sleep(ACCESS_EXPIRY_MS);
        for (let i = 1; i <= PARALLEL; i += 1) {
          await page.getByRole('button', { name: `Delete Chore ${i}`, exact: true }).click();
        }
        await page.getByText('No notes yet.').waitFor();
        assert.equal(refused, PARALLEL, 'each delete went out with the expired token');
        assert.equal(refreshes.length, 1, 'one refresh for all of them');

        await page.reload();
        await page.getByText('No notes yet.').waitFor();
        assert.equal(new URL(page.url()).pathname, '/notes', 'still signed in');
      });

      it(`searches, pages with "Load more" and edits a note, with the API's field errors (${mode})`, async () => {
        const api = rig().apis[mode];
        const origin = rig().apps[mode];
        const username = await register(api, `pages_${randomBytes(5).toString('hex')}`, { origin });
        const access = await accessToken(api, username, { origin });
        await createNotes(api, access, 'Holiday plan', 2);
        await createNotes(api, access, 'Groceries', PAGE_SIZE + 5);
        const { page } = await rig().newPage(mode);
        await signIn(page, username);
        const notes = page.getByRole('list', { name: 'Your notes' }).getByRole('heading');

        await notes.first().waitFor();
        assert.equal(await notes.count(), PAGE_SIZE);
        await page.getByRole('button', { name: 'Load more' }).click();
        await page.getByRole('heading', { name: 'Holiday plan 1', exact: true }).waitFor();
        assert.equal(await notes.count(), PAGE_SIZE + 7);
        assert.equal(await page.getByRole('button', { name: 'Load more' }).count(), 0, 'no next page after the last');

        await page.getByLabel('Search', { exact: true }).fill('holiday');
        await page.getByRole('button', { name: 'Search' }).click();
        await page.getByRole('heading', { name: 'Groceries 1', exact: true }).waitFor({ state: 'detached' });
        assert.deepEqual((await notes.allTextContents()).sort(), ['Holiday plan 1', 'Holiday plan 2']);
        await page.getByLabel('Search', { exact: true }).fill('nothing like this');
        await page.getByRole('button', { name: 'Search' }).click();
        await page.getByText('No notes match “nothing like this”.').waitFor();
        await page.getByLabel('Search', { exact: true }).fill('holiday');
        await page.getByRole('button', { name: 'Search' }).click();

        await page.getByRole('button', { name: 'Edit Holiday plan 2' }).click();
        const form = page.getByRole('form', { name: 'Edit Holiday plan 2' });
        await form.getByLabel('Title').fill('x'.repeat(101));
        await form.getByRole('button', { name: 'Save' }).click();
        const titleErrors = form.locator('.field-errors');
        await titleErrors.waitFor();
        assert.match(await titleErrors.textContent(), /100 characters/);
        const title = form.getByLabel('Title');
        assert.equal(await title.getAttribute('aria-invalid'), 'true');
        assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('name')), 'title');
        await title.fill('Holiday in Lisbon');
        await form.getByLabel('Content').fill('book the train');
        await form.getByRole('button', { name: 'Save' }).click();
        await page.getByRole('heading', { name: 'Holiday in Lisbon' }).waitFor();
        await page.getByText('book the train').waitFor();

        await page.reload();
        await page.getByLabel('Search', { exact: true }).fill('lisbon');
        await page.getByRole('button', { name: 'Search' }).click();
        await page.getByRole('heading', { name: 'Holiday in Lisbon' }).waitFor();
        assert.equal(await notes.count(), 1);
      });
    }
  });
}
