// The account's passkeys: listed, added (behind a step-up), renamed inline, removed (confirmed
// with the password, a step-up too).
import { useCallback, useEffect, useState } from 'react';
import type { FormEvent } from 'react';

import { api } from '../client';
import { refusal } from '../errors';
import { Field } from '../Field';
import { stepUp } from '../stepUp';
import { useRefusal } from '../useRefusal';

type Passkey = Awaited<ReturnType<typeof api.passkeys>>[number];
type Editing = { id: Passkey['id']; action: 'rename' | 'remove' } | null;

const when = (iso: string) => new Date(iso).toLocaleString();

export function Passkeys() {
  const [passkeys, setPasskeys] = useState<Passkey[] | null>(null);
  const [loadProblem, setLoadProblem] = useState<string | null>(null);
  const [editing, setEditing] = useState<Editing>(null);
  const [busy, setBusy] = useState(false);
  const adding = useRefusal();
  const row = useRefusal();

  const load = useCallback(async () => {
    try {
      setPasskeys(await api.passkeys());
    } catch (error) {
      setLoadProblem(refusal(error).detail);
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  function edit(next: Editing) {
    row.clear();
    setEditing(next);
  }

  async function run(work: () => Promise<void>, refused: (error: unknown) => void) {
    setBusy(true);
    try {
      await work();
      await load();
    } catch (error) {
      refused(error);
    } finally {
      setBusy(false);
    }
  }

  function add(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    void run(
      async () => {
        await stepUp(String(form.get('add-password')));
        await api.registerPasskey({ name: String(form.get('passkey-name')) });
        formElement.reset();
        adding.clear();
      },
      (error) => adding.refuse(error, { fields: { name: 'passkey-name', password: 'add-password' } }),
    );
  }

  function rename(event: FormEvent<HTMLFormElement>, passkey: Passkey) {
    event.preventDefault();
    const name = String(new FormData(event.currentTarget).get('new-name'));
    void run(
      async () => {
        await api.renamePasskey(passkey.id, name);
        edit(null);
      },
      (error) => row.refuse(error, { fields: { name: 'new-name' } }),
    );
  }

  function remove(event: FormEvent<HTMLFormElement>, passkey: Passkey) {
    event.preventDefault();
    const password = String(new FormData(event.currentTarget).get('remove-password'));
    void run(
      async () => {
        await stepUp(password);
        await api.deletePasskey(passkey.id);
        edit(null);
      },
      // 409 last_login_method among them: the account's last way to log in stays.
      (error) => row.refuse(error, { fields: { password: 'remove-password' } }),
    );
  }

  const rowAlert = row.problem && (
    <p role="alert" tabIndex={-1}>
      {row.problem.detail}
    </p>
  );

  return (
    <main>
      <h1>Passkeys</h1>
      <p>A passkey signs you in without a password, and stands in for the code of two-factor login.</p>

      {api.passkeysSupported() ? (
        <form ref={adding.formRef} onSubmit={add} aria-label="Add a passkey">
          {adding.problem && (
            <p role="alert" tabIndex={-1}>
              {adding.problem.detail}
            </p>
          )}
          <Field
            name="passkey-name"
            label="Passkey name"
            placeholder="Laptop"
            maxLength={64}
            errors={adding.problem?.fields['passkey-name']}
          />
          <Field
            name="add-password"
            label="Current password"
            type="password"
            autoComplete="current-password"
            required
            errors={adding.problem?.fields['add-password']}
          />
          <button type="submit" disabled={busy}>
            Add passkey
          </button>
        </form>
      ) : (
        <p>This browser cannot create passkeys.</p>
      )}

      {loadProblem ? (
        <p role="alert">{loadProblem}</p>
      ) : passkeys === null ? (
        <p role="status">Loading…</p>
      ) : passkeys.length === 0 ? (
        <p>No passkeys yet.</p>
      ) : (
        <ul aria-label="Your passkeys">
          {passkeys.map((passkey) => (
            <li key={passkey.id}>
              {editing?.id === passkey.id && editing.action === 'rename' ? (
                <form ref={row.formRef} onSubmit={(event) => rename(event, passkey)} aria-label={`Rename ${passkey.name}`}>
                  {rowAlert}
                  <Field
                    name="new-name"
                    label="New name"
                    defaultValue={passkey.name}
                    maxLength={64}
                    required
                    autoFocus
                    errors={row.problem?.fields['new-name']}
                  />
                  <button type="submit" disabled={busy}>
                    Save
                  </button>
                  <button type="button" onClick={() => edit(null)}>
                    Cancel
                  </button>
                </form>
              ) : (
                <>
                  <h2>{passkey.name}</h2>
                  <p>
                    Added {when(passkey.created_at)}
                    {passkey.last_used_at ? `, last used ${when(passkey.last_used_at)}` : ', never used'}.
                  </p>
                  <button
                    type="button"
                    aria-label={`Rename ${passkey.name}`}
                    onClick={() => edit({ id: passkey.id, action: 'rename' })}
                  >
                    Rename
                  </button>
                  <button
                    type="button"
                    aria-label={`Remove ${passkey.name}`}
                    onClick={() => edit({ id: passkey.id, action: 'remove' })}
                  >
                    Remove
                  </button>
                </>
              )}
              {editing?.id === passkey.id && editing.action === 'remove' && (
                <form ref={row.formRef} onSubmit={(event) => remove(event, passkey)} aria-label={`Remove ${passkey.name}`}>
                  {rowAlert}
                  <p>Remove this passkey? It will no longer sign you in. Confirm with your password.</p>
                  <Field
                    name="remove-password"
                    label="Current password"
                    type="password"
                    autoComplete="current-password"
                    required
                    autoFocus
                    errors={row.problem?.fields['remove-password']}
                  />
                  <button type="submit" disabled={busy}>
                    Remove passkey
                  </button>
                  <button type="button" onClick={() => edit(null)}>
                    Cancel
                  </button>
                </form>
              )}
            </li>
          ))}
        </ul>
      )}
    </main>
  );
}
