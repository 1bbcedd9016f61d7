import { checkMaxmemoryPolicy, judgeMaxmemoryPolicy, readMaxmemoryPolicy } from './redis-policy';

describe('Redis maxmemory-policy check', () => {
  it('is quiet about noeviction', () => {
    expect(judgeMaxmemoryPolicy('noeviction').level).toBe('log');
  });

  it.each(['allkeys-lru', 'volatile-lru', 'allkeys-random', 'volatile-ttl'])('shouts about %s and tells how to fix it', (policy) => {
    const verdict = judgeMaxmemoryPolicy(policy);
    expect(verdict.level).toBe('error');
    expect(verdict.message).toContain(policy);
    expect(verdict.message).toContain('redis-server --maxmemory-policy noeviction');
    expect(verdict.message).toContain('CONFIG SET maxmemory-policy noeviction');
  });

  it('warns when the policy cannot be read', () => {
    const verdict = judgeMaxmemoryPolicy(undefined, "ERR unknown command 'CONFIG'");
    expect(verdict.level).toBe('warn');
    expect(verdict.message).toMatch(/Could not check.*unknown command 'CONFIG'/);
  });

  it('reads the policy from CONFIG GET and reports a refused CONFIG instead of throwing', async () => {
    await expect(readMaxmemoryPolicy({ config: jest.fn().mockResolvedValue(['maxmemory-policy', 'allkeys-lru']) } as never)).resolves.toEqual({
      policy: 'allkeys-lru',
    });
    await expect(readMaxmemoryPolicy({ config: jest.fn().mockResolvedValue([]) } as never)).resolves.toEqual({ policy: undefined });
    await expect(
      readMaxmemoryPolicy({ config: jest.fn().mockRejectedValue(new Error("ERR unknown command 'CONFIG'")) } as never),
    ).resolves.toEqual({ error: "ERR unknown command 'CONFIG'" });
  });

  it('logs the verdict at its level', async () => {
    const logger = { log: jest.fn(), warn: jest.fn(), error: jest.fn() };
    await checkMaxmemoryPolicy({ config: jest.fn().mockResolvedValue(['maxmemory-policy', 'allkeys-lru']) } as never, logger);
    expect(logger.error).toHaveBeenCalledWith(expect.stringContaining('allkeys-lru'));
    expect(logger.log).not.toHaveBeenCalled();
  });
});
