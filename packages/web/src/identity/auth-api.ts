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

/** 修改密码: needs the current password; ends every other session of the account (this one stays) and resolves to how many. */
export function changePassword(currentPassword: string, newPassword: string): Promise<{ ended: number }> {
  return apiFetch('/api/v1/auth/password', { method: 'POST', json: { currentPassword, newPassword } });
}

export function fetchCurrentUser(signal?: AbortSignal): Promise<User> {
  return apiFetch('/api/v1/auth/me', { signal });
}
