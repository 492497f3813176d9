import { useCallback, useEffect, useState } from 'react';
import type { FormEvent } from 'react';

import { focusFirstRefused, refusal } from '../errors';
import type { Refusal } from '../errors';
import { Field } from '../Field';
import { createNote, deleteNote, notePage, updateNote } from '../notes';
import type { Note } from '../notes';

function fieldsOf(form: HTMLFormElement) {
  const data = new FormData(form);
  return { title: String(data.get('title') ?? ''), content: String(data.get('content') ?? '') };
}

/** One note, shown or edited in place. */
function NoteItem({ note, onSaved, onDeleted }: { note: Note; onSaved(note: Note): void; onDeleted(): void }) {
  const [editing, setEditing] = useState(false);
  const [problem, setProblem] = useState<Refusal | null>(null);
  const idOf = (field: string) => `note-${note.id}-${field}`;

  async function save(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    try {
      onSaved(await updateNote(note.id, fieldsOf(event.currentTarget)));
      setProblem(null);
      setEditing(false);
    } catch (error) {
      const refused = refusal(error);
      setProblem(refused);
      focusFirstRefused(refused, idOf);
    }
  }

  async function remove() {
    try {
      await deleteNote(note.id);
      onDeleted();
    } catch (error) {
      setProblem(refusal(error));
    }
  }

  if (editing) {
    return (
      <li>
        <form onSubmit={save} aria-label={`Edit ${note.title}`}>
          {problem && <p role="alert">{problem.detail}</p>}
          <Field id={idOf('title')} name="title" label="Title" defaultValue={note.title} required errors={problem?.fields.title} />
          <Field id={idOf('content')} name="content" label="Content" defaultValue={note.content} required errors={problem?.fields.content} />
          <button type="submit">Save</button>
          <button type="button" onClick={() => setEditing(false)}>
            Cancel
          </button>
        </form>
      </li>
    );
  }
  return (
    <li>
      <h2>{note.title}</h2>
      <p>{note.content}</p>
      <p className="meta">
        <time dateTime={note.created_at}>{new Date(note.created_at).toLocaleString()}</time>
      </p>
      {problem && <p role="alert">{problem.detail}</p>}
      <button type="button" onClick={() => setEditing(true)} aria-label={`Edit ${note.title}`}>
        Edit
      </button>{' '}
      <button type="button" onClick={() => void remove()} aria-label={`Delete ${note.title}`}>
        Delete
      </button>
    </li>
  );
}

export function Notes() {
  const [notes, setNotes] = useState<Note[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [search, setSearch] = useState('');
  const [problem, setProblem] = useState<Refusal | null>(null);
  const [loadProblem, setLoadProblem] = useState<Refusal | null>(null);

  const load = useCallback(async (query: string) => {
    try {
      const page = await notePage({ search: query });
      setNotes(page.notes);
      setNext(page.next);
      setLoadProblem(null);
    } catch (error) {
      setLoadProblem(refusal(error));
    }
  }, []);

  useEffect(() => {
    void load(search);
  }, [load, search]);

  async function loadMore() {
    try {
      const page = await notePage({ url: next });
      // A note deleted meanwhile never shifts a cursor page, but one could be on both pages
      // if it was added between the two calls: keep the first copy.
      setNotes((shown) => {
        const seen = new Set(shown?.map((note) => note.id));
        return [...(shown ?? []), ...page.notes.filter((note) => !seen.has(note.id))];
      });
      setNext(page.next);
    } catch (error) {
      setLoadProblem(refusal(error));
    }
  }

  async function create(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    try {
      await createNote(fieldsOf(form));
      form.reset();
      setProblem(null);
      await load(search);
    } catch (error) {
      const refused = refusal(error);
      setProblem(refused);
      focusFirstRefused(refused);
    }
  }

  function searchFor(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSearch(String(new FormData(event.currentTarget).get('search') ?? '').trim());
  }

  return (
    <main>
      <h1>Notes</h1>
      <form onSubmit={create} aria-label="New note">
        {problem && <p role="alert">{problem.detail}</p>}
        <Field name="title" label="Title" required errors={problem?.fields.title} />
        <Field name="content" label="Content" required errors={problem?.fields.content} />
        <button type="submit">Add note</button>
      </form>
      <search>
        <form onSubmit={searchFor} aria-label="Search notes">
          <p className="field">
            <label htmlFor="search">Search</label>
            <input id="search" name="search" type="search" defaultValue={search} />
          </p>
          <button type="submit">Search</button>
        </form>
      </search>
      {loadProblem && <p role="alert">{loadProblem.detail}</p>}
      {notes === null ? (
        <p role="status">Loading…</p>
      ) : notes.length === 0 ? (
        <p role="status">{search ? `No notes match “${search}”.` : 'No notes yet.'}</p>
      ) : (
        <ul aria-label="Your notes">
          {notes.map((note) => (
            <NoteItem
              key={note.id}
              note={note}
              onSaved={(saved) => setNotes((shown) => shown?.map((item) => (item.id === saved.id ? saved : item)) ?? null)}
              onDeleted={() => setNotes((shown) => shown?.filter((item) => item.id !== note.id) ?? null)}
            />
          ))}
        </ul>
      )}
      {next && (
        <button type="button" onClick={() => void loadMore()}>
          Load more
        </button>
      )}
    </main>
  );
}
