// Types of the reference client (api.js), for TypeScript apps under `strict`. The answers are the
// types generated from the API's OpenAPI schema (schema.d.ts, `npm run types`), so that they
// follow the server rather than a copy of it.
import type { AxiosInstance, CreateAxiosDefaults } from 'axios';

import type { DpopKeyStore } from './dpop.js';
import type { OidcCalls } from './oidc.js';
import type { PasskeyCalls } from './passkeys.js';
import type { components } from './schema.js';

export { PasskeyUnsupportedError } from './passkeys.js';
export { OidcLinkRequiredError, redirectTo } from './oidc.js';
export { indexedDbKeyStore, memoryKeyStore } from './dpop.js';
export type { DpopKeyStore } from './dpop.js';
export type { Passkey } from './passkeys.js';
export type { Identity, OidcProvider } from './oidc.js';
/** Every path, operation and component of the API, e.g. `operations['listNotes']`. */
export type { components, operations, paths } from './schema.js';

/** A note as `GET /api/notes/` lists it. */
export type Note = components['schemas']['Note'];

/** What a login keeps; in refresh cookie mode `refresh` is never there. */
export interface Tokens {
  access: string;
  refresh?: string;
}

/** Where the tokens live (memoryStorage(), localStorageStorage(), or your own). */
export interface TokenStorage {
  get(): Tokens | null;
  set(tokens: Tokens): void;
  clear(): void;
}

export function memoryStorage(): TokenStorage;
export function localStorageStorage(prefix?: string, store?: Storage): TokenStorage;

/**
 * What every login answers: `{access}` alone in refresh cookie mode, `token_type: "DPoP"` when the
 * tokens are bound to the client's key.
 */
export type TokenAnswer = components['schemas']['TokenPair'];

/** A step-up's proof, as `onReauthenticate` resolves it; null gives up. */
export type ReauthenticationProof = { password: string } | { code: string } | { passkey: true } | null;

/** A step-up token for this session's sensitive changes, and its seconds to live. */
export type ReauthenticationAnswer = components['schemas']['ReauthToken'];

/** A new set of recovery codes, shown once. */
export type RecoveryCodes = components['schemas']['RecoveryCodes'];

/** One of the caller's sessions (logins), as `GET /api/user/sessions/` lists them. */
export type Session = components['schemas']['Session'];

export interface CreateApiOptions {
  /** The API's origin, e.g. import.meta.env.VITE_API_URL. */
  baseURL: string;
  /** true for a server with JWT_REFRESH_COOKIE=true. */
  refreshCookie?: boolean;
  storage?: TokenStorage;
  onLogout?: (info: { reason: 'logout' | 'refresh_failed' }) => void;
  onReauthenticate?: (() => Promise<ReauthenticationProof>) | null;
  /** Bind the tokens to a non-extractable key of this browser (DPoP, RFC 9449). */
  dpop?: boolean;
  dpopKeyStore?: DpopKeyStore;
  /** What runs the passkey ceremonies: navigator.credentials by default. */
  credentials?: CredentialsContainer;
  publicKeyCredential?: typeof PublicKeyCredential;
  axiosConfig?: CreateAxiosDefaults;
}

export interface NotesApi extends AxiosInstance, PasskeyCalls, OidcCalls {
  login(username: string, password: string): Promise<TokenAnswer>;
  /** The second step of a login that answered 401 `mfa_required` (its body holds the mfa_token). */
  loginMfa(mfaToken: string, code: string): Promise<TokenAnswer>;
  /**
   * New recovery codes for a current code of the authenticator app (POST /api/user/mfa/recovery-codes/):
   * the old ones stop working and every other session ends. 400 `invalid_code` or `mfa_not_enabled`.
   */
  regenerateRecoveryCodes(code: string): Promise<RecoveryCodes['recovery_codes']>;
  reauthenticate(proof: { password: string } | { code: string }): Promise<ReauthenticationAnswer>;
  logout(): Promise<void>;
  /** On page load: true once a session that outlived the page holds an access token again. */
  restore(): Promise<boolean>;
  sessions(): Promise<Session[]>;
  endSession(id: string): Promise<void>;
  /** Ends every session of the account, this one too (POST /api/user/logout-all/), then clears this client. */
  logoutEverywhere(): Promise<void>;
  /** 400 with `old_password` / `new_password` field errors; on success keeps the new tokens. */
  changePassword(change: { oldPassword: string; newPassword: string }): Promise<TokenAnswer>;
  requestPasswordReset(email: string): Promise<void>;
  confirmPasswordReset(link: { uid: string; token: string; newPassword: string }): Promise<void>;
  verifyEmail(link: { uid: string; token: string }): Promise<void>;
  resendVerification(email: string): Promise<void>;
  isAuthenticated(): boolean;
  /** The instance the token endpoints go through, without the refresh interceptor. */
  tokenClient: AxiosInstance;
}

export function createApi(options: CreateApiOptions): NotesApi;
