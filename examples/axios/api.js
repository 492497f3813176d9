// Reference Axios client for the notes API: Bearer auth with transparent,
// single-flight refresh of rotating SimpleJWT tokens, in either of the server's
// modes: the refresh token in response bodies (the default), or in an HttpOnly
// cookie that the client never sees (refresh cookie mode). Passkeys (WebAuthn) log in, finish a
// two-factor login and pass a step-up through the browser's own WebAuthn (passkeys.js). With
// `dpop: true`, tokens are bound to a key that never leaves the browser (dpop.js). OpenID Connect
// providers sign in, are linked and pass a step-up through the API, which is their client
// (oidc.js). The session list and the emailed links' calls are in account.js.
import axios from 'axios';

import { accountCalls } from './account.js';
import { dpopSigner, indexedDbKeyStore, memoryKeyStore, signRequests } from './dpop.js';
import { OidcLinkRequiredError, oidcCalls, redirectTo } from './oidc.js';
import { PasskeyUnsupportedError, passkeyCalls } from './passkeys.js';

export { OidcLinkRequiredError, PasskeyUnsupportedError, indexedDbKeyStore, memoryKeyStore, redirectTo };

const TOKEN_PATH = '/api/token/';
const REFRESH_PATH = '/api/token/refresh/';
const BLACKLIST_PATH = '/api/token/blacklist/';
const CSRF_PATH = '/api/csrf/';
const PASSWORD_PATH = '/api/user/password/';
const REAUTHENTICATE_PATH = '/api/user/reauthenticate/';
const MFA_PATH = '/api/token/mfa/';
const RECOVERY_CODES_PATH = '/api/user/mfa/recovery-codes/';
const REAUTH_HEADER = 'X-Reauth-Token';
const REAUTHENTICATED = '_retriedAfterReauthentication';

// Marks a request that has already been replayed after a refresh. A string
// key, because axios merges only own enumerable string keys of a config.
const RETRIED = '_retriedAfterRefresh';
// Django's default CSRF header (CSRF_HEADER_NAME HTTP_X_CSRFTOKEN).
const CSRF_HEADER = 'X-CSRFToken';

/**
 * Keeps the tokens in a closure: they vanish on reload, but script injected
 * into the page cannot read them from storage either.
 */
export function memoryStorage() {
  let tokens = null;
  return {
    get: () => tokens && { ...tokens },
    set: (next) => {
      tokens = { ...next };
    },
    clear: () => {
      tokens = null;
    },
  };
}

/**
 * Survives reloads and is shared by the tabs of an origin, at a price: any
 * script running on the origin can read it. OWASP's HTML5 Security Cheat Sheet
 * advises against keeping session identifiers in localStorage wherever XSS is
 * a risk, so prefer memoryStorage() unless the convenience is worth that.
 */
export function localStorageStorage(prefix = 'notes.', store = globalThis.localStorage) {
  if (!store) throw new Error('localStorage is not available in this environment');
  const accessKey = `${prefix}access`;
  const refreshKey = `${prefix}refresh`;
  return {
    get: () => {
      const access = store.getItem(accessKey);
      const refresh = store.getItem(refreshKey);
      return access || refresh ? { access, refresh } : null;
    },
    set: ({ access, refresh }) => {
      store.setItem(accessKey, access);
      store.setItem(refreshKey, refresh);
    },
    clear: () => {
      store.removeItem(accessKey);
      store.removeItem(refreshKey);
    },
  };
}

// The access token a request was sent with, under either scheme.
function sentToken(config) {
  const header = axios.AxiosHeaders.from(config.headers).get('Authorization');
  const match = typeof header === 'string' && /^(?:Bearer|DPoP) (.+)$/.exec(header);
  return match ? match[1] : null;
}

// The refresh token was looked at and refused (spent, revoked, expired,
// malformed): the session is over. Anything else (no answer, 429, 5xx) may
// pass, and throwing the tokens away then would log the user out for nothing.
function isRejectedRefresh(error) {
  const status = error.response?.status;
  return status === 400 || status === 401;
}

// Refused by the CSRF check before the refresh token was looked at: nothing was
// spent, so the request may be sent again with a fresh CSRF token.
function isCsrfFailure(error) {
  return error.response?.status === 403 && error.response.data?.code === 'csrf_failed';
}

/**
 * @param {object} options
 * @param {string} options.baseURL  API origin, e.g. "http://127.0.0.1:8000"
 * @param {boolean} [options.refreshCookie] true for a server in refresh cookie mode
 *        (JWT_REFRESH_COOKIE=true): the refresh token stays in its HttpOnly cookie, the client
 *        keeps the access token alone, and refresh and logout carry a CSRF token
 * @param {{get(): ({access: string, refresh?: string} | null), set(tokens): void, clear(): void}} [options.storage]
 *        where the tokens live; in cookie mode it only ever holds `{access}` (keep the default)
 * @param {(info: {reason: 'logout' | 'refresh_failed'}) => void} [options.onLogout]
 *        called once whenever the session ends; wire it to a redirect to the login page
 * @param {() => Promise<{password: string} | {code: string} | {passkey: true} | null>} [options.onReauthenticate]
 *        called when a sensitive change (email, two-factor, passkeys, deleting the account)
 *        answers 403 `reauthentication_required`: ask the user for the password (or, with TOTP
 *        on, a code) and resolve it, resolve {passkey: true} to prove it with one of the user's
 *        passkeys, or null to give up. The client gets a step-up token with it and sends the
 *        request once more; without this option such a request just rejects with the 403
 * @param {boolean} [options.dpop] true to bind the session's tokens to a key pair of this browser
 *        (DPoP, RFC 9449): every request then carries a proof signed with it, and tokens copied
 *        out of the page are refused anywhere else. The key is made non-extractable with WebCrypto
 * @param {{get(): Promise<CryptoKeyPair | null>, set(pair): Promise<void>, clear(): Promise<void>}} [options.dpopKeyStore]
 *        where the DPoP key pair lives: IndexedDB by default where there is one (a reload keeps
 *        the session), else memory; logout clears it
 * @param {CredentialsContainer} [options.credentials] what runs the passkey ceremonies,
 *        `navigator.credentials` by default (tests give a software authenticator)
 * @param {typeof PublicKeyCredential} [options.publicKeyCredential] the class whose static
 *        `parseCreationOptionsFromJSON` / `parseRequestOptionsFromJSON` read the server's
 *        options, `PublicKeyCredential` by default
 * @param {import('axios').CreateAxiosDefaults} [options.axiosConfig] extra defaults for both instances
 */
export function createApi({
  baseURL,
  refreshCookie = false,
  storage = memoryStorage(),
  onLogout = () => {},
  onReauthenticate = null,
  dpop = false,
  dpopKeyStore,
  credentials,
  publicKeyCredential,
  axiosConfig = {},
} = {}) {
  // In cookie mode every request carries credentials, so that the browser keeps the cookies the
  // answers set (the refresh cookie, Django's csrftoken) and sends them back. The refresh cookie
  // itself goes only to /api/token/ (its Path); a password change answers with a new one.
  const defaults = { ...axiosConfig, baseURL, ...(refreshCookie && { withCredentials: true }) };
  const api = axios.create(defaults);
  // Token endpoints bypass the interceptors, so a 401 from the refresh
  // endpoint can never start another refresh.
  const tokenClient = axios.create(defaults);
  const scheme = dpop ? 'DPoP' : 'Bearer';
  const signer = dpop
    ? dpopSigner({ keyStore: dpopKeyStore ?? (globalThis.indexedDB ? indexedDbKeyStore() : memoryKeyStore()) })
    : null;
  if (signer) {
    // Installed first, so that they sign what the interceptors below have set.
    signRequests(api, signer);
    signRequests(tokenClient, signer);
  }

  // The login endpoints always carry credentials, so that the browser keeps and returns the login
  // device cookie (Path=/api/token/) in Bearer mode too: with it, guesses from elsewhere cannot
  // lock this browser out of its own account. The server must allow credentials for this origin
  // (CORS_ALLOW_CREDENTIALS, on by default).
  const loginConfig = { withCredentials: true };

  let refreshing = null;
  // The step-up token of the last reauthentication, sent with sensitive changes while it lasts.
  let reauthToken = null;
  // Cookie mode: Django's CSRF token, fetched when first needed and kept in memory only.
  let csrfToken = null;

  // Only a session this client held is reported as ended: a restore() that finds none on page
  // load has nothing to end.
  function finishSession(reason) {
    const held = storage.get() !== null;
    storage.clear();
    reauthToken = null;
    if (held || reason === 'logout') onLogout({ reason });
  }

  const hasSession = () => Boolean(refreshCookie ? storage.get()?.access : storage.get()?.refresh);

  async function fetchCsrfToken() {
    const { data } = await tokenClient.get(CSRF_PATH);
    csrfToken = data.csrf_token;
    return csrfToken;
  }

  // Cookie mode: a POST that the refresh cookie authenticates (refresh, logout), with an empty
  // body and the CSRF token. A CSRF token the server no longer matches (its csrftoken cookie
  // expired or was cleared) is refused before the refresh token is looked at, so one more try
  // with a fresh CSRF token spends nothing twice.
  async function postWithCsrf(url) {
    for (let attempt = 1; ; attempt += 1) {
      const token = csrfToken ?? (await fetchCsrfToken());
      try {
        return await tokenClient.post(url, null, { headers: { [CSRF_HEADER]: token } });
      } catch (error) {
        if (attempt > 1 || !isCsrfFailure(error)) throw error;
        csrfToken = null;
      }
    }
  }

  async function refreshWithBody() {
    const refresh = storage.get()?.refresh;
    const { data } = await tokenClient.post(REFRESH_PATH, { refresh });
    // With rotation off the server answers without a refresh token; keep ours.
    storage.set({ access: data.access, refresh: data.refresh ?? refresh });
  }

  async function refreshWithCookie() {
    // The answer sets the rotated refresh cookie; the body holds the access token alone.
    const { data } = await postWithCsrf(REFRESH_PATH);
    storage.set({ access: data.access });
  }

  // Single flight: every 401 that arrives while a refresh is under way waits
  // for that refresh instead of spending the same refresh token again.
  function refreshTokens() {
    refreshing ??= (async () => {
      try {
        await (refreshCookie ? refreshWithCookie() : refreshWithBody());
      } catch (error) {
        if (isRejectedRefresh(error)) finishSession('refresh_failed');
        throw error;
      }
    })().finally(() => {
      refreshing = null;
    });
    return refreshing;
  }

  api.interceptors.request.use((config) => {
    const access = storage.get()?.access;
    if (access) config.headers.set('Authorization', `${scheme} ${access}`);
    if (reauthToken) config.headers.set(REAUTH_HEADER, reauthToken);
    return config;
  });

  // Step-up: a sensitive change refused for want of a fresh proof asks the app's hook for the
  // password or a code, gets a step-up token for this session, and is sent once more with it.
  async function reauthenticate(credential) {
    const { data } = await api.post(REAUTHENTICATE_PATH, credential);
    reauthToken = data.reauth_token;
    // Forgotten a little before the server stops taking it.
    setTimeout(() => {
      if (reauthToken === data.reauth_token) reauthToken = null;
    }, Math.max(0, data.expires_in - 10) * 1000).unref?.();
    return data;
  }

  api.interceptors.response.use(undefined, async (error) => {
    const { config, response } = error;
    const refused = response?.status === 403 && response.data?.code === 'reauthentication_required';
    if (!refused || !config || config[REAUTHENTICATED] || !onReauthenticate) throw error;
    reauthToken = null;
    const credential = await onReauthenticate();
    if (!credential) throw error;
    await (credential.passkey === true ? passkey.reauthenticateWithPasskey() : reauthenticate(credential));
    config[REAUTHENTICATED] = true;
    return api.request(config);
  });

  api.interceptors.response.use(undefined, async (error) => {
    const { config, response } = error;
    const expired = response?.status === 401 && response.data?.code === 'token_not_valid';
    if (!expired || !config || config[RETRIED]) throw error;

    if (!hasSession()) throw error;
    const tokens = storage.get();

    // A request sent with an access token that has since been replaced saw
    // the old token expire after someone else already refreshed: just replay it.
    if (sentToken(config) === tokens.access) await refreshTokens();

    config[RETRIED] = true;
    return api.request(config);
  });

  // What every login answers. In cookie mode that is {access}, the refresh token having gone into
  // the cookie. A step-up token belongs to the session that asked for it, never to a new one.
  function startSession(data) {
    reauthToken = null;
    storage.set(refreshCookie ? { access: data.access } : { access: data.access, refresh: data.refresh });
    return data;
  }

  async function login(username, password) {
    const { data } = await tokenClient.post(TOKEN_PATH, { username, password }, loginConfig);
    return startSession(data);
  }

  // Second login step for an account with TOTP on: login() rejected with 401 `mfa_required`, whose
  // body holds the mfa_token; send it with the user's code. Stores the tokens as login() does.
  async function loginMfa(mfaToken, code) {
    const { data } = await tokenClient.post(MFA_PATH, { mfa_token: mfaToken, code }, loginConfig);
    return startSession(data);
  }

  // A new set of recovery codes for a current code of the authenticator app (itself the fresh
  // proof: no step-up); the old set stops working and every other session of the account ends.
  // 400 with `code` invalid_code (wrong or used code) or mfa_not_enabled.
  async function regenerateRecoveryCodes(code) {
    const { data } = await api.post(RECOVERY_CODES_PATH, { code });
    return data.recovery_codes;
  }

  // Registering, logging in (passwordless, or as the second factor) and step-up with a passkey.
  const passkey = passkeyCalls({
    api,
    tokenClient,
    loginConfig,
    startSession,
    reauthenticate,
    credentials,
    publicKeyCredential,
  });

  // Sign-in with, and links to, OpenID Connect providers.
  const oidc = oidcCalls({ api, tokenClient, loginConfig, startSession, reauthenticate });

  async function logout() {
    try {
      if (refreshCookie) {
        // Even with no access token in memory (a reloaded page): the cookie may still hold a
        // session, and the answer clears it, which a script cannot do to an HttpOnly cookie.
        await postWithCsrf(BLACKLIST_PATH);
      } else {
        const refresh = storage.get()?.refresh;
        if (refresh) await tokenClient.post(BLACKLIST_PATH, { refresh });
      }
    } catch (error) {
      // A refused token means the session is already dead, which is the goal.
      if (!isRejectedRefresh(error)) throw error;
    } finally {
      finishSession('logout');
      await signer?.forget();
    }
  }

  // On page load: gets a new access token for a session that outlived the page's memory, with
  // the refresh cookie (cookie mode) or a refresh token the storage kept (localStorageStorage).
  // Resolves true once an access token is in memory, false when there is no session to restore
  // (no cookie or stored token, or one the server refuses). Rejects on anything else (no answer,
  // a 429, a 5xx, a 403 for an origin the server does not allow): the session may still be good.
  async function restore() {
    if (!refreshCookie && !storage.get()?.refresh) return false;
    try {
      await refreshTokens();
      return true;
    } catch (error) {
      if (isRejectedRefresh(error)) return false;
      throw error;
    }
  }

  // The server ends every earlier token of the account and answers a new pair for this client
  // (in cookie mode `{access}` and a new cookie): kept as a login's are, so the session goes on.
  async function changePassword({ oldPassword, newPassword }) {
    const { data } = await api.post(PASSWORD_PATH, { old_password: oldPassword, new_password: newPassword });
    return startSession(data);
  }

  return Object.assign(api, {
    login,
    loginMfa,
    regenerateRecoveryCodes,
    reauthenticate,
    ...passkey,
    ...oidc,
    logout,
    restore,
    changePassword,
    ...accountCalls({ api, tokenClient, logout }),
    // Whether this client holds a session: in cookie mode, an access token in memory (after a
    // reload, only once restore() has resolved true).
    isAuthenticated: hasSession,
    // Exposed so that tests and metrics can watch the token endpoints.
    tokenClient,
  });
}
