import request from 'supertest';
import { startTestApp, TestApp } from '@guichet/testing/app';

describe('operations and API description', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('reports liveness and readiness with PostgreSQL and Redis checked', async () => {
    expect((await request(t.url).get('/health/live')).status).toBe(200);
    const ready = await request(t.url).get('/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.info).toMatchObject({ postgres: { status: 'up' }, redis: { status: 'up' } });
  });

  it('exposes Prometheus metrics including HTTP durations by route template', async () => {
    await request(t.url).get('/health/live');
    const res = await request(t.url).get('/metrics');
    expect(res.status).toBe(200);
    expect(res.text).toContain('process_cpu_user_seconds_total');
    expect(res.text).toMatch(/http_request_duration_seconds_count\{method="GET",route="\/health\/live",status="200"\}/);
  });

  it('echoes a sane X-Request-Id and uses it as the correlation id', async () => {
    const res = await request(t.url).get('/api/v1/users/me').set('X-Request-Id', 'trace-abc-12345');
    expect(res.status).toBe(401);
    expect(res.headers['x-request-id']).toBe('trace-abc-12345');
    expect(res.body.correlationId).toBe('trace-abc-12345');
    const weird = await request(t.url).get('/api/v1/users/me').set('X-Request-Id', 'bad id with spaces');
    expect(weird.headers['x-request-id']).not.toBe('bad id with spaces');
  });

  it('serves OpenAPI 3 where every protected route documents its auth and errors', async () => {
    const res = await request(t.url).get('/api/docs-json');
    expect(res.status).toBe(200);
    const doc = res.body as {
      openapi: string;
      paths: Record<string, Record<string, { security?: unknown[]; responses: Record<string, unknown> }>>;
      components: { securitySchemes: Record<string, unknown> };
    };
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(['api-key', 'bearer']);
    const publicRoutes = new Set([
      'post /api/v1/auth/login',
      'post /api/v1/auth/refresh',
      'get /health/live',
      'get /health/ready',
      'get /api/v1/public/tickets/{token}',
      'post /api/v1/public/tickets/{token}/cancel',
      // Public survey links and calendar feeds: the secret token in the URL is the credential.
      'get /api/v1/public/surveys/{token}',
      'post /api/v1/public/surveys/{token}/answers',
      'patch /api/v1/public/surveys/{token}/answers',
      'get /api/v1/calendars/agents/{file}',
      'get /api/v1/calendars/resources/{file}',
    ]);
    const operations = Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ key: `${method} ${path}`, op })));
    expect(operations.length).toBeGreaterThan(10);
    for (const { key, op } of operations) {
      if (publicRoutes.has(key)) continue;
      expect({ key, security: (op.security ?? []).length > 0 }).toEqual({ key, security: true });
      expect({ key, has401: '401' in op.responses, has403: '403' in op.responses }).toEqual({ key, has401: true, has403: true });
    }
    const ui = await request(t.url).get('/api/docs');
    expect(ui.status).toBe(200);
    expect(ui.text).toContain('swagger');
  });
});
