// Sign-in with an OpenID Connect provider for the reference client. The API is the provider's
// client: the page only starts a sign-in (which sets an HttpOnly cookie on the API's origin that
// binds it to this browser), goes to the provider, and on its callback page trades the one-time
// `?code=` for the usual token answer. Linking a provider to a signed-in account is the same
// round trip, behind a step-up, ending in `?code=...&flow=link`; a step-up at the provider (for an
// account without a password) ends in `?code=...&flow=reauthenticate`, traded for a step-up token.

/** The provider account has no link here yet, but an account has its verified email. */
export class OidcLinkRequiredError extends Error {
  constructor(message, { cause } = {}) {
    super(message, { cause });
    this.name = 'OidcLinkRequiredError';
    this.code = 'oidc_link_required';
    this.response = cause?.response;
  }
}

const PROVIDERS_PATH = '/api/oidc/providers/';
const TOKEN_PATH = '/api/token/oidc/';
const IDENTITIES_PATH = '/api/user/identities/';
const LINK_COMPLETE_PATH = '/api/user/identities/complete/';
const REAUTH_START_PATH = '/api/user/reauthenticate/oidc/';

// The start's answer sets the binding cookie on the API's origin, which a cross-origin page
// keeps only when the request carries credentials.
const WITH_COOKIES = { withCredentials: true };

/** Sends this page to `url` (the provider's authorization page). */
export function redirectTo(url) {
  globalThis.location.assign(url);
}

/**
 * @param {object} client what the calls need of createApi's client
 * @param {import('axios').AxiosInstance} client.api the instance with the interceptors (step-up)
 * @param {import('axios').AxiosInstance} client.tokenClient the bare one, for the login calls
 * @param {object} client.loginConfig the login calls' config (credentials)
 * @param {(data: object) => object} client.startSession stores a login's answer
 * @param {(body: object) => Promise<object>} client.reauthenticate gets and keeps a step-up token
 */
export function oidcCalls({ api, tokenClient, loginConfig, startSession, reauthenticate }) {
  // [{name, display_name}], in the server's order; empty when none is configured.
  async function oidcProviders() {
    const { data } = await tokenClient.get(PROVIDERS_PATH);
    return data;
  }

  // The provider's authorization URL for a new sign-in; 404 oidc_provider_unknown, 503
  // oidc_provider_unavailable.
  async function startProviderLogin(name) {
    const { data } = await tokenClient.post(`/api/oidc/${encodeURIComponent(name)}/start/`, null, WITH_COOKIES);
    return data.authorization_url;
  }

  // Starts a sign-in and leaves the page for the provider; its callback page then calls
  // finishProviderLogin with the `code` of its URL.
  async function loginWithProvider(name, { redirect = redirectTo } = {}) {
    redirect(await startProviderLogin(name));
  }

  // The callback page's `?code=` for the tokens, kept as login() keeps them (cookie mode and DPoP
  // alike). Rejects as login() does with 401 `mfa_required` (finish with loginMfa or
  // loginMfaWithPasskey), with 401 `oidc_code_invalid` (used, expired: sign in again), and with
  // OidcLinkRequiredError when the user must sign in the usual way and link the provider.
  async function finishProviderLogin({ code }) {
    try {
      const { data } = await tokenClient.post(TOKEN_PATH, { code }, loginConfig);
      return startSession(data);
    } catch (error) {
      const body = error.response?.data;
      if (error.response?.status === 403 && body?.code === 'oidc_link_required') {
        throw new OidcLinkRequiredError(body.detail, { cause: error });
      }
      throw error;
    }
  }

  // The provider accounts linked to this account, oldest first.
  async function identities() {
    const { data } = await api.get(IDENTITIES_PATH);
    return data;
  }

  // The authorization URL that links a provider account to this one. A sensitive change: it
  // answers 403 reauthentication_required without a fresh step-up, which onReauthenticate answers.
  async function startLinkProvider(name) {
    const { data } = await api.post(IDENTITIES_PATH, { provider: name }, WITH_COOKIES);
    return data.authorization_url;
  }

  // The callback page's `?code=` of a link flow (`flow=link`); answers the identity. 401
  // oidc_code_invalid, 409 oidc_identity_taken (it signs in to another account).
  async function finishLinkProvider({ code }) {
    const { data } = await api.post(LINK_COMPLETE_PATH, { code });
    return data;
  }

  // Behind a step-up too; 409 last_login_method when it is the account's last way to sign in.
  async function unlinkIdentity(id) {
    await api.delete(`${IDENTITIES_PATH}${encodeURIComponent(id)}/`);
  }

  // Step-up with a fresh sign-in at a provider this account is linked at (400 oidc_no_identity if
  // none): its authorization URL. With the access token, from the session the proof will be for.
  async function startProviderReauthentication(name) {
    const { data } = await api.post(REAUTH_START_PATH, { provider: name }, WITH_COOKIES);
    return data.authorization_url;
  }

  // Leaves the page for the provider: whatever the page was about to change is lost with it, so
  // the app remembers it first (not the proof, which the callback page gets back).
  async function reauthenticateWithProvider(name, { redirect = redirectTo } = {}) {
    redirect(await startProviderReauthentication(name));
  }

  // The callback page's `?code=` of a step-up flow (`flow=reauthenticate`), from the session that
  // started it, for a step-up token kept as reauthenticate() keeps it: the next sensitive change
  // carries it. 400 oidc_code_invalid (used, expired, another session's).
  async function finishProviderReauthentication({ code }) {
    return reauthenticate({ oidc_code: code });
  }

  return {
    oidcProviders,
    startProviderLogin,
    loginWithProvider,
    finishProviderLogin,
    identities,
    startLinkProvider,
    finishLinkProvider,
    unlinkIdentity,
    startProviderReauthentication,
    reauthenticateWithProvider,
    finishProviderReauthentication,
  };
}
