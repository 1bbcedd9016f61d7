import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { JobHandler } from '../jobs/job-router';

const BATCH_SIZE = 1000;

/**
 * Deletes refresh tokens expired for more than a day and auth sessions expired or revoked for more
 * than 30 days (their tokens go with them: ON DELETE CASCADE). The margins keep recent rows for
 * support questions and reuse detection. Idempotent: a re-run deletes only what is still there.
 * Small batches, each its own statement, so no long transaction holds locks the login path needs.
 */
@Injectable()
export class PurgeAuthHandler implements JobHandler<'maintenance.purge-auth'> {
  readonly job = 'maintenance.purge-auth';

  constructor(private readonly dataSource: DataSource) {}

  async handle(): Promise<{ refreshTokens: number; sessions: number }> {
    const refreshTokens = await this.deleteInBatches(
      `SELECT id FROM refresh_tokens WHERE expires_at < now() - interval '1 day'`,
      'refresh_tokens',
    );
    const sessions = await this.deleteInBatches(
      `SELECT id FROM auth_sessions
        WHERE expires_at < now() - interval '30 days' OR revoked_at < now() - interval '30 days'`,
      'auth_sessions',
    );
    return { refreshTokens, sessions };
  }

  private async deleteInBatches(selectIds: string, table: 'refresh_tokens' | 'auth_sessions'): Promise<number> {
    let total = 0;
    for (;;) {
      const [{ deleted }] = (await this.dataSource.query(
        `WITH doomed AS (${selectIds} LIMIT $1),
              gone AS (DELETE FROM ${table} t USING doomed WHERE t.id = doomed.id RETURNING 1)
         SELECT count(*)::int AS deleted FROM gone`,
        [BATCH_SIZE],
      )) as { deleted: number }[];
      total += deleted;
      if (deleted < BATCH_SIZE) return total;
    }
  }
}
