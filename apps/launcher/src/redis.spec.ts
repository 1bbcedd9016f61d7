import { once } from 'node:events';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, Server } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { findExecutable, pingRedis, resolveRedis } from './redis';

describe('resolveRedis', () => {
  it('uses REDIS_URL as given', async () => {
    const redis = await resolveRedis({ env: { REDIS_URL: 'redis://cache.internal:6380' }, dataDir: '/nonexistent' });
    expect(redis).toMatchObject({ source: 'env', url: 'redis://cache.internal:6380', description: 'REDIS_URL (cache.internal:6380)' });
  });
});

describe('pingRedis', () => {
  let server: Server;
  let reply = '+PONG\r\n';
  beforeAll(async () => {
    server = createServer((socket) => socket.once('data', () => socket.end(reply)));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));
  const port = () => (server.address() as { port: number }).port;

  it('is true for +PONG', async () => {
    reply = '+PONG\r\n';
    expect(await pingRedis('127.0.0.1', port())).toBe(true);
  });

  it('is false for a server that wants a password, or for a closed port', async () => {
    reply = '-NOAUTH Authentication required.\r\n';
    expect(await pingRedis('127.0.0.1', port())).toBe(false);
    expect(await pingRedis('127.0.0.1', 9, 300)).toBe(false);
  });
});

describe('findExecutable', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'guichet-path-'));
    await writeFile(join(dir, 'tool'), '#!/bin/sh\n');
    await chmod(join(dir, 'tool'), 0o755);
    await writeFile(join(dir, 'not-executable'), '');
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('finds an executable on PATH and ignores files that cannot run', () => {
    expect(findExecutable('tool', ['/nonexistent', dir].join(delimiter))).toBe(join(dir, 'tool'));
    expect(findExecutable('not-executable', dir)).toBeUndefined();
    expect(findExecutable('tool', '')).toBeUndefined();
  });
});
