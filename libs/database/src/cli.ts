import 'reflect-metadata';
import { Env } from '@guichet/config/env';
import { seedDemo } from './demo/seed-demo';
import { prepareDatabase } from './schema-setup';

const USAGE = `usage: node dist/libs/database/src/cli.js <command>
  migrate     create the database if missing and run pending migrations (under the advisory lock)
  seed-demo   load the demo sites, directory and accounts once (the database must be migrated)
Reads DATABASE_URL (default ${new Env().DATABASE_URL}).`;

async function main(command: string | undefined): Promise<number> {
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
    default:
      console.error(USAGE);
      return 64; // EX_USAGE
  }
}

main(process.argv[2]).then(
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
