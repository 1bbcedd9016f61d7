import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { QueryFailedError } from 'typeorm';
import { DomainError, FieldError } from '@guichet/core/errors/domain-error';
import { Problem, PROBLEM_CONTENT_TYPE, problemTitle, problemType } from '@guichet/core/errors/problem';

/** PostgreSQL error codes that can only come from a client's input racing another write. */
const PG_CLIENT_ERRORS: Record<string, { status: number; code: string; detail: string }> = {
  '23505': { status: 409, code: 'already_exists', detail: 'A record with the same unique value already exists' },
  '23P01': { status: 409, code: 'overlap', detail: 'The record overlaps an existing one' },
  '40001': { status: 409, code: 'concurrent_update', detail: 'A concurrent update won; retry the request' },
  '40P01': { status: 409, code: 'concurrent_update', detail: 'A concurrent update won; retry the request' },
};

const HTTP_CODES: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  406: 'not_acceptable',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'unprocessable',
  429: 'too_many_requests',
};

/**
 * The only place that turns an exception into an HTTP response: RFC 9457 problem+json with the
 * request's correlation id. Unknown errors become a bare 500; their details go to the log only.
 */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const ctx = host.switchToHttp();
    const request = ctx.getRequest<FastifyRequest>();
    const reply = ctx.getResponse<FastifyReply>();
    const { problem, headers } = this.toProblem(exception, request);
    if (problem.status >= 500) {
      this.logger.error({ err: exception, correlationId: problem.correlationId }, 'Unhandled error');
    }
    for (const [name, value] of Object.entries(headers)) reply.header(name, value);
    reply.header('x-request-id', problem.correlationId);
    reply.status(problem.status).type(PROBLEM_CONTENT_TYPE).send(problem);
  }

  toProblem(exception: unknown, request: FastifyRequest): { problem: Problem; headers: Record<string, string> } {
    const base = { instance: request.url.split('?')[0], correlationId: String(request.id) };
    if (exception instanceof DomainError) {
      return {
        problem: this.build(exception.status, exception.code, exception.message, base, exception.errors),
        headers: exception.headers ?? {},
      };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const body = exception.getResponse();
      const errors = typeof body === 'object' && body !== null ? (body as { errors?: FieldError[] }).errors : undefined;
      const code =
        typeof body === 'object' && body !== null && typeof (body as { code?: unknown }).code === 'string'
          ? (body as { code: string }).code
          : (HTTP_CODES[status] ?? (status >= 500 ? 'internal_error' : 'client_error'));
      const detail = status >= 500 ? undefined : this.httpDetail(exception, body);
      return { problem: this.build(status, code, detail, base, errors), headers: {} };
    }
    if (exception instanceof QueryFailedError) {
      const pgCode = (exception.driverError as { code?: string } | undefined)?.code ?? '';
      const known = PG_CLIENT_ERRORS[pgCode];
      if (known) return { problem: this.build(known.status, known.code, known.detail, base), headers: {} };
    }
    // Errors raised by Fastify itself before routing (malformed JSON, body too large, bad content type).
    const fastifyStatus = (exception as { statusCode?: unknown })?.statusCode;
    if (typeof fastifyStatus === 'number' && fastifyStatus >= 400 && fastifyStatus < 500) {
      const message = (exception as { message?: string }).message;
      return {
        problem: this.build(fastifyStatus, HTTP_CODES[fastifyStatus] ?? 'client_error', message, base),
        headers: {},
      };
    }
    return {
      problem: this.build(HttpStatus.INTERNAL_SERVER_ERROR, 'internal_error', 'An unexpected error occurred', base),
      headers: {},
    };
  }

  private httpDetail(exception: HttpException, body: string | object): string {
    if (typeof body === 'string') return body;
    const message = (body as { message?: unknown }).message;
    if (typeof message === 'string') return message;
    if (Array.isArray(message)) return message.join('; ');
    return exception.message;
  }

  private build(
    status: number,
    code: string,
    detail: string | undefined,
    base: { instance: string; correlationId: string },
    errors?: FieldError[],
  ): Problem {
    return {
      type: problemType(code),
      title: problemTitle(status),
      status,
      ...(detail ? { detail } : {}),
      instance: base.instance,
      code,
      correlationId: base.correlationId,
      ...(errors && errors.length > 0 ? { errors } : {}),
    };
  }
}
