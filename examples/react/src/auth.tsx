// Who is signed in, for the whole app: restored once on load (the refresh cookie, or the tokens
// the storage kept), and told when the client ends the session (a refused refresh, a logout).
import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type { ReactNode } from 'react';

import { api, onLoggedOut } from './client';

type Status = 'restoring' | 'signedIn' | 'signedOut';

interface Auth {
  status: Status;
  login(username: string, password: string): Promise<void>;
  /** Any other of the client's logins (the second factor, a passkey), then signed in. */
  signIn(login: () => Promise<unknown>): Promise<void>;
  logout(): Promise<void>;
}

const AuthContext = createContext<Auth | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [status, setStatus] = useState<Status>('restoring');

  useEffect(() => {
    let current = true;
    api
      .restore()
      .catch(() => false) // no answer: show the login page, the session may come back later
      .then((restored) => current && setStatus(restored ? 'signedIn' : 'signedOut'));
    const unsubscribe = onLoggedOut(() => setStatus('signedOut'));
    return () => {
      current = false;
      unsubscribe();
    };
  }, []);

  const signIn = useCallback(async (login: () => Promise<unknown>) => {
    await login();
    setStatus('signedIn');
  }, []);
  const login = useCallback(
    (username: string, password: string) => signIn(() => api.login(username, password)),
    [signIn],
  );
  const logout = useCallback(() => api.logout(), []);

  const value = useMemo(() => ({ status, login, signIn, logout }), [status, login, signIn, logout]);
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): Auth {
  const auth = useContext(AuthContext);
  if (!auth) throw new Error('useAuth needs an AuthProvider');
  return auth;
}
