// DPoP (RFC 9449) for the reference client: a key pair that never leaves the browser signs a short
// proof for every request, so tokens copied out of the page are useless anywhere else
// (docs/security.md, "DPoP"). The private key is made with `extractable: false`: script in the page
// can use it while the page is open, but cannot read it, so it cannot take it elsewhere either.

const KEY_ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256' };
const SIGN_ALGORITHM = { name: 'ECDSA', hash: 'SHA-256' };
const NONCE_HEADER = 'dpop-nonce';

/** Keeps the key pair in memory: a reload makes a new one (and so needs a new login). */
export function memoryKeyStore() {
  let pair = null;
  return {
    get: async () => pair,
    set: async (next) => {
      pair = next;
    },
    clear: async () => {
      pair = null;
    },
  };
}

/**
 * Keeps the key pair in IndexedDB, which stores a CryptoKey as it is (structured clone): a reload
 * finds it again, and the private key stays non-extractable there too. Shared by the origin's tabs.
 */
export function indexedDbKeyStore({ databaseName = 'notes-dpop', indexedDB = globalThis.indexedDB } = {}) {
  if (!indexedDB) throw new Error('IndexedDB is not available in this environment');
  const STORE = 'keys';
  const KEY = 'pair';

  function open() {
    return new Promise((resolve, reject) => {
      const request = indexedDB.open(databaseName, 1);
      request.onupgradeneeded = () => request.result.createObjectStore(STORE);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }

  async function run(mode, action) {
    const db = await open();
    try {
      return await new Promise((resolve, reject) => {
        const transaction = db.transaction(STORE, mode);
        const request = action(transaction.objectStore(STORE));
        transaction.oncomplete = () => resolve(request.result);
        transaction.onerror = () => reject(transaction.error);
        transaction.onabort = () => reject(transaction.error);
      });
    } finally {
      db.close();
    }
  }

  return {
    get: async () => (await run('readonly', (store) => store.get(KEY))) ?? null,
    set: (pair) => run('readwrite', (store) => store.put(pair, KEY)),
    clear: () => run('readwrite', (store) => store.delete(KEY)),
  };
}

function base64url(bytes) {
  let binary = '';
  for (const byte of new Uint8Array(bytes)) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

const encodeJson = (value) => base64url(new TextEncoder().encode(JSON.stringify(value)));

/** `htu`: the request's absolute URL without query and fragment (RFC 9449 section 4.2). */
export function proofUrl(url) {
  const parsed = new URL(url);
  parsed.search = '';
  parsed.hash = '';
  return parsed.href;
}

/**
 * Signs proofs with one key pair, made on first use and kept in `keyStore`, and remembers the
 * last nonce each origin handed out (`DPoP-Nonce`) for the next proofs to that origin.
 */
export function dpopSigner({ keyStore = memoryKeyStore(), crypto = globalThis.crypto } = {}) {
  let key = null;
  const nonces = new Map();

  // Single flight: requests sent together before the first key exists share the one made.
  function currentKey() {
    key ??= (async () => {
      let pair = await keyStore.get();
      if (!pair) {
        pair = await crypto.subtle.generateKey(KEY_ALGORITHM, false, ['sign', 'verify']);
        await keyStore.set(pair);
      }
      // A public key can always be exported, whatever `extractable` says of the private one.
      const { kty, crv, x, y } = await crypto.subtle.exportKey('jwk', pair.publicKey);
      return { privateKey: pair.privateKey, jwk: { kty, crv, x, y } };
    })().catch((error) => {
      key = null;
      throw error;
    });
    return key;
  }

  async function proof(method, url, accessToken) {
    const { privateKey, jwk } = await currentKey();
    const claims = {
      jti: crypto.randomUUID(),
      htm: method.toUpperCase(),
      htu: proofUrl(url),
      iat: Math.floor(Date.now() / 1000),
    };
    const nonce = nonces.get(new URL(url).origin);
    if (nonce) claims.nonce = nonce;
    if (accessToken) {
      claims.ath = base64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(accessToken)));
    }
    const signingInput = `${encodeJson({ typ: 'dpop+jwt', alg: 'ES256', jwk })}.${encodeJson(claims)}`;
    // WebCrypto's ECDSA signature is r || s, the form JWS wants (RFC 7518 section 3.4).
    const signature = await crypto.subtle.sign(SIGN_ALGORITHM, privateKey, new TextEncoder().encode(signingInput));
    return `${signingInput}.${base64url(signature)}`;
  }

  // Any answer may name the nonce to use next, a success as well as a `use_dpop_nonce` refusal.
  function rememberNonce(url, headers) {
    const nonce = headers?.get?.(NONCE_HEADER) ?? headers?.[NONCE_HEADER];
    if (typeof nonce === 'string' && nonce) nonces.set(new URL(url).origin, nonce);
  }

  // Logging out forgets the key: the next login binds a new one.
  async function forget() {
    key = null;
    nonces.clear();
    await keyStore.clear();
  }

  return { proof, rememberNonce, forget, publicJwk: async () => (await currentKey()).jwk };
}

/** A refusal that a proof with the nonce the answer names would pass. */
export function needsNonce(error) {
  return error.response?.data?.code === 'use_dpop_nonce' && Boolean(error.response.headers?.[NONCE_HEADER]);
}

// Marks a request already sent again with a new nonce (a string key: axios merges only those).
const NONCE_RETRIED = '_retriedWithNonce';

/**
 * Signs every request of `client` with a fresh proof, with `ath` beside a DPoP access token, and
 * sends a request once more when the server asks for its nonce. Install it before the
 * interceptor that sets `Authorization`: axios runs request interceptors last-installed first, so
 * this one sees the header it signs for.
 */
export function signRequests(client, signer) {
  client.interceptors.request.use(async (config) => {
    const authorization = config.headers.get('Authorization');
    const access =
      typeof authorization === 'string' && authorization.startsWith('DPoP ') ? authorization.slice(5) : undefined;
    config.headers.set('DPoP', await signer.proof(config.method ?? 'get', client.getUri(config), access));
    return config;
  });
  client.interceptors.response.use(
    (response) => {
      signer.rememberNonce(client.getUri(response.config), response.headers);
      return response;
    },
    async (error) => {
      const { config, response } = error;
      if (config && response) signer.rememberNonce(client.getUri(config), response.headers);
      // Refused before anything was spent (RFC 9449 section 8): the same request, signed anew.
      if (!config || config[NONCE_RETRIED] || !needsNonce(error)) throw error;
      config[NONCE_RETRIED] = true;
      return client.request(config);
    },
  );
}
