import { EntityManager } from 'typeorm';

/**
 * Rows of any statement. TypeORM's postgres driver answers UPDATE/DELETE with [rows, rowCount]
 * and everything else with rows; this hides the difference for `… RETURNING` statements.
 */
export async function rowsOf<T>(manager: Pick<EntityManager, 'query'>, sql: string, params: unknown[] = []): Promise<T[]> {
  const result = (await manager.query(sql, params)) as unknown[];
  if (/^\s*(UPDATE|DELETE)\b/i.test(sql) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') {
    return result[0] as T[];
  }
  return result as T[];
}
