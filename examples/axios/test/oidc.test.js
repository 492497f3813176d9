// Sign-in with an OpenID Connect provider, and links to one, against a live API and the backend's
// real test provider (django-oauth-toolkit, in a process of its own). Node plays the browser: a
// cookie jar keeps the API's binding cookie between the start and the callback, and the
// provider's authorize page, whose user is signed in already, redirects at once.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';

import axios from 'axios';

import { OidcLinkRequiredError, createApi, memoryKeyStore } from '../api.js';
import { cookieJar } from '../../support/cookie-jar.mjs';
import { startLiveServer } from '../../support/live-server.mjs';
import { oidcEnv, startOidcProvider } from '../../support/oidc-provider.mjs';
import { totp } from '../../support/totp.mjs';

const PASSWORD = 'correct-Horse-battery-staple-7';
// Only ever in the callback's redirect, never fetched: the SPA's page would be there.
const FRONTEND_CALLBACK = 'http://127.0.0.1:9/oidc/callback';
const TIMEOUT_MS = 10_000;

const skip = process.env.API_BASE_URL ? 'needs a server of its own with the test provider (API_BASE_URL is set)' : false;

// Only ever an Origin header here: the cookie-mode server checks it at the token endpoints.
const FRONTEND = 'http://app.example.test';

let provider;
let server;
let cookieServer;

before(
  async () => {
    if (skip) return;
    // First: the API's settings name its issuer.
    provider = await startOidcProvider();
    const env = oidcEnv(provider, FRONTEND_CALLBACK);
    [server, cookieServer] = await Promise.all([
      startLiveServer({ env }),
      startLiveServer({
        env: { ...env, JWT_REFRESH_COOKIE: 'true', JWT_REFRESH_COOKIE_SECURE: 'false', CORS_ALLOWED_ORIGINS: FRONTEND },
      }),
    ]);
  },
  { timeout: 240_000 },
);

after(
  async () => {
    await Promise.all([server?.stop(), cookieServer?.stop()]);
    await provider?.stop();
  },
  { timeout: 60_000 },
);

const unique = (prefix) => `${prefix}_${randomBytes(5).toString('hex')}`;

/** A client of a "browser" of its own (its cookie jar), of the Bearer server unless `on` says. */
function browserClient({ on = server, jar = cookieJar(axios.getAdapter('http')), ...options } = {}) {
  const headers = on === cookieServer ? { Origin: FRONTEND } : {};
  const api = createApi({ baseURL: on.baseURL, ...options, axiosConfig: { adapter: jar.adapter, headers } });
  return { api, jar, on };
}

// The provider's own pages a browser passes on the way back: its login page (prompt=login), then
// its authorize page again.
const MAX_HOPS = 4;

/** Where the provider sends the browser back to, after its own redirects. */
async function providerRedirect(authorizationUrl) {
  let url = authorizationUrl;
  for (let hop = 0; hop < MAX_HOPS; hop += 1) {
    const atProvider = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(TIMEOUT_MS) });
    await atProvider.body?.cancel();
    assert.equal(atProvider.status, 302, 'the provider sends the browser on');
    const next = new URL(atProvider.headers.get('location'), url);
    if (next.origin !== new URL(provider.issuer).origin) return next.href;
    url = next.href;
  }
  throw new Error('the provider kept redirecting to itself');
}

/**
 * The browser at the provider's authorization URL and back at the API's callback; resolves to
 * the query of the frontend page the callback redirects to (`code`, and `flow` for a link).
 */
async function visitProvider({ jar, on }, authorizationUrl) {
  const callback = await providerRedirect(authorizationUrl);
  assert.ok(callback.startsWith(`${on.baseURL}/api/oidc/test/callback/?`), callback);
  const answer = await axios.get(callback, {
    adapter: jar.adapter,
    maxRedirects: 0,
    timeout: TIMEOUT_MS,
    validateStatus: () => true,
  });
  assert.equal(answer.status, 302, JSON.stringify(answer.data));
  const frontend = new URL(answer.headers.location);
  assert.equal(`${frontend.origin}${frontend.pathname}`, FRONTEND_CALLBACK);
  return Object.fromEntries(frontend.searchParams);
}

/** Start, the provider, the callback: the one-time code for finishProviderLogin. */
async function providerCode(client) {
  const query = await visitProvider(client, await client.api.startProviderLogin('test'));
  assert.equal(query.flow, undefined);
  return query.code;
}

/** A password account, signed in on a client whose step-up answers with the password. */
async function passwordAccount({ email } = {}) {
  const client = browserClient({ onReauthenticate: async () => ({ password: PASSWORD }) });
  const username = unique('oidc');
  await client.api.tokenClient.post('/api/user/register/', { username, password: PASSWORD, ...(email && { email }) });
  await client.api.login(username, PASSWORD);
  return { ...client, username };
}

/** Links the provider's signed-in user to the client's account; resolves to the identity. */
async function link(client) {
  const query = await visitProvider(client, await client.api.startLinkProvider('test'));
  assert.equal(query.flow, 'link');
  return client.api.finishLinkProvider({ code: query.code });
}

const me = async (api) => (await api.get('/api/user/me/')).data;

describe('sign-in with an OpenID Connect provider', { timeout: 240_000, skip }, () => {
  it('lists the configured providers', async () => {
    const { api } = browserClient();
    assert.deepEqual(await api.oidcProviders(), [{ name: 'test', display_name: 'Test IdP' }]);
  });

  it('signs a new user in with the provider, and the one-time code works once', async () => {
    await provider.signIn({ username: unique('provider') });
    const client = browserClient();
    const code = await providerCode(client);

    const answer = await client.api.finishProviderLogin({ code });
    assert.equal(typeof answer.refresh, 'string');
    assert.equal(client.api.isAuthenticated(), true);
    assert.equal((await client.api.get('/api/notes/')).status, 200);
    assert.match((await me(client.api)).username, /^test-[0-9a-f]{12}$/);

    const other = browserClient();
    await assert.rejects(other.api.finishProviderLogin({ code }), (error) => {
      assert.equal(error.response.status, 401);
      assert.equal(error.response.data.code, 'oidc_code_invalid');
      return true;
    });
    assert.equal(other.api.isAuthenticated(), false);
  });

  it('loginWithProvider hands the provider URL to the redirect, and the sign-in finishes from there', async () => {
    await provider.signIn({ username: unique('provider') });
    const client = browserClient();
    let sent = null;
    await client.api.loginWithProvider('test', { redirect: (url) => (sent = url) });
    assert.ok(sent.startsWith(`${provider.issuer}/authorize/?`), sent);

    const { code } = await visitProvider(client, sent);
    await client.api.finishProviderLogin({ code });
    assert.equal((await client.api.get('/api/notes/')).status, 200);
  });

  it('binds the tokens to the DPoP key of the client that finishes the sign-in', async () => {
    await provider.signIn({ username: unique('provider') });
    const client = browserClient({ dpop: true, dpopKeyStore: memoryKeyStore() });
    const answer = await client.api.finishProviderLogin({ code: await providerCode(client) });
    assert.equal(answer.token_type, 'DPoP');
    assert.equal((await client.api.get('/api/notes/')).status, 200);

    const stolen = await axios.get(`${server.baseURL}/api/notes/`, {
      headers: { Authorization: `Bearer ${answer.access}` },
      validateStatus: () => true,
    });
    assert.equal(stolen.status, 401, 'the token alone, without a proof of the key');
  });

  it('keeps the refresh token in its HttpOnly cookie in refresh cookie mode', async () => {
    await provider.signIn({ username: unique('provider') });
    const client = browserClient({ on: cookieServer, refreshCookie: true });
    const answer = await client.api.finishProviderLogin({ code: await providerCode(client) });
    assert.equal(answer.refresh, undefined);
    assert.ok(client.jar.get('refresh_token'), 'the answer set the refresh cookie');
    assert.equal((await client.api.get('/api/notes/')).status, 200);

    // A reloaded page: nothing in memory, the cookie restores the session.
    const reloaded = browserClient({ on: cookieServer, jar: client.jar, refreshCookie: true });
    assert.equal(await reloaded.api.restore(), true);
    assert.equal((await reloaded.api.get('/api/notes/')).status, 200);
  });

  it('refuses with OidcLinkRequiredError when an account has the verified email', async () => {
    const email = `${unique('owner')}@example.com`;
    await passwordAccount({ email });
    await provider.signIn({ username: unique('provider'), email });
    const client = browserClient();

    await assert.rejects(client.api.finishProviderLogin({ code: await providerCode(client) }), (error) => {
      assert.ok(error instanceof OidcLinkRequiredError);
      assert.equal(error.code, 'oidc_link_required');
      assert.equal(error.response.status, 403);
      assert.match(error.message, /\w/);
      return true;
    });
    assert.equal(client.api.isAuthenticated(), false);
  });

  it('links the provider to a password account behind a step-up, signs in with it, and unlinks it', async () => {
    const prompts = [];
    const owner = browserClient({
      onReauthenticate: async () => {
        prompts.push('asked');
        return { password: PASSWORD };
      },
    });
    const username = unique('oidc');
    await owner.api.tokenClient.post('/api/user/register/', { username, password: PASSWORD });
    await owner.api.login(username, PASSWORD);
    await provider.signIn({ username: unique('provider') });

    const identity = await link(owner);
    assert.equal(identity.provider, 'test');
    assert.deepEqual(prompts, ['asked']);
    assert.deepEqual(
      (await owner.api.identities()).map((one) => one.id),
      [identity.id],
    );

    const later = browserClient();
    await later.api.finishProviderLogin({ code: await providerCode(later) });
    assert.equal((await me(later.api)).username, username, 'the provider signs in to the linked account');

    await owner.api.unlinkIdentity(identity.id);
    assert.deepEqual(await owner.api.identities(), []);
  });

  it('asks for the second factor after the provider, as after a password', async () => {
    const owner = await passwordAccount();
    await provider.signIn({ username: unique('provider') });
    await link(owner);
    const { data } = await owner.api.post('/api/user/mfa/totp/', {});
    const { recovery_codes: codes } = (await owner.api.post('/api/user/mfa/totp/confirm/', { code: totp(data.secret) }))
      .data;

    const client = browserClient();
    const mfaToken = await client.api.finishProviderLogin({ code: await providerCode(client) }).then(
      () => assert.fail('the provider alone signed in'),
      (error) => {
        assert.equal(error.response.status, 401);
        assert.equal(error.response.data.code, 'mfa_required');
        return error.response.data.mfa_token;
      },
    );
    assert.equal(client.api.isAuthenticated(), false);
    await client.api.loginMfa(mfaToken, codes[0]);
    assert.equal((await me(client.api)).username, owner.username);
  });
});

describe('step-up through the OpenID Connect provider', { timeout: 240_000, skip }, () => {
  /** An account made by a provider sign-in (no password), signed in on a client of its own. */
  async function providerAccount(options) {
    await provider.signIn({ username: unique('provider') });
    const client = browserClient(options);
    await client.api.finishProviderLogin({ code: await providerCode(client) });
    return client;
  }

  /** A step-up at the provider up to its callback: the `code` for finishProviderReauthentication. */
  async function reauthCode(client) {
    const { logins } = await provider.control({});
    const query = await visitProvider(client, await client.api.startProviderReauthentication('test'));
    assert.equal(query.flow, 'reauthenticate');
    assert.equal((await provider.control({})).logins, logins + 1, 'the provider asked for a fresh login');
    return query.code;
  }

  for (const mode of ['bearer', 'dpop', 'cookie']) {
    it(`turns two-factor on for an account without a password after a fresh provider sign-in (${mode})`, async () => {
      const options = {
        bearer: {},
        dpop: { dpop: true, dpopKeyStore: memoryKeyStore() },
        cookie: { on: cookieServer, refreshCookie: true },
      }[mode];
      const client = await providerAccount(options);
      await assert.rejects(client.api.post('/api/user/mfa/totp/', {}), (error) => {
        assert.equal(error.response.status, 403);
        assert.equal(error.response.data.code, 'reauthentication_required');
        return true;
      });

      const answer = await client.api.finishProviderReauthentication({ code: await reauthCode(client) });
      assert.equal(typeof answer.reauth_token, 'string');
      const { data } = await client.api.post('/api/user/mfa/totp/', {});
      await client.api.post('/api/user/mfa/totp/confirm/', { code: totp(data.secret) });
      assert.equal((await me(client.api)).mfa_enabled, true);
    });
  }

  it('reauthenticateWithProvider hands the provider URL, asking for a fresh login, to the redirect', async () => {
    const client = await providerAccount();
    let sent = null;
    await client.api.reauthenticateWithProvider('test', { redirect: (url) => (sent = url) });
    const asked = new URL(sent);
    assert.equal(`${asked.origin}${asked.pathname}`, `${provider.issuer}/authorize/`);
    assert.equal(asked.searchParams.get('prompt'), 'login');
    assert.equal(asked.searchParams.get('max_age'), '0');
  });

  it('refuses a step-up code used twice, and one from another session', async () => {
    const client = await providerAccount();
    const code = await reauthCode(client);
    await client.api.finishProviderReauthentication({ code });
    const refusedCode = (error) => {
      assert.equal(error.response.status, 400);
      assert.equal(error.response.data.code, 'oidc_code_invalid');
      return true;
    };
    await assert.rejects(client.api.finishProviderReauthentication({ code }), refusedCode);

    // The same provider account, signed in again: another session of the same account.
    const other = browserClient();
    await other.api.finishProviderLogin({ code: await providerCode(other) });
    assert.equal((await me(other.api)).username, (await me(client.api)).username);
    await assert.rejects(other.api.finishProviderReauthentication({ code: await reauthCode(client) }), refusedCode);
  });

  it('refuses to start where the account has no provider account linked', async () => {
    const owner = await passwordAccount();
    await assert.rejects(owner.api.startProviderReauthentication('test'), (error) => {
      assert.equal(error.response.status, 400);
      assert.equal(error.response.data.code, 'oidc_no_identity');
      return true;
    });
  });
});
