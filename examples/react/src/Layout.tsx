// The frame of the signed-in pages: where you are, where you can go, and the way out.
import { NavLink, Outlet } from 'react-router';

import { useAuth } from './auth';

export function Layout() {
  const { logout } = useAuth();
  return (
    <>
      <header>
        <nav aria-label="Main">
          <NavLink to="/notes">Notes</NavLink>
        </nav>
        <button type="button" onClick={() => void logout()}>
          Sign out
        </button>
      </header>
      <Outlet />
    </>
  );
}
