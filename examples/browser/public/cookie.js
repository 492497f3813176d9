// A single-page app in refresh cookie mode, with the reference Axios client: the refresh token
// lives in an HttpOnly cookie this script cannot read, the access token in memory only. So every
// page load starts signed out, and asks the API (with the cookie) for a new access token first.
import { createApi, memoryStorage } from '/api.js';

const apiBase = new URLSearchParams(window.location.search).get('api') ?? 'http://localhost:8000';
const storage = memoryStorage();
const logouts = [];

const api = createApi({
  baseURL: apiBase,
  refreshCookie: true,
  storage,
  onLogout: ({ reason }) => logouts.push(reason),
  // No request waits forever.
  axiosConfig: { timeout: 20_000 },
});

function setStatus(text) {
  document.getElementById('status').textContent = text;
}

/** What went wrong, in a form that survives the trip out of the page. */
function describeError(error) {
  return {
    name: error.name,
    code: error.code ?? null,
    status: error.response?.status ?? null,
    apiCode: error.response?.data?.code ?? null,
  };
}

async function attempt(action) {
  try {
    return { ok: true, value: await action() };
  } catch (error) {
    return { ok: false, error: describeError(error) };
  }
}

function render(notes) {
  const list = document.getElementById('notes');
  list.replaceChildren(
    ...notes.map((note) => {
      const item = document.createElement('li');
      item.textContent = note.title;
      return item;
    }),
  );
}

// On page load: a session that outlived the page's memory comes back from the cookie.
const restored = attempt(() => api.restore()).then((outcome) => {
  setStatus(outcome.ok ? (outcome.value ? 'signed in' : 'not signed in') : 'could not reach the API');
  return outcome;
});

window.cookieDemo = {
  apiBase,
  restored,
  logouts,
  login: (username, password) =>
    attempt(async () => {
      await api.login(username, password);
      setStatus(`signed in as ${username}`);
      return true;
    }),
  restore: () => attempt(() => api.restore()),
  listNotes: () =>
    attempt(async () => {
      const { data } = await api.get('/api/notes/');
      render(data);
      return data.map((note) => note.title);
    }),
  logout: () =>
    attempt(async () => {
      await api.logout();
      setStatus('signed out');
      return true;
    }),
  isAuthenticated: () => api.isAuthenticated(),
  // Shown for the tests: the token an XSS hole could steal, valid for minutes at most.
  accessToken: () => storage.get()?.access ?? null,
};
