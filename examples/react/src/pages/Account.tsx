import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { useNavigate } from 'react-router';

import { useAuth } from '../auth';
import { api } from '../client';
import { NOT_CONFIRMED, refusal } from '../errors';
import type { Refusal } from '../errors';
import { Field } from '../Field';
import { Problem } from '../Problem';
import { useStepUp } from '../StepUp';
import { Identities } from './Identities';

interface AccountData {
  id: number;
  username: string;
  email: string;
  email_verified: boolean;
  pending_email: string;
  date_joined: string;
  mfa_enabled: boolean;
}

export function Account() {
  const [account, setAccount] = useState<AccountData | null>(null);
  const [problem, setProblem] = useState<Refusal | null>(null);

  useEffect(() => {
    let live = true;
    api.get<AccountData>('/api/user/me/').then(
      ({ data }) => live && setAccount(data),
      (error: unknown) => live && setProblem(refusal(error)),
    );
    return () => {
      live = false;
    };
  }, []);

  return (
    <main>
      <h1>Account</h1>
      {problem && <p role="alert">{problem.detail}</p>}
      {account ? <Profile account={account} /> : !problem && <p role="status">Loading…</p>}
      <PasswordForm />
      {account && <EmailForm account={account} onChanged={setAccount} />}
      <Identities />
      <DeleteAccount />
    </main>
  );
}

function Profile({ account }: { account: AccountData }) {
  return (
    <section aria-labelledby="profile-title">
      <h2 id="profile-title">Profile</h2>
      <dl>
        <dt>Username</dt>
        <dd>{account.username}</dd>
        <dt>Email</dt>
        <dd>
          {account.email ? `${account.email} (${account.email_verified ? 'verified' : 'not verified'})` : 'none'}
        </dd>
        {account.pending_email && (
          <>
            <dt>Pending email</dt>
            <dd>{account.pending_email}</dd>
          </>
        )}
        <dt>Two-factor login</dt>
        <dd>{account.mfa_enabled ? 'on' : 'off'}</dd>
      </dl>
    </section>
  );
}

function PasswordForm() {
  const [problem, setProblem] = useState<Refusal | null>(null);
  const [changed, setChanged] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    setChanged(false);
    try {
      // The answer holds this session's new tokens, which the client keeps: no new sign-in.
      await api.changePassword({
        oldPassword: String(form.get('old_password')),
        newPassword: String(form.get('new_password')),
      });
      formElement.reset();
      setProblem(null);
      setChanged(true);
    } catch (error) {
      setProblem(refusal(error));
    }
  }

  return (
    <form onSubmit={submit} aria-labelledby="password-title">
      <h2 id="password-title">Change password</h2>
      <Problem problem={problem} id="password-problem" />
      {changed && <p role="status">Password changed. Your other devices are signed out.</p>}
      <Field
        name="old_password"
        label="Current password"
        type="password"
        autoComplete="current-password"
        required
        errors={problem?.fields.old_password}
      />
      <Field
        name="new_password"
        label="New password (15 characters or more)"
        type="password"
        autoComplete="new-password"
        required
        errors={problem?.fields.new_password}
      />
      <button type="submit">Change password</button>
    </form>
  );
}

function EmailForm({ account, onChanged }: { account: AccountData; onChanged(account: AccountData): void }) {
  const confirm = useStepUp();
  const [problem, setProblem] = useState<Refusal | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const email = String(new FormData(formElement).get('email'));
    try {
      const answer = await confirm(() => api.patch<AccountData>('/api/user/me/', { email }));
      if (!answer) {
        setProblem(NOT_CONFIRMED);
        return;
      }
      formElement.reset();
      setProblem(null);
      onChanged(answer.data);
    } catch (error) {
      setProblem(refusal(error));
    }
  }

  return (
    <form onSubmit={submit} aria-labelledby="email-title">
      <h2 id="email-title">Change email</h2>
      <Problem problem={problem} id="email-problem" />
      {account.pending_email && (
        <p role="status">
          Pending: {account.pending_email} until you click the link we mailed to it. Until then your
          address stays {account.email || 'unset'}.
        </p>
      )}
      <Field name="email" label="New email" type="email" autoComplete="email" required errors={problem?.fields.email} />
      <button type="submit">Change email</button>
    </form>
  );
}

function DeleteAccount() {
  const confirm = useStepUp();
  const { logout } = useAuth();
  const navigate = useNavigate();
  const [problem, setProblem] = useState<Refusal | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    try {
      if (!(await confirm(() => api.delete('/api/user/me/')))) {
        setProblem(NOT_CONFIRMED);
        return;
      }
    } catch (error) {
      setProblem(refusal(error));
      return;
    }
    // The account's sessions died with it; this clears what the page still holds.
    await logout().catch(() => undefined);
    navigate('/login', { replace: true });
  }

  return (
    <form onSubmit={submit} aria-labelledby="delete-title">
      <h2 id="delete-title">Delete account</h2>
      <Problem problem={problem} id="delete-problem" />
      <Field name="confirm_delete" label="Yes, delete my account and all my notes" type="checkbox" required />
      <button type="submit">Delete account</button>
    </form>
  );
}
