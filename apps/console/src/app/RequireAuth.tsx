import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import type { Role } from '../api/types';
import { hasRole, useAuth } from '../features/auth/useAuth';
import { PageLoader } from '../shared/PageLoader';
import { homePath } from './homePath';

/** Signed-out users go to the login page (and come back); users without the role go home. */
export function RequireAuth({ role = 'agent', children }: { role?: Role; children: ReactNode }) {
  const { user, signedIn, loading } = useAuth();
  const location = useLocation();
  if (!signedIn) return <Navigate to="/login" replace state={{ from: location.pathname }} />;
  if (loading || !user) {
    return <PageLoader />;
  }
  if (!hasRole(user, role)) return <Navigate to={homePath(user)} replace />;
  return <>{children}</>;
}
