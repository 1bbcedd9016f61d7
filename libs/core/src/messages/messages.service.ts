import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { rowsOf } from '@guichet/database/sql';
import { rooms } from '@guichet/live/rooms';
import { AuditService } from '../audit/audit.service';
import { ForbiddenError, NotFoundError, UnprocessableError, ValidationError } from '../errors/domain-error';
import { Principal, roleAtLeast, UserPrincipal } from '../identity/principal';
import { assertSiteAccess } from '../identity/site-access';
import { IdempotencyService } from '../idempotency/idempotency.service';
import { LiveEvents } from '../live/live-events.service';

export const MESSAGE_KINDS = ['message', 'management_report'] as const;
export const MESSAGE_RECIPIENT_TYPES = ['user', 'service', 'site', 'supervisors'] as const;
export const MESSAGE_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;

export type MessageKind = (typeof MESSAGE_KINDS)[number];
export type MessageRecipientType = (typeof MESSAGE_RECIPIENT_TYPES)[number];
export type MessagePriority = (typeof MESSAGE_PRIORITIES)[number];

export interface SendMessageInput {
  siteId: string;
  kind: MessageKind;
  /** Implied (supervisors) for a report to management. */
  recipientType?: MessageRecipientType;
  recipientUserId?: string;
  recipientServiceId?: string;
  priority: MessagePriority;
  subject: string;
  body: string;
  expiresAt?: Date;
}

export interface MessageView {
  id: string;
  siteId: string;
  kind: MessageKind;
  senderUserId: string | null;
  senderName: string | null;
  recipientType: MessageRecipientType;
  recipientUserId: string | null;
  recipientServiceId: string | null;
  priority: MessagePriority;
  subject: string;
  body: string;
  expiresAt: Date | null;
  createdAt: Date;
  /** Still to be read: not expired. */
  active: boolean;
  /** In the inbox: when the caller read it (null: unread). */
  readAt?: Date | null;
  /** In the outbox and for the sender: how many had to read it and how many did. */
  recipientCount?: number;
  readCount?: number;
}

export interface MessageReceipt {
  userId: string;
  displayName: string;
  readAt: Date | null;
}

export interface MessageDetailView extends MessageView {
  /** Who had to read it and when they did: for the sender, supervisors and admins. */
  receipts?: MessageReceipt[];
}

export interface MessageQuery {
  siteId?: string;
  /** active: not expired (default); all: also expired ones. */
  status: 'active' | 'all';
  unreadOnly?: boolean;
  page: number;
  limit: number;
}

interface MessageRow {
  id: string;
  site_id: string;
  kind: MessageKind;
  sender_user_id: string | null;
  sender_name: string | null;
  recipient_type: MessageRecipientType;
  recipient_user_id: string | null;
  recipient_service_id: string | null;
  priority: MessagePriority;
  subject: string;
  body: string;
  expires_at: Date | null;
  created_at: Date;
  active: boolean;
  read_at?: Date | null;
  recipient_count?: number;
  read_count?: number;
}

const SELECT = `m.*, (m.expires_at IS NULL OR m.expires_at > now()) AS active, su.display_name AS sender_name`;
const PRIORITY_RANK = `CASE m.priority WHEN 'urgent' THEN 0 WHEN 'high' THEN 1 WHEN 'normal' THEN 2 ELSE 3 END`;

/**
 * Internal messages (C2.1 "transmettre, remonter une information"): to a colleague, a service,
 * a whole site, or a report to management (the site's supervisors). Recipients are resolved when
 * the message is sent, one row each, which carries the read receipt.
 */
@Injectable()
export class MessagesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly live: LiveEvents,
    private readonly audit: AuditService,
    private readonly idempotency: IdempotencyService,
  ) {}

  /** With an Idempotency-Key, a retry (a tablet losing the network) returns the first message instead of sending it twice. */
  async send(principal: Principal, input: SendMessageInput, idempotencyKey?: string): Promise<{ message: MessageDetailView; replayed: boolean }> {
    const user = requireUser(principal);
    assertSiteAccess(principal, input.siteId);
    const recipientType = input.kind === 'management_report' ? 'supervisors' : input.recipientType;
    if (input.kind === 'management_report' && input.recipientType && input.recipientType !== 'supervisors') {
      throw new ValidationError('A report to management goes to the supervisors', [{ field: 'recipientType', message: 'must be supervisors or omitted for management_report' }]);
    }
    if (!recipientType) throw new ValidationError('recipientType is required', [{ field: 'recipientType', message: 'is required' }]);
    if (recipientType === 'user' && !input.recipientUserId) throw new ValidationError('recipientUserId is required', [{ field: 'recipientUserId', message: 'is required for a user' }]);
    if (recipientType === 'service' && !input.recipientServiceId) {
      throw new ValidationError('recipientServiceId is required', [{ field: 'recipientServiceId', message: 'is required for a service' }]);
    }
    if (recipientType !== 'user' && input.recipientUserId) throw new ValidationError('recipientUserId is only for a user', [{ field: 'recipientUserId', message: 'only with recipientType user' }]);
    if (recipientType !== 'service' && input.recipientServiceId) {
      throw new ValidationError('recipientServiceId is only for a service', [{ field: 'recipientServiceId', message: 'only with recipientType service' }]);
    }
    if (input.expiresAt && input.expiresAt.getTime() <= Date.now()) throw new ValidationError('expiresAt is past', [{ field: 'expiresAt', message: 'must be in the future' }]);

    const result = await this.idempotency.run(principal, idempotencyKey, 'messages.send', input, async (manager, emit) => {
      if (recipientType === 'service') {
        const [service] = (await manager.query(`SELECT id FROM services WHERE id = $1 AND site_id = $2`, [input.recipientServiceId, input.siteId])) as unknown[];
        if (!service) throw new NotFoundError('Service', input.recipientServiceId);
      }
      const recipients = (await manager.query(
        `SELECT u.id FROM users u JOIN user_sites us ON us.user_id = u.id AND us.site_id = $1
          WHERE u.active AND CASE $2
            WHEN 'user' THEN u.id = $3
            WHEN 'service' THEN u.service_id = $4 AND u.id <> $5
            WHEN 'supervisors' THEN u.role IN ('supervisor', 'admin') AND u.id <> $5
            ELSE u.id <> $5 END
          ORDER BY u.id`,
        [input.siteId, recipientType, input.recipientUserId ?? null, input.recipientServiceId ?? null, user.id],
      )) as { id: string }[];
      if (recipientType === 'user' && recipients.length === 0) throw new NotFoundError('User', input.recipientUserId);
      if (recipients.length === 0) throw new UnprocessableError('Nobody would receive this message', 'no_recipients');
      const [row] = (await manager.query(
        `INSERT INTO messages (site_id, sender_user_id, kind, recipient_type, recipient_user_id, recipient_service_id, priority, subject, body, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
        [input.siteId, user.id, input.kind, recipientType, input.recipientUserId ?? null, input.recipientServiceId ?? null, input.priority, input.subject.trim(), input.body, input.expiresAt ?? null],
      )) as { id: string }[];
      await manager.query(`INSERT INTO message_recipients (message_id, user_id) SELECT $1, unnest($2::uuid[])`, [row.id, recipients.map((r) => r.id)]);
      await this.audit.record(manager, {
        action: 'create',
        entity: 'message',
        entityId: row.id,
        siteId: input.siteId,
        // The body stays out of the audit log: it is kept with the message.
        changes: {
          kind: { to: input.kind },
          recipientType: { to: recipientType },
          ...(input.recipientUserId ? { recipientUserId: { to: input.recipientUserId } } : {}),
          ...(input.recipientServiceId ? { recipientServiceId: { to: input.recipientServiceId } } : {}),
          priority: { to: input.priority },
          recipients: { to: recipients.length },
        },
      });
      const extra = [
        ...(recipientType === 'service' ? [rooms.service(input.recipientServiceId!)] : []),
        ...(recipientType === 'supervisors' ? [rooms.supervisors(input.siteId)] : []),
        ...recipients.map((r) => rooms.user(r.id)),
      ];
      emit(input.siteId, 'message.received', { messageId: row.id, kind: input.kind, priority: input.priority, recipientType, senderUserId: user.id }, extra, { private: true });
      return { status: 201, body: { id: row.id } };
    });
    return { message: await this.get(principal, result.body.id), replayed: result.replayed };
  }

  async inbox(principal: Principal, query: MessageQuery): Promise<{ items: MessageView[]; total: number; unread: number }> {
    const user = requireUser(principal);
    if (query.siteId) assertSiteAccess(principal, query.siteId);
    const params: unknown[] = [user.id, query.siteId ? [query.siteId] : user.siteIds];
    const where = ['r.user_id = $1', 'm.site_id = ANY($2::uuid[])'];
    if (query.status === 'active') where.push('(m.expires_at IS NULL OR m.expires_at > now())');
    if (query.unreadOnly) where.push('r.read_at IS NULL');
    const from = `FROM message_recipients r JOIN messages m ON m.id = r.message_id LEFT JOIN users su ON su.id = m.sender_user_id WHERE ${where.join(' AND ')}`;
    const [{ total, unread }] = (await this.dataSource.query(`SELECT count(*)::int AS total, count(*) FILTER (WHERE r.read_at IS NULL)::int AS unread ${from}`, params)) as {
      total: number;
      unread: number;
    }[];
    const rows = (await this.dataSource.query(
      `SELECT ${SELECT}, r.read_at ${from}
        ORDER BY (r.read_at IS NULL) DESC, ${PRIORITY_RANK}, m.created_at DESC, m.id DESC
        LIMIT $3 OFFSET $4`,
      [...params, query.limit, (query.page - 1) * query.limit],
    )) as MessageRow[];
    return { items: rows.map(toView), total, unread };
  }

  async outbox(principal: Principal, query: MessageQuery): Promise<{ items: MessageView[]; total: number }> {
    const user = requireUser(principal);
    if (query.siteId) assertSiteAccess(principal, query.siteId);
    const params: unknown[] = [user.id, query.siteId ? [query.siteId] : user.siteIds];
    const where = ['m.sender_user_id = $1', 'm.site_id = ANY($2::uuid[])'];
    if (query.status === 'active') where.push('(m.expires_at IS NULL OR m.expires_at > now())');
    const [{ total }] = (await this.dataSource.query(`SELECT count(*)::int AS total FROM messages m WHERE ${where.join(' AND ')}`, params)) as { total: number }[];
    const rows = (await this.dataSource.query(
      `SELECT ${SELECT},
              (SELECT count(*)::int FROM message_recipients r WHERE r.message_id = m.id) AS recipient_count,
              (SELECT count(*)::int FROM message_recipients r WHERE r.message_id = m.id AND r.read_at IS NOT NULL) AS read_count
         FROM messages m LEFT JOIN users su ON su.id = m.sender_user_id
        WHERE ${where.join(' AND ')}
        ORDER BY m.created_at DESC, m.id DESC LIMIT $3 OFFSET $4`,
      [...params, query.limit, (query.page - 1) * query.limit],
    )) as MessageRow[];
    return { items: rows.map(toView), total };
  }

  /** Unread, not expired messages of the caller (the console's badge); `urgent` counts the urgent and high ones. */
  async unreadCount(principal: Principal, siteId?: string): Promise<{ unread: number; urgent: number }> {
    const user = requireUser(principal);
    if (siteId) assertSiteAccess(principal, siteId);
    const [row] = (await this.dataSource.query(
      `SELECT count(*)::int AS unread, count(*) FILTER (WHERE m.priority IN ('high', 'urgent'))::int AS urgent
         FROM message_recipients r JOIN messages m ON m.id = r.message_id
        WHERE r.user_id = $1 AND r.read_at IS NULL AND m.site_id = ANY($2::uuid[]) AND (m.expires_at IS NULL OR m.expires_at > now())`,
      [user.id, siteId ? [siteId] : user.siteIds],
    )) as { unread: number; urgent: number }[];
    return row;
  }

  /** Readable by its sender and recipients, and by the site's supervisors and admins; receipts for the sender, supervisors and admins. */
  async get(principal: Principal, id: string): Promise<MessageDetailView> {
    const user = requireUser(principal);
    const [row] = (await this.dataSource.query(
      `SELECT ${SELECT}, r.read_at, (r.user_id IS NOT NULL) AS is_recipient
         FROM messages m LEFT JOIN users su ON su.id = m.sender_user_id
         LEFT JOIN message_recipients r ON r.message_id = m.id AND r.user_id = $2
        WHERE m.id = $1`,
      [id, user.id],
    )) as (MessageRow & { is_recipient: boolean })[];
    const supervisor = roleAtLeast(user.role, 'supervisor');
    const sender = row?.sender_user_id === user.id;
    if (!row || !user.siteIds.includes(row.site_id) || !(row.is_recipient || sender || supervisor)) throw new NotFoundError('Message', id);
    const view: MessageDetailView = toView(row);
    if (!row.is_recipient) delete view.readAt;
    if (sender || supervisor) {
      const receipts = (await this.dataSource.query(
        `SELECT r.user_id, u.display_name, r.read_at FROM message_recipients r JOIN users u ON u.id = r.user_id
          WHERE r.message_id = $1 ORDER BY r.read_at NULLS LAST, u.display_name`,
        [id],
      )) as { user_id: string; display_name: string; read_at: Date | null }[];
      view.receipts = receipts.map((r) => ({ userId: r.user_id, displayName: r.display_name, readAt: r.read_at }));
      view.recipientCount = receipts.length;
      view.readCount = receipts.filter((r) => r.read_at !== null).length;
    }
    return view;
  }

  /** Whom the caller can write to on a site: its active colleagues and services (names only). */
  async recipients(principal: Principal, siteId: string): Promise<{ users: { id: string; displayName: string; role: string; serviceId: string | null }[]; services: { id: string; name: string }[] }> {
    requireUser(principal);
    assertSiteAccess(principal, siteId);
    const users = (await this.dataSource.query(
      `SELECT u.id, u.display_name AS "displayName", u.role, u.service_id AS "serviceId"
         FROM users u JOIN user_sites us ON us.user_id = u.id AND us.site_id = $1
        WHERE u.active ORDER BY u.display_name, u.id`,
      [siteId],
    )) as { id: string; displayName: string; role: string; serviceId: string | null }[];
    const services = (await this.dataSource.query(`SELECT id, name FROM services WHERE site_id = $1 AND active ORDER BY name`, [siteId])) as { id: string; name: string }[];
    return { users, services };
  }

  /** Idempotent: reading again keeps the first read time. The sender gets the receipt live. */
  async markRead(principal: Principal, id: string): Promise<MessageDetailView> {
    const user = requireUser(principal);
    await this.live.transaction(async (manager, emit) => {
      const [target] = (await manager.query(
        `SELECT m.site_id, m.sender_user_id, r.read_at FROM messages m JOIN message_recipients r ON r.message_id = m.id AND r.user_id = $2 WHERE m.id = $1`,
        [id, user.id],
      )) as { site_id: string; sender_user_id: string | null; read_at: Date | null }[];
      if (!target || !user.siteIds.includes(target.site_id)) throw new NotFoundError('Message', id);
      const [read] = await rowsOf<{ read_at: Date }>(
        manager,
        `UPDATE message_recipients SET read_at = clock_timestamp() WHERE message_id = $1 AND user_id = $2 AND read_at IS NULL RETURNING read_at`,
        [id, user.id],
      );
      if (!read || !target.sender_user_id) return;
      emit(target.site_id, 'message.read', { messageId: id, userId: user.id, readAt: read.read_at.toISOString() }, [rooms.user(target.sender_user_id)], { private: true });
    });
    return this.get(principal, id);
  }
}

function requireUser(principal: Principal): UserPrincipal {
  if (principal.kind !== 'user') throw new ForbiddenError('Messages are between signed-in staff');
  return principal;
}

function toView(r: MessageRow): MessageView {
  return {
    id: r.id,
    siteId: r.site_id,
    kind: r.kind,
    senderUserId: r.sender_user_id,
    senderName: r.sender_name,
    recipientType: r.recipient_type,
    recipientUserId: r.recipient_user_id,
    recipientServiceId: r.recipient_service_id,
    priority: r.priority,
    subject: r.subject,
    body: r.body,
    expiresAt: r.expires_at,
    createdAt: r.created_at,
    active: r.active,
    ...(r.read_at !== undefined ? { readAt: r.read_at } : {}),
    ...(r.recipient_count !== undefined ? { recipientCount: r.recipient_count, readCount: r.read_count } : {}),
  };
}
