import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { Principal } from '../identity/principal';
import type { RequestTx } from '../requests/requests.service';
import { applyVisitorPatch } from '../visitors/visitor-rules';
import { STATE_COLUMNS, stateValues, visitorChanges } from '../visitors/visitor-view';
import { nameParts } from './email-message';

/**
 * Recognises the person behind a mail or a call among the site's visitors (merged tombstones
 * excluded; the most recently updated wins if several share the address), and creates the
 * visitor a first mail introduces. Writes go through the visitors module's rules and columns, in
 * the caller's transaction, so the mail, its request and its visitor commit together.
 */
@Injectable()
export class ChannelVisitorsService {
  constructor(private readonly audit: AuditService) {}

  /** Served by the lower(email) index. */
  async byEmail(manager: EntityManager, siteId: string, address: string): Promise<string | null> {
    const [row] = (await manager.query(
      `SELECT id FROM visitors WHERE site_id = $1 AND lower(email) = lower($2) AND merged_into_id IS NULL
        ORDER BY updated_at DESC, id LIMIT 1`,
      [siteId, address],
    )) as { id: string }[];
    return row?.id ?? null;
  }

  /** `phone` in E.164, as the visitors module stores it. */
  async byPhone(manager: EntityManager, siteId: string, phone: string): Promise<string | null> {
    const [row] = (await manager.query(
      `SELECT id FROM visitors WHERE site_id = $1 AND phone = $2 AND merged_into_id IS NULL ORDER BY updated_at DESC, id LIMIT 1`,
      [siteId, phone],
    )) as { id: string }[];
    return row?.id ?? null;
  }

  /** True when `visitorId` is a live visitor of the site; the row is key-share locked until commit. */
  async isUsable(manager: EntityManager, siteId: string, visitorId: string): Promise<boolean> {
    const rows = (await manager.query(`SELECT 1 FROM visitors WHERE id = $1 AND site_id = $2 AND merged_into_id IS NULL FOR KEY SHARE`, [
      visitorId,
      siteId,
    ])) as unknown[];
    return rows.length > 0;
  }

  /** A citizen with the sender's address and the names of the From display name. */
  async createFromEmail(tx: RequestTx, principal: Principal, siteId: string, from: { address: string; name: string | null }): Promise<string> {
    const state = applyVisitorPatch(null, { type: 'citizen', email: from.address, ...nameParts(from.name) }, new Date());
    const [{ id }] = (await tx.manager.query(
      `INSERT INTO visitors (site_id, created_by_user_id, ${STATE_COLUMNS.join(', ')})
       VALUES ($1, $2, ${STATE_COLUMNS.map((_, i) => `$${i + 3}`).join(', ')})
       RETURNING id`,
      [siteId, principal.kind === 'user' ? principal.id : null, ...stateValues(state)],
    )) as { id: string }[];
    await this.audit.record(tx.manager, { action: 'create', entity: 'visitor', entityId: id, siteId, changes: visitorChanges(null, state) });
    tx.emit(siteId, 'visitor.created', { visitorId: id });
    return id;
  }
}
