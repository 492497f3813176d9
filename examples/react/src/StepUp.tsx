// The step-up dialog. A sensitive change (the email, deleting the account) that the API refuses
// for want of a fresh proof makes the client ask this dialog (through setProofPrompt), which asks
// the user: the password, a code when two-factor login is on, or a passkey when the account has one.
import { isAxiosError } from 'axios';
import { createContext, useCallback, useContext, useEffect, useRef, useState } from 'react';
import type { FormEvent, ReactNode } from 'react';

import type { ReauthenticationProof } from '@notes/client';

import { api, setProofPrompt } from './client';
import { refusal } from './errors';
import type { Refusal } from './errors';
import { Field } from './Field';

interface Asking {
  resolve(proof: ReauthenticationProof): void;
  problem: Refusal | null;
}

interface Means {
  code: boolean;
  passkey: boolean;
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
  const [means, setMeans] = useState<Means>({ code: false, passkey: false });
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
    ]).then(([code, passkey]) => live && setMeans({ code, passkey }));
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
