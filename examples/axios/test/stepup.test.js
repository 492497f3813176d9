// Step-up: a sensitive change answered 403 `reauthentication_required` asks the app's hook for
// the password, gets a step-up token for the session and is sent once more, against a live server;
// new recovery codes, whose code of the app is itself the fresh proof, ask the hook nothing.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';

import { createApi } from '../api.js';
import { startLiveServer } from '../../support/live-server.mjs';
import { totp } from '../../support/totp.mjs';

const PASSWORD = 'correct-Horse-battery-staple-7';
const STEP_MS = 30_000;

/** A code none of the steps the server accepts now would take. */
function wrongCode(secret) {
  const good = new Set([-1, 0, 1, 2].map((step) => totp(secret, Date.now() + step * STEP_MS)));
  return ['000000', '111111', '222222', '333333', '444444'].find((code) => !good.has(code));
}

let server;

before(
  async () => {
    server = await startLiveServer();
  },
  { timeout: 180_000 },
);

after(
  async () => {
    await server?.stop();
  },
  { timeout: 60_000 },
);

async function signedIn(options = {}) {
  const username = `stepup_${randomBytes(5).toString('hex')}`;
  const api = createApi({ baseURL: server.baseURL, ...options });
  await api.tokenClient.post('/api/user/register/', { username, password: PASSWORD });
  await api.login(username, PASSWORD);
  return api;
}

describe('step-up', () => {
  it('asks the hook once, then sends the change again with the step-up token', async () => {
    const prompts = [];
    const api = await signedIn({
      onReauthenticate: async () => {
        prompts.push('asked');
        return { password: PASSWORD };
      },
    });

    const first = await api.patch('/api/user/me/', { email: 'first@example.com' });
    const second = await api.patch('/api/user/me/', { email: 'second@example.com' });

    assert.equal(first.status, 200);
    assert.equal(second.status, 200);
    // The second change rode on the step-up token of the first: no second prompt.
    assert.deepEqual(prompts, ['asked']);
    assert.equal(second.data.pending_email, 'second@example.com');
  });

  it('rejects with the 403 when the app has no hook or the user gives up', async () => {
    for (const options of [{}, { onReauthenticate: async () => null }]) {
      const api = await signedIn(options);
      await assert.rejects(api.delete('/api/user/me/'), (error) => {
        assert.equal(error.response.status, 403);
        assert.equal(error.response.data.code, 'reauthentication_required');
        return true;
      });
    }
  });

  it('does not loop when the credential the hook gives is wrong', async () => {
    let prompts = 0;
    const api = await signedIn({
      onReauthenticate: async () => {
        prompts += 1;
        return { password: 'not the password' };
      },
    });

    await assert.rejects(api.patch('/api/user/me/', { email: 'x@example.com' }), (error) => {
      assert.equal(error.response.status, 400);
      assert.deepEqual(error.response.data, { password: ['Wrong password.'] });
      return true;
    });
    assert.equal(prompts, 1);
  });

  it('gives new recovery codes for a code of the app without asking the hook; the old ones stop working', async () => {
    const username = `recovery_${randomBytes(5).toString('hex')}`;
    const setup = createApi({ baseURL: server.baseURL, onReauthenticate: async () => ({ password: PASSWORD }) });
    await setup.tokenClient.post('/api/user/register/', { username, password: PASSWORD });
    await setup.login(username, PASSWORD);
    const { data } = await setup.post('/api/user/mfa/totp/', {});
    const old = (await setup.post('/api/user/mfa/totp/confirm/', { code: totp(data.secret) })).data.recovery_codes;
    const mfaToken = (client) =>
      client.login(username, PASSWORD).then(
        () => assert.fail('the password alone logged in'),
        (error) => error.response.data.mfa_token,
      );

    // A client of its own, holding no step-up token.
    let prompts = 0;
    const api = createApi({
      baseURL: server.baseURL,
      onReauthenticate: async () => {
        prompts += 1;
        return null;
      },
    });
    await api.loginMfa(await mfaToken(api), old[0]);
    await assert.rejects(api.regenerateRecoveryCodes(wrongCode(data.secret)), (error) => {
      assert.equal(error.response.status, 400);
      assert.equal(error.response.data.code, 'invalid_code');
      return true;
    });
    const codes = await api.regenerateRecoveryCodes(totp(data.secret, Date.now() + STEP_MS));
    assert.equal(prompts, 0);
    assert.equal(codes.length, 10);
    assert.deepEqual(codes.filter((code) => old.includes(code)), []);

    const later = createApi({ baseURL: server.baseURL });
    const token = await mfaToken(later);
    await assert.rejects(later.loginMfa(token, old[1]), (error) => error.response.data.code === 'invalid_code');
    await later.loginMfa(token, codes[0]);
    assert.equal(later.isAuthenticated(), true);
  });
});
