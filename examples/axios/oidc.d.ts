// Types of oidc.js: sign-in with, and links to, OpenID Connect providers.
import type { ReauthenticationAnswer, TokenAnswer } from './api.js';
import type { components } from './schema.js';

/** finishProviderLogin's refusal when an account has the identity's verified email: sign in there and link it. */
export class OidcLinkRequiredError extends Error {
  code: 'oidc_link_required';
  /** The API's 403 answer. */
  response?: import('axios').AxiosResponse<components['schemas']['Error403']>;
}

/** Sends the page to `url` (window.location.assign). */
export function redirectTo(url: string): void;

/** A provider to offer on the login page. */
export type OidcProvider = components['schemas']['Provider'];

/** A provider account linked to the caller's account; its `id` is a number. */
export type Identity = components['schemas']['Identity'];

export interface OidcCalls {
  /** The configured providers (GET /api/oidc/providers/), in the server's order. */
  oidcProviders(): Promise<OidcProvider[]>;
  /** Starts a sign-in (with credentials: the answer sets the browser's binding cookie); the provider's URL. */
  startProviderLogin(name: string): Promise<string>;
  /** startProviderLogin, then `redirect` (redirectTo by default) to the provider. */
  loginWithProvider(name: string, options?: { redirect?: (url: string) => void }): Promise<void>;
  /**
   * The callback page's `?code=` for the tokens, kept as login() keeps them. Rejects with 401
   * `mfa_required` as login() does, 401 `oidc_code_invalid`, or OidcLinkRequiredError.
   */
  finishProviderLogin(callback: { code: string }): Promise<TokenAnswer>;
  identities(): Promise<Identity[]>;
  /** Starts linking a provider to this account (behind a step-up); the provider's URL. */
  startLinkProvider(name: string): Promise<string>;
  /** The callback page's `?code=` of a link flow (`flow=link`); 401 `oidc_code_invalid`, 409 `oidc_identity_taken`. */
  finishLinkProvider(callback: { code: string }): Promise<Identity>;
  /** Behind a step-up; 409 `last_login_method` for the account's last way to sign in. */
  unlinkIdentity(id: Identity['id'] | string): Promise<void>;
  /**
   * Starts a step-up with a fresh sign-in at a provider this account is linked at (with
   * credentials, for the binding cookie); the provider's URL. 400 `oidc_no_identity`.
   */
  startProviderReauthentication(name: string): Promise<string>;
  /** startProviderReauthentication, then `redirect` (redirectTo by default) to the provider. */
  reauthenticateWithProvider(name: string, options?: { redirect?: (url: string) => void }): Promise<void>;
  /**
   * The callback page's `?code=` of a step-up flow (`flow=reauthenticate`) for a step-up token,
   * kept as reauthenticate() keeps it. 400 `oidc_code_invalid`.
   */
  finishProviderReauthentication(callback: { code: string }): Promise<ReauthenticationAnswer>;
}
