import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { LiveEvents } from '../live/live-events.service';
import { FieldError, ValidationError } from '../errors/domain-error';
import type { Principal } from '../identity/principal';
import {
  applySearch,
  applyUpdate,
  deleteRecord,
  expectedVersion,
  findPage,
  findVisible,
  insertRecord,
  listedSiteIds,
  ListResult,
  lockRecord,
  lockSite,
  RecordSpec,
  SiteScopedQuery,
} from './directory';
import { OrganisationErrorCode } from './organisation.errors';
import { Availability, StaffMember } from './staff.entity';

export interface StaffInput {
  siteId: string;
  serviceId?: string | null;
  userId?: string | null;
  firstName: string;
  lastName: string;
  jobTitle?: string | null;
  phoneExtension?: string | null;
  email?: string | null;
  availability?: Availability;
  availabilityNote?: string | null;
}

export type StaffPatch = Partial<Omit<StaffInput, 'siteId'>> & { version?: number };

export interface StaffListQuery extends SiteScopedQuery {
  serviceId?: string;
  availability?: Availability;
}

export const STAFF: RecordSpec<StaffMember> = {
  target: StaffMember,
  entity: 'staff',
  label: 'Staff member',
  fields: ['serviceId', 'userId', 'firstName', 'lastName', 'jobTitle', 'phoneExtension', 'email', 'availability', 'availabilityNote'],
  siteOf: (member) => member.siteId,
};

/** Same expression as the staff_search_idx index, so the index serves the search. */
const SEARCH_TEXT = `search_norm(staff.firstName || ' ' || staff.lastName || ' ' || coalesce(staff.jobTitle, ''))`;

@Injectable()
export class StaffService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly live: LiveEvents,
  ) {}

  async list(principal: Principal, query: StaffListQuery): Promise<ListResult<StaffMember>> {
    const qb = this.dataSource
      .getRepository(StaffMember)
      .createQueryBuilder('staff')
      .where('staff.siteId = ANY(:siteIds)', { siteIds: listedSiteIds(principal, query.siteId) });
    if (query.serviceId) qb.andWhere('staff.serviceId = :serviceId', { serviceId: query.serviceId });
    if (query.availability) qb.andWhere('staff.availability = :availability', { availability: query.availability });
    applySearch(qb, SEARCH_TEXT, query.q);
    qb.addOrderBy('staff.lastName').addOrderBy('staff.firstName').addOrderBy('staff.id');
    const [items, total] = await findPage(qb, query);
    return { items, total };
  }

  get(principal: Principal, id: string): Promise<StaffMember> {
    return findVisible(this.dataSource, STAFF, principal, id);
  }

  async create(principal: Principal, input: StaffInput): Promise<StaffMember> {
    return this.live.transaction(async (manager, emit) => {
      const site = await lockSite(manager, principal, input.siteId);
      await this.assertLinks(manager, site.id, input);
      return insertRecord(manager, this.audit, STAFF, {
        siteId: site.id,
        serviceId: input.serviceId ?? null,
        userId: input.userId ?? null,
        firstName: input.firstName,
        lastName: input.lastName,
        jobTitle: input.jobTitle ?? null,
        phoneExtension: input.phoneExtension ?? null,
        email: input.email ?? null,
        availability: input.availability ?? 'available',
        availabilityNote: input.availabilityNote ?? null,
      }, emit);
    });
  }

  async update(principal: Principal, id: string, { version, ...patch }: StaffPatch, ifMatch?: number): Promise<StaffMember> {
    const expected = expectedVersion(ifMatch, version);
    return this.live.transaction(async (manager, emit) => {
      const before = await lockRecord(manager, STAFF, principal, id, expected, 'update');
      await this.assertLinks(manager, before.siteId, {
        serviceId: patch.serviceId !== before.serviceId ? patch.serviceId : undefined,
        userId: patch.userId !== before.userId ? patch.userId : undefined,
      });
      return applyUpdate(manager, this.audit, STAFF, before, patch, emit);
    });
  }

  async remove(principal: Principal, id: string, ifMatch?: number): Promise<void> {
    await this.live.transaction(async (manager, emit) => {
      const member = await lockRecord(manager, STAFF, principal, id, ifMatch, 'delete');
      await deleteRecord(manager, this.audit, STAFF, member, OrganisationErrorCode.InUse, emit);
    });
  }

  /**
   * The service must be one of the site's, and the user one of its members: a link across sites
   * would show one site's records to another. Both rows are key-share locked until commit so they
   * cannot vanish before the insert. Ids of other sites get the same answer as unknown ids.
   */
  private async assertLinks(
    manager: EntityManager,
    siteId: string,
    links: { serviceId?: string | null; userId?: string | null },
  ): Promise<void> {
    const errors: FieldError[] = [];
    if (links.serviceId) {
      const found = (await manager.query(`SELECT 1 FROM services WHERE id = $1 AND site_id = $2 FOR KEY SHARE`, [
        links.serviceId,
        siteId,
      ])) as unknown[];
      if (found.length === 0) errors.push({ field: 'serviceId', message: 'serviceId must be a service of the same site' });
    }
    if (links.userId) {
      const found = (await manager.query(
        `SELECT 1 FROM users u JOIN user_sites us ON us.user_id = u.id AND us.site_id = $2 WHERE u.id = $1 FOR KEY SHARE OF u`,
        [links.userId, siteId],
      )) as unknown[];
      if (found.length === 0) errors.push({ field: 'userId', message: 'userId must be a user of the same site' });
    }
    if (errors.length > 0) throw new ValidationError(`Invalid request: ${errors.map((e) => e.field).join(', ')}`, errors);
  }
}
