import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '@guichet/config/app-config';
import { rowsOf } from '@guichet/database/sql';
import { rooms } from '@guichet/live/rooms';
import { AuditService } from '../audit/audit.service';
import { LiveEvents } from '../live/live-events.service';
import { MailerService } from '../mail/mailer.service';
import type { OrderStatus } from './order-rules';
import { FollowupMailData, renderFollowupMail } from './service-order-mail';

type Step = 'reminder' | 'escalation';
type MailColumn = 'reminder_provider_mailed_at' | 'reminder_requester_mailed_at' | 'escalation_mailed_at';

const SWEEP_BATCH = 100;
const OPEN = `('submitted', 'accepted', 'in_progress')`;

interface StepRow {
  id: string;
  site_id: string;
  provider_id: string;
  status: OrderStatus;
  requester_user_id: string | null;
  due_at: Date;
  remind_at: Date;
}

interface MailContext {
  number: string;
  title: string;
  status: OrderStatus;
  due_at: Date;
  remind_at: Date;
  requester_label: string;
  requester_email: string | null;
  provider_name: string;
  provider_email: string | null;
  contact_email: string | null;
  site_name: string;
  time_zone: string;
  supervisor_emails: string[];
}

export interface AdvanceOutcome {
  reminded: boolean;
  escalated: boolean;
  mails: number;
}

/**
 * The follow-up of late service orders, run by the worker. Each step is claimed in PostgreSQL
 * before it acts — `reminder_sent_at` / `escalated_at` set only while null, only while the order is
 * still open and the step is due — in the same transaction as its live event and audit entry, so
 * a step happens once however many jobs, retries, sweeps or workers run it. Mails are claimed
 * apart (one column per mail): a failed send clears its claim and the job is retried without
 * repeating the live event; a worker dying between a mail's claim and its send loses that mail
 * rather than risking a duplicate.
 */
@Injectable()
export class ServiceOrderFollowupsService {
  private readonly logger = new Logger('ServiceOrderFollowups');

  constructor(
    private readonly dataSource: DataSource,
    private readonly live: LiveEvents,
    private readonly audit: AuditService,
    private readonly mailer: MailerService,
    private readonly config: AppConfig,
  ) {}

  /** Performs whatever is due for one order: the reminder, then the escalation, then their mails. */
  async advance(orderId: string): Promise<AdvanceOutcome> {
    const reminded = await this.claimStep(orderId, 'reminder');
    const escalated = await this.claimStep(orderId, 'escalation');
    const mails = await this.sendMails(orderId);
    return { reminded, escalated, mails };
  }

  /** Orders with a due step or an unsent mail (their job lost with Redis, or failed for good). */
  async sweep(limit = SWEEP_BATCH): Promise<{ orders: number; reminded: number; escalated: number; mails: number }> {
    const rows = (await this.dataSource.query(
      `SELECT id FROM service_orders
        WHERE (status IN ${OPEN} AND reminder_sent_at IS NULL AND remind_at <= now())
           OR (status IN ${OPEN} AND escalated_at IS NULL AND reminder_sent_at IS NOT NULL AND escalate_at <= now())
           OR (reminder_sent_at IS NOT NULL AND (reminder_provider_mailed_at IS NULL OR reminder_requester_mailed_at IS NULL))
           OR (escalated_at IS NOT NULL AND escalation_mailed_at IS NULL)
        ORDER BY remind_at
        LIMIT $1`,
      [limit],
    )) as { id: string }[];
    const total = { orders: rows.length, reminded: 0, escalated: 0, mails: 0 };
    for (const { id } of rows) {
      try {
        const outcome = await this.advance(id);
        total.reminded += Number(outcome.reminded);
        total.escalated += Number(outcome.escalated);
        total.mails += outcome.mails;
      } catch (error) {
        // One order's mail server trouble must not stop the others; the next sweep retries it.
        this.logger.warn({ err: error, orderId: id }, 'Service order follow-up failed; retried at the next sweep');
      }
    }
    return total;
  }

  private async claimStep(orderId: string, step: Step): Promise<boolean> {
    return this.live.transaction(async (manager, emit) => {
      const [row] = await rowsOf<StepRow>(
        manager,
        step === 'reminder'
          ? `UPDATE service_orders SET reminder_sent_at = clock_timestamp()
              WHERE id = $1 AND reminder_sent_at IS NULL AND remind_at <= now() AND status IN ${OPEN}
              RETURNING id, site_id, provider_id, status, requester_user_id, due_at, remind_at`
          : `UPDATE service_orders SET escalated_at = clock_timestamp()
              WHERE id = $1 AND escalated_at IS NULL AND reminder_sent_at IS NOT NULL AND escalate_at <= now() AND status IN ${OPEN}
              RETURNING id, site_id, provider_id, status, requester_user_id, due_at, remind_at`,
        [orderId],
      );
      if (!row) return false;
      const payload = { orderId, providerId: row.provider_id, status: row.status, dueAt: row.remind_at.toISOString() };
      if (step === 'reminder') {
        emit(row.site_id, 'service_order.reminder', payload, [row.requester_user_id ? rooms.user(row.requester_user_id) : rooms.supervisors(row.site_id)], {
          private: true,
        });
      } else {
        emit(row.site_id, 'service_order.escalated', payload, [rooms.supervisors(row.site_id)], { private: true });
      }
      await this.audit.record(manager, {
        action: 'update',
        entity: 'service_order',
        entityId: orderId,
        siteId: row.site_id,
        changes: { [step === 'reminder' ? 'reminderSentAt' : 'escalatedAt']: { from: null, to: new Date().toISOString() } },
      });
      return true;
    });
  }

  private async sendMails(orderId: string): Promise<number> {
    const [ctx] = (await this.dataSource.query(
      `SELECT o.number, o.title, o.status, o.due_at, o.remind_at, o.requester_label, u.email AS requester_email,
              p.name AS provider_name, p.email AS provider_email,
              COALESCE(c.email, (SELECT pc.email FROM provider_contacts pc WHERE pc.provider_id = p.id AND pc.email IS NOT NULL
                                  ORDER BY pc.is_primary DESC, pc.created_at LIMIT 1)) AS contact_email,
              s.name AS site_name, s.time_zone,
              ARRAY(SELECT su.email FROM users su JOIN user_sites us ON us.user_id = su.id
                     WHERE us.site_id = o.site_id AND su.active AND su.role IN ('supervisor', 'admin') ORDER BY su.email) AS supervisor_emails
         FROM service_orders o
         JOIN providers p ON p.id = o.provider_id
         JOIN sites s ON s.id = o.site_id
         LEFT JOIN users u ON u.id = o.requester_user_id AND u.active
         LEFT JOIN provider_contacts c ON c.id = o.provider_contact_id
        WHERE o.id = $1`,
      [orderId],
    )) as MailContext[];
    if (!ctx) return 0;
    const orderUrl = `${this.config.publicUrl}/service-orders/${orderId}`;
    const data = (kind: FollowupMailData['kind'], internal: boolean): FollowupMailData => ({
      kind,
      number: Number(ctx.number),
      title: ctx.title,
      providerName: ctx.provider_name,
      siteName: ctx.site_name,
      status: ctx.status,
      dueAt: ctx.remind_at,
      timeZone: ctx.time_zone,
      requesterLabel: ctx.requester_label,
      orderUrl: internal ? orderUrl : null,
    });
    let sent = 0;
    const providerTo = ctx.contact_email ?? ctx.provider_email;
    if (await this.mailOnce(orderId, 'reminder_provider_mailed_at', 'reminder_sent_at', providerTo ? [providerTo] : [], data('reminder_provider', false))) sent++;
    if (await this.mailOnce(orderId, 'reminder_requester_mailed_at', 'reminder_sent_at', ctx.requester_email ? [ctx.requester_email] : [], data('reminder_requester', true)))
      sent++;
    if (await this.mailOnce(orderId, 'escalation_mailed_at', 'escalated_at', ctx.supervisor_emails, data('escalation', true))) sent++;
    return sent;
  }

  /** Claims one mail (its step done, the mail not yet claimed), sends it, and releases the claim if the send fails. */
  private async mailOnce(orderId: string, column: MailColumn, stepColumn: string, to: string[], data: FollowupMailData): Promise<boolean> {
    const claimed = await rowsOf<{ id: string }>(
      this.dataSource.manager,
      `UPDATE service_orders SET ${column} = clock_timestamp() WHERE id = $1 AND ${column} IS NULL AND ${stepColumn} IS NOT NULL RETURNING id`,
      [orderId],
    );
    // Nobody to write to (no address on file) still settles the mail, so the sweep stops looking at it.
    if (claimed.length === 0 || to.length === 0) return false;
    try {
      const { subject, text } = renderFollowupMail(data);
      await this.mailer.send({ to: to.join(', '), subject, text });
      return true;
    } catch (error) {
      await this.dataSource.query(`UPDATE service_orders SET ${column} = NULL WHERE id = $1`, [orderId]);
      throw error;
    }
  }
}
