// A login page with passkeys, on the reference Axios client and the browser's own WebAuthn: a
// "Sign in with a passkey" button, the passkeys offered as autofill of the username input
// (conditional mediation) until the password form is sent, the passkey as the second factor of a
// two-factor login, and as the proof of a step-up; with ?cookie=1 in refresh cookie mode.
// window.passkeyDemo is what the test drives.
import { createApi, memoryStorage } from '/api.js';

const query = new URLSearchParams(window.location.search);
const apiBase = query.get('api') ?? 'http://localhost:8000';

// What the step-up hook answers (in an app: a dialog asking for the password, or offering the
// passkey), and a record of when it was asked.
let stepUp = null;
const prompts = [];

const storage = memoryStorage();
const api = createApi({
  baseURL: apiBase,
  refreshCookie: query.get('cookie') === '1',
  storage,
  onReauthenticate: async () => {
    prompts.push(stepUp?.passkey ? 'passkey' : 'password');
    return stepUp;
  },
  // No request waits forever; the browser bounds its own WebAuthn requests by the options' timeout.
  axiosConfig: { timeout: 20_000 },
});

const form = document.getElementById('login');

function setStatus(text) {
  document.getElementById('status').textContent = text;
}

/** What went wrong, in a form that survives the trip out of the page. */
function describeError(error) {
  return {
    name: error.name,
    message: error.message,
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

async function whoAmI() {
  const { data } = await api.get('/api/user/me/');
  return data.username;
}

async function signedIn(how) {
  const username = await whoAmI();
  setStatus(`signed in as ${username} (${how})`);
  return username;
}

// Autofill: offered while the login form is shown, until a login ends it.
let autofill = null;
let autofillOutcome = null;
// The two-factor login waiting for its second step.
let mfaToken = null;

function offerAutofill() {
  autofill?.abort();
  const controller = new AbortController();
  autofill = controller;
  autofillOutcome = attempt(async () => {
    await api.loginWithPasskey({ conditional: true, signal: controller.signal });
    return signedIn('passkey, autofill');
  });
  return autofillOutcome;
}

// The password form: ends the autofill request first, whatever the password login answers.
form.addEventListener('submit', (event) => {
  event.preventDefault();
  autofill?.abort();
  window.passkeyDemo.lastSubmit = attempt(async () => {
    try {
      await api.login(form.username.value, form.password.value);
    } catch (error) {
      if (error.response?.data?.code !== 'mfa_required') throw error;
      mfaToken = error.response.data.mfa_token;
      setStatus('second factor needed');
      return 'mfa_required';
    }
    return signedIn('password');
  });
});

document.getElementById('passkey-login').addEventListener('click', () => {
  window.passkeyDemo.lastButton = attempt(async () => {
    await api.loginWithPasskey();
    return signedIn('passkey');
  });
});

window.passkeyDemo = {
  supported: () => api.passkeysSupported(),
  autofillAvailable: () => api.passkeyAutofillAvailable(),
  signUp: (username, password) =>
    attempt(async () => {
      await api.tokenClient.post('/api/user/register/', { username, password });
      await api.login(username, password);
      return signedIn('password');
    }),
  // What the next step-up prompt answers: {password} or {passkey: true}.
  answerStepUpWith: (answer) => {
    stepUp = answer;
  },
  prompts: () => [...prompts],
  registerPasskey: (name) => attempt(() => api.registerPasskey({ name })),
  passkeys: () => attempt(() => api.passkeys()),
  offerAutofill,
  autofillOutcome: () => autofillOutcome,
  secondFactorWithPasskey: () =>
    attempt(async () => {
      await api.loginMfaWithPasskey(mfaToken);
      mfaToken = null;
      return signedIn('password and passkey');
    }),
  startTotp: () => attempt(async () => (await api.post('/api/user/mfa/totp/', {})).data.secret),
  confirmTotp: (code) =>
    attempt(async () => (await api.post('/api/user/mfa/totp/confirm/', { code })).data.recovery_codes.length),
  changeEmail: (email) => attempt(async () => (await api.patch('/api/user/me/', { email })).status),
  logout: () =>
    attempt(async () => {
      await api.logout();
      setStatus('signed out');
      return true;
    }),
  accessToken: () => storage.get()?.access ?? null,
  // Cookie mode, on page load: the session comes back from the refresh cookie.
  restore: () => attempt(async () => ((await api.restore()) ? signedIn('restored') : null)),
};

setStatus('signed out');
