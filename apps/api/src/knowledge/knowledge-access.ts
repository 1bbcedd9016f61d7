import type { AuthRule } from '../common/auth.decorators';

/** Every user reads the knowledge base of their sites; a key needs directory:read (kiosks, integrations). */
export const READ_KNOWLEDGE: AuthRule = { scopes: ['directory:read'] };

/** Articles and categories are written by supervisors and admins, never by a key. */
export const WRITE_KNOWLEDGE: AuthRule = { minRole: 'supervisor' };
