import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { WorkerModule } from './worker.module';
import { WorkerRunner } from './worker-runner';

/**
 * Creates the worker (no HTTP) and starts consuming once the checks pass; used by main.ts and the
 * e2e tests. On a failed start the context is closed and the error rethrown.
 */
export async function createWorkerApp(): Promise<INestApplicationContext> {
  const app = await NestFactory.createApplicationContext(WorkerModule, { bufferLogs: true, abortOnError: false });
  app.useLogger(app.get(Logger));
  try {
    await app.get(WorkerRunner).start();
  } catch (error) {
    await app.close();
    throw error;
  }
  return app;
}
