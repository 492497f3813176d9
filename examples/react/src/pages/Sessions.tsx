import { useCallback, useEffect, useState } from 'react';

import type { Session } from '@notes/client';

import { When } from '../AccountNav';
import { api } from '../client';
import { refusal } from '../errors';
import type { Refusal } from '../errors';

export function Sessions() {
  const [sessions, setSessions] = useState<Session[] | null>(null);
  const [problem, setProblem] = useState<Refusal | null>(null);

  const load = useCallback(async () => {
    try {
      setSessions(await api.sessions());
    } catch (error) {
      setProblem(refusal(error));
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  async function end(session: Session) {
    try {
      await api.endSession(session.id);
      setProblem(null);
    } catch (error) {
      setProblem(refusal(error));
    }
    await load();
  }

  async function endAll() {
    try {
      // Ends this session too: the auth context hears of it and the login page follows.
      await api.logoutEverywhere();
    } catch (error) {
      setProblem(refusal(error));
    }
  }

  return (
    <main>
      <h1>Sessions</h1>
      <p>Each sign-in is a session. End one you do not recognise, or a device you lost.</p>
      {problem && <p role="alert">{problem.detail}</p>}
      {sessions === null ? (
        !problem && <p role="status">Loading…</p>
      ) : (
        <ul aria-label="Your sessions">
          {sessions.map((session) => {
            const device = session.user_agent || 'Unknown device';
            return (
              <li key={session.id}>
                <h2>
                  {device}
                  {session.current && <strong> (this device)</strong>}
                </h2>
                <p>
                  IP {session.ip ?? 'unknown'} · signed in <When at={session.created_at} /> · last used{' '}
                  <When at={session.last_used_at} />
                </p>
                {!session.current && (
                  <button
                    type="button"
                    onClick={() => void end(session)}
                    aria-label={`End the session of ${device}, last used ${new Date(session.last_used_at).toLocaleString()}`}
                  >
                    End
                  </button>
                )}
              </li>
            );
          })}
        </ul>
      )}
      <button type="button" onClick={() => void endAll()}>
        Sign out everywhere
      </button>
    </main>
  );
}
