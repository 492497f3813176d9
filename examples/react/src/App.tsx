import type { ReactNode } from 'react';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';

import { AuthProvider, useAuth } from './auth';
import { Layout } from './Layout';
import { Account } from './pages/Account';
import { ForgotPassword } from './pages/ForgotPassword';
import { Login } from './pages/Login';
import { Notes } from './pages/Notes';
import { OidcCallback } from './pages/OidcCallback';
import { Passkeys } from './pages/Passkeys';
import { Register } from './pages/Register';
import { ResetPassword } from './pages/ResetPassword';
import { SecurityEvents } from './pages/SecurityEvents';
import { Sessions } from './pages/Sessions';
import { VerifyEmail } from './pages/VerifyEmail';
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
          <Route path="/forgot-password" element={<SignedOut><ForgotPassword /></SignedOut>} />
          {/* The mailed links' pages: whoever opens them, signed in or not. */}
          <Route path="/reset/:uid/:token" element={<ResetPassword />} />
          <Route path="/verify-email/:uid/:token" element={<VerifyEmail />} />
          {/* A provider sign-in's end: a login (signed out) or a link (signed in). */}
          <Route path="/oidc/callback" element={<OidcCallback />} />
          <Route element={<SignedIn><Layout /></SignedIn>}>
            <Route path="/notes" element={<Notes />} />
            <Route path="/account" element={<Account />} />
            <Route path="/account/sessions" element={<Sessions />} />
            <Route path="/account/security" element={<SecurityEvents />} />
            <Route path="/account/two-factor" element={<TwoFactor />} />
            <Route path="/account/passkeys" element={<Passkeys />} />
          </Route>
          <Route path="*" element={<Navigate to="/notes" replace />} />
        </Routes>
      </BrowserRouter>
    </AuthProvider>
  );
}
