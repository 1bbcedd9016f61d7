import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { NotFoundError, ValidationError } from '../errors/domain-error';
import type { Principal } from '../identity/principal';
import { assertSiteAccess, canSeeSite } from '../identity/site-access';
import { LiveEvents } from '../live/live-events.service';
import { buildDuplicateQuery, buildVisitorListQuery, classifySearchTerm, DuplicateProbe, VISITOR_COLUMNS } from './visitor-queries';
import {
  applyVisitorPatch,
  displayName,
  duplicateScore,
  normalisePhone,
  SIMILAR_NAME_MIN,
  VisitorNeed,
  VisitorPatch,
  VisitorType,
} from './visitor-rules';
import { STATE_COLUMNS, stateValues, toState, toView, VisitorRow, visitorChanges, VisitorView, writeState } from './visitor-view';
import { MergedVisitorError, StaleVisitorError } from './visitors.errors';

export interface VisitorListQuery {
  siteId?: string;
  type?: VisitorType;
  need?: VisitorNeed;
  search?: string;
  page: number;
  limit: number;
}

export type VisitorHit = VisitorView & { score: number | null };

export type DuplicateReason = 'same_phone' | 'same_email' | 'similar_name';

export interface DuplicateCandidate {
  id: string;
  displayName: string;
  score: number;
  reasons: DuplicateReason[];
}

export interface DuplicateQuery {
  siteId: string;
  firstName?: string;
  lastName?: string;
  phone?: string;
  email?: string;
}

export type CreateVisitorInput = VisitorPatch & { siteId: string };
export type UpdateVisitorInput = VisitorPatch & { version?: number };

export interface ErasureResult {
  id: string;
  /** `deleted` when nothing refers to the visitor; `anonymised` when history (requests, calls, tickets, appointments) does. */
  outcome: 'deleted' | 'anonymised';
}

/** Tables whose rows belong to a visitor's history. */
const HISTORY_TABLES = ['requests', 'phone_calls', 'tickets', 'appointments', 'incidents', 'callbacks', 'complaints', 'survey_responses'] as const;

const MAX_DUPLICATES = 10;

/**
 * The public met at the desk, on the phone or by mail. Plain SQL: the search is the hot path and
 * its statement is shared with the benchmark. Every write commits with its audit entry and live event.
 */
@Injectable()
export class VisitorsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly live: LiveEvents,
    private readonly audit: AuditService,
  ) {}

  async list(principal: Principal, query: VisitorListQuery): Promise<{ items: VisitorHit[]; total: number }> {
    if (query.siteId) assertSiteAccess(principal, query.siteId);
    const search = query.search === undefined ? undefined : classifySearchTerm(query.search);
    if (search?.kind === 'phone' && !search.phone) return { items: [], total: 0 };
    const filter = {
      siteIds: query.siteId ? [query.siteId] : principal.siteIds,
      type: query.type,
      need: query.need,
      search: search ?? undefined,
      limit: query.limit,
      offset: (query.page - 1) * query.limit,
    };
    const { text, values } = buildVisitorListQuery(filter);
    const rows = (await this.dataSource.query(text, values)) as (VisitorRow & { score: number | null; total: number })[];
    let total = rows[0]?.total ?? 0;
    // Past the last page the window count has no row to ride on: ask for the first row only.
    if (rows.length === 0 && filter.offset > 0) {
      const first = buildVisitorListQuery({ ...filter, limit: 1, offset: 0 });
      total = ((await this.dataSource.query(first.text, first.values)) as { total: number }[])[0]?.total ?? 0;
    }
    return { items: rows.map((row) => ({ ...toView(row), score: row.score === null ? null : round(row.score) })), total };
  }

  /** A merged visitor is still answered (with `mergedIntoId`) so that clients holding its id can follow it. */
  async get(principal: Principal, id: string): Promise<VisitorView> {
    const [row] = (await this.dataSource.query(`SELECT ${VISITOR_COLUMNS} FROM visitors v WHERE v.id = $1`, [id])) as VisitorRow[];
    if (!row || !canSeeSite(principal, row.site_id)) throw new NotFoundError('Visitor', id);
    return toView(row);
  }

  async create(principal: Principal, input: CreateVisitorInput): Promise<VisitorView & { duplicates: DuplicateCandidate[] }> {
    assertSiteAccess(principal, input.siteId);
    const { siteId, ...patch } = input;
    const state = applyVisitorPatch(null, patch, new Date());
    return this.live.transaction(async (manager, emit) => {
      const [row] = (await manager.query(
        `INSERT INTO visitors AS v (site_id, created_by_user_id, ${STATE_COLUMNS.join(', ')})
         VALUES ($1, $2, ${STATE_COLUMNS.map((_, i) => `$${i + 3}`).join(', ')})
         RETURNING ${VISITOR_COLUMNS}`,
        [siteId, principal.kind === 'user' ? principal.id : null, ...stateValues(state)],
      )) as VisitorRow[];
      await this.audit.record(manager, { action: 'create', entity: 'visitor', entityId: row.id, siteId, changes: visitorChanges(null, state) });
      emit(siteId, 'visitor.created', { visitorId: row.id });
      const duplicates = await this.findDuplicates(manager, {
        siteId,
        excludeId: row.id,
        phone: state.phone,
        email: state.email,
        name: [state.firstName, state.lastName].filter(Boolean).join(' '),
      });
      return { ...toView(row), duplicates };
    });
  }

  async update(principal: Principal, id: string, { version, ...patch }: UpdateVisitorInput): Promise<VisitorView> {
    return this.live.transaction(async (manager, emit) => {
      const before = await lockVisitor(manager, principal, id);
      if (before.merged_into_id) throw new MergedVisitorError(id, before.merged_into_id);
      if (version !== undefined && version !== before.version) throw new StaleVisitorError(id, before.version);
      const beforeState = toState(before);
      const after = applyVisitorPatch(beforeState, patch, new Date());
      const row = await writeState(manager, id, after);
      const changes = visitorChanges(beforeState, after);
      await this.audit.record(manager, { action: 'update', entity: 'visitor', entityId: id, siteId: row.site_id, changes });
      emit(row.site_id, 'visitor.updated', { visitorId: id, fields: Object.keys(changes) });
      return toView(row);
    });
  }

  /** Visitors of a site that may be the person about to be created. */
  async duplicates(principal: Principal, query: DuplicateQuery): Promise<DuplicateCandidate[]> {
    assertSiteAccess(principal, query.siteId);
    let phone: string | null = null;
    if (query.phone?.trim()) {
      phone = normalisePhone(query.phone);
      if (!phone) throw new ValidationError('Invalid phone', [{ field: 'phone', message: 'phone must be a valid phone number' }]);
    }
    const name = [query.firstName, query.lastName].filter((part) => part?.trim()).join(' ');
    return this.findDuplicates(this.dataSource.manager, { siteId: query.siteId, phone, email: query.email, name });
  }

  /**
   * GDPR erasure. Without history the visitor is deleted; with history (which must stay countable)
   * its names, contact details, address, notes and consent are wiped and the row stays, anonymous.
   * Visitors merged into it hold the same person's data, so they share its fate.
   */
  async erase(principal: Principal, id: string, version?: number): Promise<ErasureResult> {
    return this.live.transaction(async (manager, emit) => {
      const visitor = await lockVisitor(manager, principal, id);
      if (version !== undefined && version !== visitor.version) throw new StaleVisitorError(id, visitor.version);
      const group = (await manager.query(
        `SELECT v.id, v.site_id FROM visitors v WHERE v.id = $1 OR v.merged_into_id = $1 ORDER BY v.id FOR UPDATE`,
        [id],
      )) as { id: string; site_id: string }[];
      const ids = group.map((g) => g.id);
      const [{ referenced }] = (await manager.query(
        `SELECT ${HISTORY_TABLES.map((table) => `EXISTS (SELECT 1 FROM ${table} WHERE visitor_id = ANY($1::uuid[]))`).join(' OR ')} AS referenced`,
        [ids],
      )) as { referenced: boolean }[];
      const outcome: ErasureResult['outcome'] = referenced ? 'anonymised' : 'deleted';
      if (referenced) {
        await manager.query(
          `UPDATE visitors SET first_name = NULL, last_name = NULL, phone = NULL, email = NULL, address = NULL,
                  needs_other = NULL, notes = NULL, needs = array_remove(needs, 'other'),
                  consent_given = false, consent_at = NULL, consent_purposes = '{}', retention_until = NULL,
                  version = version + 1, updated_at = now()
            WHERE id = ANY($1::uuid[])`,
          [ids],
        );
      } else {
        await manager.query(`DELETE FROM visitors WHERE id = ANY($1::uuid[])`, [ids]);
      }
      // Survey comments and free answers are the person's own words; scores and reason tags stay countable.
      await manager.query(`UPDATE survey_responses SET comment = NULL, answers = '{}' WHERE visitor_id = ANY($1::uuid[])`, [ids]);
      for (const member of group) {
        await this.audit.record(manager, {
          action: referenced ? 'update' : 'delete',
          entity: 'visitor',
          entityId: member.id,
          siteId: member.site_id,
          changes: { erasure: { to: outcome } },
        });
      }
      emit(visitor.site_id, 'visitor.updated', { visitorId: id, fields: ['erasure'] });
      return { id, outcome };
    });
  }

  private async findDuplicates(manager: EntityManager, probe: DuplicateProbe): Promise<DuplicateCandidate[]> {
    const query = buildDuplicateQuery(probe);
    if (!query) return [];
    const rows = (await manager.query(query.text, query.values)) as (VisitorRow & {
      same_phone: boolean;
      same_email: boolean;
      name_score: number;
    })[];
    return rows
      .map((row) => {
        const reasons: DuplicateReason[] = [];
        if (row.same_phone) reasons.push('same_phone');
        if (row.same_email) reasons.push('same_email');
        if (row.name_score >= SIMILAR_NAME_MIN) reasons.push('similar_name');
        const clues = { samePhone: row.same_phone, sameEmail: row.same_email, nameScore: row.name_score };
        return { id: row.id, displayName: displayName(toState(row), row.id), score: duplicateScore(clues), reasons };
      })
      .filter((candidate) => candidate.reasons.length > 0)
      .sort((a, b) => b.score - a.score)
      .slice(0, MAX_DUPLICATES);
  }
}

/** Locks a visitor the caller may see for the rest of the transaction, else 404. */
async function lockVisitor(manager: EntityManager, principal: Principal, id: string): Promise<VisitorRow> {
  const [row] = (await manager.query(`SELECT ${VISITOR_COLUMNS} FROM visitors v WHERE v.id = $1 FOR UPDATE`, [id])) as VisitorRow[];
  if (!row || !canSeeSite(principal, row.site_id)) throw new NotFoundError('Visitor', id);
  return row;
}

function round(score: number): number {
  return Math.round(score * 1000) / 1000;
}

