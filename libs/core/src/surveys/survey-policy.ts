import type { EntityManager } from 'typeorm';

/**
 * The consent purpose a visitor must have given (beside `consent_given` and an e-mail address)
 * to be sent satisfaction surveys. Checked when an invitation is scheduled and again when sent.
 */
export const SURVEY_CONSENT_PURPOSE = 'surveys';

export const SURVEY_LANGUAGES = ['fr', 'en'] as const;
export type SurveyLanguage = (typeof SURVEY_LANGUAGES)[number];

export const INTERACTION_KINDS = ['request', 'ticket', 'complaint'] as const;
export type InteractionKind = (typeof INTERACTION_KINDS)[number];

export const SURVEY_TRIGGERS = ['request_closed', 'ticket_done', 'complaint_resolved'] as const;
export type SurveyTrigger = (typeof SURVEY_TRIGGERS)[number];

export const TRIGGER_OF_KIND: Record<InteractionKind, SurveyTrigger> = {
  request: 'request_closed',
  ticket: 'ticket_done',
  complaint: 'complaint_resolved',
};

/** Used while a site has no survey_settings row (same values as the column defaults). */
export const DEFAULT_SURVEY_SETTINGS = { minDaysBetween: 30, linkValidHours: 168, editWindowMinutes: 15 } as const;

/** SQL condition on visitor alias `v`: may this visitor be mailed a survey? */
export const VISITOR_ACCEPTS_SURVEYS = `(v.consent_given AND '${SURVEY_CONSENT_PURPOSE}' = ANY(v.consent_purposes)
  AND v.email IS NOT NULL AND btrim(v.email) <> '' AND v.merged_into_id IS NULL)`;

/**
 * SQL condition: visitor `$visitor` has had (or has pending) another invitation within the site's
 * minimum interval. Counts the moment the invitation was (or will be) sent; cancelled ones do not count.
 */
export function recentInvitationExists(visitorParam: string, daysParam: string, excludeParam?: string): string {
  return `EXISTS (SELECT 1 FROM survey_invitations o
                   WHERE o.visitor_id = ${visitorParam} AND o.cancelled_at IS NULL
                     ${excludeParam ? `AND o.id <> ${excludeParam}` : ''}
                     AND coalesce(o.sent_at, o.send_at) > now() - make_interval(days => ${daysParam}))`;
}

/** Serialises scheduling and sending for one visitor, so the "one per N days" check cannot race. */
export async function lockVisitorSurveys(manager: EntityManager, visitorId: string): Promise<void> {
  await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`survey-visitor:${visitorId}`]);
}

export function surveyLanguage(preferred: string | null | undefined): SurveyLanguage {
  const base = (preferred ?? '').toLowerCase().slice(0, 2);
  return (SURVEY_LANGUAGES as readonly string[]).includes(base) ? (base as SurveyLanguage) : 'fr';
}

export function invitationJobId(invitationId: string): string {
  return `survey-invite-${invitationId}`;
}
