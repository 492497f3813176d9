// DPoP with the reference client in Node (its WebCrypto makes the non-extractable key, as a
// browser's does), against live servers: one as configured by default, one with server nonces
// (DPOP_NONCE=true). Tokens taken from the client are then replayed by another client, with no
// key or with its own: refused, while the client that holds the key goes on working.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';

import axios from 'axios';

import { createApi, memoryKeyStore, memoryStorage } from '../api.js';
import { dpopSigner } from '../dpop.js';
import { startLiveServer } from '../../support/live-server.mjs';

const PASSWORD = 'correct-Horse-battery-staple-7';
// The servers issue 2 s access tokens; exp has one-second resolution, so wait past a full extra second.
const ACCESS_EXPIRY_MS = 3500;

const skip = process.env.API_BASE_URL ? 'needs servers of its own, one with DPOP_NONCE (API_BASE_URL is set)' : false;

let server;
let nonceServer;

before(
  async () => {
    if (skip) return;
    [server, nonceServer] = await Promise.all([
      startLiveServer(),
      startLiveServer({ env: { DPOP_NONCE: 'true', DPOP_NONCE_LIFETIME: '10' } }),
    ]);
  },
  { timeout: 180_000 },
);

after(
  async () => {
    await Promise.all([server?.stop(), nonceServer?.stop()]);
  },
  { timeout: 60_000 },
);

async function signedUp(baseURL, options = {}) {
  const username = `dpop-${randomBytes(6).toString('hex')}`;
  await axios.post(`${baseURL}/api/user/register/`, { username, password: PASSWORD });
  const storage = memoryStorage();
  const keyStore = memoryKeyStore();
  const logouts = [];
  const api = createApi({
    baseURL,
    storage,
    dpop: true,
    dpopKeyStore: keyStore,
    onLogout: ({ reason }) => logouts.push(reason),
    ...options,
  });
  const answer = await api.login(username, PASSWORD);
  return { api, storage, keyStore, logouts, username, answer };
}

// Counts the requests a client sends to one path, by watching its adapter.
function countRequests(client, path) {
  const seen = { count: 0 };
  client.interceptors.request.use((config) => {
    if (config.url === path) seen.count += 1;
    return config;
  });
  return seen;
}

describe('DPoP with the Axios client', { skip }, () => {
  it('logs in with a proof and gets tokens bound to its key', async () => {
    const { api, storage, keyStore, answer } = await signedUp(server.baseURL);

    assert.equal(answer.token_type, 'DPoP');
    const claims = JSON.parse(Buffer.from(storage.get().access.split('.')[1], 'base64url'));
    const { publicKey, privateKey } = await keyStore.get();
    assert.equal(privateKey.extractable, false);
    const jwk = await crypto.subtle.exportKey('jwk', publicKey);
    const thumbprint = Buffer.from(
      await crypto.subtle.digest('SHA-256', new TextEncoder().encode(JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y }))),
    ).toString('base64url');
    assert.deepEqual(claims.cnf, { jkt: thumbprint });

    const created = await api.post('/api/notes/', { title: 'bound', content: 'to a key' });
    assert.equal(created.status, 201);
    assert.equal(created.config.headers.get('Authorization'), `DPoP ${storage.get().access}`);
    const { data } = await api.get('/api/notes/', { params: { page_size: 5 } });
    assert.deepEqual(
      data.map((note) => note.title),
      ['bound'],
    );
  });

  it('refreshes with a proof when the access token expires, once for parallel requests', async () => {
    const { api, storage } = await signedUp(server.baseURL);
    const refreshes = countRequests(api.tokenClient, '/api/token/refresh/');
    const before = storage.get();

    await sleep(ACCESS_EXPIRY_MS);
    const answers = await Promise.all([1, 2, 3, 4].map(() => api.get('/api/notes/')));

    assert.deepEqual(
      answers.map((answer) => answer.status),
      [200, 200, 200, 200],
    );
    assert.equal(refreshes.count, 1);
    assert.notEqual(storage.get().access, before.access);
    assert.notEqual(storage.get().refresh, before.refresh);
  });

  it('signs with the nonce a server demands, at login, on requests and on refresh', async () => {
    const username = `dpop-${randomBytes(6).toString('hex')}`;
    await axios.post(`${nonceServer.baseURL}/api/user/register/`, { username, password: PASSWORD });
    const api = createApi({ baseURL: nonceServer.baseURL, dpop: true, dpopKeyStore: memoryKeyStore() });
    const logins = countRequests(api.tokenClient, '/api/token/');
    const refreshes = countRequests(api.tokenClient, '/api/token/refresh/');

    // The first proof has no nonce: refused with use_dpop_nonce, and signed again with it.
    assert.equal((await api.login(username, PASSWORD)).token_type, 'DPoP');
    assert.equal(logins.count, 2);
    assert.equal((await api.get('/api/notes/')).status, 200);
    await sleep(ACCESS_EXPIRY_MS);
    assert.equal((await api.get('/api/notes/')).status, 200);
    // The nonce came with every answer: the refresh needed no second try.
    assert.equal(refreshes.count, 1);
    // A window of the server's later, the nonces the answers carried keep the client going.
    await sleep(10_500);
    assert.equal((await api.get('/api/notes/')).status, 200);
  });

  it('forgets its key at logout, and the next login binds a new one', async () => {
    const { api, keyStore, username, logouts } = await signedUp(server.baseURL);
    const first = await keyStore.get();

    await api.logout();
    assert.equal(await keyStore.get(), null);
    assert.deepEqual(logouts, ['logout']);
    await api.login(username, PASSWORD);

    const second = await keyStore.get();
    assert.ok(second);
    assert.notEqual(second.publicKey, first.publicKey);
    assert.equal((await api.get('/api/notes/')).status, 200);
    // The server ended the first session (its logout carried a proof by the first key): only
    // the new login's session is left.
    assert.equal((await api.get('/api/user/sessions/')).data.length, 1);
  });

  it('refuses the tokens replayed by a client without the key, while the owner goes on', async () => {
    const { api, storage } = await signedUp(server.baseURL);
    const { access, refresh } = storage.get();
    const plain = axios.create({ baseURL: server.baseURL, validateStatus: () => true });

    const asBearer = await plain.get('/api/notes/', { headers: { Authorization: `Bearer ${access}` } });
    const asDpopWithoutProof = await plain.get('/api/notes/', { headers: { Authorization: `DPoP ${access}` } });
    const refreshed = await plain.post('/api/token/refresh/', { refresh });

    assert.equal(asBearer.status, 401);
    assert.equal(asDpopWithoutProof.status, 401);
    assert.equal(asDpopWithoutProof.data.code, 'invalid_dpop_proof');
    assert.match(asDpopWithoutProof.headers['www-authenticate'], /^DPoP error="invalid_dpop_proof"/);
    assert.equal(refreshed.status, 400);
    assert.equal(refreshed.data.code, 'invalid_dpop_proof');
    assert.equal((await api.get('/api/notes/')).status, 200);
  });

  it('refuses the tokens replayed by a client signing with a key of its own', async () => {
    const { api, storage } = await signedUp(server.baseURL);
    const { access, refresh } = storage.get();
    const thief = dpopSigner({ keyStore: memoryKeyStore() });
    const plain = axios.create({ baseURL: server.baseURL, validateStatus: () => true });
    const url = (path) => `${server.baseURL}${path}`;

    const listed = await plain.get('/api/notes/', {
      headers: { Authorization: `DPoP ${access}`, DPoP: await thief.proof('GET', url('/api/notes/'), access) },
    });
    const refreshed = await plain.post(
      '/api/token/refresh/',
      { refresh },
      { headers: { DPoP: await thief.proof('POST', url('/api/token/refresh/')) } },
    );

    assert.equal(listed.status, 401);
    assert.equal(listed.data.code, 'invalid_dpop_proof');
    assert.equal(refreshed.status, 400);
    assert.equal(refreshed.data.code, 'invalid_dpop_proof');
    // Nothing was spent: the owner's refresh token still works.
    await sleep(ACCESS_EXPIRY_MS);
    assert.equal((await api.get('/api/notes/')).status, 200);
  });
});
