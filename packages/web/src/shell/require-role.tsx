import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router-dom';
import { useAuth } from '../identity/auth-context';
import type { Role } from '../identity/types';
import { ForbiddenPage, PageLoading } from './feedback';

/** Guards a page: anonymous users go to /login?next=…, users without the role see 403. */
export function RequireRole({ roles, children }: { roles: readonly Role[]; children: ReactNode }) {
  const { user, hasAnyRole } = useAuth();
  const location = useLocation();
  if (user === undefined) return <PageLoading />;
  if (user === null) {
    const next = encodeURIComponent(location.pathname + location.search);
    return <Navigate to={`/login?next=${next}`} replace />;
  }
  if (!hasAnyRole(roles)) return <ForbiddenPage />;
  return <>{children}</>;
}
