import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService, diffFields } from '../audit/audit.service';
import { ConflictError, NotFoundError, UnprocessableError } from '../errors/domain-error';
import type { Principal } from '../identity/principal';
import { assertSiteAccess, canSeeSite } from '../identity/site-access';
import { KnowledgeErrorCode } from './knowledge.errors';

export interface CategoryView {
  id: string;
  siteId: string;
  parentId: string | null;
  name: string;
  createdAt: Date;
}

export interface CategoryInput {
  siteId: string;
  parentId?: string | null;
  name: string;
}

export type CategoryPatch = Partial<Omit<CategoryInput, 'siteId'>>;

export interface CategoryQuery {
  siteId?: string;
  page: number;
  limit: number;
}

interface CategoryRow {
  id: string;
  site_id: string;
  parent_id: string | null;
  name: string;
  created_at: Date;
}

const AUDITED: (keyof CategoryView)[] = ['parentId', 'name'];

function toView(row: CategoryRow): CategoryView {
  return { id: row.id, siteId: row.site_id, parentId: row.parent_id, name: row.name, createdAt: row.created_at };
}

/**
 * The per-site tree of knowledge categories. Writes of one site are serialised by an advisory
 * lock, so the sibling-name and no-cycle checks cannot race (there is no unique index to lean on).
 */
@Injectable()
export class KnowledgeCategoriesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  /** Flat, by name; the tree is `parentId`. */
  async list(principal: Principal, query: CategoryQuery): Promise<{ items: CategoryView[]; total: number }> {
    if (query.siteId) assertSiteAccess(principal, query.siteId);
    const siteIds = query.siteId ? [query.siteId] : principal.siteIds;
    const rows = (await this.dataSource.query(
      `SELECT c.*, count(*) OVER ()::int AS total FROM knowledge_categories c
        WHERE c.site_id = ANY($1::uuid[]) ORDER BY lower(c.name), c.id LIMIT $2 OFFSET $3`,
      [siteIds, query.limit, (query.page - 1) * query.limit],
    )) as (CategoryRow & { total: number })[];
    return { items: rows.map(toView), total: rows[0]?.total ?? 0 };
  }

  async get(principal: Principal, id: string): Promise<CategoryView> {
    return toView(await this.find(this.dataSource.manager, principal, id));
  }

  async create(principal: Principal, input: CategoryInput): Promise<CategoryView> {
    assertSiteAccess(principal, input.siteId);
    return this.dataSource.transaction(async (manager) => {
      await lockSiteTree(manager, input.siteId);
      const parentId = input.parentId ?? null;
      await this.checkPlacement(manager, input.siteId, null, parentId, input.name);
      const [row] = (await manager.query(
        `INSERT INTO knowledge_categories (site_id, parent_id, name) VALUES ($1, $2, $3) RETURNING *`,
        [input.siteId, parentId, input.name],
      )) as CategoryRow[];
      const created = toView(row);
      await this.audit.record(manager, {
        action: 'create',
        entity: 'knowledge_category',
        entityId: row.id,
        siteId: row.site_id,
        changes: diffFields<CategoryView>(null, created, AUDITED),
      });
      return created;
    });
  }

  async update(principal: Principal, id: string, patch: CategoryPatch): Promise<CategoryView> {
    return this.dataSource.transaction(async (manager) => {
      const current = await this.find(manager, principal, id);
      await lockSiteTree(manager, current.site_id);
      const parentId = patch.parentId !== undefined ? patch.parentId : current.parent_id;
      const name = patch.name ?? current.name;
      await this.checkPlacement(manager, current.site_id, id, parentId, name);
      const [row] = (await manager.query(
        `WITH c AS (UPDATE knowledge_categories SET parent_id = $2, name = $3 WHERE id = $1 RETURNING *) SELECT * FROM c`,
        [id, parentId, name],
      )) as CategoryRow[];
      const after = toView(row);
      await this.audit.record(manager, {
        action: 'update',
        entity: 'knowledge_category',
        entityId: id,
        siteId: row.site_id,
        changes: diffFields<CategoryView>(toView(current), after, AUDITED),
      });
      return after;
    });
  }

  /** Only a leaf can go; its articles stay, uncategorised. */
  async remove(principal: Principal, id: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const current = await this.find(manager, principal, id);
      await lockSiteTree(manager, current.site_id);
      const [{ children }] = (await manager.query(`SELECT count(*)::int AS children FROM knowledge_categories WHERE parent_id = $1`, [id])) as {
        children: number;
      }[];
      if (children > 0) throw new ConflictError('Move or delete its subcategories first', KnowledgeErrorCode.CategoryNotEmpty);
      await manager.query(`DELETE FROM knowledge_categories WHERE id = $1`, [id]);
      await this.audit.record(manager, {
        action: 'delete',
        entity: 'knowledge_category',
        entityId: id,
        siteId: current.site_id,
        changes: diffFields<CategoryView>(toView(current), null, AUDITED),
      });
    });
  }

  private async find(manager: EntityManager, principal: Principal, id: string): Promise<CategoryRow> {
    const [row] = (await manager.query(`SELECT * FROM knowledge_categories WHERE id = $1`, [id])) as CategoryRow[];
    if (!row || !canSeeSite(principal, row.site_id)) throw new NotFoundError('Knowledge category', id);
    return row;
  }

  /** The parent is in the same site and not the category itself nor below it; no sibling has the name. */
  private async checkPlacement(manager: EntityManager, siteId: string, id: string | null, parentId: string | null, name: string): Promise<void> {
    if (parentId) {
      const [parent] = (await manager.query(
        `WITH RECURSIVE up AS (
           SELECT id, parent_id, site_id FROM knowledge_categories WHERE id = $1
           UNION ALL
           SELECT c.id, c.parent_id, c.site_id FROM knowledge_categories c JOIN up ON c.id = up.parent_id
         )
         SELECT (SELECT site_id FROM up WHERE id = $1) AS site_id, $2::uuid = ANY(ARRAY(SELECT id FROM up)) AS cycle`,
        [parentId, id],
      )) as { site_id: string | null; cycle: boolean }[];
      if (parent.site_id !== siteId) {
        throw new UnprocessableError('The parent must be a category of the same site', KnowledgeErrorCode.OutsideSite, [
          { field: 'parentId', message: 'parentId must be a knowledge category of the same site' },
        ]);
      }
      if (parent.cycle) {
        throw new UnprocessableError('A category cannot be placed under itself', KnowledgeErrorCode.CategoryCycle, [
          { field: 'parentId', message: 'parentId must not be the category itself or one of its subcategories' },
        ]);
      }
    }
    const [clash] = (await manager.query(
      `SELECT 1 FROM knowledge_categories
        WHERE site_id = $1 AND parent_id IS NOT DISTINCT FROM $2 AND lower(name) = lower($3) AND id IS DISTINCT FROM $4`,
      [siteId, parentId, name, id],
    )) as unknown[];
    if (clash) throw new ConflictError(`A category named "${name}" already exists there`, KnowledgeErrorCode.CategoryExists);
  }
}

/** Serialises the category writes of one site until commit. */
async function lockSiteTree(manager: EntityManager, siteId: string): Promise<void> {
  await manager.query(`SELECT pg_advisory_xact_lock(hashtext('knowledge_categories:' || $1))`, [siteId]);
}
