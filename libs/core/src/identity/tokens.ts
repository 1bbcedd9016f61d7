import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Opaque secrets (refresh tokens, API keys) are random, so a plain SHA-256 is a safe lookup hash. */
export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

export function randomSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export const API_KEY_PREFIX = 'gk_';
