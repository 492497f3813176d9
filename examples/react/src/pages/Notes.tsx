import { useCallback, useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { Link } from 'react-router';

import { useAuth } from '../auth';
import { api } from '../client';
import { refusal } from '../errors';
import type { Refusal } from '../errors';
import { Field } from '../Field';

interface Note {
  id: number;
  title: string;
  content: string;
  created_at: string;
}

export function Notes() {
  const { logout } = useAuth();
  const [notes, setNotes] = useState<Note[] | null>(null);
  const [problem, setProblem] = useState<Refusal | null>(null);

  const load = useCallback(async () => {
    try {
      setNotes((await api.get<Note[]>('/api/notes/')).data);
    } catch (error) {
      setProblem(refusal(error));
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  async function create(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    try {
      await api.post('/api/notes/', { title: form.get('title'), content: form.get('content') });
      formElement.reset();
      setProblem(null);
      await load();
    } catch (error) {
      setProblem(refusal(error));
    }
  }

  async function remove(note: Note) {
    await api.delete(`/api/notes/${note.id}/`);
    await load();
  }

  return (
    <main>
      <header>
        <h1>Notes</h1>
        <nav aria-label="Sign-in security">
          <Link to="/account/two-factor">Two-factor</Link> <Link to="/account/passkeys">Passkeys</Link>
        </nav>
        <button type="button" onClick={() => void logout()}>
          Sign out
        </button>
      </header>
      <form onSubmit={create} aria-label="New note">
        {problem && <p role="alert">{problem.detail}</p>}
        <Field name="title" label="Title" required errors={problem?.fields.title} />
        <Field name="content" label="Content" required errors={problem?.fields.content} />
        <button type="submit">Add note</button>
      </form>
      {notes === null ? (
        <p>Loading…</p>
      ) : notes.length === 0 ? (
        <p>No notes yet.</p>
      ) : (
        <ul aria-label="Your notes">
          {notes.map((note) => (
            <li key={note.id}>
              <h2>{note.title}</h2>
              <p>{note.content}</p>
              <button type="button" onClick={() => void remove(note)} aria-label={`Delete ${note.title}`}>
                Delete
              </button>
            </li>
          ))}
        </ul>
      )}
    </main>
  );
}
