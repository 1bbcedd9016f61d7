import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { ConflictError, UnprocessableError, ValidationError } from '../errors/domain-error';
import type { Principal } from '../identity/principal';
import { LiveEvents, Emit } from '../live/live-events.service';

/** A key older than this while still in flight belongs to a request that died; it may be retried. */
const IN_FLIGHT_EXPIRY_SECONDS = 60;
const KEY_FORMAT = /^[A-Za-z0-9_.:-]{8,128}$/;

export interface IdempotentResult<T> {
  status: number;
  body: T;
  /** True when this is the remembered answer to an earlier request with the same key. */
  replayed: boolean;
}

/**
 * Idempotency-Key for creating POSTs. The key is claimed in its own short transaction (so a
 * concurrent duplicate sees it in flight and gets 409), and the response is stored in the same
 * transaction as the work, so a crash can never leave a ticket without its remembered answer.
 * A retry with the same body gets the first response; a different body with the same key is 422.
 * A request that failed releases its key so the caller can correct it and retry.
 */
@Injectable()
export class IdempotencyService {
  constructor(
    private readonly live: LiveEvents,
    private readonly dataSource: DataSource,
  ) {}

  async run<T>(
    principal: Principal,
    key: string | undefined,
    operation: string,
    request: unknown,
    work: (manager: EntityManager, emit: Emit) => Promise<{ status: number; body: T }>,
  ): Promise<IdempotentResult<T>> {
    if (key === undefined) {
      const result = await this.live.transaction(work);
      return { ...result, replayed: false };
    }
    if (!KEY_FORMAT.test(key)) {
      throw new ValidationError('Invalid Idempotency-Key', [
        { field: 'Idempotency-Key', message: 'must be 8-128 characters among letters, digits, _ . : -' },
      ]);
    }
    const caller = `${principal.kind}:${principal.id}`;
    const fingerprint = createHash('sha256').update(`${operation}\n${stableJson(request)}`).digest('hex');
    const claimed = (await this.dataSource.query(
      `INSERT INTO idempotency_keys (caller, key, operation, fingerprint) VALUES ($1, $2, $3, $4)
       ON CONFLICT (caller, key) DO UPDATE SET created_at = now(), fingerprint = EXCLUDED.fingerprint, operation = EXCLUDED.operation
         WHERE idempotency_keys.completed_at IS NULL
           AND idempotency_keys.created_at < now() - make_interval(secs => $5)
       RETURNING key`,
      [caller, key, operation, fingerprint, IN_FLIGHT_EXPIRY_SECONDS],
    )) as unknown[];
    if (claimed.length === 0) return this.replay<T>(caller, key, operation, fingerprint);
    try {
      const result = await this.live.transaction(async (manager, emit) => {
        const outcome = await work(manager, emit);
        await manager.query(
          `UPDATE idempotency_keys SET status = $3, response = $4, completed_at = now() WHERE caller = $1 AND key = $2`,
          [caller, key, outcome.status, JSON.stringify(outcome.body)],
        );
        return outcome;
      });
      return { ...result, replayed: false };
    } catch (error) {
      await this.dataSource.query(`DELETE FROM idempotency_keys WHERE caller = $1 AND key = $2 AND completed_at IS NULL`, [caller, key]);
      throw error;
    }
  }

  private async replay<T>(
    caller: string,
    key: string,
    operation: string,
    fingerprint: string,
  ): Promise<IdempotentResult<T>> {
    const [row] = (await this.dataSource.query(
      `SELECT operation, fingerprint, status, response, completed_at FROM idempotency_keys WHERE caller = $1 AND key = $2`,
      [caller, key],
    )) as { operation: string; fingerprint: string; status: number | null; response: T; completed_at: Date | null }[];
    if (!row) throw new ConflictError('This Idempotency-Key is being released; retry', 'idempotency_in_flight');
    if (row.operation !== operation || row.fingerprint !== fingerprint) {
      throw new UnprocessableError('This Idempotency-Key was used with a different request', 'idempotency_key_reused');
    }
    if (!row.completed_at || row.status === null) {
      throw new ConflictError('A request with this Idempotency-Key is still in progress', 'idempotency_in_flight');
    }
    return { status: row.status, body: row.response, replayed: true };
  }
}

/** JSON with sorted keys, so the same body in another key order has the same fingerprint. */
export function stableJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : 1));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
}
