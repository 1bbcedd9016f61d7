import { createHash, randomUUID } from 'node:crypto';
import { AddressObject, simpleParser } from 'mailparser';
import { ValidationError } from '../errors/domain-error';

/** Largest raw message the inbound endpoint takes (attachments included). */
export const MAX_RAW_EMAIL_BYTES = 10 * 1024 * 1024;

/** Subject of a request created from a mail without one. */
export const NO_SUBJECT = '(sans objet)';

/** Longest request subject and notes, as the requests API accepts them (the full text stays in the thread). */
const REQUEST_SUBJECT_MAX = 300;
const REQUEST_NOTES_MAX = 10000;

/** RFC 5322 advises trimming long References; the first id (the thread's root) and the latest ones matter most. */
const MAX_REFERENCES = 20;

const MESSAGE_ID = /<[^<>\s]+>/g;
const ADDRESS = /^[^\s@<>]+@[^\s@<>]+$/;

/** An inbound message as Guichet keeps it. */
export interface InboundEmail {
  /** `<id@domain>`; derived from the raw bytes when the message has none, so a re-post is still recognised. */
  messageId: string;
  /** The first id of In-Reply-To, if any. */
  inReplyTo: string | null;
  references: string[];
  from: { address: string; name: string | null };
  /** To and Cc addresses, lower-cased. */
  recipients: string[];
  subject: string;
  /** The Date header, when present and readable. */
  date: Date | null;
  text: string;
  /** Auto-Submitted (RFC 3834) or Precedence bulk/junk/auto_reply: an out-of-office reply, a list, a robot. */
  automatic: boolean;
  attachments: string[];
}

/** Parses a raw RFC 822 message; 400 when it is not one or has no sender address. */
export async function parseInboundEmail(raw: Buffer): Promise<InboundEmail> {
  const invalid = (message: string) => new ValidationError(message, [{ field: 'body', message }]);
  if (raw.length === 0) throw invalid('The body must be a raw RFC 822 message');
  let parsed: Awaited<ReturnType<typeof simpleParser>>;
  try {
    parsed = await simpleParser(raw, { skipTextToHtml: true, skipImageLinks: true });
  } catch {
    throw invalid('The body is not a readable RFC 822 message');
  }
  const sender = parsed.from?.value.find((mailbox) => mailbox.address && ADDRESS.test(mailbox.address));
  if (!sender?.address) throw invalid('The message has no From address');
  const autoSubmitted = headerText(parsed.headers.get('auto-submitted')).toLowerCase();
  const precedence = headerText(parsed.headers.get('precedence')).toLowerCase();
  return {
    messageId: messageIds(parsed.messageId)[0] ?? `<${createHash('sha256').update(raw).digest('hex').slice(0, 40)}@guichet.generated>`,
    inReplyTo: messageIds(parsed.inReplyTo)[0] ?? null,
    references: messageIds(parsed.references),
    from: { address: sender.address, name: sender.name?.trim() || null },
    recipients: [...new Set(addresses(parsed.to).concat(addresses(parsed.cc)))],
    subject: parsed.subject?.trim() ?? '',
    date: parsed.date && !Number.isNaN(parsed.date.getTime()) ? parsed.date : null,
    text: parsed.text ?? '',
    automatic: (autoSubmitted !== '' && autoSubmitted !== 'no') || ['bulk', 'junk', 'list', 'auto_reply'].includes(precedence),
    attachments: parsed.attachments.map((attachment) => attachment.filename ?? attachment.contentType),
  };
}

/** Every `<id>` of a Message-ID, In-Reply-To or References header, in order. */
export function messageIds(header: string | string[] | undefined): string[] {
  const text = Array.isArray(header) ? header.join(' ') : (header ?? '');
  return [...new Set(text.match(MESSAGE_ID) ?? [])];
}

/** Ids that may name the message this one answers, most direct first: In-Reply-To, then References from the latest. */
export function threadCandidates(mail: Pick<InboundEmail, 'inReplyTo' | 'references'>): string[] {
  return [...new Set([...(mail.inReplyTo ? [mail.inReplyTo] : []), ...[...mail.references].reverse()])];
}

/** References of a reply to `parent`: the parent's chain and the parent itself, trimmed to the root and the latest ids. */
export function referencesFor(parent: { messageId: string; references: string[] }): string[] {
  const chain = [...new Set([...parent.references, parent.messageId])];
  return chain.length <= MAX_REFERENCES ? chain : [chain[0], ...chain.slice(chain.length - MAX_REFERENCES + 1)];
}

export function replySubject(subject: string): string {
  const trimmed = subject.trim() || NO_SUBJECT;
  return /^re\s*:/i.test(trimmed) ? trimmed : `Re: ${trimmed}`;
}

export function newMessageId(domain: string): string {
  return `<${randomUUID()}@${domain}>`;
}

/** The domain of `a@b.c` or `Name <a@b.c>`, lower-cased; null when there is none. */
export function mailDomain(address: string | null | undefined): string | null {
  const match = /@([A-Za-z0-9.-]+)>?\s*$/.exec(address?.trim() ?? '');
  return match ? match[1].toLowerCase() : null;
}

/** The address of `a@b.c` or `Name <a@b.c>`. */
export function bareAddress(address: string): string {
  return /<([^<>]+)>\s*$/.exec(address)?.[1].trim() ?? address.trim();
}

/**
 * First and last names from a From display name: "Dupré, Héloïse" (last name first), "DUPRÉ
 * Héloïse" (the capitalised words are the last name, a French administrative habit), otherwise
 * the first word is the first name. A name that is an address is no name.
 */
export function nameParts(displayName: string | null): { firstName: string | null; lastName: string | null } {
  const name = displayName?.replace(/["']/g, ' ').replace(/\s+/g, ' ').trim() ?? '';
  if (!name || name.includes('@')) return { firstName: null, lastName: null };
  const comma = name.indexOf(',');
  if (comma > 0) return { firstName: name.slice(comma + 1).trim() || null, lastName: name.slice(0, comma).trim() };
  const words = name.split(' ');
  const capitalised = (word: string) => /\p{L}{2}/u.test(word) && word === word.toUpperCase();
  const upper = words.filter(capitalised);
  if (upper.length > 0 && upper.length < words.length) {
    return { firstName: words.filter((word) => !capitalised(word)).join(' '), lastName: upper.join(' ') };
  }
  return { firstName: words[0], lastName: words.slice(1).join(' ') || null };
}

/** When the person wrote: the Date header, never later than now (a sender's clock may run ahead). */
export function arrivalTime(date: Date | null, now: Date): Date {
  return date && date.getTime() < now.getTime() ? date : now;
}

/** Subject and notes of a request opened by a mail: the full text stays in the thread. */
export function requestFields(mail: Pick<InboundEmail, 'subject' | 'text'>): { subject: string; notes: string | null } {
  const text = mail.text.trim();
  return { subject: (mail.subject || NO_SUBJECT).slice(0, REQUEST_SUBJECT_MAX), notes: text ? text.slice(0, REQUEST_NOTES_MAX) : null };
}

function addresses(field: AddressObject | AddressObject[] | undefined): string[] {
  const groups = Array.isArray(field) ? field : field ? [field] : [];
  return groups.flatMap((group) => group.value.flatMap((mailbox) => [mailbox.address, ...(mailbox.group ?? []).map((m) => m.address)]))
    .filter((address): address is string => !!address && ADDRESS.test(address))
    .map((address) => address.toLowerCase());
}

function headerText(value: unknown): string {
  if (typeof value === 'string') return value.trim();
  if (value && typeof value === 'object' && 'value' in value && typeof value.value === 'string') return value.value.trim();
  return '';
}
