// The page PASSWORD_RESET_URL points at (/reset/{uid}/{token} by default).
import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { Link, useParams } from 'react-router';

import { api } from '../client';
import { focusFirstRefused, refusal } from '../errors';
import type { Refusal } from '../errors';
import { Field } from '../Field';

export function ResetPassword() {
  const { uid = '', token = '' } = useParams();
  const [problem, setProblem] = useState<Refusal | null>(null);
  const [done, setDone] = useState(false);

  // A refused link has no field to focus: its message takes the focus once it is on the page.
  useEffect(() => {
    if (problem && Object.keys(problem.fields).length === 0) document.getElementById('reset-problem')?.focus();
  }, [problem]);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    try {
      await api.confirmPasswordReset({ uid, token, newPassword: String(new FormData(event.currentTarget).get('new_password')) });
      setDone(true);
    } catch (error) {
      const refused = refusal(error);
      setProblem(refused);
      focusFirstRefused(refused);
    }
  }

  if (done) {
    return (
      <main>
        <h1>Password changed</h1>
        <p role="status">Every session of the account has ended: sign in with the new password.</p>
        <p>
          <Link to="/login">Sign in</Link>
        </p>
      </main>
    );
  }
  // A used or expired link: the way forward is a new one.
  const linkRefused = problem?.code === 'invalid_token' || problem?.code === 'token_expired';
  return (
    <main>
      <h1>Choose a new password</h1>
      <form onSubmit={submit}>
        {problem && (
          <p id="reset-problem" role="alert" tabIndex={-1}>
            {problem.detail}
            {linkRefused && (
              <>
                {' '}
                <Link to="/forgot-password">Ask for a new link</Link>
              </>
            )}
          </p>
        )}
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
    </main>
  );
}
