import type Redis from 'ioredis';

export interface PolicyVerdict {
  level: 'log' | 'warn' | 'error';
  message: string;
}

/**
 * Redis evicts keys under memory pressure unless maxmemory-policy is `noeviction`; for BullMQ that
 * means jobs vanishing without a trace. `undefined` means the policy could not be read.
 */
export function judgeMaxmemoryPolicy(policy: string | undefined, readError?: string): PolicyVerdict {
  if (policy === undefined) {
    return {
      level: 'warn',
      message:
        `Could not check Redis maxmemory-policy (${readError ?? 'CONFIG GET returned nothing'}; managed Redis often disables CONFIG). ` +
        'Make sure it is "noeviction", otherwise BullMQ jobs may be evicted when Redis memory is full.',
    };
  }
  if (policy === 'noeviction') return { level: 'log', message: 'Redis maxmemory-policy is noeviction' };
  return {
    level: 'error',
    message:
      `Redis maxmemory-policy is "${policy}", not "noeviction": when its memory fills up Redis will silently evict keys, ` +
      'including queued BullMQ jobs (alerts, escalations, surveys would be lost). Fix: start Redis with ' +
      '`redis-server --maxmemory-policy noeviction`, or run `CONFIG SET maxmemory-policy noeviction` ' +
      '(then `CONFIG REWRITE` to keep it), or set the parameter in your managed Redis console.',
  };
}

/** Reads maxmemory-policy; a refused CONFIG command (disabled, renamed, ACL) is reported, not thrown. */
export async function readMaxmemoryPolicy(redis: Pick<Redis, 'config'>): Promise<{ policy?: string; error?: string }> {
  try {
    const reply = (await redis.config('GET', 'maxmemory-policy')) as string[];
    return { policy: reply[1] };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

export async function checkMaxmemoryPolicy(
  redis: Pick<Redis, 'config'>,
  logger: Record<PolicyVerdict['level'], (message: string) => void>,
): Promise<PolicyVerdict> {
  const { policy, error } = await readMaxmemoryPolicy(redis);
  const verdict = judgeMaxmemoryPolicy(policy, error);
  logger[verdict.level](verdict.message);
  return verdict;
}
