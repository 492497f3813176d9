// The calls of the emailed links for the reference client: a password reset and an email
// address's verification. They are anonymous, so they go through the bare instance: a stale token
// in storage neither travels with them nor starts a refresh.

const PASSWORD_RESET_PATH = '/api/user/password-reset/';
const PASSWORD_RESET_CONFIRM_PATH = '/api/user/password-reset/confirm/';
const VERIFY_EMAIL_PATH = '/api/user/verify-email/';
const VERIFY_EMAIL_RESEND_PATH = '/api/user/verify-email/resend/';

/** @param {{tokenClient: import('axios').AxiosInstance}} client createApi's bare instance */
export function emailLinkCalls({ tokenClient }) {
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

  return { requestPasswordReset, confirmPasswordReset, verifyEmail, resendVerification };
}
