import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { resolvePostgres } from '../apps/launcher/src/postgres';
import { findExecutable, pingRedis, resolveRedis, RedisUnavailableError } from '../apps/launcher/src/redis';
import type { ResolvedService } from '../apps/launcher/src/service';
import { prepareDatabase } from '../libs/database/src/schema-setup';

/** The launcher's fallbacks for real: nothing answers on the probe ports, so it starts its own servers. */
describe('launcher fallbacks', () => {
  const dirs: string[] = [];
  const started: ResolvedService[] = [];

  async function tempDataDir(): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'guichet-launcher-'));
    // mkdtemp gives 0700; as root, PostgreSQL runs as the `postgres` system user, which must enter it.
    await chmod(dir, 0o755);
    dirs.push(dir);
    return dir;
  }

  /** A port nobody listens on (the OS picked it free, and we released it). */
  function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
  }

  async function query<T>(url: string, sql: string): Promise<T[]> {
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query(sql)).rows as T[];
    } finally {
      await client.end();
    }
  }

  /** The same server, database `postgres` (always there). */
  const serverUrl = (url: string) => Object.assign(new URL(url), { pathname: '/postgres' }).toString();

  afterAll(async () => {
    await Promise.all(started.map((service) => service.stop()));
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  it('starts an embedded PostgreSQL when nothing answers on the probe port, and reopens the same cluster next time', async () => {
    const dataDir = await tempDataDir();
    const options = { env: {}, dataDir, probePort: await freePort(), embeddedPort: await freePort() };

    const first = await resolvePostgres(options);
    started.push(first);
    expect(first.source).toBe('embedded');
    expect(first.description).not.toContain(new URL(first.url).password);
    expect(await query(serverUrl(first.url), 'SELECT 1 AS one')).toEqual([{ one: 1 }]);
    await query(serverUrl(first.url), 'CREATE DATABASE kept');
    await first.stop();
    expect(existsSync(join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);

    const second = await resolvePostgres(options);
    started.push(second);
    expect(second.url).toBe(first.url); // same stored password, no second initdb
    expect(await query(serverUrl(second.url), `SELECT datname FROM pg_database WHERE datname = 'kept'`)).toHaveLength(1);
    await second.stop();
  }, 120_000);

  it('migrates the embedded PostgreSQL: its binaries carry pg_trgm and unaccent, and the cluster is UTF-8', async () => {
    const pg = await resolvePostgres({ env: {}, dataDir: await tempDataDir(), probePort: await freePort(), embeddedPort: await freePort() });
    started.push(pg);
    await prepareDatabase(pg.url);
    expect(await query(pg.url, `SELECT search_norm('État civil') AS norm`)).toEqual([{ norm: 'etat civil' }]);
    await pg.stop();
  }, 120_000);

  it('starts redis-server on a private port when nothing answers on the probe port', async () => {
    const dataDir = await tempDataDir();
    const privatePort = await freePort();
    const redis = await resolveRedis({ env: { PATH: process.env.PATH }, dataDir, probePort: await freePort(), privatePort });
    started.push(redis);
    expect(redis).toMatchObject({ source: 'embedded', url: `redis://127.0.0.1:${privatePort}` });
    expect(await pingRedis('127.0.0.1', privatePort)).toBe(true);
    expect(existsSync(join(dataDir, 'redis'))).toBe(true);

    // A Redis that answers on the probe port is used as is, and not stopped by us.
    const found = await resolveRedis({ env: {}, dataDir, probePort: privatePort });
    expect(found).toMatchObject({ source: 'local', url: `redis://127.0.0.1:${privatePort}` });
    await found.stop();
    expect(await pingRedis('127.0.0.1', privatePort)).toBe(true);

    await redis.stop();
    expect(await pingRedis('127.0.0.1', privatePort)).toBe(false);
  });

  it('says how to get Redis when none answers and redis-server is not on PATH', async () => {
    const dataDir = await tempDataDir();
    const env = { PATH: dataDir };
    expect(findExecutable('redis-server', env.PATH)).toBeUndefined();
    const attempt = resolveRedis({ env, dataDir, probePort: await freePort(), privatePort: await freePort() });
    await expect(attempt).rejects.toBeInstanceOf(RedisUnavailableError);
    await expect(attempt).rejects.toThrow(/docker compose up -d redis.*apt-get install redis-server/s);
  });
});
