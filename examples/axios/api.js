// Reference Axios client for the notes API: Bearer auth with transparent,
// single-flight refresh of rotating SimpleJWT tokens.
import axios from 'axios';

const TOKEN_PATH = '/api/token/';
const REFRESH_PATH = '/api/token/refresh/';
const BLACKLIST_PATH = '/api/token/blacklist/';

// Marks a request that has already been replayed after a refresh. A string
// key, because axios merges only own enumerable string keys of a config.
const RETRIED = '_retriedAfterRefresh';

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

function bearerToken(config) {
  const header = axios.AxiosHeaders.from(config.headers).get('Authorization');
  return typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7) : null;
}

// The refresh token was looked at and refused (spent, revoked, expired,
// malformed): the session is over. Anything else (no answer, 429, 5xx) may
// pass, and throwing the tokens away then would log the user out for nothing.
function isRejectedRefresh(error) {
  const status = error.response?.status;
  return status === 400 || status === 401;
}

/**
 * @param {object} options
 * @param {string} options.baseURL  API origin, e.g. "http://127.0.0.1:8000"
 * @param {{get(): ({access: string, refresh: string} | null), set(tokens): void, clear(): void}} [options.storage]
 * @param {(info: {reason: 'logout' | 'refresh_failed'}) => void} [options.onLogout]
 *        called once whenever the session ends; wire it to a redirect to the login page
 * @param {import('axios').CreateAxiosDefaults} [options.axiosConfig] extra defaults for both instances
 */
export function createApi({ baseURL, storage = memoryStorage(), onLogout = () => {}, axiosConfig = {} } = {}) {
  const api = axios.create({ ...axiosConfig, baseURL });
  // Token endpoints bypass the interceptors, so a 401 from the refresh
  // endpoint can never start another refresh.
  const tokenClient = axios.create({ ...axiosConfig, baseURL });

  let refreshing = null;

  function endSession(reason) {
    storage.clear();
    onLogout({ reason });
  }

  // Single flight: every 401 that arrives while a refresh is under way waits
  // for that refresh instead of spending the same refresh token again.
  function refreshTokens() {
    refreshing ??= (async () => {
      const refresh = storage.get()?.refresh;
      try {
        const { data } = await tokenClient.post(REFRESH_PATH, { refresh });
        // With rotation off the server answers without a refresh token; keep ours.
        storage.set({ access: data.access, refresh: data.refresh ?? refresh });
      } catch (error) {
        if (isRejectedRefresh(error)) endSession('refresh_failed');
        throw error;
      }
    })().finally(() => {
      refreshing = null;
    });
    return refreshing;
  }

  api.interceptors.request.use((config) => {
    const access = storage.get()?.access;
    if (access) config.headers.set('Authorization', `Bearer ${access}`);
    return config;
  });

  api.interceptors.response.use(undefined, async (error) => {
    const { config, response } = error;
    const expired = response?.status === 401 && response.data?.code === 'token_not_valid';
    if (!expired || !config || config[RETRIED]) throw error;

    const tokens = storage.get();
    if (!tokens?.refresh) throw error;

    // A request sent with an access token that has since been replaced saw
    // the old token expire after someone else already refreshed: just replay it.
    if (bearerToken(config) === tokens.access) await refreshTokens();

    config[RETRIED] = true;
    return api.request(config);
  });

  async function login(username, password) {
    const { data } = await tokenClient.post(TOKEN_PATH, { username, password });
    storage.set({ access: data.access, refresh: data.refresh });
    return data;
  }

  async function logout() {
    const refresh = storage.get()?.refresh;
    try {
      if (refresh) await tokenClient.post(BLACKLIST_PATH, { refresh });
    } catch (error) {
      // A refused token means the session is already dead, which is the goal.
      if (!isRejectedRefresh(error)) throw error;
    } finally {
      endSession('logout');
    }
  }

  return Object.assign(api, {
    login,
    logout,
    isAuthenticated: () => Boolean(storage.get()?.refresh),
    // Exposed so that tests and metrics can watch the token endpoints.
    tokenClient,
  });
}
