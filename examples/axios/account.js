// The account's calls of the reference client that keep no state of its own: the session list
// (its sessions, ending one or all), and the emailed links (a password reset, an email address's
// verification). The links' calls are anonymous, so they go through the bare instance: a stale
// token in storage neither travels with them nor starts a refresh.

const SESSIONS_PATH = '/api/user/sessions/';
const LOGOUT_ALL_PATH = '/api/user/logout-all/';
const PASSWORD_RESET_PATH = '/api/user/password-reset/';
const PASSWORD_RESET_CONFIRM_PATH = '/api/user/password-reset/confirm/';
const VERIFY_EMAIL_PATH = '/api/user/verify-email/';
const VERIFY_EMAIL_RESEND_PATH = '/api/user/verify-email/resend/';

/**
 * @param {object} client what the calls need of createApi's client
 * @param {import('axios').AxiosInstance} client.api the instance with the interceptors
 * @param {import('axios').AxiosInstance} client.tokenClient the bare one, for the anonymous calls
 * @param {() => Promise<void>} client.logout ends this client's session and clears what it holds
 */
export function accountCalls({ api, tokenClient, logout }) {
  // The caller's live sessions (one per login), newest first:
  // [{id, created_at, last_used_at, user_agent, ip, current}], `current` being this client's.
  async function sessions() {
    const { data } = await api.get(SESSIONS_PATH);
    return data;
  }

  // Ends one of the caller's sessions (a lost device, say): its refresh and access tokens stop
  // working at once. To end this client's own session use logout(), which also clears the cookie.
  async function endSession(id) {
    await api.delete(`${SESSIONS_PATH}${encodeURIComponent(id)}/`);
  }

  // Ends every session of the account, this one included, and every access token issued so far
  // (a lost device whose session is not in the list, a password that may have leaked). logout()
  // then clears what this client still holds: the dead tokens, cookie mode's cookie, the DPoP key.
  async function logoutEverywhere() {
    await api.post(LOGOUT_ALL_PATH);
    await logout();
  }

  // 202 whether or not an account has the address; the answer never says which.
  async function requestPasswordReset(email) {
    await tokenClient.post(PASSWORD_RESET_PATH, { email });
  }

  // uid and token come from the link's route. 204 on success; every earlier session of the
  // account has ended, so log in again. 400 with `code` invalid_token or token_expired (ask
  // for a new link), or `new_password` field errors (Django's password rules).
  async function confirmPasswordReset({ uid, token, newPassword }) {
    await tokenClient.post(PASSWORD_RESET_CONFIRM_PATH, { uid, token, new_password: newPassword });
  }

  // 204 on success; 400 with `code` invalid_token or token_expired.
  async function verifyEmail({ uid, token }) {
    await tokenClient.post(VERIFY_EMAIL_PATH, { uid, token });
  }

  // 202 whether or not an unverified account has the address.
  async function resendVerification(email) {
    await tokenClient.post(VERIFY_EMAIL_RESEND_PATH, { email });
  }

  return {
    sessions,
    endSession,
    logoutEverywhere,
    requestPasswordReset,
    confirmPasswordReset,
    verifyEmail,
    resendVerification,
  };
}
