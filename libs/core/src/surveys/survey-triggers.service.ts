import { Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { JobProducer } from '@guichet/jobs/job-producer';
import {
  DEFAULT_SURVEY_SETTINGS,
  invitationJobId,
  lockVisitorSurveys,
  recentInvitationExists,
  surveyLanguage,
  TRIGGER_OF_KIND,
  VISITOR_ACCEPTS_SURVEYS,
} from './survey-policy';

export interface ClosedInteraction {
  kind: 'request' | 'ticket' | 'complaint';
  id: string;
  siteId: string;
  visitorId: string | null;
  serviceId: string | null;
  agentUserId: string | null;
  /** desk, phone, email, web, kiosk, survey… as stored on the interaction */
  channel: string;
}

/** A job that runs before the caller's transaction commits finds no row and does nothing; the sweep sends it later. */
const MIN_JOB_DELAY_MS = 1000;

/**
 * Schedules the satisfaction survey of an interaction that just ended, inside the caller's
 * transaction, following the site's sending rules: the most specific active rule of the trigger
 * (one naming the channel before a catch-all), a visitor who consented to surveys and has an
 * e-mail address, and no other invitation within the site's minimum interval. One invitation per
 * interaction at most (a request closed twice is surveyed once).
 */
@Injectable()
export class SurveyTriggersService {
  private readonly logger = new Logger(SurveyTriggersService.name);

  constructor(private readonly jobs: JobProducer) {}

  /** Called inside the caller's transaction: decides by the site's sending rules whether to schedule a survey. */
  async interactionClosed(manager: EntityManager, interaction: ClosedInteraction): Promise<void> {
    if (!interaction.visitorId) return;
    const [rule] = (await manager.query(
      `SELECT r.id, r.template_id, r.delay_minutes, coalesce(ss.min_days_between, $4) AS min_days
         FROM survey_rules r
         JOIN survey_templates t ON t.id = r.template_id AND t.active
         LEFT JOIN survey_settings ss ON ss.site_id = r.site_id
        WHERE r.site_id = $1 AND r.trigger = $2 AND r.active AND (r.channels = '{}' OR $3 = ANY(r.channels))
        ORDER BY (r.channels <> '{}') DESC, r.created_at, r.id
        LIMIT 1`,
      [interaction.siteId, TRIGGER_OF_KIND[interaction.kind], interaction.channel, DEFAULT_SURVEY_SETTINGS.minDaysBetween],
    )) as { id: string; template_id: string; delay_minutes: number; min_days: number }[];
    if (!rule) return;

    await lockVisitorSurveys(manager, interaction.visitorId);
    const [visitor] = (await manager.query(
      `SELECT v.preferred_language, ${VISITOR_ACCEPTS_SURVEYS} AS accepts, ${recentInvitationExists('v.id', '$2')} AS throttled
         FROM visitors v WHERE v.id = $1`,
      [interaction.visitorId, rule.min_days],
    )) as { preferred_language: string | null; accepts: boolean; throttled: boolean }[];
    if (!visitor?.accepts || visitor.throttled) return;

    const [invitation] = (await manager.query(
      `INSERT INTO survey_invitations (site_id, template_id, rule_id, interaction_kind, interaction_id, visitor_id, service_id,
                                       agent_user_id, channel, language, send_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, now() + make_interval(mins => $11))
       ON CONFLICT (interaction_kind, interaction_id) DO NOTHING
       RETURNING id`,
      [
        interaction.siteId,
        rule.template_id,
        rule.id,
        interaction.kind,
        interaction.id,
        interaction.visitorId,
        interaction.serviceId,
        interaction.agentUserId,
        interaction.channel,
        surveyLanguage(visitor.preferred_language),
        rule.delay_minutes,
      ],
    )) as { id: string }[];
    if (!invitation) return;
    try {
      await this.jobs.enqueue(
        'notifications.survey-invitation',
        { invitationId: invitation.id },
        { jobId: invitationJobId(invitation.id), delay: Math.max(rule.delay_minutes * 60_000, MIN_JOB_DELAY_MS) },
      );
    } catch (error) {
      // The invitation row is the source of truth: the maintenance sweep sends it when due.
      this.logger.error({ err: error, invitationId: invitation.id }, 'Could not enqueue the survey invitation');
    }
  }
}
