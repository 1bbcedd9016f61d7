import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService, diffFields } from '../audit/audit.service';
import { ConflictError, NotFoundError } from '../errors/domain-error';
import type { Principal } from '../identity/principal';
import { assertSiteAccess } from '../identity/site-access';
import { listedSiteIds } from '../organisation/directory';
import { DISSATISFIED_SQL } from './survey-figures';
import { normalizeTags } from './survey-template';

export interface SurveyResponseView {
  id: string;
  siteId: string;
  source: 'link' | 'kiosk';
  templateId: string | null;
  interactionKind: string | null;
  interactionId: string | null;
  visitorId: string | null;
  serviceId: string | null;
  agentUserId: string | null;
  channel: string;
  language: string;
  csat: number | null;
  nps: number | null;
  answers: Record<string, unknown>;
  comment: string | null;
  reasonTags: string[];
  submittedAt: Date;
  updatedAt: Date;
  version: number;
}

export interface ResponseQuery {
  siteId?: string;
  from?: Date;
  to?: Date;
  /** Only answers with CSAT ≤ 3 or NPS ≤ 6. */
  dissatisfied?: boolean;
  serviceId?: string;
  agentUserId?: string;
  page: number;
  limit: number;
}

const SELECT = `SELECT r.id, r.site_id AS "siteId", r.source, r.template_id AS "templateId", r.interaction_kind AS "interactionKind",
  r.interaction_id AS "interactionId", r.visitor_id AS "visitorId", r.service_id AS "serviceId", r.agent_user_id AS "agentUserId",
  r.channel, r.language, r.csat, r.nps, r.answers, r.comment, r.reason_tags AS "reasonTags", r.submitted_at AS "submittedAt",
  r.updated_at AS "updatedAt", r.version FROM survey_responses r`;

/** Supervisors read the answers and tag the reasons of dissatisfaction the figures rank. */
@Injectable()
export class SurveyResponsesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async list(principal: Principal, query: ResponseQuery): Promise<{ items: SurveyResponseView[]; total: number }> {
    const params = [
      listedSiteIds(principal, query.siteId),
      query.from ?? null,
      query.to ?? null,
      query.serviceId ?? null,
      query.agentUserId ?? null,
    ];
    const where = `WHERE r.site_id = ANY($1) AND ($2::timestamptz IS NULL OR r.submitted_at >= $2) AND ($3::timestamptz IS NULL OR r.submitted_at < $3)
      AND ($4::uuid IS NULL OR r.service_id = $4) AND ($5::uuid IS NULL OR r.agent_user_id = $5)${query.dissatisfied ? ` AND ${DISSATISFIED_SQL}` : ''}`;
    const [{ total }] = (await this.dataSource.query(`SELECT count(*)::int AS total FROM survey_responses r ${where}`, params)) as { total: number }[];
    const items = (await this.dataSource.query(`${SELECT} ${where} ORDER BY r.submitted_at DESC, r.id LIMIT $6 OFFSET $7`, [
      ...params,
      query.limit,
      (query.page - 1) * query.limit,
    ])) as SurveyResponseView[];
    return { items, total };
  }

  async get(principal: Principal, id: string): Promise<SurveyResponseView> {
    const [row] = (await this.dataSource.query(`${SELECT} WHERE r.id = $1`, [id])) as SurveyResponseView[];
    if (!row) throw new NotFoundError('SurveyResponse', id);
    assertSiteAccess(principal, row.siteId, 'SurveyResponse', id);
    return row;
  }

  /** Replaces the answer's reason tags (slugs, e.g. `waiting`, `unclear-answer`). */
  async setTags(principal: Principal, id: string, tags: unknown, expected?: number): Promise<SurveyResponseView> {
    const normalized = normalizeTags(tags);
    return this.dataSource.transaction(async (manager) => {
      const [before] = (await manager.query(`${SELECT} WHERE r.id = $1 FOR UPDATE`, [id])) as SurveyResponseView[];
      if (!before) throw new NotFoundError('SurveyResponse', id);
      assertSiteAccess(principal, before.siteId, 'SurveyResponse', id);
      if (expected !== undefined && expected !== before.version) throw new ConflictError('The answer changed meanwhile', 'stale_version');
      await manager.query(`UPDATE survey_responses SET reason_tags = $2, updated_at = now(), version = version + 1 WHERE id = $1`, [id, normalized]);
      const [after] = (await manager.query(`${SELECT} WHERE r.id = $1`, [id])) as SurveyResponseView[];
      await this.audit.record(manager, {
        action: 'update',
        entity: 'SurveyResponse',
        entityId: id,
        siteId: before.siteId,
        changes: diffFields(before, after, ['reasonTags']),
      });
      return after;
    });
  }
}
