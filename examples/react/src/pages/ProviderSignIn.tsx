// The login page's buttons for the OpenID Connect providers the API offers; none when it offers
// none. A click starts the sign-in at the API and leaves for the provider, which sends the
// browser back (through the API) to the callback page.
import { useEffect, useState } from 'react';

import type { OidcProvider } from '@notes/client';

import { api } from '../client';
import { refusal } from '../errors';
import type { Refusal } from '../errors';
import { Problem } from '../Problem';

export function ProviderSignIn({ disabled }: { disabled: boolean }) {
  const [providers, setProviders] = useState<OidcProvider[]>([]);
  const [problem, setProblem] = useState<Refusal | null>(null);
  const [leaving, setLeaving] = useState(false);

  useEffect(() => {
    let live = true;
    // No answer: the password and the passkeys still sign in.
    api.oidcProviders().then(
      (list) => live && setProviders(list),
      () => {},
    );
    return () => {
      live = false;
    };
  }, []);

  async function start(name: string) {
    setLeaving(true);
    setProblem(null);
    try {
      await api.loginWithProvider(name);
    } catch (error) {
      setProblem(refusal(error));
      setLeaving(false);
    }
  }

  if (providers.length === 0) return null;
  return (
    <section aria-labelledby="providers-title">
      <h2 id="providers-title">Or sign in with</h2>
      <Problem problem={problem} id="providers-problem" />
      <p className="actions">
        {providers.map((provider) => (
          <button
            key={provider.name}
            type="button"
            disabled={disabled || leaving}
            onClick={() => void start(provider.name)}
          >
            Sign in with {provider.display_name}
          </button>
        ))}
      </p>
    </section>
  );
}
