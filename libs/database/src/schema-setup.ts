import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source-options';

/** Arbitrary constant shared by every process that migrates; pg_advisory_lock takes a bigint. */
const MIGRATION_LOCK_KEY = 741_853_201;

/** The database named in a URL, and a client of the same server's `postgres` database to manage it. */
async function serverClient(url: string): Promise<{ name: string; client: Client }> {
  const name = decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
  if (!name) throw new Error('DATABASE_URL names no database');
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  return { name, client };
}

/** Creates the database named in the URL when it does not exist (a concurrent creation is not an error). */
export async function ensureDatabase(url: string): Promise<void> {
  const { name, client } = await serverClient(url);
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) {
      try {
        await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
      } catch (error) {
        if ((error as { code?: string }).code !== '42P04') throw error; // duplicate_database: another process won the race
      }
    }
  } finally {
    await client.end();
  }
}

/** Drops the database named in the URL, closing its connections (test runs and benchmarks clean up with it). */
export async function dropDatabase(url: string): Promise<void> {
  const { name, client } = await serverClient(url);
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name.replace(/"/g, '""')}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

/** Runs pending migrations while holding a session advisory lock, so concurrent boots migrate once. */
export async function runMigrationsLocked(dataSource: DataSource): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await runner.release();
  }
}

/** Opens a short-lived data source, creates the database if needed and migrates it. */
export async function prepareDatabase(url: string): Promise<string[]> {
  await ensureDatabase(url);
  const dataSource = new DataSource(dataSourceOptions(url, 2));
  await dataSource.initialize();
  try {
    return await runMigrationsLocked(dataSource);
  } finally {
    await dataSource.destroy();
  }
}
