import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, Server } from 'node:http';
import { exitCodeOf, hasExited, stopChild, waitForHttpOk } from './processes';

describe('exitCodeOf', () => {
  it('keeps a plain exit code and maps a signal to 128 + its number', () => {
    expect(exitCodeOf(3, null)).toBe(3);
    expect(exitCodeOf(0, null)).toBe(0);
    expect(exitCodeOf(null, 'SIGTERM')).toBe(143);
    expect(exitCodeOf(null, 'SIGKILL')).toBe(137);
  });
});

describe('stopChild', () => {
  it('kills a child that ignores SIGTERM once the grace period is over', async () => {
    const stubborn = spawn(process.execPath, ['-e', "process.on('SIGTERM', () => {}); console.log('up'); setInterval(() => {}, 1000)"], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await once(stubborn.stdout!, 'data');
    await stopChild(stubborn, 300);
    expect(hasExited(stubborn)).toBe(true);
    expect(stubborn.signalCode).toBe('SIGKILL');
  });

  it('returns at once for a child that already exited', async () => {
    const quick = spawn(process.execPath, ['-e', '0']);
    await once(quick, 'exit');
    await expect(stopChild(quick, 10)).resolves.toBeUndefined();
  });
});

describe('waitForHttpOk', () => {
  let server: Server;
  let calls = 0;
  beforeAll(async () => {
    server = createServer((_req, res) => {
      calls += 1;
      res.statusCode = calls < 3 ? 503 : 200;
      res.end();
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('waits through non-200 answers until the server is ready', async () => {
    const { port } = server.address() as { port: number };
    await waitForHttpOk(`http://127.0.0.1:${port}/health/ready`, 10_000);
    expect(calls).toBe(3);
  });

  async function closedPort(): Promise<number> {
    const probe = createServer().listen(0, '127.0.0.1');
    await once(probe, 'listening');
    const { port } = probe.address() as { port: number };
    await new Promise((resolve) => probe.close(resolve));
    return port;
  }

  it('gives up when aborted, naming the reason', async () => {
    const abort = new AbortController();
    abort.abort('api exited');
    await expect(waitForHttpOk(`http://127.0.0.1:${await closedPort()}/`, 10_000, abort.signal)).rejects.toThrow(/api exited/);
  });

  it('gives up after the timeout with the last error', async () => {
    await expect(waitForHttpOk(`http://127.0.0.1:${await closedPort()}/`, 600)).rejects.toThrow(/did not answer 200 .*ECONNREFUSED/);
  });
});
