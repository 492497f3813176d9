import { useState } from 'react';
import type { FormEvent } from 'react';
import { Link } from 'react-router';

import { api } from '../client';
import { focusFirstRefused, refusal } from '../errors';
import type { Refusal } from '../errors';
import { Field } from '../Field';

export function ForgotPassword() {
  const [problem, setProblem] = useState<Refusal | null>(null);
  const [sent, setSent] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    try {
      await api.requestPasswordReset(String(new FormData(event.currentTarget).get('email')));
      setSent(true);
    } catch (error) {
      const refused = refusal(error);
      setProblem(refused);
      focusFirstRefused(refused);
    }
  }

  return (
    <main>
      <h1>Reset your password</h1>
      {sent ? (
        // The API answers the same whether or not the address has an account, and so does this.
        <p role="status">If an account has this address, a link to reset its password is on its way.</p>
      ) : (
        <form onSubmit={submit}>
          {problem && <p role="alert">{problem.detail}</p>}
          <Field name="email" label="Email" type="email" autoComplete="email" required errors={problem?.fields.email} />
          <button type="submit">Send the link</button>
        </form>
      )}
      <p>
        <Link to="/login">Back to sign in</Link>
      </p>
    </main>
  );
}
