import { Injectable } from '@nestjs/common';
import { createSecretKey, KeyObject, randomBytes } from 'node:crypto';
import { Env, loadEnv } from './env';

/**
 * Typed read access to the validated environment. The environment is parsed once per process;
 * a bad value throws before any module starts.
 */
@Injectable()
export class AppConfig {
  private readonly env: Env;
  private readonly jwtSecret: KeyObject;

  constructor() {
    this.env = loadEnv();
    // Outside production a missing secret is replaced by a per-process random one (tokens do not survive a restart).
    // A key object, made once: given a string, the JWT library tries (and fails) to read it as a public key on every check.
    this.jwtSecret = createSecretKey(Buffer.from(this.env.JWT_SECRET ?? randomBytes(48).toString('base64url'), 'utf8'));
  }

  get<K extends keyof Env>(key: K): Env[K] {
    return this.env[key];
  }

  get jwt(): { secret: KeyObject; accessTtlSeconds: number; refreshTtlSeconds: number } {
    return {
      secret: this.jwtSecret,
      accessTtlSeconds: this.env.JWT_ACCESS_TTL_SECONDS,
      refreshTtlSeconds: this.env.JWT_REFRESH_TTL_SECONDS,
    };
  }

  get publicUrl(): string {
    return this.env.PUBLIC_URL ?? `http://localhost:${this.env.PORT}`;
  }
}
