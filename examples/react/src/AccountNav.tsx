// The links between the signed-in pages, in the header of each (src/Layout.tsx).
import { NavLink } from 'react-router';

export function AccountNav() {
  return (
    <nav aria-label="Main" className="account-nav">
      <NavLink to="/notes">Notes</NavLink>
      <NavLink to="/account" end>
        Account
      </NavLink>
      <NavLink to="/account/two-factor">Two-factor</NavLink>
      <NavLink to="/account/passkeys">Passkeys</NavLink>
      <NavLink to="/account/sessions">Sessions</NavLink>
      <NavLink to="/account/security">Security events</NavLink>
    </nav>
  );
}

/** A time of the API (ISO 8601) in the reader's locale, machine-readable too. */
export function When({ at }: { at: string | null }) {
  if (!at) return <>never</>;
  return <time dateTime={at}>{new Date(at).toLocaleString()}</time>;
}
