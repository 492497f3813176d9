// A step-up at the provider leaves the page, and the change that asked for it with it: before
// leaving, the dialog remembers where the user was (never a secret: the path, and the provider's
// name to thank), and the callback page, once it holds the step-up token, sends the user back
// there to make the change again. sessionStorage: this tab only, gone with it.
const KEY = 'notes.pendingStepUp';

export interface PendingStepUp {
  /** The page that asked for the proof, with its query. */
  path: string;
  /** The display name of the provider the user confirmed with. */
  provider: string;
}

/** What a page shows, from the route's state, when the user comes back to it after the provider. */
export interface StepUpDone {
  confirmedWith: string;
}

export function rememberStepUp(pending: PendingStepUp): void {
  sessionStorage.setItem(KEY, JSON.stringify(pending));
}

/** The remembered step-up, forgotten as it is read; null if there is none or it is not ours. */
export function takeStepUp(): PendingStepUp | null {
  const raw = sessionStorage.getItem(KEY);
  sessionStorage.removeItem(KEY);
  try {
    const pending: unknown = raw && JSON.parse(raw);
    if (!pending || typeof pending !== 'object') return null;
    const { path, provider } = pending as Record<string, unknown>;
    // Only a path of this app: the stored value must not send the user to another site (`//host`
    // and `/\host` are other sites to a browser).
    if (typeof path !== 'string' || !path.startsWith('/') || /^\/[/\\]/.test(path)) return null;
    return { path, provider: typeof provider === 'string' ? provider : 'the provider' };
  } catch {
    return null;
  }
}
