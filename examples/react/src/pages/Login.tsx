import { useState } from 'react';
import type { FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';

import { useAuth } from '../auth';
import { refusal } from '../errors';
import type { Refusal } from '../errors';
import { Field } from '../Field';

export function Login() {
  const { login } = useAuth();
  const navigate = useNavigate();
  const [problem, setProblem] = useState<Refusal | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    try {
      await login(String(form.get('username')), String(form.get('password')));
      navigate('/notes', { replace: true });
    } catch (error) {
      setProblem(refusal(error));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main>
      <h1>Sign in</h1>
      <form onSubmit={submit} aria-describedby={problem ? 'login-problem' : undefined}>
        {problem && (
          <p id="login-problem" role="alert">
            {problem.detail}
          </p>
        )}
        <Field name="username" label="Username" autoComplete="username" required errors={problem?.fields.username} />
        <Field
          name="password"
          label="Password"
          type="password"
          autoComplete="current-password"
          required
          errors={problem?.fields.password}
        />
        <button type="submit" disabled={busy}>
          Sign in
        </button>
      </form>
      <p>
        New here? <Link to="/register">Create an account</Link>
      </p>
      <p>
        <Link to="/forgot-password">Forgot your password?</Link>
      </p>
    </main>
  );
}
