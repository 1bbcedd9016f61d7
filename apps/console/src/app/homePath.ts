import type { User } from '../api/types';

/** Where each role lands after signing in. */
export function homePath(user: User): string {
  return user.role === 'agent' ? '/desk' : '/supervisor';
}
