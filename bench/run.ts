import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, totalmem, type as osType, release } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { Client } from 'pg';
import { AuthService } from '../libs/core/src/identity/auth.service';
import { dropDatabase, prepareDatabase } from '../libs/database/src/schema-setup';
import { callNextBench } from './call-next';
import { procStatusBytes } from './fixtures';
import { livePushBench } from './live-push';
import { ticketIssuanceBench } from './ticket-issuance';
import { Bench, BenchContext, BenchResult, round } from './types';
import { visitorSearchBench } from './visitor-search';

/**
 * `npm run bench`: boots the built API on a throwaway database, runs each benchmark next to its
 * raw baseline (same statements through `pg`, no HTTP, no framework) and writes the ratios to
 * bench/results/latest.json. Absolute times vary between runs on shared machines; ratios hold.
 */
// Live push first: its memory figure is what 1,000 live clients cost a freshly started API, not
// what the heap kept from the 200,000 visitors and the issuance load of the other benches.
const BENCHES: { name: string; run: Bench }[] = [
  { name: 'live push', run: livePushBench },
  { name: 'visitor search', run: visitorSearchBench },
  { name: 'ticket issuance', run: ticketIssuanceBench },
  { name: 'call-next', run: callNextBench },
];

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const server = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const url = new URL(server);
  url.pathname = `/guichet_bench_${Date.now().toString(36)}`;
  const databaseUrl = url.toString();
  const redisPrefix = `guichet-bench:${randomBytes(3).toString('hex')}`;
  console.log(`Preparing ${url.pathname.slice(1)}…`);
  await prepareDatabase(databaseUrl);
  const port = await freePort();
  const password = randomBytes(12).toString('hex');
  const { siteId, email } = await seed(databaseUrl, password);
  const api = spawn(process.execPath, [join(__dirname, '..', 'apps', 'api', 'src', 'main.js')], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      REDIS_PREFIX: redisPrefix,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      MIGRATIONS_RUN: 'false',
      JWT_SECRET: randomBytes(32).toString('hex'),
      NODE_ENV: 'production',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const results: BenchResult[] = [];
  try {
    const apiUrl = `http://127.0.0.1:${port}`;
    await waitReady(apiUrl, api);
    const token = await login(apiUrl, email, password);
    const apiPid = api.pid as number;
    const ctx: BenchContext = { databaseUrl, apiUrl, token, siteId, apiPid, apiStartRssBytes: procStatusBytes(apiPid, 'VmRSS') };
    for (const bench of BENCHES) {
      if (only.length && !only.some((o) => bench.name.includes(o))) continue;
      console.log(`\n▶ ${bench.name}`);
      for (const result of await bench.run(ctx)) {
        results.push(result);
        console.log(format(result));
      }
    }
  } finally {
    api.kill('SIGTERM');
    await new Promise((resolve) => api.once('exit', resolve));
    await dropDatabase(databaseUrl);
    await deleteRedisKeys(redisPrefix);
  }
  const report = {
    date: new Date().toISOString(),
    machine: { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, memoryGiB: round(totalmem() / 2 ** 30, 1), os: `${osType()} ${release()}`, node: process.version },
    results,
  };
  const dir = join(__dirname, '..', '..', 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'latest.json'), `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\nWritten to bench/results/latest.json (${results.filter((r) => r.pass).length}/${results.length} targets met)`);
}

function format(r: BenchResult): string {
  const baseline = r.baseline === null ? '' : `   raw ${r.baseline} ${r.unit}`;
  const ratio = r.ratio === null ? '' : `   ratio ${r.ratio}`;
  return `  ${r.pass ? '✓' : '✗'} ${r.name}: ${r.figure} ${r.unit}${baseline}${ratio}   target ${r.target}`;
}

/** The bench's own site and supervisor; written directly since the API is not up yet. */
async function seed(databaseUrl: string, password: string): Promise<{ siteId: string; email: string }> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const hours = JSON.stringify(Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [{ open: '00:00', close: '24:00' }]])));
    const site = await client.query<{ id: string }>(`INSERT INTO sites (name, time_zone, opening_hours) VALUES ('Bench', 'Europe/Paris', $1) RETURNING id`, [hours]);
    const email = 'bench@guichet.local';
    const user = await client.query<{ id: string }>(
      `INSERT INTO users (email, password_hash, display_name, role) VALUES ($1, $2, 'Bench', 'supervisor') RETURNING id`,
      [email, await AuthService.hashPassword(password)],
    );
    await client.query(`INSERT INTO user_sites (user_id, site_id) VALUES ($1, $2)`, [user.rows[0].id, site.rows[0].id]);
    return { siteId: site.rows[0].id, email };
  } finally {
    await client.end();
  }
}

async function login(apiUrl: string, email: string, password: string): Promise<string> {
  const res = await fetch(`${apiUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
  if (!res.ok) throw new Error(`bench login failed: ${res.status}`);
  return ((await res.json()) as { accessToken: string }).accessToken;
}

async function waitReady(apiUrl: string, api: ChildProcess): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (api.exitCode !== null) throw new Error(`API exited with ${api.exitCode}`);
    try {
      if ((await fetch(`${apiUrl}/health/ready`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('API did not become ready');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Whatever the API left under the run's prefix (BullMQ queues, rate-limit counters). */
async function deleteRedisKeys(prefix: string): Promise<void> {
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: 1 });
  try {
    for await (const keys of redis.scanStream({ match: `${prefix}:*`, count: 500 }) as AsyncIterable<string[]>) {
      if (keys.length > 0) await redis.del(...keys);
    }
  } finally {
    redis.disconnect();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
