import { useEffect, useState } from 'react';

import { When } from '../AccountNav';
import { api } from '../client';
import { refusal } from '../errors';
import type { Refusal } from '../errors';

interface SecurityEvent {
  id: number;
  kind: string;
  detail: string;
  created_at: string;
  ip: string | null;
  user_agent: string;
}

// The API's kinds (GET /api/user/security-events/), in words; an unknown one shows as it is.
const KINDS: Record<string, string> = {
  login: 'Signed in',
  login_new_device: 'Signed in from a new device',
  login_failed: 'Failed sign-in',
  login_locked: 'Sign-ins locked after too many failures',
  reauthenticated: 'Confirmed it was you',
  password_changed: 'Password changed',
  password_reset: 'Password reset',
  email_change_requested: 'Email change asked for',
  email_changed: 'Email changed',
  mfa_enabled: 'Two-factor login turned on',
  mfa_disabled: 'Two-factor login turned off',
  recovery_codes_regenerated: 'New recovery codes',
  passkey_added: 'Passkey added',
  passkey_removed: 'Passkey removed',
  passkey_clone_suspected: 'A passkey may have been copied',
  session_ended: 'Session ended',
  sessions_ended_all: 'Signed out everywhere',
};

// The next page of a list, from its RFC 8288 Link header.
const nextPage = (link: unknown) => (typeof link === 'string' ? /<([^>]+)>;\s*rel="next"/.exec(link)?.[1] : undefined);

export function SecurityEvents() {
  const [events, setEvents] = useState<SecurityEvent[] | null>(null);
  const [older, setOlder] = useState<string | undefined>();
  const [problem, setProblem] = useState<Refusal | null>(null);

  async function load(url: string, after: SecurityEvent[]) {
    try {
      const response = await api.get<SecurityEvent[]>(url);
      setEvents([...after, ...response.data]);
      setOlder(nextPage(response.headers.link));
    } catch (error) {
      setProblem(refusal(error));
    }
  }

  useEffect(() => {
    void load('/api/user/security-events/', []);
  }, []);

  return (
    <main>
      <h1>Security events</h1>
      <p>What happened to your account, newest first.</p>
      {problem && <p role="alert">{problem.detail}</p>}
      {events === null ? (
        !problem && <p role="status">Loading…</p>
      ) : events.length === 0 ? (
        <p>No events yet.</p>
      ) : (
        <ol aria-label="Security events">
          {events.map((event) => (
            <li key={event.id}>
              <strong>{KINDS[event.kind] ?? event.kind}</strong> · <When at={event.created_at} />
              <br />
              <small>
                {event.detail && <>{event.detail} · </>}IP {event.ip ?? 'unknown'} · {event.user_agent || 'unknown device'}
              </small>
            </li>
          ))}
        </ol>
      )}
      {older && events && (
        <button type="button" onClick={() => void load(older, events)}>
          Show older events
        </button>
      )}
    </main>
  );
}
