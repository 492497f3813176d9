// The reference Axios client with `dpop: true`: its key pair in IndexedDB, made non-extractable,
// so that a reload keeps the session. With ?cookie=1 in refresh cookie mode (the refresh token in
// its HttpOnly cookie, restored on load); else the tokens in localStorage, which survives the
// reload too (and which script in the page can read: the tokens alone are worth nothing).
// window.dpopDemo is what the test drives.
import { createApi, localStorageStorage, memoryStorage } from '/api.js';

const query = new URLSearchParams(window.location.search);
const apiBase = query.get('api') ?? 'http://localhost:8000';
const cookieMode = query.get('cookie') === '1';

const storage = cookieMode ? memoryStorage() : localStorageStorage('notes-dpop.');
const api = createApi({
  baseURL: apiBase,
  refreshCookie: cookieMode,
  storage,
  dpop: true,
  // No request waits forever.
  axiosConfig: { timeout: 20_000 },
});

function setStatus(text) {
  document.getElementById('status').textContent = text;
}

async function attempt(action) {
  try {
    return { ok: true, value: await action() };
  } catch (error) {
    return { ok: false, error: { message: error.message, status: error.response?.status ?? null, apiCode: error.response?.data?.code ?? null } };
  }
}

// What IndexedDB holds, as a script of the page sees it: a key pair whose private half it may use
// but not read.
function storedKey() {
  return new Promise((resolve, reject) => {
    const opened = indexedDB.open('notes-dpop', 1);
    opened.onupgradeneeded = () => opened.result.createObjectStore('keys');
    opened.onerror = () => reject(opened.error);
    opened.onsuccess = () => {
      const read = opened.result.transaction('keys').objectStore('keys').get('pair');
      read.onerror = () => reject(read.error);
      read.onsuccess = async () => {
        const pair = read.result;
        opened.result.close();
        if (!pair) return resolve(null);
        let exported = false;
        try {
          await crypto.subtle.exportKey('jwk', pair.privateKey);
          exported = true;
        } catch {
          // What a non-extractable key answers.
        }
        resolve({ type: pair.privateKey.type, extractable: pair.privateKey.extractable, exported });
      };
    };
  });
}

const restored = attempt(() => api.restore());

window.dpopDemo = {
  restored: () => restored,
  signUp: (username, password) =>
    attempt(async () => {
      await api.tokenClient.post('/api/user/register/', { username, password });
      const answer = await api.login(username, password);
      setStatus(`signed in as ${username}`);
      return answer.token_type;
    }),
  createNote: (title) => attempt(async () => (await api.post('/api/notes/', { title, content: 'x' })).status),
  titles: () => attempt(async () => (await api.get('/api/notes/')).data.map((note) => note.title)),
  // What script injected into the page could take out of it.
  tokens: () => storage.get(),
  storedKey,
  logout: () => attempt(() => api.logout()),
};
setStatus('ready');
