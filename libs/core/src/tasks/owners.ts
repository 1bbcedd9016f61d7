import { EntityManager } from 'typeorm';
import { ValidationError } from '../errors/domain-error';
import type { Principal } from '../identity/principal';
import { UnknownAssigneeError } from './tasks.errors';

export interface Owner {
  ownerUserId: string | null;
  ownerServiceId: string | null;
}

/**
 * The owner of a new task or callback: the given user and/or service, checked against the site;
 * by default the calling user. An API key must name one.
 */
export async function resolveOwner(
  manager: EntityManager,
  principal: Principal,
  siteId: string,
  input: { ownerUserId?: string | null; ownerServiceId?: string | null },
): Promise<Owner> {
  let ownerUserId = input.ownerUserId ?? null;
  const ownerServiceId = input.ownerServiceId ?? null;
  if (!ownerUserId && !ownerServiceId) {
    if (principal.kind !== 'user') throw new ValidationError('ownerUserId or ownerServiceId is required', [{ field: 'ownerUserId', message: 'an API key must name an owner' }]);
    ownerUserId = principal.id;
  }
  await assertOwner(manager, siteId, { ownerUserId, ownerServiceId });
  return { ownerUserId, ownerServiceId };
}

export async function assertOwner(manager: EntityManager, siteId: string, owner: Owner): Promise<void> {
  if (owner.ownerUserId) {
    const found = (await manager.query(
      `SELECT 1 FROM users u JOIN user_sites us ON us.user_id = u.id AND us.site_id = $2 WHERE u.id = $1 AND u.active`,
      [owner.ownerUserId, siteId],
    )) as unknown[];
    if (found.length === 0) throw new UnknownAssigneeError('ownerUserId', owner.ownerUserId);
  }
  if (owner.ownerServiceId) {
    const found = (await manager.query(`SELECT 1 FROM services WHERE id = $1 AND site_id = $2`, [owner.ownerServiceId, siteId])) as unknown[];
    if (found.length === 0) throw new UnknownAssigneeError('ownerServiceId', owner.ownerServiceId);
  }
}
