// The step-up dialog. A sensitive change (the email, deleting the account) that the API refuses
// for want of a fresh proof makes the client ask this dialog (through setProofPrompt), which asks
// the user: the password, a code when two-factor login is on, a passkey when the account has one, or
// a fresh sign-in at a provider the account is linked at. That one leaves the page: the dialog
// remembers where the user was (pendingStepUp.ts), and the callback page brings them back there
// with the step-up token in place, to make the change again (it is not replayed by itself: the
// user makes it knowing what it is, and the form of a page that has reloaded is gone anyway).
import { isAxiosError } from 'axios';
import { createContext, useCallback, useContext, useEffect, useRef, useState } from 'react';
import type { FormEvent, ReactNode } from 'react';

import type { OidcProvider, ReauthenticationProof } from '@notes/client';

import { api, setProofPrompt } from './client';
import { refusal } from './errors';
import type { Refusal } from './errors';
import { Field } from './Field';
import { rememberStepUp, takeStepUp } from './pendingStepUp';

interface Asking {
  resolve(proof: ReauthenticationProof): void;
  problem: Refusal | null;
}

interface Means {
  code: boolean;
  passkey: boolean;
  /** The providers the account is linked at, to sign in at again. */
  providers: OidcProvider[];
}

const NO_MEANS: Means = { code: false, passkey: false, providers: [] };

// The offered providers that the account has a linked account at, in the server's order.
async function linkedProviders(): Promise<OidcProvider[]> {
  const [identities, offered] = await Promise.all([api.identities(), api.oidcProviders()]);
  return offered.filter((provider) => identities.some((identity) => identity.provider === provider.name));
}

/** Runs a sensitive change, asking for a proof as often as one is refused; null if the user gave up. */
type Confirm = <T>(change: () => Promise<T>) => Promise<T | null>;

const StepUpContext = createContext<Confirm | null>(null);

// What made a step-up fail, to show in the dialog when it asks again; null for any other error.
function stepUpRefusal(error: unknown): Refusal | null {
  if (error instanceof Error && error.name === 'NotAllowedError') {
    return { detail: 'The passkey was not used. Try again, or use your password.', code: null, fields: {} };
  }
  const url = isAxiosError(error) ? (error.config?.url ?? '') : '';
  if (!url.includes('/api/user/reauthenticate/') || !isAxiosError(error) || error.response?.status !== 400) return null;
  const refused = refusal(error);
  return refused.code === 'invalid_code' ? { ...refused, fields: { code: [refused.detail] } } : refused;
}

export function StepUpProvider({ children }: { children: ReactNode }) {
  const [asking, setAsking] = useState<Asking | null>(null);
  const [means, setMeans] = useState<Means>(NO_MEANS);
  const [leaving, setLeaving] = useState(false);
  const current = useRef<Asking | null>(null);
  // The refusal of the last proof, shown when the change, sent again, asks for another.
  const refused = useRef<Refusal | null>(null);
  const dialog = useRef<HTMLDialogElement>(null);
  const form = useRef<HTMLFormElement>(null);

  const answer = useCallback((proof: ReauthenticationProof) => {
    const open = current.current;
    current.current = null;
    setAsking(null);
    open?.resolve(proof);
  }, []);

  useEffect(
    () =>
      setProofPrompt(
        () =>
          new Promise<ReauthenticationProof>((resolve) => {
            current.current?.resolve(null);
            const next = { resolve, problem: refused.current };
            refused.current = null;
            current.current = next;
            setAsking(next);
          }),
      ),
    [],
  );

  // The refusal does not say which proofs the account has: the account and its passkeys do.
  useEffect(() => {
    if (!asking) return;
    let live = true;
    Promise.all([
      api.get<{ mfa_enabled: boolean }>('/api/user/me/').then(({ data }) => data.mfa_enabled, () => false),
      api.passkeysSupported() ? api.passkeys().then((list) => list.length > 0, () => false) : false,
      linkedProviders().catch(() => []),
    ]).then(([code, passkey, providers]) => live && setMeans({ code, passkey, providers }));
    return () => {
      live = false;
    };
  }, [asking]);

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (!asking) {
      if (element.open) element.close();
      return;
    }
    if (!element.open) element.showModal();
    const fields = form.current?.elements;
    const first = Object.keys(asking.problem?.fields ?? {})
      .map((name) => fields?.namedItem(name))
      .find((item) => item instanceof HTMLInputElement);
    const target = first ?? (asking.problem ? document.getElementById('stepup-problem') : fields?.namedItem('password'));
    if (target instanceof HTMLElement) target.focus();
  }, [asking]);

  const confirm = useCallback<Confirm>(async (change) => {
    refused.current = null;
    for (;;) {
      try {
        return await change();
      } catch (error) {
        const why = stepUpRefusal(error);
        if (why) {
          refused.current = why;
          continue;
        }
        if (refusal(error).code === 'reauthentication_required') return null;
        throw error;
      }
    }
  }, []);

  // Leaves for the provider; the open request is left unanswered, as the page goes with it.
  async function atProvider(provider: OidcProvider) {
    setLeaving(true);
    rememberStepUp({ path: `${location.pathname}${location.search}`, provider: provider.display_name });
    try {
      await api.reauthenticateWithProvider(provider.name);
    } catch (error) {
      // Not leaving after all (503 oidc_provider_unavailable, say): nothing to come back to.
      takeStepUp();
      setLeaving(false);
      const next = { resolve: asking!.resolve, problem: refusal(error) };
      current.current = next;
      setAsking(next);
    }
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const code = String(data.get('code') ?? '').trim();
    const password = String(data.get('password') ?? '');
    if (code) answer({ code });
    else if (password) answer({ password });
    else {
      const missing = 'Enter your password.';
      const next = { resolve: asking!.resolve, problem: { detail: missing, code: null, fields: { password: [missing] } } };
      current.current = next;
      setAsking(next);
    }
  }

  const problem = asking?.problem;
  return (
    <StepUpContext.Provider value={confirm}>
      {children}
      <dialog ref={dialog} aria-labelledby="stepup-title" className="stepup" onCancel={() => answer(null)}>
        {asking && (
          <form ref={form} onSubmit={submit} noValidate>
            <h2 id="stepup-title">Confirm it is you</h2>
            <p>This change needs a fresh proof that you are the account's owner.</p>
            {problem && (
              <p id="stepup-problem" role="alert" tabIndex={-1}>
                {problem.detail}
              </p>
            )}
            <Field
              name="password"
              label="Password"
              type="password"
              autoComplete="current-password"
              errors={problem?.fields.password}
            />
            {means.code && (
              <Field
                name="code"
                label="Or a code from your authenticator app, or a recovery code"
                autoComplete="one-time-code"
                errors={problem?.fields.code}
              />
            )}
            <p className="actions">
              <button type="submit">Confirm</button>
              {means.passkey && (
                <button type="button" onClick={() => answer({ passkey: true })}>
                  Use a passkey
                </button>
              )}
              {means.providers.map((provider) => (
                <button key={provider.name} type="button" disabled={leaving} onClick={() => void atProvider(provider)}>
                  Confirm with {provider.display_name}
                </button>
              ))}
              <button type="button" onClick={() => answer(null)}>
                Cancel
              </button>
            </p>
          </form>
        )}
      </dialog>
    </StepUpContext.Provider>
  );
}

export function useStepUp(): Confirm {
  const confirm = useContext(StepUpContext);
  if (!confirm) throw new Error('useStepUp needs a StepUpProvider');
  return confirm;
}
