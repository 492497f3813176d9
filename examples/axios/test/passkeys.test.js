// Passkeys through the reference client against a live server: the client's real ceremonies,
// with a software authenticator (../../support/soft-authenticator.mjs) in place of the browser's
// navigator.credentials and PublicKeyCredential, so that what the client sends is what the server
// checks: registration after a step-up, passwordless login (from a button and as autofill, which
// a password login aborts), the second factor of a two-factor login, step-up, and refusals.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';

import axios from 'axios';

import { PasskeyUnsupportedError, createApi } from '../api.js';
import { startLiveServer } from '../../support/live-server.mjs';
import { SoftAuthenticator, SoftPublicKeyCredential } from '../../support/soft-authenticator.mjs';
import { totp } from '../../support/totp.mjs';

const PASSWORD = 'correct-Horse-battery-staple-7';
// The page's origin as the authenticator reports it in its signed client data: a name only (no
// port is listened on), under the RP ID localhost as the server's WebAuthn settings want.
const ORIGIN = 'http://app.localhost';

// The server's WebAuthn settings are this file's own.
const skip = process.env.API_BASE_URL ? 'needs a server of its own with WEBAUTHN_* set (API_BASE_URL is set)' : false;

let server;

before(
  async () => {
    if (skip) return;
    server = await startLiveServer({ env: { WEBAUTHN_RP_ID: 'localhost', WEBAUTHN_ORIGINS: ORIGIN } });
  },
  { timeout: 180_000 },
);

after(
  async () => {
    await server?.stop();
  },
  { timeout: 60_000 },
);

const httpAdapter = axios.getAdapter(axios.defaults.adapter);

/**
 * A client on `authenticator`'s page, with a log of the requests it sent as they went out (`sent`:
 * `{call: 'METHOD path status', config}`, config.data being the body as sent) and of the step-up
 * hook's calls; the hook answers with `proof`.
 */
function passkeyClient(authenticator, { proof = () => ({ password: PASSWORD }), ...options } = {}) {
  const sent = [];
  const prompts = [];
  const logged = (config, status) =>
    sent.push({ call: `${config.method.toUpperCase()} ${config.url} ${status}`, config });
  const api = createApi({
    baseURL: server.baseURL,
    credentials: authenticator,
    publicKeyCredential: SoftPublicKeyCredential,
    onReauthenticate: async () => {
      prompts.push('asked');
      return proof();
    },
    axiosConfig: {
      timeout: 20_000,
      // Under the interceptors: every request as sent, replays and step-ups included.
      adapter: async (config) => {
        try {
          const response = await httpAdapter(config);
          logged(config, response.status);
          return response;
        } catch (error) {
          logged(config, error.response?.status ?? error.code);
          throw error;
        }
      },
    },
    ...options,
  });
  return { api, sent, prompts, calls: () => sent.map(({ call }) => call) };
}

async function newAccount(client) {
  const username = `passkey_${randomBytes(5).toString('hex')}`;
  const { status } = await client.api.tokenClient.post('/api/user/register/', { username, password: PASSWORD });
  assert.equal(status, 201);
  await client.api.login(username, PASSWORD);
  return username;
}

/** An account with one passkey on a new authenticator, signed out again. */
async function accountWithPasskey() {
  const authenticator = new SoftAuthenticator({ origin: ORIGIN });
  const client = passkeyClient(authenticator);
  const username = await newAccount(client);
  const passkey = await client.api.registerPasskey({ name: 'Laptop' });
  await client.api.logout();
  return { authenticator, username, passkey };
}

async function signedInAs(api) {
  const { data } = await api.get('/api/user/me/');
  return data.username;
}

const rejectsWith = (promise, status, code) =>
  assert.rejects(promise, (error) => {
    assert.equal(error.response?.status, status, error.message);
    assert.equal(error.response.data.code, code);
    return true;
  });

const isAbort = (error) => {
  assert.equal(error.name, 'AbortError');
  return true;
};

describe('passkeys through the reference client', { timeout: 120_000, skip }, () => {
  it('registers a passkey after a step-up, with the options parsed and the credential sent as toJSON() gives it', async () => {
    const authenticator = new SoftAuthenticator({ origin: ORIGIN });
    const client = passkeyClient(authenticator);
    const username = await newAccount(client);

    const passkey = await client.api.registerPasskey({ name: 'Laptop' });

    assert.equal(passkey.name, 'Laptop');
    assert.deepEqual(passkey.transports, ['internal', 'hybrid']);
    assert.deepEqual(client.prompts, ['asked'], 'the options call asked for a step-up once');
    assert.deepEqual(client.calls().slice(-4), [
      'POST /api/user/passkeys/register/options/ 403',
      'POST /api/user/reauthenticate/ 200',
      'POST /api/user/passkeys/register/options/ 200',
      'POST /api/user/passkeys/register/ 201',
    ]);
    // The browser got binary options (the JSON helper ran), for this RP and this account.
    const [{ method, publicKey }] = authenticator.calls;
    assert.equal(method, 'create');
    assert.ok(publicKey.challenge instanceof ArrayBuffer);
    assert.ok(publicKey.user.id instanceof ArrayBuffer);
    assert.equal(publicKey.rp.id, 'localhost');
    assert.equal(publicKey.user.name, username);
    assert.equal(publicKey.authenticatorSelection.userVerification, 'required');
    // The server got the credential's JSON form.
    const { credential, name } = JSON.parse(client.sent.at(-1).config.data);
    assert.equal(name, 'Laptop');
    assert.equal(credential.id, Buffer.from(authenticator.passkeys[0].credentialId).toString('base64url'));
    assert.equal(typeof credential.response.attestationObject, 'string');
    assert.deepEqual(
      (await client.api.passkeys()).map(({ id }) => id),
      [passkey.id],
    );

    // The same device again: the options exclude its passkey, and the browser refuses.
    await assert.rejects(client.api.registerPasskey({ name: 'Again' }), (error) => {
      assert.equal(error.name, 'InvalidStateError');
      return true;
    });
    assert.equal((await client.api.passkeys()).length, 1);
    assert.deepEqual(client.prompts, ['asked'], 'the step-up token served the second options call');

    assert.equal((await client.api.renamePasskey(passkey.id, 'Work laptop')).name, 'Work laptop');
    // Another account's passkey is not there for anyone else.
    const stranger = passkeyClient(new SoftAuthenticator({ origin: ORIGIN }));
    await newAccount(stranger);
    await rejectsWith(stranger.api.renamePasskey(passkey.id, 'Mine'), 404, 'not_found');
    await rejectsWith(stranger.api.deletePasskey(passkey.id), 404, 'not_found');
    assert.deepEqual(
      (await client.api.passkeys()).map(({ name }) => name),
      ['Work laptop'],
    );
  });

  it('logs in with the passkey alone, from a button', async () => {
    const { authenticator, username } = await accountWithPasskey();
    const client = passkeyClient(authenticator);

    const tokens = await client.api.loginWithPasskey();

    assert.ok(tokens.access && tokens.refresh);
    assert.equal(client.api.isAuthenticated(), true);
    assert.equal(await signedInAs(client.api), username);
    assert.deepEqual(client.calls().slice(0, 2), [
      'POST /api/token/passkey/options/ 200',
      'POST /api/token/passkey/ 200',
    ]);
    const options = client.sent[0].config;
    assert.equal(options.headers.Authorization, undefined, 'the login calls carry no token');
    const { mediation, publicKey } = authenticator.calls.at(-1);
    assert.equal(mediation, undefined);
    assert.deepEqual(publicKey.allowCredentials, [], 'the options name no account');
    assert.equal(publicKey.rpId, 'localhost');
    const [stored] = await client.api.passkeys();
    assert.ok(stored.last_used_at);
  });

  it('logs in through conditional mediation once the user picks the passkey from the autofill', async () => {
    const { authenticator, username } = await accountWithPasskey();
    const client = passkeyClient(authenticator);
    assert.equal(await client.api.passkeyAutofillAvailable(), true);

    const login = client.api.loginWithPasskey({ conditional: true });
    await authenticator.offered();
    assert.equal(authenticator.calls.at(-1).mediation, 'conditional');
    assert.equal(client.api.isAuthenticated(), false, 'nothing happens until the user picks');
    authenticator.pick();
    await login;

    assert.equal(await signedInAs(client.api), username);
  });

  it('renews a waiting autofill request with new options before the server lets them expire', async (t) => {
    const { authenticator, username } = await accountWithPasskey();
    const client = passkeyClient(authenticator);
    t.mock.timers.enable({ apis: ['setTimeout'] });
    const login = client.api.loginWithPasskey({ conditional: true });
    await authenticator.offered();
    const first = authenticator.calls.at(-1).publicKey;
    assert.equal(first.timeout, 300_000, "the options' timeout is the server's challenge lifetime");

    const waiting = authenticator.calls.length;
    t.mock.timers.tick(269_999);
    assert.equal(authenticator.calls.length, waiting, 'the same request still waits');
    t.mock.timers.tick(1);
    await authenticator.offered();
    const second = authenticator.calls.at(-1);
    assert.equal(second.mediation, 'conditional');
    assert.notDeepEqual(Buffer.from(second.publicKey.challenge), Buffer.from(first.challenge), 'a new challenge');
    authenticator.pick();
    await login;

    assert.equal(await signedInAs(client.api), username);
    assert.deepEqual(client.calls().slice(0, 3), [
      'POST /api/token/passkey/options/ 200',
      'POST /api/token/passkey/options/ 200',
      'POST /api/token/passkey/ 200',
    ]);
  });

  it('a password login aborts the pending conditional request through its signal', async () => {
    const { authenticator, username } = await accountWithPasskey();
    const client = passkeyClient(authenticator);
    const controller = new AbortController();
    const conditional = assert.rejects(
      client.api.loginWithPasskey({ conditional: true, signal: controller.signal }),
      isAbort,
    );
    await authenticator.offered();

    // The login form's submit handler.
    controller.abort();
    await client.api.login(username, PASSWORD);

    await conditional;
    assert.equal(authenticator.pending, false, 'the browser let go of the request');
    assert.equal(await signedInAs(client.api), username);
    assert.equal(client.calls().includes('POST /api/token/passkey/ 200'), false, 'no passkey login was sent');

    // Aborted before the options came back, it stops there too.
    const early = new AbortController();
    early.abort();
    await assert.rejects(client.api.loginWithPasskey({ conditional: true, signal: early.signal }), isAbort);
  });

  it('a passkey button ends the pending conditional request before it asks the browser', async () => {
    const { authenticator, username } = await accountWithPasskey();
    const client = passkeyClient(authenticator);
    const conditional = assert.rejects(client.api.loginWithPasskey({ conditional: true }), isAbort);
    await authenticator.offered();

    await client.api.loginWithPasskey();

    await conditional;
    assert.deepEqual(
      authenticator.calls.slice(-2).map(({ mediation }) => mediation ?? 'modal'),
      ['conditional', 'modal'],
    );
    assert.equal(await signedInAs(client.api), username);
  });

  it('finishes a two-factor login with a passkey instead of a code', async () => {
    const { authenticator, username, passkey } = await accountWithPasskey();
    const setup = passkeyClient(authenticator);
    await setup.api.login(username, PASSWORD);
    const { data } = await setup.api.post('/api/user/mfa/totp/', {});
    await setup.api.post('/api/user/mfa/totp/confirm/', { code: totp(data.secret) });
    await setup.api.logout();

    const client = passkeyClient(authenticator);
    const mfaToken = await client.api.login(username, PASSWORD).then(
      () => assert.fail('the password alone logged in'),
      (error) => {
        assert.equal(error.response.data.code, 'mfa_required');
        return error.response.data.mfa_token;
      },
    );
    assert.equal(client.api.isAuthenticated(), false);
    await client.api.loginMfaWithPasskey(mfaToken);

    assert.equal(await signedInAs(client.api), username);
    assert.deepEqual(client.calls().slice(1, 3), [
      'POST /api/token/mfa/passkey/options/ 200',
      'POST /api/token/mfa/passkey/ 200',
    ]);
    const { publicKey } = authenticator.calls.at(-1);
    assert.deepEqual(
      publicKey.allowCredentials.map(({ id }) => Buffer.from(id).toString('base64url')),
      [Buffer.from(authenticator.passkeys[0].credentialId).toString('base64url')],
      "the options list the account's passkey",
    );
    assert.equal((await client.api.passkeys())[0].id, passkey.id);
    // The mfa_token is spent.
    await rejectsWith(client.api.loginMfaWithPasskey(mfaToken), 401, 'mfa_token_invalid');
  });

  it('passes a step-up with a passkey when the hook asks for one', async () => {
    const { authenticator, username } = await accountWithPasskey();
    const client = passkeyClient(authenticator, { proof: () => ({ passkey: true }) });
    await client.api.loginWithPasskey();

    const changed = await client.api.patch('/api/user/me/', { email: `${username}@example.com` });

    assert.equal(changed.status, 200);
    assert.deepEqual(client.prompts, ['asked']);
    assert.deepEqual(client.calls().slice(-4), [
      'PATCH /api/user/me/ 403',
      'POST /api/user/reauthenticate/passkey/options/ 200',
      'POST /api/user/reauthenticate/ 200',
      'PATCH /api/user/me/ 200',
    ]);
    const reauth = client.sent.at(-2).config;
    assert.deepEqual(Object.keys(JSON.parse(reauth.data)), ['credential']);
    assert.equal(authenticator.calls.at(-1).publicKey.allowCredentials.length, 1);
    assert.ok(client.sent.at(-1).config.headers['X-Reauth-Token'], 'the change went again with the step-up token');

    // Called directly, it answers the step-up token.
    const { reauth_token: token, expires_in: expiresIn } = await client.api.reauthenticateWithPasskey();
    assert.ok(token);
    assert.ok(expiresIn > 0);
  });

  it('rejects an assertion the server refuses, and stores nothing', async () => {
    const { authenticator, username, passkey } = await accountWithPasskey();

    // A page of another origin under the same RP ID: the browser lets it ask, the server does not
    // list the origin.
    const phished = passkeyClient(authenticator.clone({ origin: 'http://evil.localhost' }));
    await rejectsWith(phished.api.loginWithPasskey(), 401, 'passkey_invalid');
    assert.equal(phished.api.isAuthenticated(), false);

    // The owner's device logs in and signs with its counter; a copy of the key with the old
    // counter is refused as a clone.
    const copy = authenticator.clone();
    const owner = passkeyClient(authenticator, { proof: () => ({ passkey: true }) });
    await owner.api.loginWithPasskey();
    const cloned = passkeyClient(copy);
    await rejectsWith(cloned.api.loginWithPasskey(), 401, 'passkey_invalid');
    assert.equal(cloned.api.isAuthenticated(), false);

    // A step-up answered on the other origin: the 400, the account kept, and no second prompt.
    const stepUp = passkeyClient(authenticator.clone({ origin: 'http://evil.localhost' }), {
      proof: () => ({ passkey: true }),
    });
    await stepUp.api.login(username, PASSWORD);
    await rejectsWith(stepUp.api.delete('/api/user/me/'), 400, 'passkey_invalid');
    assert.deepEqual(stepUp.prompts, ['asked']);
    assert.equal(await signedInAs(stepUp.api), username);

    // A passkey the account deleted logs in no more.
    await owner.api.deletePasskey(passkey.id);
    assert.deepEqual(owner.prompts, ['asked'], 'deleting asked for a step-up, passed with the passkey');
    await rejectsWith(passkeyClient(authenticator).api.loginWithPasskey(), 401, 'passkey_invalid');
  });

  it('says so before any request when the browser lacks WebAuthn or its JSON helpers', async () => {
    const authenticator = new SoftAuthenticator({ origin: ORIGIN });
    const withoutHelpers = { prototype: SoftPublicKeyCredential.prototype };
    const cases = [
      { credentials: authenticator, publicKeyCredential: withoutHelpers, missing: /parseCreationOptionsFromJSON/ },
      { credentials: undefined, publicKeyCredential: undefined, missing: /no WebAuthn/ },
    ];
    for (const { missing, ...options } of cases) {
      const client = passkeyClient(authenticator, options);
      assert.equal(client.api.passkeysSupported(), false);
      assert.equal(await client.api.passkeyAutofillAvailable(), false);
      for (const call of [
        () => client.api.registerPasskey(),
        () => client.api.loginWithPasskey(),
        () => client.api.loginWithPasskey({ conditional: true }),
      ]) {
        await assert.rejects(call(), (error) => {
          assert.ok(error instanceof PasskeyUnsupportedError);
          assert.equal(error.code, 'passkeys_unsupported');
          assert.match(error.message, missing);
          return true;
        });
      }
      assert.deepEqual(client.calls(), []);
    }

    // WebAuthn without autofill: the button works, conditional mediation says so.
    class NoAutofill extends SoftPublicKeyCredential {
      static async isConditionalMediationAvailable() {
        return false;
      }
    }
    const client = passkeyClient(authenticator, { publicKeyCredential: NoAutofill });
    assert.equal(client.api.passkeysSupported(), true);
    await assert.rejects(client.api.loginWithPasskey({ conditional: true }), PasskeyUnsupportedError);
    assert.deepEqual(client.calls(), []);
    assert.deepEqual(authenticator.calls, []);
  });
});
