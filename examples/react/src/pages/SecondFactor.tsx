// The second step of a login that answered 401 mfa_required: a code of the authenticator app or
// a recovery code, or one of the account's passkeys.
import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { useNavigate } from 'react-router';

import { useAuth } from '../auth';
import { api } from '../client';
import { refusal } from '../errors';
import { Field } from '../Field';
import { useRefusal } from '../useRefusal';

interface Props {
  mfaToken: string;
  /** Back to the password: the login cannot finish (`why`), or the user chose to. */
  onRestart(why: string | null): void;
}

export function SecondFactor({ mfaToken, onRestart }: Props) {
  const { signIn } = useAuth();
  const navigate = useNavigate();
  const { problem, formRef, refuse } = useRefusal();
  const [busy, setBusy] = useState(false);
  const [hasPasskey, setHasPasskey] = useState(false);

  useEffect(() => {
    if (!api.passkeysSupported()) return;
    let current = true;
    // The mfa_required answer does not say whether the account has passkeys; their options do
    // (400 no_passkey otherwise), and asking costs the login no try.
    api.tokenClient.post('/api/token/mfa/passkey/options/', { mfa_token: mfaToken }).then(
      () => current && setHasPasskey(true),
      () => {},
    );
    return () => {
      current = false;
    };
  }, [mfaToken]);

  async function attempt(run: () => Promise<unknown>) {
    setBusy(true);
    try {
      await signIn(run);
      navigate('/notes', { replace: true });
    } catch (error) {
      const refused = refusal(error);
      if (refused.code === 'mfa_token_invalid') return onRestart(refused.detail);
      refuse(error, { codes: { invalid_code: 'code' } });
      setBusy(false);
    }
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const code = String(new FormData(event.currentTarget).get('code'));
    void attempt(() => api.loginMfa(mfaToken, code));
  }

  return (
    <main>
      <h1>Two-factor login</h1>
      <form ref={formRef} onSubmit={submit} aria-describedby="second-factor-help">
        {problem && (
          <p role="alert" tabIndex={-1}>
            {problem.detail}
          </p>
        )}
        <p id="second-factor-help">Enter the code from your authenticator app, or one of your recovery codes.</p>
        <Field
          name="code"
          label="Authentication code or recovery code"
          autoComplete="one-time-code"
          autoFocus
          required
          errors={problem?.fields.code}
        />
        <button type="submit" disabled={busy}>
          Verify
        </button>
        {hasPasskey && (
          <button type="button" disabled={busy} onClick={() => void attempt(() => api.loginMfaWithPasskey(mfaToken))}>
            Use a passkey
          </button>
        )}
      </form>
      <p>
        <button type="button" onClick={() => onRestart(null)}>
          Start over
        </button>
      </p>
    </main>
  );
}
