import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService, diffFields } from '../audit/audit.service';
import { NotFoundError } from '../errors/domain-error';
import type { Principal } from './principal';
import { API_KEY_PREFIX, randomSecret, sha256 } from './tokens';

export interface ApiKeyView {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  siteIds: string[];
  createdByUserId: string | null;
  createdAt: Date;
  expiresAt: Date | null;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}

export interface CreateApiKeyInput {
  name: string;
  scopes: string[];
  siteIds: string[];
  expiresAt?: Date;
}

/** Characters of the key kept in clear so admins can tell keys apart in lists and logs. */
const SHOWN_PREFIX_LENGTH = 10;

/**
 * Keys for integrators and devices (kiosks, displays). The clear key is returned once at
 * creation; only its SHA-256 is stored. A key is visible to admins who share one of its sites.
 */
@Injectable()
export class ApiKeysService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async create(principal: Principal, input: CreateApiKeyInput): Promise<ApiKeyView & { key: string }> {
    const foreign = input.siteIds.find((s) => !principal.siteIds.includes(s));
    if (foreign) throw new NotFoundError('Site', foreign);
    const key = `${API_KEY_PREFIX}${randomSecret(30)}`;
    return this.dataSource.transaction(async (manager) => {
      const [{ id }] = (await manager.query(
        `INSERT INTO api_keys (name, prefix, secret_hash, scopes, created_by_user_id, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
        [
          input.name,
          key.slice(0, SHOWN_PREFIX_LENGTH),
          sha256(key),
          [...new Set(input.scopes)].sort(),
          principal.kind === 'user' ? principal.id : null,
          input.expiresAt ?? null,
        ],
      )) as { id: string }[];
      await manager.query(`INSERT INTO api_key_sites (api_key_id, site_id) SELECT $1, unnest($2::uuid[])`, [id, input.siteIds]);
      const view = await this.get(principal, id, manager);
      await this.audit.record(manager, {
        action: 'create',
        entity: 'api_key',
        entityId: id,
        changes: diffFields<ApiKeyView>(null, view, ['name', 'prefix', 'scopes', 'siteIds', 'expiresAt']),
      });
      return { ...view, key };
    });
  }

  async list(principal: Principal, query: { includeRevoked?: boolean; page: number; limit: number }): Promise<{ items: ApiKeyView[]; total: number }> {
    const where = `EXISTS (SELECT 1 FROM api_key_sites ks WHERE ks.api_key_id = k.id AND ks.site_id = ANY($1))
                   AND ($2::boolean OR k.revoked_at IS NULL)`;
    const params = [principal.siteIds, query.includeRevoked ?? false];
    const [{ total }] = (await this.dataSource.query(`SELECT count(*)::int AS total FROM api_keys k WHERE ${where}`, params)) as {
      total: number;
    }[];
    const rows = (await this.dataSource.query(`${SELECT_KEY} WHERE ${where} ORDER BY k.created_at DESC, k.id LIMIT $3 OFFSET $4`, [
      ...params,
      query.limit,
      (query.page - 1) * query.limit,
    ])) as KeyRow[];
    return { items: rows.map(toView), total };
  }

  async get(principal: Principal, id: string, manager: EntityManager = this.dataSource.manager): Promise<ApiKeyView> {
    const [row] = (await manager.query(`${SELECT_KEY} WHERE k.id = $1`, [id])) as KeyRow[];
    if (!row || !row.site_ids.some((s) => principal.siteIds.includes(s))) throw new NotFoundError('API key', id);
    return toView(row);
  }

  /** Takes effect on the next request: keys are looked up on every call, never cached. */
  async revoke(principal: Principal, id: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const before = await this.get(principal, id, manager);
      if (before.revokedAt) return;
      await manager.query(`UPDATE api_keys SET revoked_at = now(), version = version + 1 WHERE id = $1`, [id]);
      const after = await this.get(principal, id, manager);
      await this.audit.record(manager, {
        action: 'update',
        entity: 'api_key',
        entityId: id,
        changes: diffFields<ApiKeyView>(before, after, ['revokedAt']),
      });
    });
  }
}

interface KeyRow {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  created_by_user_id: string | null;
  created_at: Date;
  expires_at: Date | null;
  revoked_at: Date | null;
  last_used_at: Date | null;
  site_ids: string[];
}

const SELECT_KEY = `
  SELECT k.id, k.name, k.prefix, k.scopes, k.created_by_user_id, k.created_at, k.expires_at, k.revoked_at, k.last_used_at,
         ARRAY(SELECT ks.site_id FROM api_key_sites ks WHERE ks.api_key_id = k.id ORDER BY ks.site_id) AS site_ids
    FROM api_keys k`;

function toView(row: KeyRow): ApiKeyView {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scopes: row.scopes,
    siteIds: row.site_ids,
    createdByUserId: row.created_by_user_id,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
    lastUsedAt: row.last_used_at,
  };
}
