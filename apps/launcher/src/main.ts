import 'reflect-metadata';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DEMO_LOGINS } from '@guichet/database/demo/demo-data';
import { seedDemo } from '@guichet/database/demo/seed-demo';
import { prepareDatabase } from '@guichet/database/schema-setup';
import { formatBanner } from './banner';
import { resolvePostgres } from './postgres';
import { exitCodeOf, spawnNodeScript, stopChild, waitForHttpOk } from './processes';
import { resolveRedis } from './redis';
import { readOrCreateSecret } from './secrets';
import type { ResolvedService } from './service';

/**
 * Zero-configuration start: finds or starts PostgreSQL and Redis, migrates, loads the demo data,
 * then runs the API and the worker as child processes until Ctrl-C. Every step can be overridden
 * with the usual variables (DATABASE_URL, REDIS_URL, JWT_SECRET, PORT); GUICHET_DEMO=false skips
 * the demo data, which is never loaded when NODE_ENV=production.
 */
const DIST_APPS = join(__dirname, '..', '..');
const log = (message: string) => console.log(`[launcher] ${message}`);

const backing: ResolvedService[] = [];
const children = new Map<string, ChildProcess>();
const giveUpWaiting = new AbortController();
let stopping: Promise<void> | undefined;

function shutdown(code: number, reason: string): Promise<void> {
  stopping ??= (async () => {
    log(reason);
    giveUpWaiting.abort(reason);
    // Children first: the API and worker must not outlive the database and Redis they use.
    await Promise.all([...children.values()].map((child) => stopChild(child)));
    await Promise.all(backing.map((service) => service.stop().catch((error: Error) => log(`while stopping: ${error.message}`))));
    process.exit(code);
  })();
  return stopping;
}

function demoWanted(env: NodeJS.ProcessEnv): boolean {
  if (env.NODE_ENV === 'production') return false;
  return !['0', 'false', 'no', 'off'].includes((env.GUICHET_DEMO ?? '').toLowerCase());
}

/** The demo is a convenience: failing to load it must not keep the application from starting. */
async function loadDemo(databaseUrl: string): Promise<boolean> {
  try {
    log((await seedDemo(databaseUrl)).loaded ? 'demo data loaded' : 'demo data already present');
    return true;
  } catch (error) {
    log(`demo data not loaded: ${(error as Error).message}`);
    return false;
  }
}

async function main(): Promise<void> {
  // SIGHUP too: the children sit in their own process group, so a closed terminal reaches only us.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => void shutdown(0, `${signal} received: stopping…`));
  }

  const env = process.env;
  const dataDir = resolve('.data');
  const postgres = await resolvePostgres({ env, dataDir, log });
  backing.push(postgres);
  log(`PostgreSQL: ${postgres.description}`);
  const redis = await resolveRedis({ env, dataDir, log });
  backing.push(redis);
  log(`Redis: ${redis.description}`);
  const jwtSecret = env.JWT_SECRET || (await readOrCreateSecret(join(dataDir, 'jwt-secret')));

  const applied = await prepareDatabase(postgres.url);
  log(applied.length ? `migrations applied: ${applied.join(', ')}` : 'schema up to date');
  const demoLoaded = demoWanted(env) && (await loadDemo(postgres.url));

  const port = env.PORT || '3000';
  const childEnv: NodeJS.ProcessEnv = {
    ...env,
    DATABASE_URL: postgres.url,
    REDIS_URL: redis.url,
    JWT_SECRET: jwtSecret,
    PORT: port,
    MIGRATIONS_RUN: 'false', // done above, once, before any child starts
  };
  const scripts = {
    api: join(DIST_APPS, 'api', 'src', 'main.js'),
    worker: join(DIST_APPS, 'worker', 'src', 'main.js'),
  };
  if (!existsSync(scripts.api)) throw new Error(`${scripts.api} is missing: run \`npm run build\` first.`);
  for (const [name, script] of Object.entries(scripts)) {
    if (!existsSync(script)) {
      log(`warning: ${script} is missing; continuing without the ${name}`);
      continue;
    }
    const child = spawnNodeScript(name, script, childEnv);
    children.set(name, child);
    child.on('exit', (code, signal) => {
      void shutdown(exitCodeOf(code, signal), `${name} exited unexpectedly (${signal ?? `code ${code}`}): stopping everything`);
    });
  }

  await waitForHttpOk(`http://127.0.0.1:${port}/health/ready`, 60_000, giveUpWaiting.signal);
  console.log(
    formatBanner({
      baseUrl: env.PUBLIC_URL?.replace(/\/$/, '') || `http://localhost:${port}`,
      postgres: postgres.description,
      redis: redis.description,
      worker: children.has('worker'),
      logins: demoLoaded ? DEMO_LOGINS : undefined,
    }),
  );
}

main().catch((error: unknown) => {
  if (stopping) return; // a signal or a child's exit is already shutting down
  console.error(`[launcher] ${error instanceof Error ? error.message : String(error)}`);
  void shutdown(1, 'start failed: stopping what was started');
});
