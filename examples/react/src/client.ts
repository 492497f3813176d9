// The one API client of the app, built from the build's settings (.env.local).
import { createApi, localStorageStorage, memoryStorage } from '@notes/client';
import type { ReauthenticationProof } from '@notes/client';

export type TokenMode = 'bearer' | 'cookie' | 'dpop';

export const tokenMode: TokenMode = import.meta.env.VITE_TOKEN_MODE ?? 'bearer';
const apiUrl = import.meta.env.VITE_API_URL ?? 'http://localhost:8000';

// Listeners of the session's end (a refused refresh, a logout), for the auth context.
const loggedOut = new Set<() => void>();
export const onLoggedOut = (listener: () => void): (() => void) => {
  loggedOut.add(listener);
  return () => loggedOut.delete(listener);
};

// Whoever asks the user for a fresh proof when a sensitive change needs one (the step-up dialog of
// StepUp.tsx, once mounted); with no one to ask, the change is refused as the API refused it.
type ProofPrompt = () => Promise<ReauthenticationProof>;
let askForProof: ProofPrompt | null = null;
export const setProofPrompt = (prompt: ProofPrompt): (() => void) => {
  askForProof = prompt;
  return () => {
    if (askForProof === prompt) askForProof = null;
  };
};

export const api = createApi({
  baseURL: apiUrl,
  refreshCookie: tokenMode === 'cookie',
  dpop: tokenMode === 'dpop',
  // Cookie mode keeps the access token in memory and restores it from the cookie; the other modes
  // keep the tokens across reloads in localStorage (with DPoP, worthless without the key).
  storage: tokenMode === 'cookie' ? memoryStorage() : localStorageStorage('notes.'),
  onLogout: () => loggedOut.forEach((listener) => listener()),
  onReauthenticate: () => (askForProof ? askForProof() : Promise.resolve(null)),
  axiosConfig: { timeout: 20_000 },
});
