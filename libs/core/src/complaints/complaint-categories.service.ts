import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService, diffFields } from '../audit/audit.service';
import { ConflictError, NotFoundError, ValidationError } from '../errors/domain-error';
import type { Principal } from '../identity/principal';
import { assertSiteAccess } from '../identity/site-access';
import { expectedVersion, listedSiteIds, lockSite } from '../organisation/directory';
import type { SlaPolicy } from './complaint-clocks';
import { ComplaintErrorCode, StaleComplaintError } from './complaints.errors';

export interface ComplaintCategory extends SlaPolicy {
  id: string;
  siteId: string;
  name: string;
  active: boolean;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

export interface CreateCategoryInput extends Partial<Pick<SlaPolicy, 'warningPercent' | 'warningMinutesBefore' | 'useBusinessHours'>> {
  siteId: string;
  name: string;
  acknowledgeMinutes: number;
  answerMinutes: number;
  active?: boolean;
}

export type UpdateCategoryInput = Partial<Omit<CreateCategoryInput, 'siteId'>> & { version?: number };

const SELECT = `
  SELECT id, site_id AS "siteId", name, active, acknowledge_minutes AS "acknowledgeMinutes", answer_minutes AS "answerMinutes",
         warning_percent AS "warningPercent", warning_minutes_before AS "warningMinutesBefore",
         use_business_hours AS "useBusinessHours", created_at AS "createdAt", updated_at AS "updatedAt", version
    FROM complaint_categories`;

const COLUMNS = {
  name: 'name',
  active: 'active',
  acknowledgeMinutes: 'acknowledge_minutes',
  answerMinutes: 'answer_minutes',
  warningPercent: 'warning_percent',
  warningMinutesBefore: 'warning_minutes_before',
  useBusinessHours: 'use_business_hours',
} as const;
type Field = keyof typeof COLUMNS;
const FIELDS = Object.keys(COLUMNS) as Field[];

/**
 * Complaint categories of a site with their SLA. A new SLA applies to complaints received after
 * the change: running clocks keep the deadline they were promised.
 */
@Injectable()
export class ComplaintCategoriesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async list(principal: Principal, siteId?: string): Promise<ComplaintCategory[]> {
    return (await this.dataSource.query(`${SELECT} WHERE site_id = ANY($1) ORDER BY lower(name), id`, [
      listedSiteIds(principal, siteId),
    ])) as ComplaintCategory[];
  }

  async get(principal: Principal, id: string): Promise<ComplaintCategory> {
    const [row] = (await this.dataSource.query(`${SELECT} WHERE id = $1`, [id])) as ComplaintCategory[];
    if (!row) throw new NotFoundError('Complaint category', id);
    assertSiteAccess(principal, row.siteId, 'Complaint category', id);
    return row;
  }

  async create(principal: Principal, input: CreateCategoryInput): Promise<ComplaintCategory> {
    assertWarning(input.warningPercent, input.warningMinutesBefore);
    return this.dataSource.transaction(async (manager) => {
      await lockSite(manager, principal, input.siteId);
      await this.assertNameFree(manager, input.siteId, input.name);
      const [{ id }] = (await manager.query(
        `INSERT INTO complaint_categories (site_id, name, active, acknowledge_minutes, answer_minutes, warning_percent, warning_minutes_before, use_business_hours)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
        [
          input.siteId,
          input.name,
          input.active ?? true,
          input.acknowledgeMinutes,
          input.answerMinutes,
          input.warningPercent ?? null,
          input.warningMinutesBefore ?? null,
          input.useBusinessHours ?? true,
        ],
      )) as { id: string }[];
      const [created] = (await manager.query(`${SELECT} WHERE id = $1`, [id])) as ComplaintCategory[];
      await this.audit.record(manager, {
        action: 'create',
        entity: 'complaint_category',
        entityId: id,
        siteId: input.siteId,
        changes: diffFields(null, created, FIELDS),
      });
      return created;
    });
  }

  async update(principal: Principal, id: string, { version, ...patch }: UpdateCategoryInput, ifMatch?: number): Promise<ComplaintCategory> {
    const expected = expectedVersion(ifMatch, version);
    return this.dataSource.transaction(async (manager) => {
      const [before] = (await manager.query(`${SELECT} WHERE id = $1 FOR NO KEY UPDATE`, [id])) as ComplaintCategory[];
      if (!before) throw new NotFoundError('Complaint category', id);
      assertSiteAccess(principal, before.siteId, 'Complaint category', id);
      if (expected !== undefined && expected !== before.version) throw new StaleComplaintError('Complaint category', id, before.version);
      const fields = FIELDS.filter((field) => patch[field] !== undefined && patch[field] !== before[field]);
      if (fields.length === 0) return before;
      const merged = { ...before, ...patch };
      // Choosing one kind of warning clears the other, so a client sets one field, not two.
      if (patch.warningPercent != null && patch.warningMinutesBefore === undefined) merged.warningMinutesBefore = null;
      if (patch.warningMinutesBefore != null && patch.warningPercent === undefined) merged.warningPercent = null;
      assertWarning(merged.warningPercent, merged.warningMinutesBefore);
      if (fields.includes('name')) await this.assertNameFree(manager, before.siteId, merged.name, id);
      const params: unknown[] = [id];
      const sets = FIELDS.map((field) => {
        params.push(merged[field]);
        return `${COLUMNS[field]} = $${params.length}`;
      });
      await manager.query(`UPDATE complaint_categories SET ${sets.join(', ')}, updated_at = now(), version = version + 1 WHERE id = $1`, params);
      const [after] = (await manager.query(`${SELECT} WHERE id = $1`, [id])) as ComplaintCategory[];
      await this.audit.record(manager, {
        action: 'update',
        entity: 'complaint_category',
        entityId: id,
        siteId: after.siteId,
        changes: diffFields(before, after, FIELDS),
      });
      return after;
    });
  }

  private async assertNameFree(manager: { query: DataSource['query'] }, siteId: string, name: string, exceptId?: string): Promise<void> {
    const taken = (await manager.query(
      `SELECT 1 FROM complaint_categories WHERE site_id = $1 AND lower(name) = lower($2) AND id IS DISTINCT FROM $3`,
      [siteId, name, exceptId ?? null],
    )) as unknown[];
    if (taken.length > 0) throw new ConflictError(`A complaint category named ${name} already exists on this site`, ComplaintErrorCode.CategoryNameTaken);
  }
}

function assertWarning(percent: number | null | undefined, minutesBefore: number | null | undefined): void {
  if (percent != null && minutesBefore != null) {
    throw new ValidationError('Give the warning as a percentage or as minutes before the breach, not both', [
      { field: 'warningMinutesBefore', message: 'warningMinutesBefore must be left out when warningPercent is given' },
    ]);
  }
}
