// Timing cases a live server cannot produce on demand, played by a scripted
// adapter: same client code, same axios, only the transport is replaced.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';

import { AxiosError } from 'axios';

import { createApi, memoryStorage } from '../api.js';

/**
 * A tiny token server: one valid access token and one valid refresh token at
 * a time, rotation on refresh, and a 401 for a spent refresh token.
 */
function scriptedServer({ delays = {} } = {}) {
  const state = { access: 'a1', refresh: 'r1', generation: 1, refreshCalls: 0, hits: [] };

  function reply(config, status, data) {
    const response = { data, status, statusText: String(status), headers: {}, config, request: {} };
    if (config.validateStatus(status)) return response;
    throw new AxiosError(`Request failed with status code ${status}`, AxiosError.ERR_BAD_REQUEST, config, {}, response);
  }

  async function adapter(config) {
    const body = config.data ? JSON.parse(config.data) : {};
    if (config.url === '/api/token/refresh/') {
      state.refreshCalls += 1;
      await sleep(delays.refresh ?? 20);
      if (body.refresh !== state.refresh) return reply(config, 401, { detail: 'spent', code: 'token_not_valid' });
      state.generation += 1;
      state.access = `a${state.generation}`;
      state.refresh = `r${state.generation}`;
      return reply(config, 200, { access: state.access, refresh: state.refresh });
    }
    const sent = config.headers.get('Authorization');
    state.hits.push(`${config.url} ${sent}`);
    await sleep(delays[config.url] ?? 5);
    if (sent !== `Bearer ${state.access}`) {
      return reply(config, 401, { detail: 'Given token not valid', code: 'token_not_valid' });
    }
    return reply(config, 200, { url: config.url });
  }

  return { state, adapter };
}

function clientFor(server, tokens) {
  const logouts = [];
  const storage = memoryStorage();
  storage.set(tokens);
  const api = createApi({
    baseURL: 'http://api.invalid',
    storage,
    axiosConfig: { adapter: server.adapter },
    onLogout: ({ reason }) => logouts.push(reason),
  });
  return { api, storage, logouts };
}

describe('single-flight refresh', () => {
  it('joins every 401 that arrives while the refresh is in flight', async () => {
    const server = scriptedServer({ delays: { refresh: 50 } });
    const { api, storage, logouts } = clientFor(server, { access: 'stale', refresh: 'r1' });

    const responses = await Promise.all(['/a', '/b', '/c', '/d'].map((url) => api.get(url)));

    assert.deepEqual(
      responses.map((response) => response.data.url),
      ['/a', '/b', '/c', '/d'],
    );
    assert.equal(server.state.refreshCalls, 1);
    assert.deepEqual(storage.get(), { access: 'a2', refresh: 'r2' });
    assert.deepEqual(logouts, []);
  });

  it('replays a 401 that arrives after the refresh finished without refreshing again', async () => {
    // /slow answers its 401 long after the refresh started by /fast has completed;
    // refreshing again would present the spent r1 and end the session.
    const server = scriptedServer({ delays: { '/fast': 5, '/slow': 150, refresh: 20 } });
    const { api, storage, logouts } = clientFor(server, { access: 'stale', refresh: 'r1' });

    const responses = await Promise.all([api.get('/fast'), api.get('/slow')]);

    assert.deepEqual(
      responses.map((response) => response.status),
      [200, 200],
    );
    assert.equal(server.state.refreshCalls, 1);
    assert.deepEqual(server.state.hits, ['/fast Bearer stale', '/slow Bearer stale', '/fast Bearer a2', '/slow Bearer a2']);
    assert.equal(storage.get().refresh, 'r2');
    assert.deepEqual(logouts, []);
  });

  it('a network failure during refresh rejects but keeps the session', async () => {
    const server = scriptedServer();
    const { api, storage, logouts } = clientFor(server, { access: 'stale', refresh: 'r1' });
    api.tokenClient.defaults.adapter = async (config) => {
      throw new AxiosError('socket hang up', AxiosError.ERR_NETWORK, config, {});
    };

    const error = await api.get('/a').then(
      () => assert.fail('expected a rejection'),
      (reason) => reason,
    );

    assert.equal(error.code, AxiosError.ERR_NETWORK);
    assert.deepEqual(storage.get(), { access: 'stale', refresh: 'r1' });
    assert.deepEqual(logouts, []);
  });

  it('leaves other errors alone', async () => {
    const server = scriptedServer();
    const { api, logouts } = clientFor(server, { access: 'a1', refresh: 'r1' });
    api.defaults.adapter = async (config) => {
      const response = { data: { detail: 'Not found.', code: 'not_found' }, status: 404, statusText: '404', headers: {}, config, request: {} };
      throw new AxiosError('Request failed with status code 404', AxiosError.ERR_BAD_REQUEST, config, {}, response);
    };

    const error = await api.get('/missing').then(
      () => assert.fail('expected a rejection'),
      (reason) => reason,
    );

    assert.equal(error.response.status, 404);
    assert.equal(server.state.refreshCalls, 0);
    assert.deepEqual(logouts, []);
  });
});
