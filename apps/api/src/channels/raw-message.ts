import type { FastifyInstance } from 'fastify';
import { MAX_RAW_EMAIL_BYTES } from '@guichet/core/channels/email-message';
import { ValidationError } from '@guichet/core/errors/domain-error';

export const RFC822 = 'message/rfc822';

/**
 * Lets Fastify take `message/rfc822` bodies as raw bytes, up to the size of a mail with its
 * attachments (the API's default limit stays 1 MB for everything else, text/plain included).
 */
export function acceptRawMessages(fastify: FastifyInstance): void {
  if (fastify.hasContentTypeParser(RFC822)) return;
  fastify.addContentTypeParser(RFC822, { parseAs: 'buffer', bodyLimit: MAX_RAW_EMAIL_BYTES }, (_request, body, done) => done(null, body));
}

/** The body as bytes: a Buffer (message/rfc822) or a string (text/plain); anything else was sent as another type. */
export function rawMessage(body: unknown): Buffer {
  if (Buffer.isBuffer(body)) return body;
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  throw new ValidationError('Send the raw message as message/rfc822 or text/plain', [
    { field: 'body', message: 'body must be a raw RFC 822 message' },
  ]);
}
