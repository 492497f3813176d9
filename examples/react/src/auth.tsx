// Who is signed in, for the whole app: restored once on load (the refresh cookie, or the tokens
// the storage kept), and told when the client ends the session (a refused refresh, a logout).
import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type { ReactNode } from 'react';

import { api, onLoggedOut } from './client';

type Status = 'restoring' | 'signedIn' | 'signedOut';

interface Auth {
  status: Status;
  login(username: string, password: string): Promise<void>;
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

  const login = useCallback(async (username: string, password: string) => {
    await api.login(username, password);
    setStatus('signedIn');
  }, []);
  const logout = useCallback(() => api.logout(), []);

  const value = useMemo(() => ({ status, login, logout }), [status, login, logout]);
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): Auth {
  const auth = useContext(AuthContext);
  if (!auth) throw new Error('useAuth needs an AuthProvider');
  return auth;
}
