import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { NotFoundError, UnprocessableError, ValidationError } from '../errors/domain-error';
import type { Principal } from '../identity/principal';
import { canSeeSite } from '../identity/site-access';
import { LiveEvents } from '../live/live-events.service';
import { VISITOR_COLUMNS } from './visitor-queries';
import { mergeVisitorStates } from './visitor-rules';
import { toState, toView, VisitorRow, visitorChanges, VisitorView, writeState } from './visitor-view';
import { MergedVisitorError, StaleVisitorError, VisitorErrorCode } from './visitors.errors';

export interface MergeInput {
  /** The duplicate that disappears into the target. */
  sourceVisitorId: string;
  /** The target's version last read. */
  version?: number;
}

/** History rows moved from the source to the target. */
export interface MovedHistory {
  requests: number;
  phoneCalls: number;
  tickets: number;
  appointments: number;
  incidents: number;
  callbacks: number;
  complaints: number;
  surveyResponses: number;
}

export type MergeResult = VisitorView & { moved: MovedHistory };

/**
 * Two records of one person become one. The target keeps its id and values, takes the source's
 * history and fills its blanks from it; the source stays as a read-only tombstone pointing at the
 * target, so ids held elsewhere (a console, an integration) still lead somewhere.
 */
@Injectable()
export class VisitorMergeService {
  constructor(
    private readonly live: LiveEvents,
    private readonly audit: AuditService,
  ) {}

  async merge(principal: Principal, targetId: string, { sourceVisitorId: sourceId, version }: MergeInput): Promise<MergeResult> {
    if (sourceId === targetId) {
      throw new ValidationError('A visitor cannot be merged into itself', [
        { field: 'sourceVisitorId', message: 'sourceVisitorId must be another visitor than the target' },
      ]);
    }
    return this.live.transaction(async (manager, emit) => {
      const { target, source } = await this.lockPair(manager, principal, targetId, sourceId);
      if (version !== undefined && version !== target.version) throw new StaleVisitorError(targetId, target.version);

      const moved = await this.moveHistory(manager, targetId, sourceId);
      const before = toState(target);
      const merged = mergeVisitorStates(before, toState(source), new Date());
      const row = await writeState(manager, targetId, merged);
      await manager.query(
        `UPDATE visitors SET merged_into_id = $1, version = version + 1, updated_at = now() WHERE id = $2`,
        [targetId, sourceId],
      );
      // Tombstones of the source now point straight at the survivor: one hop is always enough.
      await manager.query(`UPDATE visitors SET merged_into_id = $1 WHERE merged_into_id = $2`, [targetId, sourceId]);

      await this.audit.record(manager, {
        action: 'update',
        entity: 'visitor',
        entityId: targetId,
        siteId: row.site_id,
        changes: { ...visitorChanges(before, merged), mergedVisitorId: { to: sourceId }, movedHistory: { to: moved } },
      });
      await this.audit.record(manager, {
        action: 'update',
        entity: 'visitor',
        entityId: sourceId,
        siteId: row.site_id,
        changes: { mergedIntoId: { from: null, to: targetId } },
      });
      emit(row.site_id, 'visitor.merged', { visitorId: targetId, mergedVisitorId: sourceId });
      return { ...toView(row), moved };
    });
  }

  /** Locks both rows in id order (two crossed merges cannot deadlock) and checks they may merge. */
  private async lockPair(
    manager: EntityManager,
    principal: Principal,
    targetId: string,
    sourceId: string,
  ): Promise<{ target: VisitorRow; source: VisitorRow }> {
    const rows = (await manager.query(`SELECT ${VISITOR_COLUMNS} FROM visitors v WHERE v.id = ANY($1::uuid[]) ORDER BY v.id FOR UPDATE`, [
      [targetId, sourceId],
    ])) as VisitorRow[];
    const visible = (id: string) => rows.find((row) => row.id === id && canSeeSite(principal, row.site_id));
    const target = visible(targetId);
    if (!target) throw new NotFoundError('Visitor', targetId);
    const source = visible(sourceId);
    if (!source) throw new NotFoundError('Visitor', sourceId);
    if (target.site_id !== source.site_id) {
      throw new UnprocessableError('Only visitors of the same site can be merged', VisitorErrorCode.DifferentSites, [
        { field: 'sourceVisitorId', message: 'sourceVisitorId must be a visitor of the same site' },
      ]);
    }
    if (target.merged_into_id) throw new MergedVisitorError(targetId, target.merged_into_id);
    if (source.merged_into_id) throw new MergedVisitorError(sourceId, source.merged_into_id);
    return { target, source };
  }

  /** Re-points the source's history. Only the visitor link changes; the rows' versions belong to their own modules. */
  private async moveHistory(manager: EntityManager, targetId: string, sourceId: string): Promise<MovedHistory> {
    const [counts] = (await manager.query(
      `WITH r AS (UPDATE requests SET visitor_id = $1 WHERE visitor_id = $2 RETURNING 1),
            c AS (UPDATE phone_calls SET visitor_id = $1 WHERE visitor_id = $2 RETURNING 1),
            t AS (UPDATE tickets SET visitor_id = $1 WHERE visitor_id = $2 RETURNING 1),
            a AS (UPDATE appointments SET visitor_id = $1 WHERE visitor_id = $2 RETURNING 1),
            i AS (UPDATE incidents SET visitor_id = $1 WHERE visitor_id = $2 RETURNING 1),
            cb AS (UPDATE callbacks SET visitor_id = $1 WHERE visitor_id = $2 RETURNING 1),
            co AS (UPDATE complaints SET visitor_id = $1 WHERE visitor_id = $2 RETURNING 1),
            sr AS (UPDATE survey_responses SET visitor_id = $1 WHERE visitor_id = $2 RETURNING 1),
            -- Invitations follow too, so "one survey per visitor per N days" counts both records' surveys.
            si AS (UPDATE survey_invitations SET visitor_id = $1 WHERE visitor_id = $2 RETURNING 1)
       SELECT (SELECT count(*) FROM r)::int AS requests, (SELECT count(*) FROM c)::int AS phone_calls,
              (SELECT count(*) FROM t)::int AS tickets, (SELECT count(*) FROM a)::int AS appointments,
              (SELECT count(*) FROM i)::int AS incidents, (SELECT count(*) FROM cb)::int AS callbacks,
              (SELECT count(*) FROM co)::int AS complaints, (SELECT count(*) FROM sr)::int AS survey_responses,
              (SELECT count(*) FROM si)::int AS survey_invitations`,
      [targetId, sourceId],
    )) as Record<'requests' | 'phone_calls' | 'tickets' | 'appointments' | 'incidents' | 'callbacks' | 'complaints' | 'survey_responses', number>[];
    return {
      requests: counts.requests,
      phoneCalls: counts.phone_calls,
      tickets: counts.tickets,
      appointments: counts.appointments,
      incidents: counts.incidents,
      callbacks: counts.callbacks,
      complaints: counts.complaints,
      surveyResponses: counts.survey_responses,
    };
  }
}
