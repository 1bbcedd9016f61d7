import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { LiveEvents } from '../live/live-events.service';
import { ConflictError } from '../errors/domain-error';
import type { Principal } from '../identity/principal';
import {
  applySearch,
  applyUpdate,
  deleteRecord,
  expectedVersion,
  findPage,
  findVisible,
  insertRecord,
  ListResult,
  lockRecord,
  PageQuery,
  RecordSpec,
} from './directory';
import { Closure, OpeningStatus, openingStatus, WeeklyHours } from './opening-hours';
import { OrganisationErrorCode } from './organisation.errors';
import { PostalAddress, Site } from './site.entity';

export interface SiteInput {
  name: string;
  code?: string | null;
  address?: PostalAddress | null;
  phone?: string | null;
  email?: string | null;
  timeZone: string;
  openingHours?: WeeklyHours;
  closures?: Closure[];
  mobile?: boolean;
}

export type SitePatch = Partial<SiteInput> & { version?: number };

export interface SiteListQuery extends PageQuery {
  mobile?: boolean;
}

export type SiteView = Site & OpeningStatus;

export const SITE: RecordSpec<Site> = {
  target: Site,
  entity: 'site',
  label: 'Site',
  fields: ['name', 'code', 'address', 'phone', 'email', 'timeZone', 'openingHours', 'closures', 'mobile'],
  siteOf: (site) => site.id,
};

export function siteView(site: Site, now: Date): SiteView {
  return { ...site, ...openingStatus(site.openingHours, site.closures, site.timeZone, now) };
}

/** Sites are the unit of access: callers see exactly the sites they are attached to. */
@Injectable()
export class SitesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly live: LiveEvents,
  ) {}

  async list(principal: Principal, query: SiteListQuery): Promise<ListResult<SiteView>> {
    const qb = this.dataSource
      .getRepository(Site)
      .createQueryBuilder('site')
      .where('site.id = ANY(:siteIds)', { siteIds: principal.siteIds });
    if (query.mobile !== undefined) qb.andWhere('site.mobile = :mobile', { mobile: query.mobile });
    applySearch(qb, 'search_norm(site.name)', query.q);
    qb.addOrderBy('site.name').addOrderBy('site.id');
    const [sites, total] = await findPage(qb, query);
    const now = new Date();
    return { items: sites.map((site) => siteView(site, now)), total };
  }

  /** A site the caller may see, else 404. For other modules that work within a site. */
  getSite(principal: Principal, id: string): Promise<Site> {
    return findVisible(this.dataSource, SITE, principal, id);
  }

  async get(principal: Principal, id: string): Promise<SiteView> {
    return siteView(await this.getSite(principal, id), new Date());
  }

  /** The creator is attached to the new site in the same transaction, or nobody could see it. */
  async create(principal: Principal, input: SiteInput): Promise<SiteView> {
    return this.live.transaction(async (manager, emit) => {
      const site = await insertRecord(manager, this.audit, SITE, {
        name: input.name,
        code: input.code ?? null,
        address: input.address ?? null,
        phone: input.phone ?? null,
        email: input.email ?? null,
        timeZone: input.timeZone,
        openingHours: input.openingHours ?? {},
        closures: input.closures ?? [],
        mobile: input.mobile ?? false,
      }, emit);
      if (principal.kind === 'user') {
        await manager.query(`INSERT INTO user_sites (user_id, site_id) VALUES ($1, $2)`, [principal.id, site.id]);
      }
      return siteView(site, new Date());
    });
  }

  async update(principal: Principal, id: string, { version, ...patch }: SitePatch, ifMatch?: number): Promise<SiteView> {
    const expected = expectedVersion(ifMatch, version);
    return this.live.transaction(async (manager, emit) => {
      const before = await lockRecord(manager, SITE, principal, id, expected, 'update');
      return siteView(await applyUpdate(manager, this.audit, SITE, before, patch, emit), new Date());
    });
  }

  /** Only an empty site can go: its services, staff and partners must be removed (or moved) first. */
  async remove(principal: Principal, id: string, ifMatch?: number): Promise<void> {
    await this.live.transaction(async (manager, emit) => {
      // The row lock makes a concurrent insert of a child wait for us, or us for it.
      const site = await lockRecord(manager, SITE, principal, id, ifMatch, 'delete');
      const [counts] = (await manager.query(
        `SELECT (SELECT count(*) FROM services WHERE site_id = $1)::int AS services,
                (SELECT count(*) FROM staff WHERE site_id = $1)::int AS staff,
                (SELECT count(*) FROM partners WHERE site_id = $1)::int AS partners`,
        [id],
      )) as { services: number; staff: number; partners: number }[];
      if (counts.services + counts.staff + counts.partners > 0) {
        throw new ConflictError(
          `Site ${id} still has ${counts.services} service(s), ${counts.staff} staff member(s) and ${counts.partners} partner(s)`,
          OrganisationErrorCode.SiteNotEmpty,
        );
      }
      await deleteRecord(manager, this.audit, SITE, site, OrganisationErrorCode.SiteNotEmpty, emit);
    });
  }
}
