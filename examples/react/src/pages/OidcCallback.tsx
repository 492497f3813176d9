// Where a provider sign-in ends (OIDC_FRONTEND_CALLBACK_URL): the API's callback sends the browser
// here with a one-time code. `?code=` finishes a sign-in, or asks for the second factor;
// `?code=&flow=link` finishes linking the provider from the account page; `?code=&flow=reauthenticate`
// finishes a step-up at the provider (the step-up token stays in the client, for this tab's next
// sensitive change) and goes back to the page that asked for it. The code is posted once, and the
// page leaves its URL behind (replace) whatever the answer. A sign-in the API's callback refused
// comes back with `?error=<its code>` (and `&provider_error=` for the provider's own code): said
// here in words, from this page's own texts only, never the query's.
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

const START_AGAIN = 'Start again.';

/** What the API's callback refused (its `?error=`), in words; a generic text for any other code. */
const CALLBACK_REFUSALS: Record<string, string> = {
  oidc_state_used: `This sign-in was finished already (its page was opened again). ${START_AGAIN}`,
  oidc_state_expired: `This sign-in took too long. ${START_AGAIN}`,
  oidc_state_invalid: `This sign-in is unknown to the server. ${START_AGAIN}`,
  oidc_browser_mismatch: 'This sign-in was started in another browser, or this browser did not keep its cookie. Start again here.',
  oidc_provider_refused: `The provider did not sign you in. ${START_AGAIN}`,
  oidc_id_token_invalid: `The provider’s answer could not be verified. ${START_AGAIN}`,
  oidc_identity_mismatch: 'The provider signed in another account than one linked to yours. Sign in there as yourself and try again.',
  oidc_login_not_fresh: 'The provider did not ask you to sign in again. Try again.',
  oidc_tenant_not_allowed: 'Accounts of your organization cannot sign in here.',
  oidc_provider_unavailable: 'The provider cannot be reached right now. Try again in a moment.',
  oidc_provider_unknown: 'This provider is not offered here.',
  throttled: 'Too many sign-in attempts from this network. Wait a minute, then try again.',
};

function callbackRefusal(code: string, providerError: string | null): Refusal {
  if (code === 'oidc_provider_refused' && providerError === 'access_denied') {
    return problemOf(`The sign-in was cancelled at the provider. ${START_AGAIN}`, code);
  }
  const known = Object.hasOwn(CALLBACK_REFUSALS, code);
  return problemOf(known ? CALLBACK_REFUSALS[code] : `The sign-in with the provider did not finish. ${START_AGAIN}`, known ? code : null);
}

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
  const refused = params.get('error');
  const providerError = params.get('provider_error');

  useEffect(() => {
    // After the session on load is restored: a restore that finds none ends this page's session
    // too, which must not happen to the one the code is about to start.
    if (status === 'restoring' || posted.current) return;
    posted.current = true;
    if (refused || !code) {
      // A refused step-up leaves nothing behind for the next one to go back to.
      takeStepUp();
      setProblem(callbackRefusal(refused ?? '', providerError));
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
  }, [status, code, link, reauthenticate, refused, providerError, signIn, navigate]);

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
