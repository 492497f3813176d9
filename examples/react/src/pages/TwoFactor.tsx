// Two-factor login (TOTP): set up behind a step-up (the QR code and the key, then a code of the
// app), the recovery codes shown once, new recovery codes for a code of the app, and turning it off.
// An account without a password (made by a provider sign-in) leaves the password empty: the
// step-up dialog asks for another proof, unless a step-up token is in place already.
import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';

import { api } from '../client';
import { NOT_CONFIRMED } from '../errors';
import { Field } from '../Field';
import { useStepUp } from '../StepUp';
import { stepUp } from '../stepUp';
import { useRefusal } from '../useRefusal';

interface TotpSetup {
  secret: string;
  otpauth_url: string;
  /** The otpauth URL's QR code, an SVG document. */
  qr_svg: string;
}

type Step =
  | { name: 'loading' }
  | { name: 'off' }
  | { name: 'setup'; setup: TotpSetup }
  /** `renewed`: a new set in place of the old one, rather than the first. */
  | { name: 'codes'; codes: readonly string[]; renewed: boolean }
  | { name: 'on' };

export function TwoFactor() {
  const [step, setStep] = useState<Step>({ name: 'loading' });
  const { problem, formRef, refuse, clear, show } = useRefusal();
  const confirmChange = useStepUp();
  // The "New recovery codes" form beside the one that turns two-factor off: a refusal of its own.
  const renewal = useRefusal();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let current = true;
    api
      .get<{ mfa_enabled: boolean }>('/api/user/me/')
      .then(({ data }) => current && setStep(data.mfa_enabled ? { name: 'on' } : { name: 'off' }))
      .catch(refuse);
    return () => {
      current = false;
    };
  }, [refuse]);

  // `run` resolves null when the user closed the step-up dialog.
  async function send(event: FormEvent<HTMLFormElement>, run: (form: FormData) => Promise<Step | null>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    try {
      const next = await run(form);
      if (!next) return show(NOT_CONFIRMED);
      setStep(next);
      clear();
    } catch (error) {
      refuse(error, { codes: { invalid_code: 'code' } });
    } finally {
      setBusy(false);
    }
  }

  const start = (event: FormEvent<HTMLFormElement>) =>
    send(event, async (form) => {
      const password = String(form.get('password') ?? '');
      if (password) await stepUp(password);
      const answer = await confirmChange(() => api.post<TotpSetup>('/api/user/mfa/totp/', {}));
      return answer && { name: 'setup', setup: answer.data };
    });

  const confirm = (event: FormEvent<HTMLFormElement>) =>
    send(event, async (form) => {
      const { data } = await api.post<{ recovery_codes: string[] }>('/api/user/mfa/totp/confirm/', {
        code: form.get('code'),
      });
      return { name: 'codes', codes: data.recovery_codes, renewed: false };
    });

  async function renew(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const code = String(new FormData(event.currentTarget).get('code'));
    setBusy(true);
    try {
      const codes = await api.regenerateRecoveryCodes(code);
      renewal.clear();
      clear();
      setStep({ name: 'codes', codes, renewed: true });
    } catch (error) {
      renewal.refuse(error, { codes: { invalid_code: 'code' } });
    } finally {
      setBusy(false);
    }
  }

  const turnOff = (event: FormEvent<HTMLFormElement>) =>
    send(event, async (form) => {
      await stepUp(String(form.get('password')));
      await api.delete('/api/user/mfa/totp/', { data: { code: form.get('code') } });
      return { name: 'off' };
    });

  const alert = problem && (
    <p role="alert" tabIndex={-1}>
      {problem.detail}
    </p>
  );

  return (
    <main>
      <h1>Two-factor login</h1>
      {step.name === 'loading' && (problem ? alert : <p role="status">Loading…</p>)}

      {step.name === 'off' && (
        <form ref={formRef} onSubmit={start} aria-label="Set up two-factor">
          <p>Two-factor login is off. With it on, signing in also asks for a code of an authenticator app.</p>
          {alert}
          <Field
            name="password"
            label="Current password"
            type="password"
            autoComplete="current-password"
            errors={problem?.fields.password}
          />
          <p>
            No password (you sign in with a provider)? Leave it empty and confirm another way.
          </p>
          <button type="submit" disabled={busy}>
            Set up two-factor
          </button>
        </form>
      )}

      {step.name === 'setup' && (
        <form ref={formRef} onSubmit={confirm} aria-label="Confirm two-factor">
          <p>Scan this QR code with your authenticator app, or type the key into it.</p>
          <img
            src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(step.setup.qr_svg)}`}
            alt="QR code of the two-factor setup"
            width={200}
            height={200}
          />
          <p>
            <a href={step.setup.otpauth_url}>Open in an authenticator app</a>
          </p>
          <Field name="secret" label="Setup key" readOnly value={step.setup.secret} />
          {alert}
          <Field
            name="code"
            label="Code from the app"
            autoComplete="one-time-code"
            inputMode="numeric"
            required
            errors={problem?.fields.code}
          />
          <button type="submit" disabled={busy}>
            Turn on two-factor
          </button>
          {/* The step-up lasts 5 minutes: after that, the setup starts again from the password. */}
          <button
            type="button"
            onClick={() => {
              clear();
              setStep({ name: 'off' });
            }}
          >
            Start again
          </button>
        </form>
      )}

      {step.name === 'codes' && (
        <section aria-labelledby="recovery-heading">
          <h2 id="recovery-heading">Recovery codes</h2>
          <p role="status">
            {step.renewed
              ? 'New recovery codes: the old ones no longer work, and your other sessions have ended.'
              : 'Two-factor login is on.'}{' '}
            Keep these codes somewhere safe: each signs in once in place of a code, and they are shown only now.
          </p>
          <ul aria-label="Recovery codes">
            {step.codes.map((code) => (
              <li key={code}>
                <code>{code}</code>
              </li>
            ))}
          </ul>
          <button type="button" onClick={() => setStep({ name: 'on' })}>
            I saved them
          </button>
        </section>
      )}

      {step.name === 'on' && (
        <form ref={formRef} onSubmit={turnOff} aria-label="Turn off two-factor">
          <p>Two-factor login is on.</p>
          {alert}
          <Field
            name="password"
            label="Current password"
            type="password"
            autoComplete="current-password"
            required
            errors={problem?.fields.password}
          />
          <Field
            name="code"
            label="Authentication code or recovery code"
            autoComplete="one-time-code"
            required
            errors={problem?.fields.code}
          />
          <button type="submit" disabled={busy}>
            Turn off two-factor
          </button>
        </form>
      )}

      {step.name === 'on' && (
        <form ref={renewal.formRef} onSubmit={renew} aria-label="New recovery codes">
          <h2>New recovery codes</h2>
          <p>
            Lost your recovery codes, or used most of them? A code of your authenticator app gets a new set; the old
            ones stop working, and your other sessions end.
          </p>
          {renewal.problem && (
            <p role="alert" tabIndex={-1}>
              {renewal.problem.detail}
            </p>
          )}
          <Field
            id="renew-code"
            name="code"
            label="Code from the app"
            autoComplete="one-time-code"
            inputMode="numeric"
            required
            errors={renewal.problem?.fields.code}
          />
          <button type="submit" disabled={busy}>
            Get new recovery codes
          </button>
        </form>
      )}
    </main>
  );
}
