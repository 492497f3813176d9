import { useCallback, useEffect, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';

import { useAuth } from '../auth';
import { api } from '../client';
import { mfaTokenOf } from '../errors';
import { Field } from '../Field';
import { useRefusal } from '../useRefusal';
import { ProviderSignIn } from './ProviderSignIn';
import { SecondFactor } from './SecondFactor';

export function Login() {
  const [mfaToken, setMfaToken] = useState<string | null>(null);
  // Why another page sent the user here (a provider sign-in that must start again).
  const sentWith = (useLocation().state as { notice?: unknown } | null)?.notice;
  const [notice, setNotice] = useState<string | null>(typeof sentWith === 'string' ? sentWith : null);
  const restart = useCallback((why: string | null) => {
    setMfaToken(null);
    setNotice(why);
  }, []);

  return mfaToken ? (
    <SecondFactor mfaToken={mfaToken} onRestart={restart} />
  ) : (
    <PasswordStep notice={notice} onMfaRequired={setMfaToken} />
  );
}

function PasswordStep({ notice, onMfaRequired }: { notice: string | null; onMfaRequired(token: string): void }) {
  const { login, signIn } = useAuth();
  const navigate = useNavigate();
  const { problem, formRef, refuse } = useRefusal();
  const [busy, setBusy] = useState(false);
  // Each round offers the passkeys as autofill of the username input again.
  const [round, setRound] = useState(0);
  const autofill = useRef<AbortController | null>(null);
  const done = useCallback(() => navigate('/notes', { replace: true }), [navigate]);

  useEffect(() => {
    const controller = new AbortController();
    autofill.current = controller;
    api
      .passkeyAutofillAvailable()
      .then((available) => {
        if (!available || controller.signal.aborted) return;
        return signIn(() => api.loginWithPasskey({ conditional: true, signal: controller.signal })).then(done);
      })
      .catch((error: unknown) => {
        // Aborted: the password form or the passkey button took over, or the page went away.
        if (!controller.signal.aborted) refuse(error);
      });
    return () => controller.abort();
  }, [round, signIn, done, refuse]);

  async function attempt(run: () => Promise<void>) {
    // The browser runs one WebAuthn request at a time: end the waiting autofill first.
    autofill.current?.abort();
    setBusy(true);
    try {
      await run();
      done();
    } catch (error) {
      const mfaToken = mfaTokenOf(error);
      if (mfaToken) return onMfaRequired(mfaToken);
      refuse(error);
      setBusy(false);
      setRound((n) => n + 1);
    }
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    void attempt(() => login(String(form.get('username')), String(form.get('password'))));
  }

  return (
    <main>
      <h1>Sign in</h1>
      {notice && !problem && <p role="status">{notice}</p>}
      <form ref={formRef} onSubmit={submit} aria-describedby={problem ? 'login-problem' : undefined}>
        {problem && (
          <p id="login-problem" role="alert" tabIndex={-1}>
            {problem.detail}
          </p>
        )}
        <Field
          name="username"
          label="Username"
          autoComplete="username webauthn"
          required
          errors={problem?.fields.username}
        />
        <Field
          name="password"
          label="Password"
          type="password"
          autoComplete="current-password"
          required
          errors={problem?.fields.password}
        />
        <button type="submit" disabled={busy}>
          Sign in
        </button>
      </form>
      {api.passkeysSupported() && (
        <p>
          <button type="button" disabled={busy} onClick={() => void attempt(() => signIn(() => api.loginWithPasskey()))}>
            Sign in with a passkey
          </button>
        </p>
      )}
      <ProviderSignIn disabled={busy} />
      <p>
        New here? <Link to="/register">Create an account</Link>
      </p>
      <p>
        <Link to="/forgot-password">Forgot your password?</Link>
      </p>
    </main>
  );
}
