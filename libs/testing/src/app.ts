import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { AppModule } from '../../../apps/api/src/app.module';
import { configureApiApp, createAdapter } from '../../../apps/api/src/bootstrap';

export interface TestApp {
  app: NestFastifyApplication;
  dataSource: DataSource;
  /** Base URL of the listening server (for supertest and socket.io-client). */
  url: string;
  close(): Promise<void>;
}

/** Boots the real API (real PostgreSQL and Redis from the run's global setup) on a random port. */
export async function startTestApp(): Promise<TestApp> {
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(createAdapter(false), { logger: process.env.TEST_LOGS ? ['error', 'warn'] : false });
  await configureApiApp(app);
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    app,
    dataSource: app.get(DataSource),
    url: `http://127.0.0.1:${port}`,
    close: () => app.close(),
  };
}
