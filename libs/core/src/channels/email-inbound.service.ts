import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { ValidationError } from '../errors/domain-error';
import type { Principal } from '../identity/principal';
import { assertSiteAccess } from '../identity/site-access';
import { LiveEvents } from '../live/live-events.service';
import { redactRequest } from '../requests/confidentiality';
import type { RequestStatus } from '../requests/request-lifecycle';
import { RequestRecord, RequestsService, RequestTx, RequestView } from '../requests/requests.service';
import { ChannelVisitorsService } from './channel-visitors.service';
import { arrivalTime, InboundEmail, parseInboundEmail, requestFields, threadCandidates } from './email-message';
import { auditedEmail, EmailRecord, emailView, EmailView, insertEmail, SELECT_EMAIL } from './email-messages';

/** `created`: a new request; `threaded`: added to the request of the thread; `duplicate`: this Message-ID was already stored. */
export type InboundOutcome = 'created' | 'threaded' | 'duplicate';

export interface InboundResult {
  outcome: InboundOutcome;
  email: EmailView;
  request: RequestView;
}

interface Stored {
  request: RequestRecord;
  email: EmailRecord;
}

/** A visitor's mail in one of these statuses reopens the request: they answered back, so it is not done. */
const REOPENED_BY_MAIL: readonly RequestStatus[] = ['answered', 'oriented', 'closed'];

/**
 * Mail that reaches a site's mailbox, posted raw by a mail gateway. A message joins the request
 * of its thread (In-Reply-To, then References, against every message stored for the site, ours
 * included), or opens a new request for the sender, recognised or created as a visitor by
 * address. The Message-ID makes it idempotent: a gateway's retry finds the stored message.
 */
@Injectable()
export class EmailInboundService {
  constructor(
    private readonly live: LiveEvents,
    private readonly audit: AuditService,
    private readonly requests: RequestsService,
    private readonly visitors: ChannelVisitorsService,
  ) {}

  async receive(principal: Principal, raw: Buffer, siteId?: string): Promise<InboundResult> {
    const mail = await parseInboundEmail(raw);
    return this.live.transaction(async (manager, emit) => {
      const site = await this.resolveSite(manager, principal, siteId, mail.recipients);
      // Two deliveries of one message (a gateway retrying while the first is in flight) queue here
      // instead of racing to the unique index.
      await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`email:${site}:${mail.messageId}`]);
      const [stored] = (await manager.query(`${SELECT_EMAIL} WHERE e.site_id = $1 AND e.message_id = $2`, [
        site,
        mail.messageId,
      ])) as EmailRecord[];
      if (stored) {
        const request = await this.requests.getRecord(principal, stored.requestId, manager);
        return { outcome: 'duplicate' as const, email: emailView(principal, request, stored), request: redactRequest(principal, request) };
      }
      const tx = { manager, emit };
      const parent = await this.findThread(manager, site, threadCandidates(mail));
      const { request, email } = parent
        ? await this.thread(tx, principal, parent, mail)
        : await this.open(tx, principal, site, mail);
      await this.audit.record(manager, {
        action: 'create',
        entity: 'email_message',
        entityId: email.id,
        siteId: site,
        changes: auditedEmail(email),
      });
      emit(site, 'email.received', { emailId: email.id, requestId: request.id, newRequest: !parent });
      return {
        outcome: parent ? ('threaded' as const) : ('created' as const),
        email: emailView(principal, request, email),
        request: redactRequest(principal, request),
      };
    });
  }

  /** A first message: a new e-mail request, its visitor found or created by the sender's address. */
  private async open(tx: RequestTx, principal: Principal, siteId: string, mail: InboundEmail): Promise<Stored> {
    const visitorId =
      (await this.visitors.byEmail(tx.manager, siteId, mail.from.address)) ??
      (await this.visitors.createFromEmail(tx, principal, siteId, mail.from));
    const request = await this.requests.createWithin(tx, principal, {
      siteId,
      channel: 'email',
      visitorId,
      arrivedAt: arrivalTime(mail.date, new Date()),
      ...requestFields(mail),
    });
    const email = await this.store(tx.manager, siteId, request.id, mail);
    // request.created already announced the request; the timeline still gets the message.
    await this.requests.recordEvent(tx.manager, principal, request.id, 'email_received', timelineData(email, mail));
    return { request, email };
  }

  /**
   * A message of a known thread. An answered, oriented or closed request goes back to in_progress
   * (the visitor wrote again); an automatic message (out-of-office) never reopens anything. A
   * transferred request stays with the service it was sent to.
   */
  private async thread(tx: RequestTx, principal: Principal, requestId: string, mail: InboundEmail): Promise<Stored> {
    let request = await this.requests.lockWithin(tx.manager, principal, requestId);
    const email = await this.store(tx.manager, request.siteId, request.id, mail);
    await this.requests.appendEvent(tx, principal, request.id, 'email_received', timelineData(email, mail));
    if (!mail.automatic && REOPENED_BY_MAIL.includes(request.status)) {
      request = await this.requests.changeStatusWithin(tx, principal, request, { status: 'in_progress' });
    }
    return { request, email };
  }

  private store(manager: EntityManager, siteId: string, requestId: string, mail: InboundEmail): Promise<EmailRecord> {
    return insertEmail(manager, {
      siteId,
      requestId,
      direction: 'inbound',
      messageId: mail.messageId,
      inReplyTo: mail.inReplyTo,
      references: mail.references,
      fromAddress: mail.from.address,
      toAddresses: mail.recipients,
      subject: mail.subject,
      textBody: mail.text,
      status: 'received',
      sentByUserId: null,
    });
  }

  /** The request of the first candidate id stored for the site (ours or the visitor's), in the candidates' order. */
  private async findThread(manager: EntityManager, siteId: string, candidates: string[]): Promise<string | null> {
    if (candidates.length === 0) return null;
    const [row] = (await manager.query(
      `SELECT request_id FROM email_messages WHERE site_id = $1 AND message_id = ANY($2::text[])
        ORDER BY array_position($2::text[], message_id) LIMIT 1`,
      [siteId, candidates],
    )) as { request_id: string }[];
    return row?.request_id ?? null;
  }

  /**
   * The site the mail is for: `siteId` when given; else the caller's only site; else the caller's
   * site whose mailbox (sites.email) is among the recipients.
   */
  private async resolveSite(manager: EntityManager, principal: Principal, siteId: string | undefined, recipients: string[]): Promise<string> {
    if (siteId) {
      assertSiteAccess(principal, siteId);
      return siteId;
    }
    if (principal.siteIds.length === 1) return principal.siteIds[0];
    const sites = (await manager.query(`SELECT id FROM sites WHERE id = ANY($1::uuid[]) AND lower(email) = ANY($2::text[])`, [
      principal.siteIds,
      recipients,
    ])) as { id: string }[];
    if (sites.length === 1) return sites[0].id;
    throw new ValidationError('siteId is required: the caller has several sites and no recipient is the mailbox of exactly one', [
      { field: 'siteId', message: 'siteId must name the site the mail is for' },
    ]);
  }
}

/** The timeline says who wrote and what about; the text is in the thread (GET /requests/{id}/emails). */
function timelineData(email: EmailRecord, mail: InboundEmail): Record<string, unknown> {
  return {
    emailId: email.id,
    messageId: email.messageId,
    from: email.fromAddress,
    subject: email.subject,
    automatic: mail.automatic,
    attachments: mail.attachments,
  };
}
