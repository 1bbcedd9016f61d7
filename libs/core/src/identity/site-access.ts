import { NotFoundError } from '../errors/domain-error';
import type { Principal } from './principal';

/** Records of a site the caller may not see are answered as missing, never as forbidden (no existence leak). */
export function assertSiteAccess(principal: Principal, siteId: string, entity = 'Site', id: string = siteId): void {
  if (!principal.siteIds.includes(siteId)) throw new NotFoundError(entity, id);
}

export function canSeeSite(principal: Principal, siteId: string): boolean {
  return principal.siteIds.includes(siteId);
}
