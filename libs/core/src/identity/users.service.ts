import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService, diffFields } from '../audit/audit.service';
import { ConflictError, NotFoundError, UnprocessableError } from '../errors/domain-error';
import { AuthService } from './auth.service';
import type { Principal, Role } from './principal';

export interface UserView {
  id: string;
  email: string;
  displayName: string;
  role: Role;
  serviceId: string | null;
  locale: 'fr' | 'en';
  active: boolean;
  siteIds: string[];
  lastLoginAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

export interface CreateUserInput {
  email: string;
  password: string;
  displayName: string;
  role: Role;
  siteIds: string[];
  serviceId?: string | null;
  locale?: 'fr' | 'en';
}

export type UpdateUserInput = Partial<Omit<CreateUserInput, 'email'>> & { active?: boolean; version?: number };

export interface UserQuery {
  siteId?: string;
  role?: Role;
  active?: boolean;
  q?: string;
  page: number;
  limit: number;
}

const AUDITED: (keyof UserView | 'password')[] = ['email', 'displayName', 'role', 'serviceId', 'locale', 'active', 'siteIds', 'password'];

/**
 * Accounts of agents, supervisors and admins. A user is visible to a caller who shares one of
 * its sites; an admin grants and removes only the sites it has itself.
 */
@Injectable()
export class UsersService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async list(principal: Principal, query: UserQuery): Promise<{ items: UserView[]; total: number }> {
    const params: unknown[] = [principal.siteIds];
    const where = [`EXISTS (SELECT 1 FROM user_sites us WHERE us.user_id = u.id AND us.site_id = ANY($1))`];
    if (query.siteId) {
      params.push(query.siteId);
      where.push(`EXISTS (SELECT 1 FROM user_sites us WHERE us.user_id = u.id AND us.site_id = $${params.length})`);
    }
    if (query.role) {
      params.push(query.role);
      where.push(`u.role = $${params.length}`);
    }
    if (query.active !== undefined) {
      params.push(query.active);
      where.push(`u.active = $${params.length}`);
    }
    if (query.q) {
      params.push(`%${query.q}%`);
      where.push(`(search_norm(u.display_name) LIKE search_norm($${params.length}) OR lower(u.email) LIKE lower($${params.length}))`);
    }
    const [{ total }] = (await this.dataSource.query(`SELECT count(*)::int AS total FROM users u WHERE ${where.join(' AND ')}`, params)) as {
      total: number;
    }[];
    params.push(query.limit, (query.page - 1) * query.limit);
    const rows = (await this.dataSource.query(
      `${SELECT_USER} WHERE ${where.join(' AND ')} ORDER BY u.display_name, u.id LIMIT $${params.length - 1} OFFSET $${params.length}`,
      params,
    )) as UserRow[];
    return { items: rows.map(toView), total };
  }

  async get(principal: Principal, id: string, manager: EntityManager = this.dataSource.manager): Promise<UserView> {
    const [row] = (await manager.query(`${SELECT_USER} WHERE u.id = $1`, [id])) as UserRow[];
    if (!row || !row.site_ids.some((s) => principal.siteIds.includes(s))) throw new NotFoundError('User', id);
    return toView(row);
  }

  async create(principal: Principal, input: CreateUserInput): Promise<UserView> {
    this.assertSitesGrantable(principal, input.siteIds);
    const passwordHash = await AuthService.hashPassword(input.password);
    return this.dataSource.transaction(async (manager) => {
      await this.assertServiceFits(manager, input.serviceId ?? null, input.siteIds);
      const [clash] = (await manager.query(`SELECT 1 FROM users WHERE lower(email) = lower($1)`, [input.email])) as unknown[];
      if (clash) throw new ConflictError(`A user with e-mail ${input.email} already exists`, 'email_taken');
      const [{ id }] = (await manager.query(
        `INSERT INTO users (email, password_hash, display_name, role, service_id, locale) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
        [input.email.trim(), passwordHash, input.displayName, input.role, input.serviceId ?? null, input.locale ?? 'fr'],
      )) as { id: string }[];
      await manager.query(`INSERT INTO user_sites (user_id, site_id) SELECT $1, unnest($2::uuid[])`, [id, input.siteIds]);
      const created = await this.get(principal, id, manager);
      await this.audit.record(manager, {
        action: 'create',
        entity: 'user',
        entityId: id,
        changes: diffFields<UserView & { password: string }>(null, { ...created, password: 'set' }, AUDITED),
      });
      return created;
    });
  }

  async update(principal: Principal, id: string, input: UpdateUserInput): Promise<UserView> {
    if (input.siteIds) this.assertSitesGrantable(principal, input.siteIds);
    const passwordHash = input.password ? await AuthService.hashPassword(input.password) : undefined;
    return this.dataSource.transaction(async (manager) => {
      await manager.query(`SELECT 1 FROM users WHERE id = $1 FOR UPDATE`, [id]);
      const before = await this.get(principal, id, manager);
      if (input.version !== undefined && input.version !== before.version) {
        throw new ConflictError(`User ${id} was changed meanwhile (version ${before.version})`, 'stale_version');
      }
      if (principal.kind === 'user' && principal.id === id && (input.active === false || (input.role && input.role !== before.role))) {
        throw new UnprocessableError('You cannot deactivate yourself or change your own role', 'self_lockout');
      }
      // Sites the caller cannot see stay as they are; only the caller's own sites are replaced.
      const siteIds = input.siteIds
        ? [...new Set([...before.siteIds.filter((s) => !principal.siteIds.includes(s)), ...input.siteIds])]
        : before.siteIds;
      const serviceId = input.serviceId === undefined ? before.serviceId : input.serviceId;
      if (input.serviceId !== undefined || input.siteIds) await this.assertServiceFits(manager, serviceId, siteIds);
      await manager.query(
        `UPDATE users SET display_name = $2, role = $3, service_id = $4, locale = $5, active = $6,
                password_hash = coalesce($7, password_hash), updated_at = now(), version = version + 1
          WHERE id = $1`,
        [
          id,
          input.displayName ?? before.displayName,
          input.role ?? before.role,
          serviceId,
          input.locale ?? before.locale,
          input.active ?? before.active,
          passwordHash ?? null,
        ],
      );
      if (input.siteIds) {
        await manager.query(`DELETE FROM user_sites WHERE user_id = $1 AND NOT (site_id = ANY($2::uuid[]))`, [id, siteIds]);
        await manager.query(`INSERT INTO user_sites (user_id, site_id) SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING`, [id, siteIds]);
      }
      // A disabled account or a new password ends every open session of that user.
      if (input.active === false || passwordHash) {
        await manager.query(
          `UPDATE auth_sessions SET revoked_at = now(), revoked_reason = $2 WHERE user_id = $1 AND revoked_at IS NULL`,
          [id, passwordHash ? 'password_changed' : 'account_disabled'],
        );
      }
      const after = await this.get(principal, id, manager);
      await this.audit.record(manager, {
        action: 'update',
        entity: 'user',
        entityId: id,
        changes: diffFields<UserView & { password: string }>(
          { ...before, password: 'old' },
          { ...after, password: passwordHash ? 'new' : 'old' },
          AUDITED,
        ),
      });
      return after;
    });
  }

  /** Deactivation rather than deletion: requests, tickets and the audit trail keep pointing at the person. */
  async deactivate(principal: Principal, id: string): Promise<void> {
    await this.update(principal, id, { active: false });
  }

  private assertSitesGrantable(principal: Principal, siteIds: string[]): void {
    const foreign = siteIds.find((s) => !principal.siteIds.includes(s));
    if (foreign) throw new NotFoundError('Site', foreign);
  }

  private async assertServiceFits(manager: EntityManager, serviceId: string | null, siteIds: string[]): Promise<void> {
    if (!serviceId) return;
    const [row] = (await manager.query(`SELECT site_id FROM services WHERE id = $1`, [serviceId])) as { site_id: string }[];
    if (!row || !siteIds.includes(row.site_id)) {
      throw new UnprocessableError('The service must belong to one of the user’s sites', 'service_outside_sites', [
        { field: 'serviceId', message: 'serviceId must be a service of one of the user’s sites' },
      ]);
    }
  }
}

interface UserRow {
  id: string;
  email: string;
  display_name: string;
  role: Role;
  service_id: string | null;
  locale: 'fr' | 'en';
  active: boolean;
  last_login_at: Date | null;
  created_at: Date;
  updated_at: Date;
  version: number;
  site_ids: string[];
}

const SELECT_USER = `
  SELECT u.id, u.email, u.display_name, u.role, u.service_id, u.locale, u.active, u.last_login_at,
         u.created_at, u.updated_at, u.version,
         ARRAY(SELECT us.site_id FROM user_sites us WHERE us.user_id = u.id ORDER BY us.site_id) AS site_ids
    FROM users u`;

function toView(row: UserRow): UserView {
  return {
    id: row.id,
    email: row.email,
    displayName: row.display_name,
    role: row.role,
    serviceId: row.service_id,
    locale: row.locale,
    active: row.active,
    siteIds: row.site_ids,
    lastLoginAt: row.last_login_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: row.version,
  };
}
