import { Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import { AppConfig } from '@guichet/config/app-config';
import { rowsOf } from '@guichet/database/sql';
import { rooms } from '@guichet/live/rooms';
import { AuditService } from '../audit/audit.service';
import { LiveEvents } from '../live/live-events.service';
import { MailerService } from '../mail/mailer.service';
import type { ClockKind } from './complaint-lifecycle';

export type StepOutcome = { done: true } | { done: false; reason: string };

/** A job fired by BullMQ at the due instant may run a hair before PostgreSQL's now() reaches it. */
const TOLERANCE = `interval '1 second'`;
const SWEEP_BATCH = 100;

const CLOCK_LABEL: Record<ClockKind, string> = { acknowledge: 'accusé de réception', answer: 'réponse' };

interface Claimed {
  siteId: string;
  ownerUserId: string | null;
  categoryId: string;
  status: string;
  version: number;
}

/**
 * The timed steps of complaint SLA clocks, each done exactly once per clock run: the step is
 * claimed in the clock row (`warned_at` / `escalated_at` set only while null, and only if the clock
 * still runs with the due time the job was made for) in the same transaction as its history entry
 * and live event. The escalation mail is a separate claim (`escalation_mailed_at`), so a failed
 * send is retried without escalating twice; a worker dying between that claim and the send loses
 * that one mail rather than risking a duplicate (as with appointment mails).
 */
@Injectable()
export class ComplaintSlaSteps {
  constructor(
    private readonly dataSource: DataSource,
    private readonly live: LiveEvents,
    private readonly audit: AuditService,
    private readonly mailer: MailerService,
    private readonly config: AppConfig,
  ) {}

  async warn(complaintId: string, kind: ClockKind, dueAt: string | Date): Promise<StepOutcome> {
    return this.live.transaction(async (manager, emit) => {
      const [claimed] = await rowsOf<Claimed>(
        manager,
        `UPDATE complaint_clocks k SET warned_at = now()
           FROM complaints c
          WHERE k.complaint_id = $1 AND k.kind = $2 AND k.due_at = $3 AND c.id = k.complaint_id
            AND k.warned_at IS NULL AND k.escalated_at IS NULL AND k.stopped_at IS NULL AND k.paused_at IS NULL
            AND k.warn_at IS NOT NULL AND k.warn_at <= now() + ${TOLERANCE} AND k.due_at > now()
          RETURNING c.site_id AS "siteId", c.owner_user_id AS "ownerUserId", c.category_id AS "categoryId", c.status, c.version`,
        [complaintId, kind, new Date(dueAt)],
      );
      if (!claimed) return { done: false, reason: await this.skipReason(complaintId, kind, dueAt, 'warned_at') };
      await this.recordEvent(manager, complaintId, 'sla_warning', { clock: kind, dueAt: new Date(dueAt).toISOString() });
      const room = claimed.ownerUserId ? rooms.user(claimed.ownerUserId) : rooms.supervisors(claimed.siteId);
      emit(
        claimed.siteId,
        'complaint.sla_warning',
        { complaintId, clock: kind, dueAt: new Date(dueAt).toISOString(), ownerUserId: claimed.ownerUserId },
        [room],
        { private: true },
      );
      return { done: true } as const;
    });
  }

  /** Escalates once, then mails the supervisors (its own claim: a retry after a failed send only mails). */
  async escalate(complaintId: string, kind: ClockKind, dueAt: string | Date): Promise<StepOutcome & { mailed?: boolean }> {
    const outcome = await this.live.transaction(async (manager, emit) => {
      const [claimed] = await rowsOf<Claimed>(
        manager,
        `UPDATE complaint_clocks k SET escalated_at = now()
           FROM complaints c
          WHERE k.complaint_id = $1 AND k.kind = $2 AND k.due_at = $3 AND c.id = k.complaint_id
            AND k.escalated_at IS NULL AND k.stopped_at IS NULL AND k.paused_at IS NULL AND k.due_at <= now() + ${TOLERANCE}
          RETURNING c.site_id AS "siteId", c.owner_user_id AS "ownerUserId", c.category_id AS "categoryId", c.status, c.version`,
        [complaintId, kind, new Date(dueAt)],
      );
      if (!claimed) return { done: false, reason: await this.skipReason(complaintId, kind, dueAt, 'escalated_at') } as const;
      // The first breach names the escalation; no version bump: an agent's edit in progress stays valid.
      await manager.query(
        `UPDATE complaints SET escalated_at = coalesce(escalated_at, now()), escalation_reason = coalesce(escalation_reason, $2), updated_at = now()
          WHERE id = $1`,
        [complaintId, kind === 'acknowledge' ? 'acknowledge_sla' : 'answer_sla'],
      );
      await this.recordEvent(manager, complaintId, 'sla_escalated', { clock: kind, dueAt: new Date(dueAt).toISOString() });
      await this.audit.record(manager, {
        action: 'update',
        entity: 'complaint',
        entityId: complaintId,
        siteId: claimed.siteId,
        changes: { escalated: { to: kind === 'acknowledge' ? 'acknowledge_sla' : 'answer_sla' } },
      });
      const extra = [rooms.supervisors(claimed.siteId), ...(claimed.ownerUserId ? [rooms.user(claimed.ownerUserId)] : [])];
      emit(
        claimed.siteId,
        'complaint.sla_escalated',
        { complaintId, clock: kind, dueAt: new Date(dueAt).toISOString(), ownerUserId: claimed.ownerUserId },
        extra,
        { private: true },
      );
      emit(claimed.siteId, 'complaint.updated', {
        complaintId,
        status: claimed.status,
        categoryId: claimed.categoryId,
        ownerUserId: claimed.ownerUserId,
        fields: ['escalatedAt'],
        version: claimed.version,
      });
      return { done: true } as const;
    });
    // Also after a skipped claim: the job may be the retry of a run whose mail failed.
    const mail = await this.mailEscalation(complaintId, kind);
    return { ...outcome, mailed: mail.done };
  }

  /** Mails the site's supervisors and admins about an escalated clock, once. */
  async mailEscalation(complaintId: string, kind: ClockKind): Promise<StepOutcome> {
    const [mail] = await rowsOf<{
      site_id: string;
      site_name: string;
      time_zone: string;
      category: string;
      reason: string;
      severity: string;
      received_at: Date;
      due_at: Date;
    }>(
      this.dataSource.manager,
      `UPDATE complaint_clocks k SET escalation_mailed_at = now()
         FROM complaints c, sites s, complaint_categories cc
        WHERE k.complaint_id = $1 AND k.kind = $2 AND k.escalated_at IS NOT NULL AND k.escalation_mailed_at IS NULL
          AND c.id = k.complaint_id AND s.id = c.site_id AND cc.id = c.category_id
        RETURNING c.site_id, s.name AS site_name, s.time_zone, cc.name AS category, c.reason, c.severity, c.received_at, k.due_at`,
      [complaintId, kind],
    );
    if (!mail) return { done: false, reason: 'not escalated or already mailed' };
    try {
      const recipients = (await this.dataSource.query(
        `SELECT u.email FROM users u JOIN user_sites us ON us.user_id = u.id
          WHERE us.site_id = $1 AND u.active AND u.role IN ('supervisor', 'admin') ORDER BY lower(u.email)`,
        [mail.site_id],
      )) as { email: string }[];
      if (recipients.length === 0) return { done: false, reason: 'no supervisor on the site' };
      const at = (d: Date) => DateTime.fromJSDate(d, { zone: mail.time_zone }).setLocale('fr').toFormat("cccc d LLLL yyyy 'à' HH:mm");
      await this.mailer.send({
        to: recipients.map((r) => r.email).join(', '),
        subject: `[Guichet] Réclamation hors délai (${CLOCK_LABEL[kind]}) – ${mail.site_name}`,
        text: [
          `Une réclamation a dépassé son délai de ${CLOCK_LABEL[kind]} et vous est remontée.`,
          '',
          `Site : ${mail.site_name}`,
          `Catégorie : ${mail.category}`,
          `Motif : ${mail.reason}`,
          `Gravité : ${mail.severity}`,
          `Reçue le ${at(mail.received_at)}`,
          `Échéance dépassée : ${at(mail.due_at)}`,
          '',
          `${this.config.publicUrl}/complaints/${complaintId}`,
        ].join('\n'),
      });
    } catch (error) {
      await this.dataSource.query(`UPDATE complaint_clocks SET escalation_mailed_at = NULL WHERE complaint_id = $1 AND kind = $2`, [complaintId, kind]);
      throw error;
    }
    return { done: true };
  }

  /**
   * Performs the steps whose job Redis lost (or that were due while no worker ran): warnings due
   * before their breach, breaches, and escalation mails not sent. The claims keep each single even
   * if the job runs as well.
   */
  async sweep(limit = SWEEP_BATCH): Promise<{ warnings: number; escalations: number; mails: number }> {
    const due = (await this.dataSource.query(
      `SELECT complaint_id, kind, due_at, (due_at <= now()) AS breached
         FROM complaint_clocks
        WHERE stopped_at IS NULL AND paused_at IS NULL AND escalated_at IS NULL
          AND (due_at <= now() OR (warn_at <= now() AND warned_at IS NULL))
        ORDER BY due_at
        LIMIT $1`,
      [limit],
    )) as { complaint_id: string; kind: ClockKind; due_at: Date; breached: boolean }[];
    let warnings = 0;
    let escalations = 0;
    let mails = 0;
    for (const clock of due) {
      if (clock.breached) {
        const outcome = await this.escalate(clock.complaint_id, clock.kind, clock.due_at);
        if (outcome.done) escalations++;
        if (outcome.mailed) mails++;
      } else if ((await this.warn(clock.complaint_id, clock.kind, clock.due_at)).done) {
        warnings++;
      }
    }
    const unmailed = (await this.dataSource.query(
      `SELECT complaint_id, kind FROM complaint_clocks WHERE escalated_at IS NOT NULL AND escalation_mailed_at IS NULL ORDER BY escalated_at LIMIT $1`,
      [limit],
    )) as { complaint_id: string; kind: ClockKind }[];
    for (const clock of unmailed) {
      if ((await this.mailEscalation(clock.complaint_id, clock.kind)).done) mails++;
    }
    return { warnings, escalations, mails };
  }

  private async recordEvent(manager: { query: DataSource['query'] }, complaintId: string, type: string, data: Record<string, unknown>): Promise<void> {
    await manager.query(
      `INSERT INTO complaint_events (complaint_id, actor_type, actor_id, actor_label, type, data) VALUES ($1, 'system', NULL, 'SLA', $2, $3)`,
      [complaintId, type, JSON.stringify(data)],
    );
  }

  /** Why a step was not done, for the job's logged result. */
  private async skipReason(complaintId: string, kind: ClockKind, dueAt: string | Date, column: 'warned_at' | 'escalated_at'): Promise<string> {
    const [clock] = (await this.dataSource.query(
      `SELECT due_at, stopped_at, paused_at, ${column} AS done_at FROM complaint_clocks WHERE complaint_id = $1 AND kind = $2`,
      [complaintId, kind],
    )) as { due_at: Date; stopped_at: Date | null; paused_at: Date | null; done_at: Date | null }[];
    if (!clock) return 'complaint gone';
    if (clock.due_at.getTime() !== new Date(dueAt).getTime()) return 'clock moved';
    if (clock.stopped_at) return 'clock stopped';
    if (clock.paused_at) return 'clock paused';
    if (clock.done_at) return 'already done';
    return column === 'warned_at' ? 'not due, already breached, or no warning' : 'not due yet';
  }
}
