import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '@guichet/config/app-config';
import { AuditService } from '../audit/audit.service';
import { NotFoundError } from '../errors/domain-error';
import type { Principal } from '../identity/principal';
import { LiveEvents } from '../live/live-events.service';
import { MailerService } from '../mail/mailer.service';
import { canReadConfidential } from '../requests/confidentiality';
import { ConfidentialFieldsError } from '../requests/requests.errors';
import { RequestRecord, RequestsService } from '../requests/requests.service';
import { MailDeliveryError, NoRecipientError, NotRetryableError } from './channels.errors';
import { bareAddress, mailDomain, newMessageId, referencesFor, replySubject } from './email-message';
import { auditedEmail, EmailRecord, emailView, EmailView, findEmail, insertEmail, moveEmailStatus, SELECT_EMAIL } from './email-messages';

export interface EmailReplyInput {
  body: string;
  /** Default: `Re: ` and the subject of the last message (the request's subject when there is none). */
  subject?: string | null;
}

/** The server's answer kept on a failed reply, for the agent who retries. */
const MAX_ERROR_LENGTH = 1000;

/**
 * Replies from the console. Sending is synchronous, so the agent knows at once whether the mail
 * left: the reply is stored `queued` and committed first (its text is never lost, even if the
 * server or this process fails), then handed to the SMTP server, then marked `sent` or `failed`
 * (502 to the caller, retry with `retry`). No transaction is held open while the server answers.
 *
 * Threading: Message-ID on the site's mail domain, In-Reply-To the last message of the thread
 * that did not fail, References its chain; Reply-To the site's mailbox, so the visitor's answer
 * comes back through the inbound gateway and threads into the same request.
 */
@Injectable()
export class EmailRepliesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly live: LiveEvents,
    private readonly audit: AuditService,
    private readonly requests: RequestsService,
    private readonly mailer: MailerService,
    private readonly config: AppConfig,
  ) {}

  /** The request's mails, both ways, in the order Guichet received or wrote them. */
  async thread(principal: Principal, requestId: string, page: { page: number; limit: number }): Promise<{ items: EmailView[]; total: number }> {
    const request = await this.requests.getRecord(principal, requestId);
    const [{ total }] = (await this.dataSource.query(`SELECT count(*)::int AS total FROM email_messages WHERE request_id = $1`, [requestId])) as {
      total: number;
    }[];
    const rows = (await this.dataSource.query(`${SELECT_EMAIL} WHERE e.request_id = $1 ORDER BY e.at, e.id LIMIT $2 OFFSET $3`, [
      requestId,
      page.limit,
      (page.page - 1) * page.limit,
    ])) as EmailRecord[];
    return { items: rows.map((row) => emailView(principal, request, row)), total };
  }

  async reply(principal: Principal, requestId: string, input: EmailReplyInput): Promise<EmailView> {
    const queued = await this.live.transaction(async (manager, emit) => {
      const tx = { manager, emit };
      let request = await this.requests.lockWithin(manager, principal, requestId);
      assertMayAnswer(principal, request);
      const [parent] = (await manager.query(
        `${SELECT_EMAIL} WHERE e.request_id = $1 AND e.status <> 'failed' ORDER BY e.at DESC, e.id DESC LIMIT 1`,
        [request.id],
      )) as EmailRecord[];
      const to = await this.recipient(manager, request);
      const [site] = (await manager.query(`SELECT email FROM sites WHERE id = $1`, [request.siteId])) as { email: string | null }[];
      const sender = this.config.get('MAIL_FROM');
      const email = await insertEmail(manager, {
        siteId: request.siteId,
        requestId: request.id,
        direction: 'outbound',
        messageId: newMessageId(mailDomain(site.email) ?? mailDomain(sender) ?? 'guichet.local'),
        inReplyTo: parent?.messageId ?? null,
        references: parent ? referencesFor(parent) : [],
        fromAddress: bareAddress(sender),
        toAddresses: [to],
        subject: input.subject?.trim() || (parent ? replySubject(parent.subject || request.subject) : request.subject),
        textBody: input.body,
        status: 'queued',
        sentByUserId: principal.kind === 'user' ? principal.id : null,
      });
      // Answering a request nobody took yet means taking it (as a transfer from the desk does).
      if (request.status === 'open') request = await this.requests.changeStatusWithin(tx, principal, request, { status: 'in_progress' });
      await this.requests.appendEvent(tx, principal, request.id, 'email_queued', {
        emailId: email.id,
        messageId: email.messageId,
        to: email.toAddresses,
        subject: email.subject,
      });
      await this.audit.record(manager, {
        action: 'create',
        entity: 'email_message',
        entityId: email.id,
        siteId: email.siteId,
        changes: auditedEmail(email),
      });
      return email;
    });
    return this.deliver(principal, queued);
  }

  /** Sends a failed reply again. Claiming it back to `queued` lets only one of two concurrent retries send it. */
  async retry(principal: Principal, requestId: string, emailId: string): Promise<EmailView> {
    const claimed = await this.live.transaction(async (manager, emit) => {
      const request = await this.requests.lockWithin(manager, principal, requestId);
      assertMayAnswer(principal, request);
      const current = await findEmail(manager, emailId);
      if (!current || current.requestId !== request.id || current.direction !== 'outbound') throw new NotFoundError('E-mail', emailId);
      const email = await moveEmailStatus(manager, emailId, 'failed', 'queued', null);
      if (!email) throw new NotRetryableError(emailId, current.status);
      await this.requests.appendEvent({ manager, emit }, principal, request.id, 'email_queued', {
        emailId,
        messageId: email.messageId,
        to: email.toAddresses,
        subject: email.subject,
        retry: true,
      });
      await this.audit.record(manager, {
        action: 'update',
        entity: 'email_message',
        entityId: emailId,
        siteId: email.siteId,
        changes: { status: { from: 'failed', to: 'queued' } },
      });
      return email;
    });
    return this.deliver(principal, claimed);
  }

  /** Hands a queued reply to the SMTP server, then records the outcome; 502 when the server did not take it. */
  private async deliver(principal: Principal, email: EmailRecord): Promise<EmailView> {
    const [site] = (await this.dataSource.query(`SELECT email FROM sites WHERE id = $1`, [email.siteId])) as { email: string | null }[];
    let error: string | null = null;
    try {
      await this.mailer.send({
        to: email.toAddresses.join(', '),
        subject: email.subject,
        text: email.textBody,
        messageId: email.messageId,
        ...(site.email ? { replyTo: site.email } : {}),
        ...(email.inReplyTo ? { inReplyTo: email.inReplyTo } : {}),
        ...(email.references.length > 0 ? { references: email.references } : {}),
      });
    } catch (failure) {
      error = (failure instanceof Error ? failure.message : String(failure)).slice(0, MAX_ERROR_LENGTH);
    }
    const status = error === null ? 'sent' : 'failed';
    const done = await this.live.transaction(async (manager, emit) => {
      const moved = await moveEmailStatus(manager, email.id, 'queued', status, error);
      // Only this call holds the queued reply; it is gone only if its request was deleted meanwhile.
      if (!moved) throw new NotFoundError('E-mail', email.id);
      await this.requests.appendEvent({ manager, emit }, principal, email.requestId, `email_${status}`, {
        emailId: email.id,
        ...(error === null ? {} : { error }),
      });
      await this.audit.record(manager, {
        action: 'update',
        entity: 'email_message',
        entityId: email.id,
        siteId: email.siteId,
        changes: { status: { from: 'queued', to: status } },
      });
      emit(email.siteId, error === null ? 'email.sent' : 'email.failed', { emailId: email.id, requestId: email.requestId });
      return moved;
    });
    if (error !== null) throw new MailDeliveryError(email.id);
    return done;
  }

  /** The visitor's address, else the sender of the last mail received for the request. */
  private async recipient(manager: EntityManager, request: RequestRecord): Promise<string> {
    const [row] = (await manager.query(
      `SELECT coalesce(
         (SELECT nullif(trim(v.email), '') FROM visitors v WHERE v.id = $2),
         (SELECT e.from_address FROM email_messages e WHERE e.request_id = $1 AND e.direction = 'inbound' ORDER BY e.at DESC, e.id DESC LIMIT 1)
       ) AS address`,
      [request.id, request.visitorId],
    )) as { address: string | null }[];
    if (!row.address) throw new NoRecipientError(request.id);
    return row.address;
  }
}

/** Mails of a confidential request are read like its notes; answering blind is not allowed either. */
function assertMayAnswer(principal: Principal, request: RequestRecord): void {
  if (!canReadConfidential(principal, request)) {
    throw new ConfidentialFieldsError('Only the author’s service, supervisors and admins answer a confidential request by mail');
  }
}
