// Types of passkeys.js: WebAuthn registration, login, second factor and step-up.
import type { ReauthenticationAnswer, TokenAnswer } from './api.js';
import type { components } from './schema.js';

/** Thrown when this browser cannot run the ceremony (no WebAuthn, or no autofill for conditional). */
export class PasskeyUnsupportedError extends Error {}

/** One of the caller's passkeys; its `id` is a number. */
export type Passkey = components['schemas']['Passkey'];

export interface PasskeyCalls {
  /** Registers a passkey of this browser (behind a step-up, which onReauthenticate answers). */
  registerPasskey(options?: { name?: string; signal?: AbortSignal }): Promise<Passkey>;
  /** A passwordless login: from a button, or `conditional` as autofill of the username input. */
  loginWithPasskey(options?: { conditional?: boolean; signal?: AbortSignal }): Promise<TokenAnswer>;
  /** Finishes a login that answered 401 `mfa_required` with a passkey in place of a code. */
  loginMfaWithPasskey(mfaToken: string, options?: { signal?: AbortSignal }): Promise<TokenAnswer>;
  reauthenticateWithPasskey(options?: { signal?: AbortSignal }): Promise<ReauthenticationAnswer>;
  passkeys(): Promise<Passkey[]>;
  /** `id` as the passkey has it, or as a string (a route parameter, say). */
  renamePasskey(id: Passkey['id'] | string, name: string): Promise<Passkey>;
  deletePasskey(id: Passkey['id'] | string): Promise<void>;
  passkeysSupported(): boolean;
  passkeyAutofillAvailable(): Promise<boolean>;
}
