import { randomBytes } from 'node:crypto';
import { prepareDatabase } from '../libs/database/src/schema-setup';

/**
 * One database and one Redis key prefix per run, so two runs (or a run and `npm start`) never
 * see each other's data. Variables set here reach the test workers, which are forked after it.
 */
export default async function globalSetup(): Promise<void> {
  const runId = `${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const server = process.env.TEST_DATABASE_SERVER_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const url = new URL(server);
  url.pathname = `/guichet_test_${runId}`;
  process.env.DATABASE_URL = url.toString();
  process.env.REDIS_URL ??= 'redis://127.0.0.1:6379';
  process.env.REDIS_PREFIX = `guichet-test:${runId}`;
  process.env.NODE_ENV = 'test';
  process.env.LOG_LEVEL ??= 'silent';
  process.env.JWT_SECRET ??= randomBytes(32).toString('hex');
  process.env.GUICHET_TEST_RUN = runId;
  await prepareDatabase(process.env.DATABASE_URL);
}
