import type { AuthRule } from '../common/auth.decorators';

/** Any user reads the requests of their sites; a key needs requests:read (a write key may read back too). */
export const READ_REQUESTS: AuthRule = { scopes: ['requests:read', 'requests:write'] };

/** Any user creates and handles requests; a key needs requests:write. */
export const WRITE_REQUESTS: AuthRule = { scopes: ['requests:write'] };

/** The taxonomy is the site's configuration: supervisors and admins only. */
export const MANAGE_CATEGORIES: AuthRule = { minRole: 'supervisor' };
