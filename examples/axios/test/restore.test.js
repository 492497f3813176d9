// restore() and cookie mode's CSRF token, in the cases a live server does not produce on demand,
// played by a scripted adapter: same client code, same axios, only the transport is replaced.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { AxiosError } from 'axios';

import { createApi, memoryStorage } from '../api.js';

function reply(config, status, data) {
  const response = { data, status, statusText: String(status), headers: {}, config, request: {} };
  if (config.validateStatus(status)) return response;
  throw new AxiosError(`Request failed with status code ${status}`, AxiosError.ERR_BAD_REQUEST, config, {}, response);
}

/** Routes each request to `routes[url]`, recording `url csrf-header` for every one. */
function scripted(routes) {
  const calls = [];
  async function adapter(config) {
    calls.push(`${config.method} ${config.url} ${config.headers.get('X-CSRFToken') ?? '-'}`);
    const route = routes[config.url];
    if (!route) return reply(config, 404, { detail: 'Not found.', code: 'not_found' });
    return route(config);
  }
  return { calls, adapter };
}

function clientFor(server, { refreshCookie = false, tokens = null } = {}) {
  const logouts = [];
  const storage = memoryStorage();
  if (tokens) storage.set(tokens);
  const api = createApi({
    baseURL: 'http://api.invalid',
    refreshCookie,
    storage,
    axiosConfig: { adapter: server.adapter },
    onLogout: ({ reason }) => logouts.push(reason),
  });
  return { api, storage, logouts };
}

describe('restore() in Bearer-body mode', () => {
  it('resolves false without a request when the storage kept no refresh token', async () => {
    const server = scripted({});
    const { api, logouts } = clientFor(server);
    assert.equal(await api.restore(), false);
    assert.deepEqual(server.calls, []);
    assert.deepEqual(logouts, []);
  });

  it('refreshes with a refresh token the storage kept', async () => {
    const server = scripted({ '/api/token/refresh/': (config) => reply(config, 200, { access: 'a2', refresh: 'r2' }) });
    const { api, storage } = clientFor(server, { tokens: { access: 'a1', refresh: 'r1' } });
    assert.equal(await api.restore(), true);
    assert.deepEqual(storage.get(), { access: 'a2', refresh: 'r2' });
  });

  it('resolves false and reports the end of a kept session the server refuses', async () => {
    const server = scripted({
      '/api/token/refresh/': (config) => reply(config, 401, { detail: 'spent', code: 'token_not_valid' }),
    });
    const { api, storage, logouts } = clientFor(server, { tokens: { access: 'a1', refresh: 'r1' } });
    assert.equal(await api.restore(), false);
    assert.equal(storage.get(), null);
    assert.deepEqual(logouts, ['refresh_failed']);
  });
});

describe('cookie mode', () => {
  it('restores with the CSRF token, and resolves false without reporting anything when there is no cookie', async () => {
    let cookie = true;
    const server = scripted({
      '/api/csrf/': (config) => reply(config, 200, { csrf_token: 'c1' }),
      '/api/token/refresh/': (config) =>
        cookie
          ? reply(config, 200, { access: 'a2' })
          : reply(config, 400, { refresh: ['This field is required.'], code: 'invalid' }),
    });
    const { api, storage, logouts } = clientFor(server, { refreshCookie: true });
    assert.equal(await api.restore(), true);
    assert.deepEqual(storage.get(), { access: 'a2' });

    cookie = false;
    storage.clear();
    assert.equal(await api.restore(), false);
    assert.deepEqual(logouts, []);
    assert.deepEqual(server.calls, ['get /api/csrf/ -', 'post /api/token/refresh/ c1', 'post /api/token/refresh/ c1']);
  });

  it('fetches a new CSRF token once when the server no longer matches the one it has', async () => {
    let csrfCalls = 0;
    const server = scripted({
      '/api/csrf/': (config) => reply(config, 200, { csrf_token: `c${++csrfCalls}` }),
      '/api/token/refresh/': (config) =>
        config.headers.get('X-CSRFToken') === 'c2'
          ? reply(config, 200, { access: 'a2' })
          : reply(config, 403, { detail: 'CSRF check failed.', code: 'csrf_failed' }),
    });
    const { api, storage } = clientFor(server, { refreshCookie: true, tokens: { access: 'a1' } });
    assert.equal(await api.restore(), true);
    assert.deepEqual(storage.get(), { access: 'a2' });
    assert.deepEqual(server.calls, [
      'get /api/csrf/ -',
      'post /api/token/refresh/ c1',
      'get /api/csrf/ -',
      'post /api/token/refresh/ c2',
    ]);
  });

  it('gives up after the second CSRF refusal and keeps the session, which may still be good', async () => {
    const server = scripted({
      '/api/csrf/': (config) => reply(config, 200, { csrf_token: 'c' }),
      '/api/token/refresh/': (config) => reply(config, 403, { detail: 'CSRF check failed.', code: 'csrf_failed' }),
    });
    const { api, storage, logouts } = clientFor(server, { refreshCookie: true, tokens: { access: 'a1' } });
    const error = await api.restore().then(
      () => assert.fail('expected a rejection'),
      (reason) => reason,
    );
    assert.equal(error.response.data.code, 'csrf_failed');
    assert.equal(server.calls.filter((call) => call.includes('/api/token/refresh/')).length, 2);
    assert.deepEqual(storage.get(), { access: 'a1' });
    assert.deepEqual(logouts, []);
  });

  it('does not retry a refresh refused for its origin', async () => {
    const server = scripted({
      '/api/csrf/': (config) => reply(config, 200, { csrf_token: 'c' }),
      '/api/token/refresh/': (config) => reply(config, 403, { detail: 'Not allowed.', code: 'origin_not_allowed' }),
    });
    const { api } = clientFor(server, { refreshCookie: true });
    const error = await api.restore().then(
      () => assert.fail('expected a rejection'),
      (reason) => reason,
    );
    assert.equal(error.response.data.code, 'origin_not_allowed');
    assert.equal(server.calls.length, 2);
  });

  it('joins parallel expired requests into one refresh with one CSRF token', async () => {
    const access = 'a2';
    const server = scripted({
      '/api/csrf/': (config) => reply(config, 200, { csrf_token: 'c' }),
      '/api/token/refresh/': async (config) => {
        await new Promise((resolve) => setTimeout(resolve, 30));
        return reply(config, 200, { access });
      },
      '/a': (config) =>
        config.headers.get('Authorization') === `Bearer ${access}`
          ? reply(config, 200, 'ok')
          : reply(config, 401, { detail: 'expired', code: 'token_not_valid' }),
    });
    const { api, storage } = clientFor(server, { refreshCookie: true, tokens: { access: 'stale' } });
    const responses = await Promise.all([api.get('/a'), api.get('/a'), api.get('/a')]);
    assert.deepEqual(
      responses.map((response) => response.data),
      ['ok', 'ok', 'ok'],
    );
    assert.equal(server.calls.filter((call) => call.startsWith('post /api/token/refresh/')).length, 1);
    assert.equal(server.calls.filter((call) => call.startsWith('get /api/csrf/')).length, 1);
    assert.deepEqual(storage.get(), { access });
  });

  it('logs out with the CSRF token even with nothing in memory, and reports it', async () => {
    const server = scripted({
      '/api/csrf/': (config) => reply(config, 200, { csrf_token: 'c' }),
      '/api/token/blacklist/': (config) => reply(config, 200, {}),
    });
    const { api, logouts } = clientFor(server, { refreshCookie: true });
    await api.logout();
    assert.deepEqual(server.calls, ['get /api/csrf/ -', 'post /api/token/blacklist/ c']);
    assert.deepEqual(logouts, ['logout']);
  });
});
