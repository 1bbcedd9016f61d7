import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '@guichet/config/app-config';
import { MailerService } from '../mail/mailer.service';
import { renderSurveyMail } from './survey-mail';
import { DEFAULT_SURVEY_SETTINGS, lockVisitorSurveys, SurveyLanguage, VISITOR_ACCEPTS_SURVEYS } from './survey-policy';
import type { LocalizedText } from './survey-template';
import { hashSecret, newSecret } from './survey-tokens';

export type InvitationOutcome = { sent: true } | { sent: false; reason: string };

/** An invitation's own job normally runs at its send time; past this, the sweep takes over. */
const SWEEP_GRACE_SECONDS = 120;
const SWEEP_BATCH = 50;
/** Sends refused this many times (job retries and sweeps together) cancel the invitation. */
export const MAX_SEND_ATTEMPTS = 8;

interface ClaimRow {
  id: string;
  visitor_id: string | null;
  sent_at: Date | null;
  cancelled_at: Date | null;
  accepts: boolean | null;
  email: string | null;
  throttled: boolean;
  link_valid_hours: number;
  language: SurveyLanguage;
  site_name: string;
  time_zone: string;
  title: LocalizedText;
  intro: LocalizedText;
}

/**
 * Mails each survey invitation at most once. In one transaction, under the visitor's survey
 * lock: consent and the "one per N days" rule are checked again (a visitor who withdrew consent
 * or was surveyed meanwhile gets nothing: the invitation is cancelled with the reason), then the
 * invitation is claimed (`sent_at` set while null) with a fresh token whose hash only is kept.
 * The mail goes after commit; a failed send releases the claim and throws, so the job is retried.
 * A worker dying between commit and send loses that one mail rather than risking a second one.
 */
@Injectable()
export class SurveyInvitationsService {
  private readonly logger = new Logger(SurveyInvitationsService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly mailer: MailerService,
    private readonly config: AppConfig,
  ) {}

  async send(invitationId: string): Promise<InvitationOutcome> {
    const token = newSecret();
    const claimed = await this.dataSource.transaction(async (manager) => {
      const [head] = (await manager.query(`SELECT visitor_id FROM survey_invitations WHERE id = $1`, [invitationId])) as {
        visitor_id: string | null;
      }[];
      if (!head) return { skip: 'invitation not found (rolled back or deleted)' } as const;
      if (head.visitor_id) await lockVisitorSurveys(manager, head.visitor_id);
      const [row] = (await manager.query(
        `SELECT i.id, i.visitor_id, i.sent_at, i.cancelled_at, i.language, ${VISITOR_ACCEPTS_SURVEYS} AS accepts, v.email,
                EXISTS (SELECT 1 FROM survey_invitations o
                         WHERE o.visitor_id = i.visitor_id AND o.id <> i.id
                           AND o.sent_at > now() - make_interval(days => coalesce(ss.min_days_between, $2))) AS throttled,
                coalesce(ss.link_valid_hours, $3) AS link_valid_hours, s.name AS site_name, s.time_zone, t.title, t.intro
           FROM survey_invitations i
           JOIN sites s ON s.id = i.site_id
           JOIN survey_templates t ON t.id = i.template_id
           LEFT JOIN visitors v ON v.id = i.visitor_id
           LEFT JOIN survey_settings ss ON ss.site_id = i.site_id
          WHERE i.id = $1
          FOR UPDATE OF i`,
        [invitationId, DEFAULT_SURVEY_SETTINGS.minDaysBetween, DEFAULT_SURVEY_SETTINGS.linkValidHours],
      )) as ClaimRow[];
      if (row.sent_at) return { skip: 'already sent' } as const;
      if (row.cancelled_at) return { skip: 'cancelled' } as const;
      const reason = !row.accepts ? 'no consent or no e-mail address' : row.throttled ? 'visitor surveyed recently' : null;
      if (reason) {
        await manager.query(`UPDATE survey_invitations SET cancelled_at = now(), cancel_reason = $2 WHERE id = $1`, [invitationId, reason]);
        return { skip: reason } as const;
      }
      const [sent] = (await manager.query(
        `UPDATE survey_invitations SET sent_at = now(), token_hash = $2, expires_at = now() + make_interval(hours => $3)
          WHERE id = $1 RETURNING expires_at`,
        [invitationId, hashSecret(token), row.link_valid_hours],
      )) as { expires_at: Date }[];
      return { row: row as ClaimRow & { email: string }, expiresAt: sent.expires_at } as const;
    });
    if ('skip' in claimed) return { sent: false, reason: claimed.skip as string };
    const { row, expiresAt } = claimed;
    try {
      const lang = row.language;
      const mail = renderSurveyMail({
        language: lang,
        siteName: row.site_name,
        title: row.title[lang],
        intro: row.intro[lang],
        link: `${this.config.publicUrl}/s/${token}`,
        expiresAt,
        timeZone: row.time_zone,
      });
      await this.mailer.send({ to: row.email, ...mail });
    } catch (error) {
      await this.dataSource.query(
        `UPDATE survey_invitations
            SET sent_at = NULL, token_hash = NULL, expires_at = NULL, send_attempts = send_attempts + 1,
                cancelled_at = CASE WHEN send_attempts + 1 >= $2 THEN now() END,
                cancel_reason = CASE WHEN send_attempts + 1 >= $2 THEN 'mail refused' END
          WHERE id = $1 AND answered_at IS NULL`,
        [invitationId, MAX_SEND_ATTEMPTS],
      );
      throw error;
    }
    return { sent: true };
  }

  /**
   * Sends the due invitations whose job was lost (Redis flushed or down when the interaction
   * closed). One refused mail does not hold back the others: failures are counted and logged.
   */
  async sweep(opts: { graceSeconds?: number; limit?: number } = {}): Promise<{ sent: number; skipped: number; failed: number }> {
    const due = (await this.dataSource.query(
      `SELECT id FROM survey_invitations
        WHERE sent_at IS NULL AND cancelled_at IS NULL AND send_at <= now() - make_interval(secs => $1)
        ORDER BY send_at LIMIT $2`,
      [opts.graceSeconds ?? SWEEP_GRACE_SECONDS, opts.limit ?? SWEEP_BATCH],
    )) as { id: string }[];
    let sent = 0;
    let failed = 0;
    for (const { id } of due) {
      try {
        if ((await this.send(id)).sent) sent++;
      } catch (error) {
        failed++;
        this.logger.warn({ err: error, invitationId: id }, 'Survey invitation not sent; retried at the next sweep');
      }
    }
    return { sent, skipped: due.length - sent - failed, failed };
  }
}
