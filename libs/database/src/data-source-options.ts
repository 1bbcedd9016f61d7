import { join } from 'node:path';
import { types } from 'pg';
import { DataSourceOptions } from 'typeorm';
import { SnakeNamingStrategy } from 'typeorm-naming-strategies';

// A SQL `date` is a calendar day, not an instant: keep it as 'YYYY-MM-DD' instead of a Date at local midnight.
types.setTypeParser(types.builtins.DATE, (value: string) => value);

/** Compiled (dist) and source (ts-jest) layouts both resolve: the glob accepts .js and .ts. */
export const MIGRATIONS_GLOB = join(__dirname, '..', '..', '..', 'migrations', '*.{js,ts}');

export function dataSourceOptions(url: string, poolSize = 10): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    synchronize: false,
    migrationsRun: false,
    migrations: [MIGRATIONS_GLOB],
    migrationsTableName: 'migrations',
    namingStrategy: new SnakeNamingStrategy(),
    extra: { max: poolSize, application_name: process.env.GUICHET_PROCESS ?? 'guichet' },
  };
}
