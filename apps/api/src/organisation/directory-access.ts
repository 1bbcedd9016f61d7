import type { AuthRule } from '../common/auth.decorators';

/** Any user reads the directory of their sites; a key needs directory:read (a write key may read back too). */
export const READ_DIRECTORY: AuthRule = { scopes: ['directory:read', 'directory:write'] };

/** Services, staff and partners: supervisors and admins, or keys with directory:write. */
export const WRITE_DIRECTORY: AuthRule = { minRole: 'supervisor', scopes: ['directory:write'] };

/** Sites decide who sees what: admins only, never a key. */
export const MANAGE_SITES: AuthRule = { minRole: 'admin' };
