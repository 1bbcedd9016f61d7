import type { EntityManager } from 'typeorm';

/** What other domains (complaints opened from a low answer) may read of a survey answer. */
export interface SurveyResponseSummary {
  id: string;
  siteId: string;
  visitorId: string | null;
  serviceId: string | null;
  agentUserId: string | null;
  /** Channel of the surveyed interaction (desk, phone, email, web, kiosk…). */
  channel: string;
  source: 'link' | 'kiosk';
  interactionKind: 'request' | 'ticket' | 'complaint' | null;
  interactionId: string | null;
  /** 1–5, null when the template has no CSAT question. */
  csat: number | null;
  /** 0–10, null when the template has no NPS question. */
  nps: number | null;
  comment: string | null;
  reasonTags: string[];
  submittedAt: Date;
}

/** The answer with this id, or null; `lock` takes a row lock for the rest of the caller's transaction. */
export async function readSurveyResponse(manager: EntityManager, id: string, opts: { lock?: boolean } = {}): Promise<SurveyResponseSummary | null> {
  const [row] = (await manager.query(
    `SELECT id, site_id AS "siteId", visitor_id AS "visitorId", service_id AS "serviceId", agent_user_id AS "agentUserId",
            channel, source, interaction_kind AS "interactionKind", interaction_id AS "interactionId", csat, nps, comment,
            reason_tags AS "reasonTags", submitted_at AS "submittedAt"
       FROM survey_responses WHERE id = $1${opts.lock ? ' FOR SHARE' : ''}`,
    [id],
  )) as SurveyResponseSummary[];
  return row ?? null;
}
