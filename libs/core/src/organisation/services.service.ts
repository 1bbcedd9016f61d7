import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { LiveEvents } from '../live/live-events.service';
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
  SiteCalendar,
  siteCalendars,
  SiteScopedQuery,
} from './directory';
import { OpeningStatus, openingStatus, WeeklyHours } from './opening-hours';
import { OrganisationErrorCode } from './organisation.errors';
import { Service, ServiceLocation } from './service.entity';
import { Site } from './site.entity';

export interface ServiceInput {
  siteId: string;
  name: string;
  code?: string | null;
  location?: ServiceLocation | null;
  phone?: string | null;
  email?: string | null;
  openingHours?: WeeklyHours | null;
  description?: string;
  keywords?: string[];
  active?: boolean;
}

/** A service stays in its site: its staff and history belong there. */
export type ServicePatch = Partial<Omit<ServiceInput, 'siteId'>> & { version?: number };

export interface ServiceListQuery extends SiteScopedQuery {
  active?: boolean;
}

export type ServiceView = Service & OpeningStatus;

export const SERVICE: RecordSpec<Service> = {
  target: Service,
  entity: 'service',
  label: 'Service',
  fields: ['name', 'code', 'location', 'phone', 'email', 'openingHours', 'description', 'keywords', 'active'],
  siteOf: (service) => service.siteId,
};

/** A service without hours keeps the site's; the site's closures (holidays) close it either way. */
export function serviceView(service: Service, site: SiteCalendar, now: Date): ServiceView {
  return { ...service, ...openingStatus(service.openingHours ?? site.openingHours, site.closures, site.timeZone, now) };
}

@Injectable()
export class ServicesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly live: LiveEvents,
  ) {}

  async list(principal: Principal, query: ServiceListQuery): Promise<ListResult<ServiceView>> {
    const qb = this.dataSource
      .getRepository(Service)
      .createQueryBuilder('service')
      .where('service.siteId = ANY(:siteIds)', { siteIds: listedSiteIds(principal, query.siteId) });
    if (query.active !== undefined) qb.andWhere('service.active = :active', { active: query.active });
    applySearch(qb, 'directory_search_text(service.name, service.description, service.keywords)', query.q);
    qb.addOrderBy('service.name').addOrderBy('service.id');
    const [services, total] = await findPage(qb, query);
    const sites = await siteCalendars(this.dataSource, services.map((service) => service.siteId));
    const now = new Date();
    return { items: services.map((service) => serviceView(service, sites.get(service.siteId) as SiteCalendar, now)), total };
  }

  /** A service the caller may see, else 404. */
  getService(principal: Principal, id: string): Promise<Service> {
    return findVisible(this.dataSource, SERVICE, principal, id);
  }

  async get(principal: Principal, id: string): Promise<ServiceView> {
    const service = await this.getService(principal, id);
    const sites = await siteCalendars(this.dataSource, [service.siteId]);
    return serviceView(service, sites.get(service.siteId) as SiteCalendar, new Date());
  }

  async create(principal: Principal, input: ServiceInput): Promise<ServiceView> {
    return this.live.transaction(async (manager, emit) => {
      const site = await lockSite(manager, principal, input.siteId);
      const service = await insertRecord(manager, this.audit, SERVICE, {
        siteId: site.id,
        name: input.name,
        code: input.code ?? null,
        location: input.location ?? null,
        phone: input.phone ?? null,
        email: input.email ?? null,
        openingHours: input.openingHours ?? null,
        description: input.description ?? '',
        keywords: input.keywords ?? [],
        active: input.active ?? true,
      }, emit);
      return serviceView(service, site, new Date());
    });
  }

  async update(principal: Principal, id: string, { version, ...patch }: ServicePatch, ifMatch?: number): Promise<ServiceView> {
    const expected = expectedVersion(ifMatch, version);
    return this.live.transaction(async (manager, emit) => {
      const before = await lockRecord(manager, SERVICE, principal, id, expected, 'update');
      const after = await applyUpdate(manager, this.audit, SERVICE, before, patch, emit);
      const site = await manager.findOneByOrFail(Site, { id: after.siteId });
      return serviceView(after, site, new Date());
    });
  }

  /** Staff of the service stay in the site without a service (the foreign key sets it to null). */
  async remove(principal: Principal, id: string, ifMatch?: number): Promise<void> {
    await this.live.transaction(async (manager, emit) => {
      const service = await lockRecord(manager, SERVICE, principal, id, ifMatch, 'delete');
      await deleteRecord(manager, this.audit, SERVICE, service, OrganisationErrorCode.InUse, emit);
    });
  }
}
