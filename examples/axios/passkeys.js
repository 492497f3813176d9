// The browser's half of passkeys (WebAuthn) for the reference client: the server's options, in
// the JSON form of WebAuthn Level 3, go to navigator.credentials through the browser's own
// helpers (PublicKeyCredential.parseCreationOptionsFromJSON / parseRequestOptionsFromJSON), and
// the credential comes back as credential.toJSON(), which is what the server reads. No CBOR, no
// base64url and no crypto here: the browser and the authenticator do all of it.

/** The browser cannot run a passkey ceremony of this client: no WebAuthn, or no JSON helpers. */
export class PasskeyUnsupportedError extends Error {
  constructor(message) {
    super(message);
    this.name = 'PasskeyUnsupportedError';
    this.code = 'passkeys_unsupported';
  }
}

const PASSKEYS_PATH = '/api/user/passkeys/';
const REGISTER_OPTIONS_PATH = '/api/user/passkeys/register/options/';
const REGISTER_PATH = '/api/user/passkeys/register/';
const LOGIN_OPTIONS_PATH = '/api/token/passkey/options/';
const LOGIN_PATH = '/api/token/passkey/';
const MFA_OPTIONS_PATH = '/api/token/mfa/passkey/options/';
const MFA_PATH = '/api/token/mfa/passkey/';
const REAUTH_OPTIONS_PATH = '/api/user/reauthenticate/passkey/options/';

// Chromium 129, Firefox 119 and Safari 18.4 have all three; older browsers need a polyfill such
// as @simplewebauthn/browser (whose startRegistration / startAuthentication speak the same JSON).
const JSON_HELPERS = ['parseCreationOptionsFromJSON', 'parseRequestOptionsFromJSON'];
// How long before its options' `timeout` a waiting autofill request starts again (at most a tenth
// of that timeout).
const RENEWAL_MARGIN_MS = 30_000;

function abortError(message) {
  return new DOMException(message, 'AbortError');
}

/**
 * @param {object} options
 * @param {CredentialsContainer} [options.credentials] navigator.credentials, or a stand-in
 * @param {typeof PublicKeyCredential} [options.publicKeyCredential] the class with the JSON helpers
 */
function passkeyCeremonies({ credentials, publicKeyCredential } = {}) {
  // Looked up at each use, so that a client made where there is no browser (a server render)
  // still works once it runs in one.
  const container = () => credentials ?? globalThis.navigator?.credentials;
  const helpers = () => publicKeyCredential ?? globalThis.PublicKeyCredential;

  // The browser runs one WebAuthn request at a time and refuses another ("A request is already
  // pending"). A conditional (autofill) request may wait for ever, so a passkey button, second
  // factor or step-up ends this client's pending one first, and a conditional request that comes
  // while one of those runs gives way at once.
  let conditional = null;
  let running = 0;

  // Why the ceremonies cannot run here, or null if they can.
  function missing() {
    const store = container();
    const Credential = helpers();
    if (typeof store?.create !== 'function' || typeof store?.get !== 'function' || !Credential) {
      // PublicKeyCredential exists in secure contexts only.
      const insecure =
        globalThis.isSecureContext === false
          ? ' (this page is not a secure context: use https:// or http://localhost)'
          : '';
      return `this browser has no WebAuthn${insecure}`;
    }
    const absent = JSON_HELPERS.filter((name) => typeof Credential[name] !== 'function');
    if (typeof Credential.prototype?.toJSON !== 'function') absent.push('PublicKeyCredential.prototype.toJSON');
    if (absent.length)
      return `this browser's WebAuthn lacks ${absent.join(', ')} (update it, or polyfill with @simplewebauthn/browser)`;
    return null;
  }

  function assertSupported() {
    const reason = missing();
    if (reason) throw new PasskeyUnsupportedError(`Passkeys are not available: ${reason}.`);
  }

  async function autofillAvailable() {
    if (missing()) return false;
    const check = helpers().isConditionalMediationAvailable;
    return typeof check === 'function' && (await check.call(helpers())) === true;
  }

  async function assertAutofill() {
    assertSupported();
    if (!(await autofillAvailable())) {
      throw new PasskeyUnsupportedError(
        'Passkeys are not available as autofill (conditional mediation) in this browser.',
      );
    }
  }

  // Ends a pending conditional request and waits until the browser has let go of it.
  async function endConditional() {
    const pending = conditional;
    if (!pending) return;
    pending.controller.abort(abortError('Another passkey request started.'));
    await pending.settled;
  }

  function toJSON(credential) {
    if (!credential) throw new DOMException('The browser gave no credential.', 'NotAllowedError');
    return credential.toJSON();
  }

  // A request the user is asked for now (a dialog, not autofill).
  async function modal(request) {
    running += 1;
    try {
      await endConditional();
      return toJSON(await request());
    } finally {
      running -= 1;
    }
  }

  async function create(optionsJSON, { signal } = {}) {
    assertSupported();
    const publicKey = helpers().parseCreationOptionsFromJSON(optionsJSON);
    return modal(() => container().create({ publicKey, signal }));
  }

  async function get(optionsJSON, { signal, mediation } = {}) {
    assertSupported();
    const publicKey = helpers().parseRequestOptionsFromJSON(optionsJSON);
    if (mediation !== 'conditional') return modal(() => container().get({ publicKey, signal }));

    await endConditional();
    if (running) throw abortError('Another passkey request is running.');
    const controller = new AbortController();
    const combined = signal ? AbortSignal.any([signal, controller.signal]) : controller.signal;
    const request = container().get({ publicKey, mediation, signal: combined });
    const entry = { controller, settled: request.catch(() => null) };
    conditional = entry;
    try {
      return toJSON(await request);
    } finally {
      if (conditional === entry) conditional = null;
    }
  }

  return { assertSupported, assertAutofill, autofillAvailable, supported: () => missing() === null, create, get };
}

// An aborted ceremony rejects with the signal's reason (an AbortError by default), whichever
// step it was at: the options call (which Axios would report as its own CanceledError) or the
// browser's request.
async function abortable(signal, ceremony) {
  try {
    return await ceremony();
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    throw error;
  }
}

/**
 * The passkey calls of createApi (api.js), on its two Axios instances.
 *
 * Every ceremony asks the server for new options (single-use, good for a few minutes), has the
 * browser answer them, and posts the answer. The browser's own errors pass through as they are:
 * NotAllowedError when the user cancels or the time runs out, InvalidStateError when this
 * authenticator holds a passkey of the account already. PasskeyUnsupportedError comes before any
 * request, so that no step-up or options are spent on a browser that cannot finish.
 *
 * @param {object} client
 * @param {import('axios').AxiosInstance} client.api the signed-in instance (Bearer, step-up)
 * @param {import('axios').AxiosInstance} client.tokenClient the bare one, for the login calls
 * @param {object} client.loginConfig what the login calls send (credentials, for the device cookie)
 * @param {(data: object) => object} client.startSession stores a login's answer
 * @param {(body: object) => Promise<object>} client.reauthenticate gets and keeps a step-up token
 */
export function passkeyCalls({
  api,
  tokenClient,
  loginConfig,
  startSession,
  reauthenticate,
  credentials,
  publicKeyCredential,
}) {
  const webauthn = passkeyCeremonies({ credentials, publicKeyCredential });

  // Registers a passkey of this device for the signed-in user. The options call is a sensitive
  // change: it answers 403 reauthentication_required without a fresh step-up, which
  // onReauthenticate handles. Resolves to the new passkey, {id, name, created_at, ...}.
  async function registerPasskey({ name, signal } = {}) {
    webauthn.assertSupported();
    return abortable(signal, async () => {
      const { data: options } = await api.post(REGISTER_OPTIONS_PATH, {}, { signal });
      const credential = await webauthn.create(options, { signal });
      const { data } = await api.post(REGISTER_PATH, { credential, ...(name && { name }) });
      return data;
    });
  }

  // Logs in with a passkey, no username or password: from a "Sign in with a passkey" button, or,
  // with `conditional: true`, as autofill of an <input autocomplete="username webauthn">, where
  // it resolves once the user picks a passkey there (it may never: abort it with `signal` when
  // the user logs in with the password instead, or the form goes away). Stores the tokens as
  // login() does; a passkey login needs no code, TOTP or not.
  async function loginWithPasskey({ conditional = false, signal } = {}) {
    if (conditional) await webauthn.assertAutofill();
    else webauthn.assertSupported();
    // The signal covers the wait for the user; once the authenticator has answered, the login
    // goes through, so that the server never starts a session that the client then drops.
    const credential = await abortable(signal, () => (conditional ? autofillAnswer(signal) : buttonAnswer(signal)));
    const { data } = await tokenClient.post(LOGIN_PATH, { credential }, loginConfig);
    return startSession(data);
  }

  async function loginOptions(signal) {
    const { data } = await tokenClient.post(LOGIN_OPTIONS_PATH, null, { signal });
    return data;
  }

  async function buttonAnswer(signal) {
    return webauthn.get(await loginOptions(signal), { signal });
  }

  // Autofill may wait longer than a challenge lives (browsers need not time a conditional request
  // out), and a passkey picked after that would be refused: so the request starts again with new
  // options a little before the server's `timeout` for them runs out.
  async function autofillAnswer(signal) {
    for (;;) {
      const options = await loginOptions(signal);
      const renewal = new AbortController();
      const { timeout } = options;
      const renewIn = timeout - Math.min(RENEWAL_MARGIN_MS, timeout / 10);
      // Options without a timeout are answered whenever the user picks.
      const timer = Number.isFinite(timeout) && timeout > 0 ? setTimeout(() => renewal.abort(), renewIn) : null;
      try {
        const both = signal ? AbortSignal.any([signal, renewal.signal]) : renewal.signal;
        return await webauthn.get(options, { signal: both, mediation: 'conditional' });
      } catch (error) {
        if (!renewal.signal.aborted || signal?.aborted) throw error;
      } finally {
        clearTimeout(timer);
      }
    }
  }

  // Second login step with a passkey instead of a code, after login() rejected with 401
  // `mfa_required`: its mfa_token asks for options of the account's passkeys. A refused passkey
  // counts against the mfa_token as a wrong code does. Stores the tokens as login() does.
  async function loginMfaWithPasskey(mfaToken, { signal } = {}) {
    webauthn.assertSupported();
    const credential = await abortable(signal, async () => {
      const { data: options } = await tokenClient.post(MFA_OPTIONS_PATH, { mfa_token: mfaToken }, { signal });
      return webauthn.get(options, { signal });
    });
    const { data } = await tokenClient.post(MFA_PATH, { mfa_token: mfaToken, credential }, loginConfig);
    return startSession(data);
  }

  // Step-up with one of the signed-in user's passkeys; the step-up token is kept as
  // reauthenticate() keeps it. What onReauthenticate's {passkey: true} runs.
  async function reauthenticateWithPasskey({ signal } = {}) {
    webauthn.assertSupported();
    const credential = await abortable(signal, async () => {
      const { data: options } = await api.post(REAUTH_OPTIONS_PATH, null, { signal });
      return webauthn.get(options, { signal });
    });
    return reauthenticate({ credential });
  }

  // The user's passkeys, oldest first: [{id, name, created_at, last_used_at, backed_up, transports}].
  async function passkeys() {
    const { data } = await api.get(PASSKEYS_PATH);
    return data;
  }

  async function renamePasskey(id, name) {
    const { data } = await api.patch(`${PASSKEYS_PATH}${encodeURIComponent(id)}/`, { name });
    return data;
  }

  // A sensitive change, as registering is; 409 last_login_method for the last way into an account
  // without a password.
  async function deletePasskey(id) {
    await api.delete(`${PASSKEYS_PATH}${encodeURIComponent(id)}/`);
  }

  return {
    registerPasskey,
    loginWithPasskey,
    loginMfaWithPasskey,
    reauthenticateWithPasskey,
    passkeys,
    renamePasskey,
    deletePasskey,
    // Whether this browser can run the ceremonies (show the passkey buttons), and (resolving)
    // whether it offers passkeys as autofill too.
    passkeysSupported: () => webauthn.supported(),
    passkeyAutofillAvailable: () => webauthn.autofillAvailable(),
  };
}
