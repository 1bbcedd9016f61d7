import { BadRequestException, createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

/**
 * Reads optimistic-concurrency intent from `If-Match: "<version>"` (the version the client last
 * read). Absent means "last write wins" for clients that do not care.
 */
export const ExpectedVersion = createParamDecorator((_: unknown, ctx: ExecutionContext): number | undefined => {
  const header = ctx.switchToHttp().getRequest<FastifyRequest>().headers['if-match'];
  if (header === undefined || header === '') return undefined;
  const match = /^(?:W\/)?"?(\d{1,9})"?$/.exec(String(header).trim());
  if (!match) {
    throw new BadRequestException({
      code: 'validation_failed',
      message: 'If-Match must be the record version, e.g. "3"',
      errors: [{ field: 'If-Match', message: 'must be a version number' }],
    });
  }
  return Number(match[1]);
});
