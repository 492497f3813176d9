import { useState } from 'react';
import type { FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';

import { useAuth } from '../auth';
import { api } from '../client';
import { refusal } from '../errors';
import type { Refusal } from '../errors';
import { Field } from '../Field';

export function Register() {
  const { login } = useAuth();
  const navigate = useNavigate();
  const [problem, setProblem] = useState<Refusal | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const username = String(form.get('username'));
    const password = String(form.get('password'));
    const email = String(form.get('email') ?? '').trim();
    try {
      await api.tokenClient.post('/api/user/register/', { username, password, ...(email ? { email } : {}) });
      await login(username, password);
      navigate('/notes', { replace: true });
    } catch (error) {
      const refused = refusal(error);
      setProblem(refused);
      // Focus the first field the API refused, so the keyboard lands on what to fix.
      const first = Object.keys(refused.fields)[0];
      if (first) document.getElementById(first)?.focus();
    }
  }

  return (
    <main>
      <h1>Create an account</h1>
      <form onSubmit={submit}>
        {problem && <p role="alert">{problem.detail}</p>}
        <Field name="username" label="Username" autoComplete="username" required errors={problem?.fields.username} />
        <Field
          name="email"
          label="Email (optional, for password resets)"
          type="email"
          autoComplete="email"
          errors={problem?.fields.email}
        />
        <Field
          name="password"
          label="Password (15 characters or more)"
          type="password"
          autoComplete="new-password"
          required
          errors={problem?.fields.password}
        />
        <button type="submit">Create account</button>
      </form>
      <p>
        Have an account? <Link to="/login">Sign in</Link>
      </p>
    </main>
  );
}
