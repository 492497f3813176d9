// A sensitive change (two-factor, passkeys) needs a fresh proof, never the access token alone:
// the page asks for the password in its own form and trades it here for a step-up token, which
// the client then sends with the change (for 5 minutes). Kept in one place so that a step-up
// dialog (the client's onReauthenticate hook) can take over without touching the pages.
import { api } from './client';

export async function stepUp(password: string): Promise<void> {
  await api.reauthenticate({ password });
}
