import { apiFetch } from '../api/http';
import type { User } from './types';

export function login(username: string, password: string): Promise<{ user: User }> {
  return apiFetch('/api/v1/auth/login', { method: 'POST', json: { username, password } });
}

export function logout(): Promise<void> {
  return apiFetch('/api/v1/auth/logout', { method: 'POST' });
}

/** 在所有设备上退出: ends every session of the account, this one included. */
export function logoutEverywhere(): Promise<{ ended: number }> {
  return apiFetch('/api/v1/auth/logout-all', { method: 'POST' });
}

export function fetchCurrentUser(signal?: AbortSignal): Promise<User> {
  return apiFetch('/api/v1/auth/me', { signal });
}
