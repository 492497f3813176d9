// Sign-in with an OpenID Connect provider through the app and the backend's real test provider
// (django-oauth-toolkit, started once by the rig): the login page's button, the provider's
// authorize page (its user signed in already, so it redirects at once), the API's callback, and
// the app's callback page, in each token mode; the API's callback refusing a used sign-in and
// one the user cancelled at the provider, said on the app's callback page; the second factor
// after the provider, a refusal the user must act on, linking and unlinking from the account page, and an account without a
// password turning two-factor on after a step-up at the provider.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';

import { totp } from '../../../support/totp.mjs';
import { MODES, PASSWORD } from '../rig.mjs';
import { refuseAsLastWayIn, register, signUp } from './api.mjs';
import { nextCode, turnOnTwoFactor } from './factors.mjs';

const unique = (prefix) => `${prefix}_${randomBytes(5).toString('hex')}`;
const PROVIDER_BUTTON = 'Sign in with Test IdP';

/** Every URL of the app's callback page this page loads (each has its one-time code). */
function callbackUrls(page) {
  const urls = [];
  page.on('request', (request) => {
    if (request.isNavigationRequest() && new URL(request.url()).pathname === '/oidc/callback') urls.push(request.url());
  });
  return urls;
}

/** Every URL of the API's callback this page navigates to (the provider sends the browser there). */
function apiCallbackUrls(page) {
  const urls = [];
  page.on('request', (request) => {
    if (request.isNavigationRequest() && new URL(request.url()).pathname === '/api/oidc/test/callback/') urls.push(request.url());
  });
  return urls;
}

/** The callback page's refusal: an alert, focused, that says `text`. */
async function refusalShown(page, text) {
  const refused = page.getByRole('alert');
  await refused.waitFor();
  assert.match(await refused.textContent(), text);
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('role')), 'alert');
}

async function signOut(page) {
  await page.goto('/notes');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL('**/login');
}

async function signInWithProvider(page) {
  await page.goto('/login');
  await page.getByRole('button', { name: PROVIDER_BUTTON }).click();
}

async function usernameShown(page) {
  await page.goto('/account');
  const profile = page.getByRole('region', { name: 'Profile' });
  await profile.getByRole('definition').first().waitFor();
  return (await profile.getByRole('definition').first().textContent()).trim();
}

export function oidcFlows(rig) {
  describe('sign-in with an OpenID Connect provider', () => {
    for (const mode of MODES) {
      it(`signs a new user in from the login page, keeps the session over a reload, and again after signing out (${mode})`, async () => {
        const { page } = await rig().newPage(mode);
        const visits = callbackUrls(page);
        await rig().provider.signIn({ username: unique('provider') });

        await signInWithProvider(page);
        await page.waitForURL('**/notes');
        await page.getByRole('heading', { name: 'Notes' }).waitFor();
        assert.equal(visits.length, 1);
        assert.match(new URL(visits[0]).searchParams.get('code'), /\S/);
        const username = await usernameShown(page);
        assert.match(username, /^test-[0-9a-f]{12}$/);

        await page.reload();
        assert.equal(await usernameShown(page), username, 'the session outlives the page');

        await signOut(page);
        await signInWithProvider(page);
        await page.waitForURL('**/notes');
        assert.equal(await usernameShown(page), username, 'the same provider account, the same account');

        // Its code worked once: the callback page opened with it again says so and signs no one in.
        await signOut(page);
        await page.goto(visits[0]);
        const refused = page.getByRole('alert');
        await refused.waitFor();
        assert.match(await refused.textContent(), /unknown, used or expired/);
        assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('role')), 'alert');
        await page.getByRole('link', { name: 'Back to sign in' }).click();
        await page.waitForURL('**/login');
      });
    }

    it('sends a refused sign-in back to the app, which says what happened: a used one, one cancelled at the provider (bearer)', async () => {
      const { page } = await rig().newPage('bearer');
      const visits = apiCallbackUrls(page);
      const { provider } = rig();
      await provider.signIn({ username: unique('provider') });
      await signInWithProvider(page);
      await page.waitForURL('**/notes');
      assert.equal(visits.length, 1);

      // The API's callback opened again with its used state: back on the app's page, in words.
      await page.goto(visits[0]);
      await page.waitForURL((url) => url.pathname === '/oidc/callback' && url.searchParams.get('error') === 'oidc_state_used');
      await refusalShown(page, /finished already.*Start again/);
      await page.getByRole('link', { name: 'Back to your account' }).waitFor();

      await signOut(page);
      try {
        await provider.control({ deny: true });
        await signInWithProvider(page);
        await page.waitForURL((url) => url.pathname === '/oidc/callback' && url.searchParams.has('error'));
        assert.deepEqual(
          [...new URL(page.url()).searchParams.keys()].sort(),
          ['error', 'provider_error'],
          'neither the state nor the provider’s description comes along',
        );
        await refusalShown(page, /cancelled at the provider.*Start again/);
      } finally {
        await provider.control({ deny: false });
      }
      await page.getByRole('link', { name: 'Back to sign in' }).click();
      await page.waitForURL('**/login');
    });

    it('asks for the second factor after the provider, and the code finishes the sign-in (bearer)', async () => {
      const { page } = await rig().newPage('bearer');
      const username = await signUp(page, 'oidc2fa');
      await rig().provider.signIn({ username: unique('provider') });
      await page.goto('/account');
      await page.getByRole('button', { name: 'Link Test IdP' }).click();
      const dialog = page.getByRole('dialog', { name: 'Confirm it is you' });
      await dialog.getByLabel('Password').fill(PASSWORD);
      await dialog.getByRole('button', { name: 'Confirm' }).click();
      await page.getByRole('status').filter({ hasText: 'Test IdP is linked' }).waitFor();
      const { secret } = await turnOnTwoFactor(page);

      await signOut(page);
      await signInWithProvider(page);
      const code = page.getByLabel('Authentication code or recovery code');
      await code.waitFor();
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'code');
      await code.fill(nextCode(secret));
      await page.getByRole('button', { name: 'Verify' }).click();
      await page.waitForURL('**/notes');
      assert.equal(await usernameShown(page), username);
    });

    it('says what to do when an account has the provider account’s email (cookie)', async () => {
      const { apis, apps, provider } = rig();
      const email = `${unique('owner')}@example.com`;
      await register(apis.cookie, unique('owner'), { email, origin: apps.cookie });
      await provider.signIn({ username: unique('provider'), email });
      const { page } = await rig().newPage('cookie');

      await signInWithProvider(page);
      const refused = page.getByRole('alert');
      await refused.waitFor();
      assert.match(await refused.textContent(), /An account with this email exists/);
      assert.match(await refused.textContent(), /link the provider from your account page/);
      await page.getByRole('link', { name: 'Back to sign in' }).click();
      await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
    });

    it('links the provider from the account page with the step-up dialog, signs in with it, and unlinks it (dpop)', async () => {
      const { page } = await rig().newPage('dpop');
      const username = await signUp(page, 'oidclink');
      await rig().provider.signIn({ username: unique('provider') });
      await page.goto('/account');
      const section = page.getByRole('region', { name: 'Sign-in providers' });
      await section.getByText('No provider account is linked.').waitFor();

      // Closing the dialog changes nothing.
      await section.getByRole('button', { name: 'Link Test IdP' }).click();
      const dialog = page.getByRole('dialog', { name: 'Confirm it is you' });
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await section.getByRole('alert').filter({ hasText: 'did not confirm' }).waitFor();

      await section.getByRole('button', { name: 'Link Test IdP' }).click();
      await page.waitForFunction(() => document.activeElement?.id === 'password');
      await dialog.getByLabel('Password').fill(PASSWORD);
      await dialog.getByRole('button', { name: 'Confirm' }).click();
      await page.waitForURL('**/account');
      await section.getByRole('status').filter({ hasText: 'Test IdP is linked' }).waitFor();
      const linked = section.getByRole('list', { name: 'Linked provider accounts' }).getByRole('listitem');
      assert.equal(await linked.count(), 1);

      await signOut(page);
      await signInWithProvider(page);
      await page.waitForURL('**/notes');
      assert.equal(await usernameShown(page), username);

      // The API keeps an account's last way to sign in; this one has a password, so that answer
      // is played here.
      const origin = rig().apps.dpop;
      const played = await refuseAsLastWayIn(page, '**/api/user/identities/*/', {
        origin,
        detail: "This is the account's last way to log in: set a password or link another provider first.",
      });
      await section.getByRole('button', { name: 'Unlink Test IdP' }).click();
      const refused = section.getByRole('alert');
      await refused.waitFor();
      assert.match(await refused.textContent(), /last way to log in/);
      assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('role')), 'alert');
      await played();

      await section.getByRole('button', { name: 'Unlink Test IdP' }).click();
      await dialog.getByLabel('Password').fill(PASSWORD);
      await dialog.getByRole('button', { name: 'Confirm' }).click();
      await section.getByRole('status').filter({ hasText: 'Test IdP is unlinked.' }).waitFor();
      await section.getByText('No provider account is linked.').waitFor();
    });

    for (const mode of MODES) {
      it(`turns two-factor on for an account made by the provider, confirming at the provider (${mode})`, async () => {
        const { page } = await rig().newPage(mode);
        const visits = callbackUrls(page);
        await rig().provider.signIn({ username: unique('provider') });
        await signInWithProvider(page);
        await page.waitForURL('**/notes');

        await page.getByRole('link', { name: 'Two-factor' }).click();
        await page.waitForURL('**/account/two-factor');
        await page.getByText('Two-factor login is off.').waitFor();
        // No password to type: the step-up dialog offers the provider.
        await page.getByRole('button', { name: 'Set up two-factor' }).click();
        const dialog = page.getByRole('dialog', { name: 'Confirm it is you' });
        const { logins } = await rig().provider.control({});
        await dialog.getByRole('button', { name: 'Confirm with Test IdP' }).click();

        // At the provider's login page and back, to the page that asked, the step-up token in place.
        await page.waitForURL('**/account/two-factor');
        const notice = page.getByRole('status').filter({ hasText: 'You confirmed it is you with Test IdP' });
        await notice.waitFor();
        assert.equal((await rig().provider.control({})).logins, logins + 1, 'a fresh login at the provider');
        const stepUp = new URL(visits.at(-1));
        assert.equal(stepUp.searchParams.get('flow'), 'reauthenticate');
        assert.equal(await page.evaluate(() => sessionStorage.length), 0, 'nothing left behind');

        await page.getByRole('button', { name: 'Set up two-factor' }).click();
        const secret = await page.getByLabel('Setup key').inputValue();
        assert.equal(await dialog.isVisible(), false, 'no second step-up');
        await page.getByLabel('Code from the app').fill(totp(secret));
        await page.getByRole('button', { name: 'Turn on two-factor' }).click();
        await page.getByRole('list', { name: 'Recovery codes' }).waitFor();

        // Its code worked once: opened again, the callback page refuses it and changes nothing.
        await page.goto(stepUp.href);
        const refused = page.getByRole('alert');
        await refused.waitFor();
        assert.match(await refused.textContent(), /unknown, used or expired/);
      });
    }
  });
}
