import { InvalidConfigError, loadEnv } from './env';

describe('loadEnv', () => {
  it('uses defaults when nothing is set', () => {
    const env = loadEnv({});
    expect(env.PORT).toBe(3000);
    expect(env.DATABASE_URL).toBe('postgres://postgres@127.0.0.1:5432/guichet');
    expect(env.MIGRATIONS_RUN).toBe(true);
  });

  it('converts numbers and booleans', () => {
    const env = loadEnv({ PORT: '8080', MIGRATIONS_RUN: 'false', TRUST_PROXY: '1' });
    expect(env.PORT).toBe(8080);
    expect(env.MIGRATIONS_RUN).toBe(false);
    expect(env.TRUST_PROXY).toBe(true);
  });

  it('names each bad variable', () => {
    try {
      loadEnv({ PORT: 'eighty', REDIS_URL: 'http://nope', LOG_LEVEL: 'loud' });
      throw new Error('should have thrown');
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidConfigError);
      const message = (error as Error).message;
      expect(message).toMatch(/PORT="eighty"/);
      expect(message).toMatch(/REDIS_URL="http:\/\/nope"/);
      expect(message).toMatch(/LOG_LEVEL="loud"/);
    }
  });

  it('requires a long JWT secret in production', () => {
    expect(() => loadEnv({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET/);
    expect(() => loadEnv({ NODE_ENV: 'production', JWT_SECRET: 'short' })).toThrow(/JWT_SECRET/);
    expect(loadEnv({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32) }).JWT_SECRET).toHaveLength(32);
  });
});
