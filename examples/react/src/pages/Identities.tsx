// The account page's provider accounts (OpenID Connect): the linked ones, each unlinked behind a
// step-up, and a button per provider to link one, also behind a step-up, which leaves for the
// provider and comes back through the callback page. Not shown when the API offers no provider
// and none is linked.
import { useCallback, useEffect, useState } from 'react';
import { useLocation } from 'react-router';

import { redirectTo } from '@notes/client';
import type { Identity, OidcProvider } from '@notes/client';

import { api } from '../client';
import { NOT_CONFIRMED, refusal } from '../errors';
import type { Refusal } from '../errors';
import { Problem } from '../Problem';
import { useStepUp } from '../StepUp';

const when = (iso: string) => new Date(iso).toLocaleString();

export function Identities() {
  const confirm = useStepUp();
  // Set by the callback page after a link.
  const linked = (useLocation().state as { linked?: unknown } | null)?.linked;
  const [identities, setIdentities] = useState<Identity[] | null>(null);
  const [providers, setProviders] = useState<OidcProvider[]>([]);
  const [problem, setProblem] = useState<Refusal | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const nameOf = useCallback(
    (provider: string) => providers.find((one) => one.name === provider)?.display_name ?? provider,
    [providers],
  );

  const load = useCallback(async () => {
    try {
      const [list, offered] = await Promise.all([api.identities(), api.oidcProviders()]);
      setIdentities(list);
      setProviders(offered);
    } catch (error) {
      setProblem(refusal(error));
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  async function change(run: () => Promise<boolean>) {
    setBusy(true);
    setProblem(null);
    setDone(null);
    try {
      if (!(await run())) setProblem(NOT_CONFIRMED);
    } catch (error) {
      // 409 last_login_method among them: the account's last way to sign in stays.
      setProblem(refusal(error));
    } finally {
      setBusy(false);
    }
  }

  const link = (provider: OidcProvider) =>
    change(async () => {
      const url = await confirm(() => api.startLinkProvider(provider.name));
      if (url === null) return false;
      redirectTo(url);
      return true;
    });

  const unlink = (identity: Identity) =>
    change(async () => {
      if ((await confirm(async () => api.unlinkIdentity(identity.id).then(() => true))) === null) return false;
      setDone(`${nameOf(identity.provider)} is unlinked.`);
      await load();
      return true;
    });

  if (identities !== null && identities.length === 0 && providers.length === 0) return null;
  const justLinked = typeof linked === 'string' && !done && !problem ? `${nameOf(linked)} is linked: you can sign in with it.` : null;
  return (
    <section aria-labelledby="identities-title">
      <h2 id="identities-title">Sign-in providers</h2>
      <Problem problem={problem} id="identities-problem" />
      {(done ?? justLinked) && <p role="status">{done ?? justLinked}</p>}
      {identities === null ? (
        !problem && <p role="status">Loading…</p>
      ) : identities.length === 0 ? (
        <p>No provider account is linked.</p>
      ) : (
        <ul aria-label="Linked provider accounts">
          {identities.map((identity) => (
            <li key={identity.id}>
              {nameOf(identity.provider)}
              {identity.email && ` (${identity.email})`}, linked {when(identity.created_at)}{' '}
              <button type="button" disabled={busy} onClick={() => void unlink(identity)}>
                Unlink {nameOf(identity.provider)}
              </button>
            </li>
          ))}
        </ul>
      )}
      <p className="actions">
        {providers.map((provider) => (
          <button key={provider.name} type="button" disabled={busy} onClick={() => void link(provider)}>
            Link {provider.display_name}
          </button>
        ))}
      </p>
    </section>
  );
}
