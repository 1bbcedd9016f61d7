import { once } from 'node:events';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolvePostgres } from './postgres';

describe('resolvePostgres', () => {
  it('uses DATABASE_URL as given, without probing or starting anything', async () => {
    const pg = await resolvePostgres({ env: { DATABASE_URL: 'postgres://app:s3cret@db.internal:6543/guichet' }, dataDir: '/nonexistent' });
    expect(pg).toMatchObject({ source: 'env', url: 'postgres://app:s3cret@db.internal:6543/guichet' });
    expect(pg.description).toBe('DATABASE_URL (db.internal:6543/guichet)');
    await expect(pg.stop()).resolves.toBeUndefined();
  });

  /** Situations where starting the embedded server would fail obscurely or damage data: refuse with a way out. */
  describe('before starting an embedded cluster', () => {
    let dataDir: string;
    let probePort: number;
    const clusterDir = () => join(dataDir, 'postgres');
    const attempt = () => resolvePostgres({ env: {}, dataDir, probePort, embeddedPort: probePort });

    beforeEach(async () => {
      dataDir = await mkdtemp(join(tmpdir(), 'guichet-pg-'));
      await mkdir(clusterDir());
      const server = createServer().listen(0, '127.0.0.1');
      await once(server, 'listening');
      probePort = (server.address() as { port: number }).port;
      await new Promise((resolve) => server.close(resolve));
    });
    afterEach(() => rm(dataDir, { recursive: true, force: true }));

    it('will not initialise over a non-empty directory that is not a cluster', async () => {
      await writeFile(join(clusterDir(), 'notes.txt'), 'mine');
      await expect(attempt()).rejects.toThrow(/not empty and holds no PostgreSQL cluster/);
    });

    it('needs the stored password of an existing cluster', async () => {
      await writeFile(join(clusterDir(), 'PG_VERSION'), '17\n');
      await expect(attempt()).rejects.toThrow(/postgres-password is missing/);
    });

    it('names the leftover server of an earlier run instead of starting a second one', async () => {
      await writeFile(join(clusterDir(), 'PG_VERSION'), '17\n');
      await writeFile(join(dataDir, 'postgres-password'), 'x\n');
      await writeFile(join(clusterDir(), 'postmaster.pid'), `${process.pid}\n${clusterDir()}\n`);
      await expect(attempt()).rejects.toThrow(`kill ${process.pid}`);
    });
  });
});
