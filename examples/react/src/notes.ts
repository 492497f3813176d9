// The notes resource: pages that follow the API's `Link` header (RFC 8288), and the writes.
import type { Note } from '@notes/client';

import { api } from './client';

// Generated from the API's schema (../axios/schema.d.ts), never written by hand.
export type { Note };

export interface NotePage {
  notes: Note[];
  /** The URL of the next page (an opaque cursor), or null on the last one. */
  next: string | null;
}

export const PAGE_SIZE = 20;

/** The rel="next" target of a `Link` header, or null. */
export function nextLink(header: string | undefined): string | null {
  for (const part of header?.split(',') ?? []) {
    const match = /<([^>]*)>\s*;\s*rel="?next"?/i.exec(part);
    if (match) return match[1];
  }
  return null;
}

/** The first page of the notes matching `search` (all of them when empty), or the page at `url`. */
export async function notePage({ search = '', url }: { search?: string; url?: string | null }): Promise<NotePage> {
  const response = url
    ? await api.get<Note[]>(url)
    : await api.get<Note[]>('/api/notes/', { params: { page_size: PAGE_SIZE, ...(search ? { search } : {}) } });
  return { notes: response.data, next: nextLink(response.headers.link as string | undefined) };
}

export async function createNote(note: { title: string; content: string }): Promise<Note> {
  return (await api.post<Note>('/api/notes/', note)).data;
}

export async function updateNote(id: number, note: { title: string; content: string }): Promise<Note> {
  return (await api.patch<Note>(`/api/notes/${id}/`, note)).data;
}

export async function deleteNote(id: number): Promise<void> {
  await api.delete(`/api/notes/${id}/`);
}
