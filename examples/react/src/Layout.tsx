// The frame of the signed-in pages: where you are, where you can go, and the way out.
import { Outlet } from 'react-router';

import { AccountNav } from './AccountNav';
import { useAuth } from './auth';

export function Layout() {
  const { logout } = useAuth();
  return (
    <>
      <header>
        <AccountNav />
        <button type="button" onClick={() => void logout()}>
          Sign out
        </button>
      </header>
      <Outlet />
    </>
  );
}
