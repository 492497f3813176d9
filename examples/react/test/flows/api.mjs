// Calls to the API from the test itself (not the page), for what a flow needs set up quickly.
import { randomBytes } from 'node:crypto';

import { postJson } from '../../../support/browser.mjs';
import { PASSWORD } from '../rig.mjs';

// From the app's origin, as the page's own calls are: a server in cookie mode refuses token
// calls that carry no Origin (its CSRF defence).
const from = (origin) => (origin ? { Origin: origin } : {});

/** A new account on `api` (with `email` if given); resolves to its username. */
export async function register(api, username, { email, origin } = {}) {
  const { status, body } = await postJson(
    `${api}/api/user/register/`,
    { username, password: PASSWORD, ...(email ? { email } : {}) },
    from(origin),
  );
  if (status !== 201) throw new Error(`register answered ${status}: ${JSON.stringify(body)}`);
  return username;
}

/** A Bearer access token of `username` on `api` (a session of its own, apart from the page's). */
export async function accessToken(api, username, { password = PASSWORD, origin } = {}) {
  const { status, body } = await postJson(`${api}/api/token/`, { username, password }, from(origin));
  if (status !== 200) throw new Error(`login answered ${status}: ${JSON.stringify(body)}`);
  return body.access;
}

/**
 * A login of `username` on `api` whose second step is answered with `code` (a session of its own,
 * apart from the page's); resolves to that step's status: 200 signed in, 401 refused.
 */
export async function secondStepStatus(api, username, code, { origin } = {}) {
  const first = await postJson(`${api}/api/token/`, { username, password: PASSWORD }, from(origin));
  if (first.status !== 401 || first.body.code !== 'mfa_required') {
    throw new Error(`login answered ${first.status}: ${JSON.stringify(first.body)}`);
  }
  const { status } = await postJson(`${api}/api/token/mfa/`, { mfa_token: first.body.mfa_token, code }, from(origin));
  return status;
}

/** Creates `count` notes titled `${prefix} 1`..`${prefix} count` for the token's user. */
export async function createNotes(api, access, prefix, count) {
  for (let i = 1; i <= count; i += 1) {
    const { status, body } = await postJson(
      `${api}/api/notes/`,
      { title: `${prefix} ${i}`, content: `note number ${i}` },
      { Authorization: `Bearer ${access}` },
    );
    if (status !== 201) throw new Error(`note ${i} answered ${status}: ${JSON.stringify(body)}`);
  }
}

/** Signs in through the app's login page. */
export async function signIn(page, username, password = PASSWORD) {
  await page.goto('/login');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.waitForURL('**/notes');
}

/** Registers a new account through the app's page; resolves to its username, on the notes page. */
export async function signUp(page, prefix) {
  const username = `${prefix}_${randomBytes(5).toString('hex')}`;
  await page.goto('/register');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel(/^Password/).fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForURL('**/notes');
  return username;
}

/**
 * Until the returned function is called, the page's DELETEs of `pattern` (a `page.route` glob)
 * answer the API's 409 `last_login_method`, as they would for an account whose last way to sign
 * in it is: the accounts the flows make have a password, so the refusal the page must show is
 * played to it. Other methods go to the API.
 */
export async function refuseAsLastWayIn(page, pattern, { origin, detail }) {
  await page.route(pattern, (route) =>
    route.request().method() === 'DELETE'
      ? route.fulfill({
          status: 409,
          contentType: 'application/json',
          headers: { 'Access-Control-Allow-Origin': origin, 'Access-Control-Allow-Credentials': 'true' },
          body: JSON.stringify({ detail, code: 'last_login_method' }),
        })
      : route.fallback(),
  );
  return () => page.unroute(pattern);
}
