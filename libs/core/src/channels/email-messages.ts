import type { EntityManager } from 'typeorm';
import { rowsOf } from '@guichet/database/sql';
import type { Principal } from '../identity/principal';
import { canReadConfidential, ConfidentialityContext } from '../requests/confidentiality';

export const EMAIL_DIRECTIONS = ['inbound', 'outbound'] as const;
export type EmailDirection = (typeof EMAIL_DIRECTIONS)[number];

/** Inbound mails are `received`; replies go `queued` → `sent`, or `failed` (and back to `queued` on a retry). */
export const EMAIL_STATUSES = ['received', 'queued', 'sent', 'failed'] as const;
export type EmailStatus = (typeof EMAIL_STATUSES)[number];

export interface EmailRecord {
  id: string;
  siteId: string;
  requestId: string;
  direction: EmailDirection;
  messageId: string;
  inReplyTo: string | null;
  references: string[];
  fromAddress: string;
  toAddresses: string[];
  subject: string;
  textBody: string;
  status: EmailStatus;
  /** The mail server's answer when sending failed. */
  error: string | null;
  sentByUserId: string | null;
  /** When Guichet received or queued it: the thread's order. */
  at: Date;
}

/** An e-mail as a caller sees it: the text is absent when the request is confidential and the caller may not read it. */
export type EmailView = Omit<EmailRecord, 'textBody'> & { textBody?: string };

export type NewEmail = Omit<EmailRecord, 'id' | 'at' | 'error'>;

export const SELECT_EMAIL = `
  SELECT e.id, e.site_id AS "siteId", e.request_id AS "requestId", e.direction, e.message_id AS "messageId",
         e.in_reply_to AS "inReplyTo", e."references", e.from_address AS "fromAddress", e.to_addresses AS "toAddresses",
         e.subject, e.text_body AS "textBody", e.status, e.error, e.sent_by_user_id AS "sentByUserId", e.at
    FROM email_messages e`;

export async function insertEmail(manager: EntityManager, email: NewEmail): Promise<EmailRecord> {
  const [{ id }] = (await manager.query(
    `INSERT INTO email_messages (site_id, request_id, direction, message_id, in_reply_to, "references", from_address,
                                 to_addresses, subject, text_body, status, sent_by_user_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
    [
      email.siteId,
      email.requestId,
      email.direction,
      email.messageId,
      email.inReplyTo,
      email.references,
      email.fromAddress,
      email.toAddresses,
      email.subject,
      email.textBody,
      email.status,
      email.sentByUserId,
    ],
  )) as { id: string }[];
  return (await findEmail(manager, id))!;
}

export async function findEmail(manager: Pick<EntityManager, 'query'>, id: string): Promise<EmailRecord | undefined> {
  const [row] = await rowsOf<EmailRecord>(manager, `${SELECT_EMAIL} WHERE e.id = $1`, [id]);
  return row;
}

/** Sets an e-mail's status only if it is still `from` (a claim: of two concurrent callers one wins); undefined otherwise. */
export async function moveEmailStatus(
  manager: EntityManager,
  id: string,
  from: EmailStatus,
  to: EmailStatus,
  error: string | null,
): Promise<EmailRecord | undefined> {
  const claimed = await rowsOf<{ id: string }>(
    manager,
    `UPDATE email_messages SET status = $3, error = $4 WHERE id = $1 AND status = $2 RETURNING id`,
    [id, from, to, error],
  );
  return claimed.length > 0 ? findEmail(manager, id) : undefined;
}

/** The e-mail as `principal` may see it: a confidential request's mails are read like its notes. */
export function emailView(principal: Principal, request: ConfidentialityContext, email: EmailRecord): EmailView {
  if (canReadConfidential(principal, request)) return email;
  const { textBody: _textBody, ...rest } = email;
  return rest;
}

/** What the audit keeps of an e-mail: its place in the thread and its fate, not its addresses or text. */
export function auditedEmail(email: EmailRecord): Record<string, { to: unknown }> {
  return {
    requestId: { to: email.requestId },
    direction: { to: email.direction },
    messageId: { to: email.messageId },
    status: { to: email.status },
  };
}
