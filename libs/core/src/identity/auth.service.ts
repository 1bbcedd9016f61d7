import { Injectable } from '@nestjs/common';
import { JwtService, TokenExpiredError } from '@nestjs/jwt';
import * as argon2 from 'argon2';
import { DataSource } from 'typeorm';
import { AppConfig } from '@guichet/config/app-config';
import { AuthError, AuthErrorCode } from './identity.errors';
import { LoginLimiter } from './login-limiter';
import type { ApiKeyPrincipal, Role, UserPrincipal } from './principal';
import { API_KEY_PREFIX, randomSecret, sha256 } from './tokens';

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
}

interface AccessClaims {
  sub: string;
  sid: string;
  typ: 'access';
}

export interface ClientInfo {
  ip: string;
  userAgent?: string;
}

/** Verifying against this when the account does not exist keeps the timing of both answers alike. */
const DUMMY_HASH = argon2.hash('guichet-timing-equaliser');

/** How stale last_used_at may get before a request writes it again (saves a write per call). */
const LAST_USED_RESOLUTION_SECONDS = 60;

/**
 * Login, refresh rotation with reuse detection, logout, and resolution of the caller from an
 * access token or an API key. A refresh token belongs to a session (its family): presenting a
 * token that was already exchanged revokes the whole session.
 */
@Injectable()
export class AuthService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly jwt: JwtService,
    private readonly config: AppConfig,
    private readonly limiter: LoginLimiter,
  ) {}

  static hashPassword(password: string): Promise<string> {
    return argon2.hash(password, { type: argon2.argon2id });
  }

  async login(email: string, password: string, client: ClientInfo): Promise<TokenPair> {
    await this.limiter.assertAllowed(email, client.ip);
    const [user] = (await this.dataSource.query(
      `SELECT id, password_hash, active FROM users WHERE lower(email) = lower($1)`,
      [email.trim()],
    )) as { id: string; password_hash: string; active: boolean }[];
    const valid = await argon2.verify(user?.password_hash ?? (await DUMMY_HASH), password).catch(() => false);
    if (!user || !valid || !user.active) {
      await this.limiter.recordFailure(email, client.ip);
      throw new AuthError(AuthErrorCode.InvalidCredentials, 'Wrong e-mail or password');
    }
    await this.limiter.recordSuccess(email);
    const refreshTtl = this.config.jwt.refreshTtlSeconds;
    return this.dataSource.transaction(async (manager) => {
      const [session] = (await manager.query(
        `INSERT INTO auth_sessions (user_id, expires_at, ip, user_agent)
         VALUES ($1, now() + make_interval(secs => $2), $3, $4) RETURNING id`,
        [user.id, refreshTtl, client.ip, client.userAgent?.slice(0, 500) ?? null],
      )) as { id: string }[];
      await manager.query(`UPDATE users SET last_login_at = now() WHERE id = $1`, [user.id]);
      const refreshToken = await this.issueRefreshToken(manager.query.bind(manager), session.id, refreshTtl);
      return this.pair(user.id, session.id, refreshToken);
    });
  }

  async refresh(refreshToken: string): Promise<TokenPair> {
    const outcome = await this.dataSource.transaction(async (manager) => {
      const [row] = (await manager.query(
        `SELECT t.id, t.session_id, t.used_at, t.expires_at < now() AS expired,
                s.user_id, s.revoked_at, s.expires_at < now() AS session_expired, u.active
           FROM refresh_tokens t
           JOIN auth_sessions s ON s.id = t.session_id
           JOIN users u ON u.id = s.user_id
          WHERE t.token_hash = $1
          FOR UPDATE OF t, s`,
        [sha256(refreshToken)],
      )) as {
        id: string;
        session_id: string;
        used_at: Date | null;
        expired: boolean;
        user_id: string;
        revoked_at: Date | null;
        session_expired: boolean;
        active: boolean;
      }[];
      if (!row) return { error: new AuthError(AuthErrorCode.TokenInvalid, 'Unknown refresh token') };
      if (row.revoked_at) return { error: new AuthError(AuthErrorCode.SessionRevoked, 'This session was closed') };
      if (row.used_at) {
        // A replayed token means it leaked: close the whole family (committed even though we answer 401).
        await manager.query(
          `UPDATE auth_sessions SET revoked_at = now(), revoked_reason = 'refresh_token_reused' WHERE id = $1`,
          [row.session_id],
        );
        return { error: new AuthError(AuthErrorCode.RefreshTokenReused, 'Refresh token already used; session revoked') };
      }
      if (row.expired || row.session_expired || !row.active) {
        return { error: new AuthError(AuthErrorCode.TokenExpired, 'Refresh token expired') };
      }
      await manager.query(`UPDATE refresh_tokens SET used_at = now() WHERE id = $1`, [row.id]);
      await manager.query(`UPDATE auth_sessions SET last_used_at = now() WHERE id = $1`, [row.session_id]);
      const next = await this.issueRefreshToken(manager.query.bind(manager), row.session_id, this.config.jwt.refreshTtlSeconds);
      return { pair: await this.pair(row.user_id, row.session_id, next) };
    });
    if ('error' in outcome) throw outcome.error;
    return outcome.pair;
  }

  /** Closes the session of the access token (and, if given, of a refresh token of the same user). */
  async logout(principal: UserPrincipal, refreshToken?: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE auth_sessions SET revoked_at = now(), revoked_reason = 'logout'
        WHERE revoked_at IS NULL AND user_id = $1
          AND (id = $2 OR id = (SELECT session_id FROM refresh_tokens WHERE token_hash = $3))`,
      [principal.id, principal.sessionId, refreshToken ? sha256(refreshToken) : null],
    );
  }

  /** Verifies an access token and loads the current user, role and sites in one query. */
  async principalFromAccessToken(token: string): Promise<UserPrincipal> {
    let claims: AccessClaims;
    try {
      claims = await this.jwt.verifyAsync<AccessClaims>(token, { secret: jwtKey(this.config), algorithms: ['HS256'] });
    } catch (error) {
      if (error instanceof TokenExpiredError) throw new AuthError(AuthErrorCode.TokenExpired, 'Access token expired');
      throw new AuthError(AuthErrorCode.TokenInvalid, 'Invalid access token');
    }
    if (claims.typ !== 'access' || typeof claims.sid !== 'string' || typeof claims.sub !== 'string') {
      throw new AuthError(AuthErrorCode.TokenInvalid, 'Invalid access token');
    }
    const [row] = (await this.dataSource.query(
      `SELECT u.id, u.display_name, u.email, u.role, u.service_id, u.active, s.revoked_at,
              ARRAY(SELECT us.site_id FROM user_sites us WHERE us.user_id = u.id ORDER BY us.site_id) AS site_ids
         FROM auth_sessions s JOIN users u ON u.id = s.user_id
        WHERE s.id = $1 AND u.id = $2`,
      [claims.sid, claims.sub],
    )) as {
      id: string;
      display_name: string;
      email: string;
      role: Role;
      service_id: string | null;
      active: boolean;
      revoked_at: Date | null;
      site_ids: string[];
    }[];
    if (!row || !row.active) throw new AuthError(AuthErrorCode.TokenInvalid, 'Unknown or disabled account');
    if (row.revoked_at) throw new AuthError(AuthErrorCode.SessionRevoked, 'This session was closed');
    return {
      kind: 'user',
      id: row.id,
      label: `${row.display_name} <${row.email}>`,
      role: row.role,
      serviceId: row.service_id,
      siteIds: row.site_ids,
      sessionId: claims.sid,
    };
  }

  /** Looks a key up by its hash; revoked and expired keys are refused at once (no cache). */
  async principalFromApiKey(key: string): Promise<ApiKeyPrincipal> {
    if (!key.startsWith(API_KEY_PREFIX)) throw new AuthError(AuthErrorCode.ApiKeyInvalid, 'Invalid API key');
    const [row] = (await this.dataSource.query(
      `SELECT k.id, k.name, k.scopes, k.revoked_at, (k.expires_at IS NOT NULL AND k.expires_at <= now()) AS expired,
              (k.last_used_at IS NULL OR k.last_used_at < now() - make_interval(secs => $2)) AS stale,
              ARRAY(SELECT ks.site_id FROM api_key_sites ks WHERE ks.api_key_id = k.id ORDER BY ks.site_id) AS site_ids
         FROM api_keys k WHERE k.secret_hash = $1`,
      [sha256(key), LAST_USED_RESOLUTION_SECONDS],
    )) as { id: string; name: string; scopes: string[]; revoked_at: Date | null; expired: boolean; stale: boolean; site_ids: string[] }[];
    if (!row || row.revoked_at || row.expired) throw new AuthError(AuthErrorCode.ApiKeyInvalid, 'Invalid, revoked or expired API key');
    if (row.stale) await this.dataSource.query(`UPDATE api_keys SET last_used_at = now() WHERE id = $1`, [row.id]);
    return { kind: 'api_key', id: row.id, label: `key ${row.name}`, scopes: row.scopes, siteIds: row.site_ids };
  }

  private async issueRefreshToken(
    query: (sql: string, params: unknown[]) => Promise<unknown>,
    sessionId: string,
    ttlSeconds: number,
  ): Promise<string> {
    const token = `${sessionId}.${randomSecret()}`;
    await query(
      `INSERT INTO refresh_tokens (session_id, token_hash, expires_at) VALUES ($1, $2, now() + make_interval(secs => $3))`,
      [sessionId, sha256(token), ttlSeconds],
    );
    return token;
  }

  private async pair(userId: string, sessionId: string, refreshToken: string): Promise<TokenPair> {
    const { accessTtlSeconds } = this.config.jwt;
    const claims: AccessClaims = { sub: userId, sid: sessionId, typ: 'access' };
    const accessToken = await this.jwt.signAsync(claims, { secret: jwtKey(this.config), expiresIn: accessTtlSeconds, algorithm: 'HS256' });
    return { accessToken, refreshToken, tokenType: 'Bearer', expiresIn: accessTtlSeconds };
  }
}

/** jsonwebtoken takes a KeyObject as is (see AppConfig.jwt); @nestjs/jwt's typings only list strings and buffers. */
function jwtKey(config: AppConfig): string {
  return config.jwt.secret as unknown as string;
}
