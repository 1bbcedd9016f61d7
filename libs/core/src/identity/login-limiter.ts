import { Inject, Injectable } from '@nestjs/common';
import Redis from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { AppConfig } from '@guichet/config/app-config';
import { REDIS } from '../redis/redis.module';
import { TooManyAttemptsError } from './identity.errors';

/**
 * Counts failed logins per account and per client address in Redis (shared by every API
 * instance). Past the limit, logins are refused with 429 until the window ends, even with the
 * right password, so guessing cannot continue. A success clears the account's count.
 */
@Injectable()
export class LoginLimiter {
  private readonly byAccount: RateLimiterRedis;
  private readonly byAddress: RateLimiterRedis;

  constructor(@Inject(REDIS) redis: Redis, config: AppConfig) {
    const prefix = config.get('REDIS_PREFIX');
    const duration = config.get('LOGIN_FAILURE_WINDOW_SECONDS');
    this.byAccount = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: `${prefix}:login-fail:account`,
      points: config.get('LOGIN_MAX_FAILURES_PER_ACCOUNT'),
      duration,
      blockDuration: duration,
    });
    this.byAddress = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: `${prefix}:login-fail:address`,
      points: config.get('LOGIN_MAX_FAILURES_PER_ADDRESS'),
      duration,
      blockDuration: duration,
    });
  }

  /** Throws 429 when either counter is exhausted. */
  async assertAllowed(email: string, address: string): Promise<void> {
    const [account, ip] = await Promise.all([this.byAccount.get(accountKey(email)), this.byAddress.get(address)]);
    const blocked = [account, ip].filter((res): res is RateLimiterRes => res !== null && res.remainingPoints <= 0);
    if (blocked.length > 0) {
      throw new TooManyAttemptsError(Math.max(1, Math.ceil(Math.max(...blocked.map((b) => b.msBeforeNext)) / 1000)));
    }
  }

  async recordFailure(email: string, address: string): Promise<void> {
    await Promise.all([
      this.byAccount.consume(accountKey(email)).catch(swallowLimit),
      this.byAddress.consume(address).catch(swallowLimit),
    ]);
  }

  async recordSuccess(email: string): Promise<void> {
    await this.byAccount.delete(accountKey(email));
  }
}

function accountKey(email: string): string {
  return email.trim().toLowerCase();
}

/** consume() rejects with a RateLimiterRes once the limit is passed; that is expected here. */
function swallowLimit(error: unknown): void {
  if (error instanceof RateLimiterRes) return;
  throw error;
}
