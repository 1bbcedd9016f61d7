import { Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import { AppConfig } from '@guichet/config/app-config';
import { rowsOf } from '@guichet/database/sql';
import { LiveEvents } from '../live/live-events.service';
import { MailerService } from '../mail/mailer.service';
import { StepTargets, stepRooms } from './escalation-policy';

/** A step whose BullMQ job should have run by now; past this the sweep does it (the claim keeps it single). */
const SWEEP_GRACE_SECONDS = 5;
const SWEEP_BATCH = 100;
/** A job that starts a little before its step is due (clocks, BullMQ's delay granularity) waits this long at most. */
const EARLY_WAIT_MS = 10_000;

export interface EscalationOutcome {
  notified: number[];
  mailed: number[];
  /** Why nothing more was done, for the job's logged result. */
  skipped?: 'acknowledged' | 'not_due' | 'alert_not_found';
}

interface ClaimedStep {
  step: number;
  name: string;
  targets: StepTargets;
  alert_id: string;
  incident_id: string;
  site_id: string;
  kind: string;
  severity: string;
  raised_by_user_id: string | null;
  counter_id: string | null;
  raised_at: Date;
}

interface MailStep {
  step: number;
  name: string;
  targets: StepTargets;
  kind: string;
  severity: string;
  place: string | null;
  raised_at: Date;
  site_name: string;
  time_zone: string;
  counter_name: string | null;
}

/**
 * The worker's half of incident alerts. Each step is claimed (`notified_at` set while null, the
 * alert unacknowledged, the step due) in the same transaction as its live event, so a step is
 * alerted once even when its job is retried, duplicated or replayed by the sweep, and a worker
 * killed mid-step leaves it unclaimed for the next attempt. Mails are claimed the same way
 * (`mail_sent_at`), and the claim is released if the send fails so the job is retried.
 */
@Injectable()
export class IncidentEscalationService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly live: LiveEvents,
    private readonly mailer: MailerService,
    private readonly config: AppConfig,
  ) {}

  /** Performs, in order, every due step of the alert up to `upTo`, then sends the mails of its notified steps. */
  async advance(alertId: string, upTo: number): Promise<EscalationOutcome> {
    const outcome: EscalationOutcome = { notified: [], mailed: [] };
    const [alert] = (await this.dataSource.query(
      `SELECT a.acknowledged_at, (SELECT s.due_at FROM incident_alert_steps s WHERE s.alert_id = a.id AND s.step = $2) AS due_at
         FROM incident_alerts a WHERE a.id = $1`,
      [alertId, upTo],
    )) as { acknowledged_at: Date | null; due_at: Date | null }[];
    if (!alert || !alert.due_at) return { ...outcome, skipped: 'alert_not_found' };
    if (alert.acknowledged_at) return { ...outcome, skipped: 'acknowledged' };
    const early = alert.due_at.getTime() - Date.now();
    if (early > EARLY_WAIT_MS) return { ...outcome, skipped: 'not_due' };
    if (early > 0) await new Promise((resolve) => setTimeout(resolve, early));

    const pending = (await this.dataSource.query(
      `SELECT step FROM incident_alert_steps WHERE alert_id = $1 AND step <= $2 AND notified_at IS NULL ORDER BY step`,
      [alertId, upTo],
    )) as { step: number }[];
    for (const { step } of pending) {
      if (await this.notify(alertId, step)) outcome.notified.push(step);
    }
    outcome.mailed = await this.sendMails(alertId);
    const [after] = (await this.dataSource.query(`SELECT acknowledged_at FROM incident_alerts WHERE id = $1`, [alertId])) as { acknowledged_at: Date | null }[];
    if (outcome.notified.length === 0 && after?.acknowledged_at) outcome.skipped = 'acknowledged';
    return outcome;
  }

  /** Every 30 s (schedules.ts): due steps and mails whose job Redis lost. */
  async sweep(): Promise<{ alerts: number; notified: number; mailed: number }> {
    const due = (await this.dataSource.query(
      `SELECT s.alert_id, max(s.step)::int AS up_to
         FROM incident_alert_steps s JOIN incident_alerts a ON a.id = s.alert_id
        WHERE s.notified_at IS NULL AND s.due_at <= now() - make_interval(secs => $1) AND a.acknowledged_at IS NULL
        GROUP BY s.alert_id
        ORDER BY min(s.due_at)
        LIMIT $2`,
      [SWEEP_GRACE_SECONDS, SWEEP_BATCH],
    )) as { alert_id: string; up_to: number }[];
    const mails = (await this.dataSource.query(
      `SELECT DISTINCT s.alert_id
         FROM incident_alert_steps s JOIN incident_alerts a ON a.id = s.alert_id
        WHERE s.send_email AND s.mail_sent_at IS NULL AND s.notified_at <= now() - make_interval(secs => $1) AND a.acknowledged_at IS NULL
        LIMIT $2`,
      [SWEEP_GRACE_SECONDS, SWEEP_BATCH],
    )) as { alert_id: string }[];
    let notified = 0;
    let mailed = 0;
    const alerts = new Set<string>();
    for (const { alert_id, up_to } of due) {
      alerts.add(alert_id);
      const outcome = await this.advance(alert_id, up_to);
      notified += outcome.notified.length;
      mailed += outcome.mailed.length;
    }
    for (const { alert_id } of mails) {
      if (alerts.has(alert_id)) continue;
      alerts.add(alert_id);
      mailed += (await this.sendMails(alert_id)).length;
    }
    return { alerts: alerts.size, notified, mailed };
  }

  /** Claims one step and announces it, in one transaction; false if it was done, is not due, or the alert was acknowledged. */
  private notify(alertId: string, step: number): Promise<boolean> {
    return this.live.transaction(async (manager, emit) => {
      const [claimed] = await rowsOf<ClaimedStep>(
        manager,
        `UPDATE incident_alert_steps s SET notified_at = clock_timestamp()
           FROM incident_alerts a JOIN incidents i ON i.id = a.incident_id
          WHERE s.alert_id = $1 AND s.step = $2 AND a.id = s.alert_id
            AND s.notified_at IS NULL AND s.due_at <= clock_timestamp() AND a.acknowledged_at IS NULL
          RETURNING s.step, s.name, s.targets, a.id AS alert_id, a.incident_id, a.site_id, a.kind, i.severity,
                    a.raised_by_user_id, a.counter_id, a.raised_at`,
        [alertId, step],
      );
      if (!claimed) return false;
      emit(
        claimed.site_id,
        'incident.alert_escalated',
        {
          alertId,
          incidentId: claimed.incident_id,
          kind: claimed.kind,
          severity: claimed.severity,
          step: claimed.step,
          level: claimed.name,
          raisedByUserId: claimed.raised_by_user_id,
          counterId: claimed.counter_id,
          raisedAt: claimed.raised_at.toISOString(),
        },
        stepRooms(claimed.site_id, claimed.targets, claimed.raised_by_user_id),
        { private: true },
      );
      return true;
    });
  }

  /** Sends the mail of each notified step that asks for one, once; an acknowledged alert's mails are dropped. */
  private async sendMails(alertId: string): Promise<number[]> {
    const steps = (await this.dataSource.query(
      `SELECT step FROM incident_alert_steps WHERE alert_id = $1 AND send_email AND notified_at IS NOT NULL AND mail_sent_at IS NULL ORDER BY step`,
      [alertId],
    )) as { step: number }[];
    const sent: number[] = [];
    for (const { step } of steps) {
      const [mail] = await rowsOf<MailStep>(
        this.dataSource.manager,
        `UPDATE incident_alert_steps s SET mail_sent_at = clock_timestamp()
           FROM incident_alerts a JOIN incidents i ON i.id = a.incident_id JOIN sites st ON st.id = a.site_id
                LEFT JOIN counters c ON c.id = a.counter_id
          WHERE s.alert_id = $1 AND s.step = $2 AND a.id = s.alert_id
            AND s.send_email AND s.notified_at IS NOT NULL AND s.mail_sent_at IS NULL AND a.acknowledged_at IS NULL
          RETURNING s.step, s.name, s.targets, a.kind, i.severity, a.place, a.raised_at, st.name AS site_name, st.time_zone, c.name AS counter_name`,
        [alertId, step],
      );
      if (!mail) continue;
      const to = await this.addresses(alertId, mail.step, mail.targets);
      if (to.length === 0) continue;
      try {
        await this.mailer.send({ to: to.join(', '), ...renderEscalationMail(mail, this.config.publicUrl) });
      } catch (error) {
        await this.dataSource.query(`UPDATE incident_alert_steps SET mail_sent_at = NULL WHERE alert_id = $1 AND step = $2`, [alertId, step]);
        throw error;
      }
      sent.push(step);
    }
    return sent;
  }

  /**
   * The step's listed addresses, its people's, and with the supervisors room the site's active
   * supervisors' — except at step 0, where supervisors have the alert on screen and only the
   * security contacts are mailed.
   */
  private async addresses(alertId: string, step: number, targets: StepTargets): Promise<string[]> {
    const rows = (await this.dataSource.query(
      `SELECT DISTINCT lower(u.email) AS email
         FROM users u JOIN user_sites us ON us.user_id = u.id
         JOIN incident_alerts a ON a.site_id = us.site_id AND a.id = $1
        WHERE u.active AND (u.id = ANY($2::uuid[]) OR ($3 AND u.role = 'supervisor'))`,
      [alertId, targets.userIds, targets.supervisors && step > 0],
    )) as { email: string }[];
    return [...new Set([...targets.emails.map((e) => e.toLowerCase()), ...rows.map((r) => r.email)])].sort();
  }
}

const KIND_FR: Record<string, string> = { supervisor: 'appel superviseur', security: 'appel sécurité' };
const SEVERITY_FR: Record<string, string> = { tension: 'tension', conflict: 'conflit', aggression: 'agression', security: 'sécurité' };

/** French first (the staff's language); no visitor data: the console holds the details. */
export function renderEscalationMail(mail: Pick<MailStep, 'step' | 'name' | 'kind' | 'severity' | 'place' | 'raised_at' | 'site_name' | 'time_zone' | 'counter_name'>, publicUrl: string): { subject: string; text: string } {
  const at = DateTime.fromJSDate(mail.raised_at).setZone(mail.time_zone).setLocale('fr').toFormat("dd/MM/yyyy 'à' HH:mm:ss");
  const level = mail.step === 0 ? 'alerte immédiate' : `niveau ${mail.step} (${mail.name}), personne n'a encore pris l'alerte`;
  const where = [mail.counter_name ? `guichet ${mail.counter_name}` : null, mail.place].filter(Boolean).join(', ');
  return {
    subject: `[Guichet] ${mail.site_name} : ${KIND_FR[mail.kind] ?? mail.kind} — ${level}`,
    text: [
      `Site : ${mail.site_name}`,
      `Alerte : ${KIND_FR[mail.kind] ?? mail.kind} (gravité : ${SEVERITY_FR[mail.severity] ?? mail.severity})`,
      `Déclenchée le ${at}`,
      ...(where ? [`Lieu : ${where}`] : []),
      `Étape : ${level}`,
      '',
      `Prendre l'alerte : ${publicUrl.replace(/\/$/, '')}/supervisor`,
    ].join('\n'),
  };
}
