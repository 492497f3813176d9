import type { ReactNode } from 'react';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';

import { AuthProvider, useAuth } from './auth';
import { Login } from './pages/Login';
import { Notes } from './pages/Notes';
import { Passkeys } from './pages/Passkeys';
import { Register } from './pages/Register';
import { TwoFactor } from './pages/TwoFactor';

// Pages for the signed-in only; the others are for the signed-out only.
function SignedIn({ children }: { children: ReactNode }) {
  const { status } = useAuth();
  if (status === 'restoring') return <p role="status">Loading…</p>;
  return status === 'signedIn' ? children : <Navigate to="/login" replace />;
}

function SignedOut({ children }: { children: ReactNode }) {
  const { status } = useAuth();
  if (status === 'restoring') return <p role="status">Loading…</p>;
  return status === 'signedOut' ? children : <Navigate to="/notes" replace />;
}

export function App() {
  return (
    <AuthProvider>
      <BrowserRouter>
        <Routes>
          <Route path="/login" element={<SignedOut><Login /></SignedOut>} />
          <Route path="/register" element={<SignedOut><Register /></SignedOut>} />
          <Route path="/notes" element={<SignedIn><Notes /></SignedIn>} />
          <Route path="/account/two-factor" element={<SignedIn><TwoFactor /></SignedIn>} />
          <Route path="/account/passkeys" element={<SignedIn><Passkeys /></SignedIn>} />
          <Route path="*" element={<Navigate to="/notes" replace />} />
        </Routes>
      </BrowserRouter>
    </AuthProvider>
  );
}
