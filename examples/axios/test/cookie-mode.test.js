// The client in refresh cookie mode, against a live server started with JWT_REFRESH_COOKIE=true.
// Node keeps no cookies and sends no Origin of its own, which a browser does: a small cookie jar,
// plugged in as an Axios adapter around the real HTTP one, plays the browser's part, and every
// request names the frontend's origin explicitly.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';

import axios from 'axios';

import { createApi, memoryStorage } from '../api.js';
import { cookieJar } from '../../support/cookie-jar.mjs';
import { startLiveServer } from '../../support/live-server.mjs';

const PASSWORD = 'correct-Horse-battery-staple-7';
// The server issues 2 s access tokens; exp has one-second resolution, so wait past a full extra second.
const ACCESS_EXPIRY_MS = 3500;
const REFRESH_COOKIE = 'refresh_token';
// Only ever a header value here, never a server: Node makes up the Origin a browser would send.
const FRONTEND = 'http://app.example.test';
const OTHER_SITE = 'http://evil.example.test';

// A server someone else started (API_BASE_URL) runs in whichever mode it was given.
const skip = process.env.API_BASE_URL ? 'needs a server of its own in cookie mode (API_BASE_URL is set)' : false;

let server;

before(
  async () => {
    if (skip) return;
    server = await startLiveServer({
      env: {
        JWT_REFRESH_COOKIE: 'true',
        // Plain HTTP: a Secure cookie would never be sent back.
        JWT_REFRESH_COOKIE_SECURE: 'false',
        CORS_ALLOWED_ORIGINS: FRONTEND,
      },
    });
  },
  { timeout: 180_000 },
);

after(
  async () => {
    await server?.stop();
  },
  { timeout: 60_000 },
);


/** A cookie-mode client for a "browser" (its jar) on `origin`, with counters of what it sent. */
function cookieClient({ jar = cookieJar(axios.getAdapter('http')), origin = FRONTEND } = {}) {
  const storage = memoryStorage();
  const seen = { refreshCalls: 0, csrfCalls: 0, logouts: [] };
  const api = createApi({
    baseURL: server.baseURL,
    refreshCookie: true,
    storage,
    onLogout: ({ reason }) => seen.logouts.push(reason),
    axiosConfig: { adapter: jar.adapter, headers: origin ? { Origin: origin } : {} },
  });
  api.tokenClient.interceptors.request.use((config) => {
    if (config.url === '/api/token/refresh/') seen.refreshCalls += 1;
    if (config.url === '/api/csrf/') seen.csrfCalls += 1;
    return config;
  });
  return { api, jar, storage, seen };
}

async function registeredUsername(api) {
  const username = `cookie_${randomBytes(5).toString('hex')}`;
  const { status } = await api.post('/api/user/register/', { username, password: PASSWORD });
  assert.equal(status, 201);
  return username;
}

async function loggedInClient(options) {
  const client = cookieClient(options);
  const username = await registeredUsername(client.api);
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

/** A request with exactly these headers: no client, no interceptors, no cookies unless given. */
function bare(method, url, { headers = {}, data } = {}) {
  return axios.request({ method, url, baseURL: server.baseURL, headers, data, validateStatus: () => true });
}

describe('axios client in refresh cookie mode against the live API', { timeout: 120_000, skip }, () => {
  it('logs in: the refresh token is in an HttpOnly cookie, never in the body', async () => {
    const { api, jar, storage } = cookieClient();
    const username = await registeredUsername(api);
    assert.equal(api.isAuthenticated(), false);

    const data = await api.login(username, PASSWORD);
    assert.ok(data.access);
    assert.equal('refresh' in data, false, 'no refresh token in the body');
    assert.deepEqual(Object.keys(storage.get()), ['access'], 'the client keeps the access token alone');
    assert.ok(api.isAuthenticated());

    assert.ok(jar.get(REFRESH_COOKIE), 'the refresh cookie is set');
    const [line] = jar.received(REFRESH_COOKIE);
    assert.match(line, /;\s*HttpOnly/i);
    assert.match(line, /;\s*Path=\/api\/token\/(;|$)/);
    assert.match(line, /;\s*SameSite=Lax/i);
    assert.match(line, /;\s*Max-Age=[1-9]/);
    assert.doesNotMatch(line, /;\s*Secure/i, 'JWT_REFRESH_COOKIE_SECURE=false, for plain HTTP');

    const created = await api.post('/api/notes/', { title: 'cookie', content: 'mode' });
    assert.equal(created.status, 201);
  });

  it('refuses a login from an origin it does not allow, or from none', async () => {
    const { api } = cookieClient();
    const username = await registeredUsername(api);
    for (const [origin, code] of [
      [OTHER_SITE, 'origin_not_allowed'],
      [null, 'origin_missing'],
    ]) {
      const stranger = cookieClient({ origin });
      const error = await rejection(stranger.api.login(username, PASSWORD));
      assert.equal(error.response.status, 403, `origin ${origin}`);
      assert.equal(error.response.data.code, code);
      assert.equal(stranger.jar.get(REFRESH_COOKIE), undefined);
      assert.equal(stranger.storage.get(), null);
    }
  });

  it('refreshes with the cookie and the CSRF token, once for parallel requests, and rotates the cookie', async () => {
    const { api, jar, storage, seen } = await loggedInClient();
    const ids = [];
    for (const title of ['a', 'b']) ids.push((await api.post('/api/notes/', { title, content: title })).data.id);
    const cookies = [jar.get(REFRESH_COOKIE)];
    const accesses = [storage.get().access];

    for (let round = 1; round <= 2; round += 1) {
      await sleep(ACCESS_EXPIRY_MS);
      const responses = await Promise.all([api.get('/api/notes/'), ...ids.map((id) => api.get(`/api/notes/${id}/`))]);
      assert.deepEqual(
        responses.map((response) => response.status),
        [200, 200, 200],
        `round ${round}`,
      );
      assert.equal(seen.refreshCalls, round, 'one refresh for all the waiting requests');
      cookies.push(jar.get(REFRESH_COOKIE));
      accesses.push(storage.get().access);
    }
    // Fetched once, then kept in memory for the next refresh.
    assert.equal(seen.csrfCalls, 1);
    assert.equal(new Set(cookies).size, 3, 'every refresh set a new refresh cookie');
    assert.equal(new Set(accesses).size, 3);
    assert.deepEqual(Object.keys(storage.get()), ['access']);
    assert.deepEqual(seen.logouts, []);
  });

  it('refuses a refresh without the CSRF token, or from another origin, and spends nothing', async () => {
    const { api, jar } = await loggedInClient();
    const cookie = jar.get(REFRESH_COOKIE);
    const { data: csrf } = await api.tokenClient.get('/api/csrf/');
    assert.equal(typeof csrf.csrf_token, 'string');
    assert.ok(jar.get('csrftoken'), "Django's csrftoken cookie comes with it");
    const cookieHeader = `${REFRESH_COOKIE}=${cookie}; csrftoken=${jar.get('csrftoken')}`;

    for (const [headers, code] of [
      [{ Origin: FRONTEND }, 'csrf_failed'],
      [{ Origin: FRONTEND, 'X-CSRFToken': 'x'.repeat(64) }, 'csrf_failed'],
      [{ Origin: OTHER_SITE, 'X-CSRFToken': csrf.csrf_token }, 'origin_not_allowed'],
      [{ 'X-CSRFToken': csrf.csrf_token }, 'origin_missing'],
    ]) {
      const response = await bare('post', '/api/token/refresh/', { headers: { ...headers, Cookie: cookieHeader } });
      assert.equal(response.status, 403, JSON.stringify(headers));
      assert.equal(response.data.code, code, JSON.stringify(headers));
      assert.ok(response.data.detail);
      assert.equal(response.headers['set-cookie'], undefined, 'a refusal sets no cookie');
    }
    // Logout is guarded the same way, and a refused logout ends nothing.
    const logout = await bare('post', '/api/token/blacklist/', { headers: { Origin: FRONTEND, Cookie: cookieHeader } });
    assert.equal(logout.status, 403);
    assert.equal(logout.data.code, 'csrf_failed');

    // The client's own refresh, with the token, still works: nothing was spent.
    assert.equal(await api.restore(), true);
    assert.notEqual(jar.get(REFRESH_COOKIE), cookie);
  });

  it('logs out: the cookie is cleared and the access token fails at once', async () => {
    const { api, jar, storage, seen } = await loggedInClient();
    const access = storage.get().access;
    const cookie = jar.get(REFRESH_COOKIE);

    await api.logout();
    assert.deepEqual(seen.logouts, ['logout']);
    assert.equal(storage.get(), null);
    assert.equal(api.isAuthenticated(), false);
    assert.equal(jar.get(REFRESH_COOKIE), undefined, 'the answer cleared the cookie');
    assert.match(jar.received(REFRESH_COOKIE).at(-1), /;\s*Max-Age=0/);

    // Well before it would expire, the access token of the ended session is refused.
    const response = await bare('get', '/api/notes/', { headers: { Authorization: `Bearer ${access}` } });
    assert.equal(response.status, 401);
    assert.equal(response.data.code, 'token_not_valid');

    // Nothing to restore now, and nothing new to report.
    assert.equal(await api.restore(), false);
    assert.deepEqual(seen.logouts, ['logout']);

    // A copy of the cookie taken before logout does not bring the session back.
    const copy = cookieClient();
    copy.jar.set(REFRESH_COOKIE, cookie, '/api/token/');
    assert.equal(await copy.api.restore(), false);
    assert.equal(copy.storage.get(), null);
  });

  it('restores the session after a reload, from the cookie alone', async () => {
    const first = await loggedInClient();
    await first.api.post('/api/notes/', { title: 'kept', content: 'across reloads' });

    // A reloaded page: the same browser (cookie jar), an empty memory.
    const reloaded = cookieClient({ jar: first.jar });
    assert.equal(reloaded.api.isAuthenticated(), false);
    const anonymous = await rejection(reloaded.api.get('/api/notes/'));
    assert.equal(anonymous.response.status, 401);
    assert.equal(anonymous.response.data.code, 'not_authenticated');
    assert.equal(reloaded.seen.refreshCalls, 0, 'no access token, no refresh');

    assert.equal(await reloaded.api.restore(), true);
    assert.equal(reloaded.api.isAuthenticated(), true);
    assert.notEqual(reloaded.storage.get().access, first.storage.get().access);
    const { data: notes } = await reloaded.api.get('/api/notes/');
    assert.deepEqual(
      notes.map((note) => note.title),
      ['kept'],
    );
    assert.deepEqual(reloaded.seen.logouts, []);

    // A browser that never logged in has nothing to restore, and no session to report as ended.
    const stranger = cookieClient();
    assert.equal(await stranger.api.restore(), false);
    assert.equal(stranger.storage.get(), null);
    assert.deepEqual(stranger.seen.logouts, []);
  });

  it('lists the sessions and ends another one, whose access token fails at once', async () => {
    const laptop = await loggedInClient();
    const phone = cookieClient();
    await phone.api.login(laptop.username, PASSWORD);

    const listed = await laptop.api.sessions();
    assert.equal(listed.length, 2);
    assert.deepEqual(
      listed.map((session) => session.current).sort(),
      [false, true],
    );
    const other = listed.find((session) => !session.current);
    await laptop.api.endSession(other.id);

    // The phone's access token is refused at once; its cookie cannot refresh either.
    const error = await rejection(phone.api.get('/api/notes/'));
    assert.equal(error.response.status, 401);
    assert.equal(phone.seen.refreshCalls, 1);
    assert.deepEqual(phone.seen.logouts, ['refresh_failed']);
    assert.equal(phone.api.isAuthenticated(), false);

    const remaining = await laptop.api.sessions();
    assert.deepEqual(
      remaining.map((session) => session.current),
      [true],
    );
    assert.equal((await laptop.api.get('/api/notes/')).status, 200);
  });
});
