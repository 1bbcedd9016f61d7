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
import { Partner } from './partner.entity';
import { PostalAddress, Site } from './site.entity';

export interface PartnerInput {
  siteId: string;
  name: string;
  description?: string;
  keywords?: string[];
  address?: PostalAddress | null;
  phone?: string | null;
  email?: string | null;
  website?: string | null;
  openingHours?: WeeklyHours | null;
}

export type PartnerPatch = Partial<Omit<PartnerInput, 'siteId'>> & { version?: number };

export type PartnerView = Partner & OpeningStatus;

export const PARTNER: RecordSpec<Partner> = {
  target: Partner,
  entity: 'partner',
  label: 'Partner',
  fields: ['name', 'description', 'keywords', 'address', 'phone', 'email', 'website', 'openingHours'],
  siteOf: (partner) => partner.siteId,
};

/** Partner hours are read in the site's zone (partners are local); the site's closures are not theirs. */
export function partnerView(partner: Partner, site: Pick<SiteCalendar, 'timeZone'>, now: Date): PartnerView {
  return { ...partner, ...openingStatus(partner.openingHours, [], site.timeZone, now) };
}

@Injectable()
export class PartnersService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly live: LiveEvents,
  ) {}

  async list(principal: Principal, query: SiteScopedQuery): Promise<ListResult<PartnerView>> {
    const qb = this.dataSource
      .getRepository(Partner)
      .createQueryBuilder('partner')
      .where('partner.siteId = ANY(:siteIds)', { siteIds: listedSiteIds(principal, query.siteId) });
    applySearch(qb, 'directory_search_text(partner.name, partner.description, partner.keywords)', query.q);
    qb.addOrderBy('partner.name').addOrderBy('partner.id');
    const [partners, total] = await findPage(qb, query);
    const sites = await siteCalendars(this.dataSource, partners.map((partner) => partner.siteId));
    const now = new Date();
    return { items: partners.map((partner) => partnerView(partner, sites.get(partner.siteId) as SiteCalendar, now)), total };
  }

  /** A partner the caller may see, else 404. */
  getPartner(principal: Principal, id: string): Promise<Partner> {
    return findVisible(this.dataSource, PARTNER, principal, id);
  }

  async get(principal: Principal, id: string): Promise<PartnerView> {
    const partner = await this.getPartner(principal, id);
    const sites = await siteCalendars(this.dataSource, [partner.siteId]);
    return partnerView(partner, sites.get(partner.siteId) as SiteCalendar, new Date());
  }

  async create(principal: Principal, input: PartnerInput): Promise<PartnerView> {
    return this.live.transaction(async (manager, emit) => {
      const site = await lockSite(manager, principal, input.siteId);
      const partner = await insertRecord(manager, this.audit, PARTNER, {
        siteId: site.id,
        name: input.name,
        description: input.description ?? '',
        keywords: input.keywords ?? [],
        address: input.address ?? null,
        phone: input.phone ?? null,
        email: input.email ?? null,
        website: input.website ?? null,
        openingHours: input.openingHours ?? null,
      }, emit);
      return partnerView(partner, site, new Date());
    });
  }

  async update(principal: Principal, id: string, { version, ...patch }: PartnerPatch, ifMatch?: number): Promise<PartnerView> {
    const expected = expectedVersion(ifMatch, version);
    return this.live.transaction(async (manager, emit) => {
      const before = await lockRecord(manager, PARTNER, principal, id, expected, 'update');
      const after = await applyUpdate(manager, this.audit, PARTNER, before, patch, emit);
      const site = await manager.findOneByOrFail(Site, { id: after.siteId });
      return partnerView(after, site, new Date());
    });
  }

  async remove(principal: Principal, id: string, ifMatch?: number): Promise<void> {
    await this.live.transaction(async (manager, emit) => {
      const partner = await lockRecord(manager, PARTNER, principal, id, ifMatch, 'delete');
      await deleteRecord(manager, this.audit, PARTNER, partner, OrganisationErrorCode.InUse, emit);
    });
  }
}
