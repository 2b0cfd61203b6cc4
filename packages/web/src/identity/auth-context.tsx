import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { ApiError, unauthorizedEvent } from '../api/http';
import * as authApi from './auth-api';
import type { Role, User } from './types';

interface AuthValue {
  /** undefined while the session is being checked, null when logged out */
  user: User | null | undefined;
  login: (username: string, password: string) => Promise<User>;
  logout: () => Promise<void>;
  /** ends every session of the account (this one too); resolves to how many were ended */
  logoutEverywhere: () => Promise<number>;
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

  const logout = useCallback(async () => {
    try {
      await authApi.logout();
    } finally {
      setUser(null);
    }
  }, []);

  const logoutEverywhere = useCallback(async () => {
    try {
      return (await authApi.logoutEverywhere()).ended;
    } finally {
      setUser(null);
    }
  }, []);

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
