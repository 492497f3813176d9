// The frame of the signed-in pages: where you are, where you can go, and the way out; and, back
// from a step-up at the provider (the callback page's route state), what to do next.
import { Outlet, useLocation } from 'react-router';

import { AccountNav } from './AccountNav';
import { useAuth } from './auth';
import type { StepUpDone } from './pendingStepUp';

export function Layout() {
  const { logout } = useAuth();
  const confirmedWith = (useLocation().state as Partial<StepUpDone> | null)?.confirmedWith;
  return (
    <>
      <header>
        <AccountNav />
        <button type="button" onClick={() => void logout()}>
          Sign out
        </button>
      </header>
      {typeof confirmedWith === 'string' && (
        <p role="status" className="notice">
          You confirmed it is you with {confirmedWith}. Make your change again: it will not ask for a few minutes.
        </p>
      )}
      <Outlet />
    </>
  );
}
