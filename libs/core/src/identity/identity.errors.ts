import { DomainError } from '../errors/domain-error';

export enum AuthErrorCode {
  InvalidCredentials = 'invalid_credentials',
  Unauthenticated = 'unauthenticated',
  TokenExpired = 'token_expired',
  TokenInvalid = 'token_invalid',
  RefreshTokenReused = 'refresh_token_reused',
  SessionRevoked = 'session_revoked',
  ApiKeyInvalid = 'api_key_invalid',
}

export class AuthError extends DomainError {
  readonly status = 401;
  constructor(
    readonly code: AuthErrorCode,
    message: string,
  ) {
    super(message, { headers: { 'www-authenticate': 'Bearer' } });
  }
}

export class TooManyAttemptsError extends DomainError {
  readonly code = 'too_many_attempts';
  readonly status = 429;
  constructor(retryAfterSeconds: number) {
    super(`Too many failed logins; retry in ${retryAfterSeconds} s`, {
      headers: { 'retry-after': String(retryAfterSeconds) },
    });
  }
}

