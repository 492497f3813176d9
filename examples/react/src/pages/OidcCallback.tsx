// Where a provider sign-in ends (OIDC_FRONTEND_CALLBACK_URL): the API's callback sends the browser
// here with a one-time code. `?code=` finishes a sign-in, or asks for the second factor;
// `?code=&flow=link` finishes linking the provider from the account page; `?code=&flow=reauthenticate`
// finishes a step-up at the provider (the step-up token stays in the client, for this tab's next
// sensitive change) and goes back to the page that asked for it. The code is posted once, and the
// page leaves its URL behind (replace) whatever the answer.
import { useEffect, useRef, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';

import { OidcLinkRequiredError } from '@notes/client';

import { useAuth } from '../auth';
import { api } from '../client';
import { mfaTokenOf, refusal } from '../errors';
import type { Refusal } from '../errors';
import { takeStepUp } from '../pendingStepUp';
import type { StepUpDone } from '../pendingStepUp';
import { Problem } from '../Problem';
import { SecondFactor } from './SecondFactor';

const problemOf = (detail: string, code: string | null = null): Refusal => ({ detail, code, fields: {} });

function signInRefusal(error: unknown): Refusal {
  if (error instanceof OidcLinkRequiredError) {
    return problemOf(
      `${error.message} Sign in with your password, then link the provider from your account page.`,
      error.code,
    );
  }
  return refusal(error);
}

export function OidcCallback() {
  const { status, signIn } = useAuth();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [problem, setProblem] = useState<Refusal | null>(null);
  const [mfaToken, setMfaToken] = useState<string | null>(null);
  const posted = useRef(false);
  const code = params.get('code');
  const flow = params.get('flow');
  const link = flow === 'link';
  const reauthenticate = flow === 'reauthenticate';
  const providerError = params.get('error');

  useEffect(() => {
    // After the session on load is restored: a restore that finds none ends this page's session
    // too, which must not happen to the one the code is about to start.
    if (status === 'restoring' || posted.current) return;
    posted.current = true;
    if (!code) {
      setProblem(problemOf(`The sign-in with the provider did not finish${providerError ? ` (${providerError})` : ''}. Try again.`));
    } else if (link && status !== 'signedIn') {
      setProblem(problemOf('Sign in first, then link the provider from your account page.'));
    } else if (reauthenticate && status !== 'signedIn') {
      takeStepUp();
      setProblem(problemOf('Your session ended while you were at the provider. Sign in again, then make the change.'));
    } else if (reauthenticate) {
      api.finishProviderReauthentication({ code }).then(
        () => {
          const pending = takeStepUp();
          const state: StepUpDone = { confirmedWith: pending?.provider ?? 'the provider' };
          navigate(pending?.path ?? '/account', { replace: true, state });
        },
        (error: unknown) => {
          takeStepUp();
          setProblem(refusal(error));
        },
      );
    } else if (link) {
      api.finishLinkProvider({ code }).then(
        (identity) => navigate('/account', { replace: true, state: { linked: identity.provider } }),
        (error: unknown) => setProblem(refusal(error)),
      );
    } else {
      signIn(() => api.finishProviderLogin({ code })).then(
        () => navigate('/notes', { replace: true }),
        (error: unknown) => {
          const token = mfaTokenOf(error);
          if (token) setMfaToken(token);
          else setProblem(signInRefusal(error));
        },
      );
    }
  }, [status, code, link, reauthenticate, providerError, signIn, navigate]);

  if (mfaToken) {
    return (
      <SecondFactor
        mfaToken={mfaToken}
        onRestart={(why) => navigate('/login', { replace: true, state: { notice: why } })}
      />
    );
  }
  return (
    <main>
      <h1>{link ? 'Linking the provider' : reauthenticate ? 'Confirming it is you' : 'Signing in with the provider'}</h1>
      {problem ? (
        <>
          <Problem problem={problem} id="callback-problem" />
          <p>{link || status === 'signedIn' ? <Link to="/account">Back to your account</Link> : <Link to="/login">Back to sign in</Link>}</p>
        </>
      ) : (
        <p role="status">One moment…</p>
      )}
    </main>
  );
}
