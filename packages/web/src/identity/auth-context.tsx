import { createContext, startTransition, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { ApiError, unauthorizedEvent } from '../api/http';
import * as authApi from './auth-api';
import type { Role, User } from './types';

interface AuthValue {
  /** undefined while the session is being checked, null when logged out */
  user: User | null | undefined;
  login: (username: string, password: string) => Promise<User>;
  /**
   * Ends this session. `then` (a navigation, typically to the public home) runs in the same
   * transition as the sign-out: the signed-in page is never rendered signed out — its role guard
   * would send the visitor to the sign-in page while the next page's code is still loading.
   */
  logout: (then?: () => void) => Promise<void>;
  /** ends every session of the account (this one too); resolves to how many were ended; `then` as for logout */
  logoutEverywhere: (then?: () => void) => Promise<number>;
  /** reads the session's user again (after 修改密码 lifted an expired password) */
  refresh: () => Promise<void>;
  hasAnyRole: (roles: readonly Role[]) => boolean;
}

const AuthContext = createContext<AuthValue | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<User | null | undefined>(undefined);

  useEffect(() => {
    const controller = new AbortController();
    authApi.fetchCurrentUser(controller.signal).then(
      (me) => setUser(me),
      (cause: unknown) => {
        if (controller.signal.aborted) return;
        // 401 means "not logged in"; any other failure also leaves the public pages usable.
        if (!(cause instanceof ApiError) || cause.status !== 401) console.warn('auth/me failed', cause);
        setUser(null);
      },
    );
    const onUnauthorized = () => setUser(null);
    window.addEventListener(unauthorizedEvent, onUnauthorized);
    return () => {
      controller.abort();
      window.removeEventListener(unauthorizedEvent, onUnauthorized);
    };
  }, []);

  const login = useCallback(async (username: string, password: string) => {
    const { user: loggedIn } = await authApi.login(username, password);
    setUser(loggedIn);
    return loggedIn;
  }, []);

  // the page change and the signed-out state in one transition (React commits them together, once
  // the next page's code is loaded): see AuthValue.logout
  const signedOut = useCallback((then?: () => void) => {
    startTransition(() => {
      then?.();
      setUser(null);
    });
  }, []);

  const logout = useCallback(async (then?: () => void) => {
    try {
      await authApi.logout();
    } finally {
      signedOut(then);
    }
  }, [signedOut]);

  const logoutEverywhere = useCallback(async (then?: () => void) => {
    try {
      return (await authApi.logoutEverywhere()).ended;
    } finally {
      signedOut(then);
    }
  }, [signedOut]);

  const refresh = useCallback(async () => {
    try {
      setUser(await authApi.fetchCurrentUser());
    } catch (cause) {
      if (!(cause instanceof ApiError) || cause.status !== 401) throw cause;
      setUser(null);
    }
  }, []);

  const value = useMemo<AuthValue>(
    () => ({
      user,
      login,
      logout,
      logoutEverywhere,
      refresh,
      hasAnyRole: (wanted) => !!user && user.roles.some((role) => wanted.includes(role)),
    }),
    [user, login, logout, logoutEverywhere, refresh],
  );

  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth outside AuthProvider');
  return value;
}
