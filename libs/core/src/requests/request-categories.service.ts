import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService, diffFields } from '../audit/audit.service';
import { ConflictError, NotFoundError, UnprocessableError } from '../errors/domain-error';
import type { Principal } from '../identity/principal';
import { assertSiteAccess } from '../identity/site-access';
import { listedSiteIds } from '../organisation/directory';
import { InvalidReferenceError, RequestErrorCode } from './requests.errors';

export interface RequestCategoryView {
  id: string;
  siteId: string;
  parentId: string | null;
  name: string;
  /** Names from the root category down to this one. */
  path: string[];
  active: boolean;
  createdAt: Date;
}

export interface CreateRequestCategoryInput {
  siteId: string;
  name: string;
  parentId?: string | null;
}

export interface UpdateRequestCategoryInput {
  name?: string;
  parentId?: string | null;
  /** Inactive categories stay on the requests that have them but cannot be chosen any more. */
  active?: boolean;
}

export interface RequestCategoryQuery {
  siteId?: string;
  active?: boolean;
  page: number;
  limit: number;
}

type CategoryRow = Omit<RequestCategoryView, 'path'>;

const AUDITED: (keyof CategoryRow)[] = ['siteId', 'parentId', 'name', 'active'];

const SELECT_CATEGORY = `
  SELECT c.id, c.site_id AS "siteId", c.parent_id AS "parentId", c.name, c.active, c.created_at AS "createdAt"
    FROM request_categories c`;

/** The per-site taxonomy of requests, a tree (names are unique among siblings, whatever their case). */
@Injectable()
export class RequestCategoriesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  /** Categories of the caller's sites (or one site), ordered as a depth-first walk of each tree. */
  async list(principal: Principal, query: RequestCategoryQuery): Promise<{ items: RequestCategoryView[]; total: number }> {
    const params: unknown[] = [listedSiteIds(principal, query.siteId)];
    const active = query.active === undefined ? '' : ` AND active = $${params.push(query.active)}`;
    const [{ total }] = (await this.dataSource.query(
      `SELECT count(*)::int AS total FROM request_categories WHERE site_id = ANY($1)${active}`,
      params,
    )) as { total: number }[];
    params.push(query.limit, (query.page - 1) * query.limit);
    const items = (await this.dataSource.query(
      `WITH RECURSIVE tree AS (
         SELECT c.id, c.site_id, c.parent_id, c.name, c.active, c.created_at, ARRAY[c.name] AS path
           FROM request_categories c WHERE c.parent_id IS NULL AND c.site_id = ANY($1)
         UNION ALL
         SELECT c.id, c.site_id, c.parent_id, c.name, c.active, c.created_at, tree.path || c.name
           FROM request_categories c JOIN tree ON c.parent_id = tree.id
       )
       SELECT tree.id, tree.site_id AS "siteId", tree.parent_id AS "parentId", tree.name, tree.path, tree.active,
              tree.created_at AS "createdAt"
         FROM tree WHERE true${active}
        ORDER BY tree.site_id, lower(array_to_string(tree.path, chr(31))), tree.id
        LIMIT $${params.length - 1} OFFSET $${params.length}`,
      params,
    )) as RequestCategoryView[];
    return { items, total };
  }

  async get(principal: Principal, id: string): Promise<RequestCategoryView> {
    const row = await this.find(this.dataSource.manager, principal, id);
    return this.view(this.dataSource.manager, row);
  }

  async create(principal: Principal, input: CreateRequestCategoryInput): Promise<RequestCategoryView> {
    assertSiteAccess(principal, input.siteId);
    return this.dataSource.transaction(async (manager) => {
      if (input.parentId) await this.assertParent(manager, input.siteId, input.parentId, null);
      const [{ id }] = (await manager.query(
        `INSERT INTO request_categories (site_id, parent_id, name) VALUES ($1, $2, $3) RETURNING id`,
        [input.siteId, input.parentId ?? null, input.name],
      )) as { id: string }[];
      const created = await this.find(manager, principal, id);
      await this.audit.record(manager, {
        action: 'create',
        entity: 'request_category',
        entityId: id,
        siteId: created.siteId,
        changes: diffFields(null, created, AUDITED),
      });
      return this.view(manager, created);
    });
  }

  async update(principal: Principal, id: string, patch: UpdateRequestCategoryInput): Promise<RequestCategoryView> {
    return this.dataSource.transaction(async (manager) => {
      const before = await this.find(manager, principal, id, true);
      if (patch.parentId) await this.assertParent(manager, before.siteId, patch.parentId, id);
      await manager.query(
        `UPDATE request_categories SET name = $2, parent_id = $3, active = $4 WHERE id = $1`,
        [id, patch.name ?? before.name, patch.parentId === undefined ? before.parentId : patch.parentId, patch.active ?? before.active],
      );
      const after = await this.find(manager, principal, id);
      const changes = diffFields(before, after, AUDITED);
      if (Object.keys(changes).length > 0) {
        await this.audit.record(manager, { action: 'update', entity: 'request_category', entityId: id, siteId: after.siteId, changes });
      }
      return this.view(manager, after);
    });
  }

  /** Only an unused leaf can go: requests keep their category, so a used one is deactivated instead. */
  async remove(principal: Principal, id: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const category = await this.find(manager, principal, id, true);
      const [usage] = (await manager.query(
        `SELECT EXISTS (SELECT 1 FROM requests WHERE category_id = $1) AS used,
                EXISTS (SELECT 1 FROM request_categories WHERE parent_id = $1) AS parent`,
        [id],
      )) as { used: boolean; parent: boolean }[];
      if (usage.used || usage.parent) {
        throw new ConflictError(
          usage.parent ? 'The category has subcategories; move or delete them first' : 'Requests use this category; deactivate it instead',
          RequestErrorCode.CategoryInUse,
        );
      }
      await manager.query(`DELETE FROM request_categories WHERE id = $1`, [id]);
      await this.audit.record(manager, {
        action: 'delete',
        entity: 'request_category',
        entityId: id,
        siteId: category.siteId,
        changes: diffFields(category, null, AUDITED),
      });
    });
  }

  private async find(manager: EntityManager, principal: Principal, id: string, lock = false): Promise<CategoryRow> {
    const [row] = (await manager.query(`${SELECT_CATEGORY} WHERE c.id = $1${lock ? ' FOR UPDATE' : ''}`, [id])) as CategoryRow[];
    if (!row) throw new NotFoundError('Request category', id);
    assertSiteAccess(principal, row.siteId, 'Request category', id);
    return row;
  }

  private async view(manager: EntityManager, row: CategoryRow): Promise<RequestCategoryView> {
    return { ...row, path: await this.path(manager, row.id) };
  }

  /** Names from the root down to `id`. */
  private async path(manager: EntityManager, id: string): Promise<string[]> {
    const rows = (await manager.query(
      `WITH RECURSIVE up AS (
         SELECT id, parent_id, name, 0 AS depth FROM request_categories WHERE id = $1
         UNION ALL
         SELECT c.id, c.parent_id, c.name, up.depth + 1 FROM request_categories c JOIN up ON c.id = up.parent_id
       )
       SELECT name FROM up ORDER BY depth DESC`,
      [id],
    )) as { name: string }[];
    return rows.map((row) => row.name);
  }

  /** The parent must be a category of the same site, and not the category itself or one below it. */
  private async assertParent(manager: EntityManager, siteId: string, parentId: string, childId: string | null): Promise<void> {
    const [parent] = (await manager.query(`SELECT site_id FROM request_categories WHERE id = $1`, [parentId])) as { site_id: string }[];
    if (!parent || parent.site_id !== siteId) {
      throw new InvalidReferenceError([{ field: 'parentId', message: 'parentId must be a category of the same site' }]);
    }
    if (childId === null) return;
    const [cycle] = (await manager.query(
      `WITH RECURSIVE up AS (
         SELECT id, parent_id FROM request_categories WHERE id = $1
         UNION ALL
         SELECT c.id, c.parent_id FROM request_categories c JOIN up ON c.id = up.parent_id
       )
       SELECT 1 FROM up WHERE id = $2`,
      [parentId, childId],
    )) as unknown[];
    if (cycle) {
      throw new UnprocessableError('A category cannot be placed under itself or one of its subcategories', RequestErrorCode.CategoryCycle, [
        { field: 'parentId', message: 'parentId must not be the category itself or one of its subcategories' },
      ]);
    }
  }
}
