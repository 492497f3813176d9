// Exercises the client against a live server whose access tokens live two seconds.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';

import { createApi, localStorageStorage, memoryStorage } from '../api.js';
import { startLiveServer } from '../../support/live-server.mjs';

const PASSWORD = 'correct-Horse-battery-staple-7';
// The server issues 2 s access tokens; exp has one-second resolution, so wait past a full extra second.
const ACCESS_EXPIRY_MS = 3500;

let server;

// Longer than the server's own start-up deadline, so that its error, with the server's output, is reported.
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

/** The part of the Web Storage API that localStorageStorage uses, shared like an origin's. */
function fakeWebStorage() {
  const items = new Map();
  return {
    getItem: (key) => (items.has(key) ? items.get(key) : null),
    setItem: (key, value) => items.set(key, String(value)),
    removeItem: (key) => items.delete(key),
  };
}

function newUsername() {
  return `axios_${randomBytes(5).toString('hex')}`;
}

/** A client plus counters of what it sent, observed through interceptors. */
function instrumentedApi({ storage = memoryStorage() } = {}) {
  const seen = { refreshCalls: 0, apiRequests: 0, logouts: [] };
  const api = createApi({
    baseURL: server.baseURL,
    storage,
    onLogout: (info) => seen.logouts.push(info.reason),
  });
  api.tokenClient.interceptors.request.use((config) => {
    if (config.url === '/api/token/refresh/') seen.refreshCalls += 1;
    return config;
  });
  api.interceptors.request.use((config) => {
    seen.apiRequests += 1;
    return config;
  });
  return { api, storage, seen };
}

async function registeredUser(api) {
  const username = newUsername();
  const { status, data } = await api.post('/api/user/register/', {
    username,
    password: PASSWORD,
    email: `${username}@example.com`,
  });
  assert.equal(status, 201);
  return { username, user: data };
}

async function loggedInClient(options) {
  const client = instrumentedApi(options);
  const { username } = await registeredUser(client.api);
  await client.api.login(username, PASSWORD);
  return { ...client, username };
}

async function rejection(promise) {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  assert.fail('expected the request to be rejected');
}

describe('axios client against the live API', { timeout: 120_000 }, () => {
  it('registers, logs in and uses the access token', async () => {
    const { api, storage, seen } = instrumentedApi();
    const { username, user } = await registeredUser(api);
    assert.equal(user.username, username);
    assert.equal(typeof user.id, 'number');
    assert.equal('password' in user, false);

    assert.equal(api.isAuthenticated(), false);
    await api.login(username, PASSWORD);
    assert.equal(api.isAuthenticated(), true);
    const tokens = storage.get();
    assert.ok(tokens.access && tokens.refresh);

    const created = await api.post('/api/notes/', { title: 'first', content: 'hello' });
    assert.equal(created.status, 201);
    assert.equal(created.data.author, user.id);

    const list = await api.get('/api/notes/');
    assert.ok(Array.isArray(list.data), 'the notes list is a plain JSON array');
    assert.deepEqual(
      list.data.map((note) => note.title),
      ['first'],
    );
    assert.equal(seen.refreshCalls, 0);
  });

  it('a wrong password is refused and stores nothing', async () => {
    const { api, storage } = instrumentedApi();
    const { username } = await registeredUser(api);
    const error = await rejection(api.login(username, 'not-the-password'));
    assert.equal(error.response.status, 401);
    assert.equal(storage.get(), null);
  });

  it('refreshes once for several parallel requests after the access token expired', async () => {
    const { api, storage, seen } = await loggedInClient();
    const ids = [];
    for (const title of ['a', 'b', 'c']) {
      ids.push((await api.post('/api/notes/', { title, content: title })).data.id);
    }
    const before = storage.get();
    const requestsBefore = seen.apiRequests;

    await sleep(ACCESS_EXPIRY_MS);
    const responses = await Promise.all([
      api.get('/api/notes/'),
      ...ids.map((id) => api.get(`/api/notes/${id}/`)),
      api.patch(`/api/notes/${ids[0]}/`, { content: 'edited' }),
    ]);

    assert.deepEqual(
      responses.map((response) => response.status),
      [200, 200, 200, 200, 200],
    );
    assert.equal(responses[0].data.length, 3);
    assert.equal(responses[4].data.content, 'edited');
    assert.equal(seen.refreshCalls, 1, 'exactly one refresh for all waiting requests');
    // Five originals, each answered 401 once, and five replays.
    assert.equal(seen.apiRequests - requestsBefore, 10);

    const after = storage.get();
    assert.notEqual(after.access, before.access);
    assert.notEqual(after.refresh, before.refresh, 'the rotated refresh token is stored');
    assert.deepEqual(seen.logouts, []);
  });

  it('keeps the rotated refresh token working for the next refresh', async () => {
    const { api, storage, seen } = await loggedInClient();
    const tokensSeen = [storage.get().refresh];

    for (let round = 1; round <= 2; round += 1) {
      await sleep(ACCESS_EXPIRY_MS);
      const { status } = await api.get('/api/notes/');
      assert.equal(status, 200);
      assert.equal(seen.refreshCalls, round);
      tokensSeen.push(storage.get().refresh);
    }
    // A client that kept an old refresh token would have been caught by reuse
    // detection in round two; every round must have stored a new one.
    assert.equal(new Set(tokensSeen).size, tokensSeen.length);
    assert.deepEqual(seen.logouts, []);
  });

  it('two tabs sharing localStorage may refresh at the same moment without ending the session', async () => {
    // Single flight works within one page; tabs each run their own client over the same storage.
    const shared = fakeWebStorage();
    const first = await loggedInClient({ storage: localStorageStorage('notes.', shared) });
    const second = instrumentedApi({ storage: localStorageStorage('notes.', shared) });

    for (let round = 1; round <= 2; round += 1) {
      await sleep(ACCESS_EXPIRY_MS);
      const responses = await Promise.all([first.api.get('/api/notes/'), second.api.get('/api/notes/')]);
      assert.deepEqual(
        responses.map((response) => response.status),
        [200, 200],
        `round ${round}`,
      );
    }
    // Usually both tabs refresh with the same token and the server's reuse grace
    // answers both; a tab that sees the other's new token first just replays.
    assert.ok(first.seen.refreshCalls + second.seen.refreshCalls >= 2);
    assert.deepEqual([...first.seen.logouts, ...second.seen.logouts], []);
    assert.ok(first.storage.get().refresh);
  });

  it('logs out: the session is revoked on the server and the client rejects afterwards', async () => {
    const { api, storage, seen } = await loggedInClient();
    const stolen = storage.get();
    await api.logout();

    assert.deepEqual(seen.logouts, ['logout']);
    assert.equal(storage.get(), null);
    assert.equal(api.isAuthenticated(), false);

    const error = await rejection(api.get('/api/notes/'));
    assert.equal(error.response.status, 401);
    assert.equal(error.response.data.code, 'not_authenticated');
    assert.equal(seen.refreshCalls, 0);

    // A copy of the tokens taken before logout must not revive the session.
    const copy = instrumentedApi();
    copy.storage.set(stolen);
    await sleep(ACCESS_EXPIRY_MS);
    const copyError = await rejection(copy.api.get('/api/notes/'));
    assert.equal(copyError.response.status, 401);
    assert.equal(copyError.response.data.code, 'token_not_valid');
    assert.equal(copy.seen.refreshCalls, 1);
    assert.deepEqual(copy.seen.logouts, ['refresh_failed']);
    assert.equal(copy.storage.get(), null);
  });

  it('changes the password and keeps the session with the new tokens', async () => {
    const { api, storage, seen, username } = await loggedInClient();
    const before = storage.get();
    const refused = await rejection(api.changePassword({ oldPassword: 'not the password!!', newPassword: 'x' }));
    assert.equal(refused.response.status, 400);
    assert.ok(refused.response.data.old_password);
    assert.deepEqual(storage.get(), before, 'a refusal keeps the tokens');

    const newPassword = `${PASSWORD}-renewed`;
    const answer = await api.changePassword({ oldPassword: PASSWORD, newPassword });
    assert.deepEqual(storage.get(), { access: answer.access, refresh: answer.refresh });
    assert.notEqual(answer.refresh, before.refresh);
    await sleep(ACCESS_EXPIRY_MS);
    assert.equal((await api.get('/api/notes/')).status, 200, 'the new refresh token works');
    assert.deepEqual(seen.logouts, []);

    const old = instrumentedApi();
    old.storage.set(before);
    assert.equal((await rejection(old.api.get('/api/notes/'))).response.status, 401);
    await api.login(username, newPassword);
  });

  it('logs out everywhere: every session ends, this one too', async () => {
    const { api, seen, username } = await loggedInClient();
    const other = instrumentedApi();
    await other.api.login(username, PASSWORD);
    await api.logoutEverywhere();
    assert.deepEqual(seen.logouts, ['logout']);
    assert.equal(api.isAuthenticated(), false);
    const error = await rejection(other.api.get('/api/notes/'));
    assert.equal(error.response.status, 401);
    assert.deepEqual(other.seen.logouts, ['refresh_failed']);
  });

  it('clears the tokens and reports logout when the refresh is refused', async () => {
    const { api, storage, seen } = instrumentedApi();
    storage.set({ access: 'not.a.token', refresh: 'not.a.token' });

    const results = await Promise.allSettled([api.get('/api/notes/'), api.get('/api/notes/')]);

    assert.deepEqual(
      results.map((result) => result.status),
      ['rejected', 'rejected'],
    );
    for (const { reason } of results) {
      assert.equal(reason.response.status, 401);
      assert.equal(reason.response.data.code, 'token_not_valid');
    }
    assert.equal(seen.refreshCalls, 1);
    assert.equal(seen.apiRequests, 2, 'nothing is replayed after a failed refresh');
    assert.deepEqual(seen.logouts, ['refresh_failed']);
    assert.equal(storage.get(), null);
  });

  it('replays a request only once, even if the replay is refused too', async () => {
    // A storage that corrupts every access token it is given makes the replay fail again.
    const inner = memoryStorage();
    const corrupting = {
      get: inner.get,
      clear: inner.clear,
      set: (tokens) => inner.set({ ...tokens, access: `${tokens.access}x` }),
    };
    const { api, seen } = await loggedInClient({ storage: corrupting });
    const requestsBefore = seen.apiRequests;

    const error = await rejection(api.get('/api/notes/'));
    assert.equal(error.response.status, 401);
    assert.equal(error.response.data.code, 'token_not_valid');
    assert.equal(seen.refreshCalls, 1);
    assert.equal(seen.apiRequests - requestsBefore, 2, 'the original and one replay');
  });
});
