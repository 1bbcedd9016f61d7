import 'reflect-metadata';
import { Client } from 'pg';
import { Env } from '@guichet/config/env';
import { generateHistory, HistoryResult } from './demo/history';
import { seedDemo } from './demo/seed-demo';
import { prepareDatabase } from './schema-setup';

const USAGE = `usage: node dist/libs/database/src/cli.js <command>
  migrate     create the database if missing and run pending migrations (under the advisory lock)
  seed-demo   load the demo sites, directory and accounts once (the database must be migrated)
  generate-history <site code or id> [weeks=6] [seed=1]
              add past tickets to every queue of the site, for days that have none
Reads DATABASE_URL (default ${new Env().DATABASE_URL}).`;

async function main(command: string | undefined, args: string[]): Promise<number> {
  const url = process.env.DATABASE_URL || new Env().DATABASE_URL;
  const target = new URL(url);
  const where = `${target.hostname}:${target.port || 5432}${target.pathname}`;
  switch (command) {
    case 'migrate': {
      const applied = await prepareDatabase(url);
      console.log(applied.length ? `${where}: applied ${applied.join(', ')}` : `${where}: schema already up to date`);
      return 0;
    }
    case 'seed-demo': {
      const { loaded } = await seedDemo(url);
      console.log(loaded ? `${where}: demo data loaded` : `${where}: demo data already present, nothing changed`);
      return 0;
    }
    case 'generate-history': {
      const [site, weeks = '6', seed = '1'] = args;
      if (!site || !/^\d+$/.test(weeks) || !/^\d+$/.test(seed)) {
        console.error(USAGE);
        return 64; // EX_USAGE
      }
      const result = await historyForSite(url, site, Number(weeks), Number(seed));
      console.log(`${where}: ${result.tickets} tickets over ${result.days} queue-days (${result.skippedDays} already had tickets)`);
      return 0;
    }
    default:
      console.error(USAGE);
      return 64; // EX_USAGE
  }
}

/** All queues of the site, in one transaction: a failure leaves no half history. */
async function historyForSite(url: string, site: string, weeks: number, seed: number): Promise<HistoryResult> {
  const client = new Client({ connectionString: url, application_name: 'guichet-generate-history' });
  await client.connect();
  try {
    const { rows } = await client.query<{ id: string; site_id: string }>(
      `SELECT q.id, q.site_id FROM queues q JOIN sites s ON s.id = q.site_id
        WHERE lower(s.code) = lower($1) OR s.id::text = $1 ORDER BY q.prefix`,
      [site],
    );
    if (rows.length === 0) throw new Error(`no site ${site} with queues`);
    await client.query('BEGIN');
    const result = await generateHistory(client, { siteId: rows[0].site_id, queueIds: rows.map((q) => q.id), weeks, seed });
    await client.query('COMMIT');
    return result;
  } finally {
    await client.end();
  }
}

main(process.argv[2], process.argv.slice(3)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    // 3D000 invalid_catalog_name, 42P01 undefined_table: the database or its schema is not there yet.
    if (['3D000', '42P01'].includes(String((error as { code?: string }).code))) {
      console.error('The database is missing or not migrated: run the `migrate` command first.');
    }
    console.error(error);
    process.exit(1);
  },
);
