import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { connect } from 'node:net';
import { delimiter, join } from 'node:path';
import { CHILD_SPAWN_OPTIONS, forwardLines, hasExited, stopChild } from './processes';
import { describeUrl, notStartedByUs, ResolvedService } from './service';

export interface RedisOptions {
  env: NodeJS.ProcessEnv;
  /** The launcher's state directory (`.data`): the append-only file lives in `<dataDir>/redis`. */
  dataDir: string;
  probeHost?: string;
  probePort?: number;
  privatePort?: number;
  /** Looked up on env.PATH. */
  binary?: string;
  log?: (message: string) => void;
}

export class RedisUnavailableError extends Error {
  override name = 'RedisUnavailableError';
}

/** Sends an inline PING; true only for +PONG (a server that wants a password is no use to us). */
export function pingRedis(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    let answer = '';
    const finish = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.on('error', () => finish(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      answer += chunk.toString('latin1');
      if (answer.includes('\r\n')) finish(answer.startsWith('+PONG'));
    });
  });
}

export function findExecutable(name: string, pathVariable = ''): string | undefined {
  for (const dir of pathVariable.split(delimiter).filter(Boolean)) {
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

/**
 * REDIS_URL if set; else a Redis answering on the probe port; else a redis-server from PATH on a
 * private port, with its append-only file under the data directory (Redis carries the job queues).
 */
export async function resolveRedis(options: RedisOptions): Promise<ResolvedService> {
  const { env, dataDir, probeHost = '127.0.0.1', probePort = 6379, privatePort = 63790, binary = 'redis-server' } = options;
  const log = options.log ?? (() => undefined);
  if (env.REDIS_URL) {
    return { url: env.REDIS_URL, source: 'env', description: `REDIS_URL (${describeUrl(env.REDIS_URL)})`, stop: notStartedByUs };
  }
  // A Redis already on the private port is most likely ours, left by a run that was killed: reuse it.
  for (const port of [probePort, privatePort]) {
    if (await pingRedis(probeHost, port)) {
      return { url: `redis://${probeHost}:${port}`, source: 'local', description: `local Redis on ${probeHost}:${port}`, stop: notStartedByUs };
    }
  }
  const executable = findExecutable(binary, env.PATH);
  if (!executable) {
    throw new RedisUnavailableError(
      `No Redis answers on ${probeHost}:${probePort} and there is no ${binary} on PATH. Either start one with ` +
        '`docker compose up -d redis` (then REDIS_URL=redis://127.0.0.1:6379), or install it ' +
        '(`sudo apt-get install redis-server`, `brew install redis`), or set REDIS_URL.',
    );
  }
  const dir = join(dataDir, 'redis');
  await mkdir(dir, { recursive: true });
  const args = ['--port', String(privatePort), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes'];
  // BullMQ requires noeviction: an evicted job key is a lost job.
  args.push('--maxmemory-policy', 'noeviction', '--loglevel', 'warning');
  log(`starting ${executable} on 127.0.0.1:${privatePort} (data in ${dir})`);
  const child = spawn(executable, args, CHILD_SPAWN_OPTIONS);
  forwardLines(child.stdout, '[redis]', process.stdout);
  forwardLines(child.stderr, '[redis]', process.stderr);
  const spawnError = new Promise<Error>((resolve) => child.once('error', resolve));

  const deadline = Date.now() + 10_000;
  while (!(await pingRedis('127.0.0.1', privatePort, 500))) {
    const failure = await Promise.race([spawnError, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 100))]);
    if (failure || hasExited(child) || Date.now() > deadline) {
      await stopChild(child, 2000);
      throw new Error(`redis-server did not start on 127.0.0.1:${privatePort}${failure ? `: ${failure.message}` : ' (see its output above)'}`);
    }
  }
  return {
    url: `redis://127.0.0.1:${privatePort}`,
    source: 'embedded',
    description: `redis-server on 127.0.0.1:${privatePort} (data in ${dir})`,
    stop: () => stopChild(child),
  };
}
