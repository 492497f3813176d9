// Step-up: a sensitive change answered 403 `reauthentication_required` asks the app's hook for
// the password, gets a step-up token for the session and is sent once more, against a live server.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';

import { createApi } from '../api.js';
import { startLiveServer } from '../../support/live-server.mjs';

const PASSWORD = 'correct-Horse-battery-staple-7';

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
});
