import type { AuthRule } from '../common/auth.decorators';

/** Any user reads the complaints of their sites; a key needs complaints:read (a write key may read back too). */
export const READ_COMPLAINTS: AuthRule = { scopes: ['complaints:read', 'complaints:write'] };

/** Any user records and handles complaints (the desk is where they arrive); a key needs complaints:write. */
export const WRITE_COMPLAINTS: AuthRule = { scopes: ['complaints:write'] };

/** Categories and their SLA are the site's configuration: supervisors and admins only. */
export const MANAGE_COMPLAINT_CATEGORIES: AuthRule = { minRole: 'supervisor' };

/** The monthly report is for management: supervisors and admins, or a reporting key. */
export const READ_COMPLAINT_REPORTS: AuthRule = { minRole: 'supervisor', scopes: ['complaints:read'] };
