import { ArgumentsHost, BadRequestException, Logger, NotFoundException } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { NotFoundError } from '@guichet/core/errors/domain-error';
import { TooManyAttemptsError } from '@guichet/core/identity/identity.errors';
import { ProblemFilter } from './problem.filter';

function run(exception: unknown) {
  const sent: { status?: number; type?: string; body?: unknown; headers: Record<string, string> } = { headers: {} };
  const reply = {
    header: (name: string, value: string) => ((sent.headers[name] = value), reply),
    status: (status: number) => ((sent.status = status), reply),
    type: (type: string) => ((sent.type = type), reply),
    send: (body: unknown) => ((sent.body = body), reply),
  };
  const host = {
    getType: () => 'http',
    switchToHttp: () => ({ getRequest: () => ({ url: '/api/v1/things?x=1', id: 'req-1' }), getResponse: () => reply }),
  } as unknown as ArgumentsHost;
  new ProblemFilter().catch(exception, host);
  return sent;
}

describe('ProblemFilter', () => {
  beforeEach(() => jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined));
  afterEach(() => jest.restoreAllMocks());

  it('maps domain errors to their status and code, with the correlation id', () => {
    const sent = run(new NotFoundError('Service', 'abc'));
    expect(sent.status).toBe(404);
    expect(sent.type).toBe('application/problem+json');
    expect(sent.body).toEqual({
      type: 'urn:guichet:problem:not_found',
      title: 'Not Found',
      status: 404,
      detail: 'Service abc not found',
      instance: '/api/v1/things',
      code: 'not_found',
      correlationId: 'req-1',
    });
  });

  it('sets headers a domain error asks for', () => {
    const sent = run(new TooManyAttemptsError(42));
    expect(sent.status).toBe(429);
    expect(sent.headers['retry-after']).toBe('42');
  });

  it('keeps field errors of validation failures', () => {
    const sent = run(new BadRequestException({ code: 'validation_failed', message: 'Invalid', errors: [{ field: 'a', message: 'bad' }] }));
    expect(sent.body).toMatchObject({ status: 400, code: 'validation_failed', errors: [{ field: 'a', message: 'bad' }] });
  });

  it('maps Nest HTTP exceptions such as unknown routes', () => {
    expect(run(new NotFoundException('Cannot GET /x')).body).toMatchObject({ status: 404, code: 'not_found' });
  });

  it('turns a unique violation into 409 without leaking SQL', () => {
    const error = new QueryFailedError('INSERT INTO secret_table …', [], Object.assign(new Error('duplicate key'), { code: '23505' }));
    const sent = run(error);
    expect(sent.status).toBe(409);
    expect(JSON.stringify(sent.body)).not.toMatch(/secret_table|INSERT/);
  });

  it('hides everything about unknown errors from the client but logs them', () => {
    const sent = run(new Error('connection to 10.0.0.5 refused at db.ts:42'));
    expect(Logger.prototype.error).toHaveBeenCalled();
    expect(sent.status).toBe(500);
    expect(JSON.stringify(sent.body)).not.toMatch(/10\.0\.0\.5|db\.ts/);
    expect(sent.body).toMatchObject({ code: 'internal_error', correlationId: 'req-1' });
  });
});
