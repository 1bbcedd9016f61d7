export const ROLES = ['agent', 'supervisor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

const ROLE_RANK: Record<Role, number> = { agent: 1, supervisor: 2, admin: 3 };

export function roleAtLeast(role: Role, min: Role): boolean {
  return ROLE_RANK[role] >= ROLE_RANK[min];
}

/** Who is calling: a logged-in user or an integrator/device API key. Resolved once per request. */
export type Principal = UserPrincipal | ApiKeyPrincipal;

export interface UserPrincipal {
  kind: 'user';
  id: string;
  label: string;
  role: Role;
  serviceId: string | null;
  siteIds: string[];
  sessionId: string;
}

export interface ApiKeyPrincipal {
  kind: 'api_key';
  id: string;
  label: string;
  scopes: string[];
  siteIds: string[];
}
