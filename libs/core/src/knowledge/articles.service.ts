import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService, diffFields } from '../audit/audit.service';
import { ConflictError, FieldError, NotFoundError, UnprocessableError, ValidationError } from '../errors/domain-error';
import { Principal, roleAtLeast } from '../identity/principal';
import { assertSiteAccess, canSeeSite } from '../identity/site-access';
import { ARTICLE_COLUMNS, buildArticleListQuery } from './article-queries';
import { ArticleKind, isStale, localDay, reviewDueAfterReview } from './article-rules';
import { KnowledgeErrorCode, StaleArticleError } from './knowledge.errors';

export interface Attachment {
  name: string;
  url: string;
}

/** The editable part of an article. */
export interface ArticleState {
  categoryId: string | null;
  kind: ArticleKind;
  title: string;
  body: string;
  tags: string[];
  ownerServiceId: string | null;
  source: string | null;
  reviewDue: string | null;
  attachments: Attachment[];
  published: boolean;
}

export type ArticleInput = Partial<ArticleState> &
  Pick<ArticleState, 'title' | 'body'> & {
    siteId: string;
    /** When the content was last checked against its source, if before today (an import). Default: now. */
    reviewedAt?: Date;
  };

export type ArticlePatch = Partial<ArticleState> & { version?: number };

export interface ReviewInput {
  /** The next due date; left out: a due date still ahead is kept, a passed one is cleared. */
  reviewDue?: string | null;
  version?: number;
}

export interface ArticleQuery {
  siteId?: string;
  q?: string;
  kind?: ArticleKind;
  categoryId?: string;
  tag?: string;
  ownerServiceId?: string;
  stale?: boolean;
  published?: boolean;
  page: number;
  limit: number;
}

export interface ArticleView extends ArticleState {
  id: string;
  siteId: string;
  reviewedAt: Date | null;
  /** Review due date passed, or no review for a year: check it before relying on it. */
  stale: boolean;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

export type ArticleHit = ArticleView & { score: number | null };

/** A row selected with ARTICLE_COLUMNS. */
export interface ArticleRow {
  id: string;
  site_id: string;
  category_id: string | null;
  kind: ArticleKind;
  title: string;
  body: string;
  tags: string[];
  owner_service_id: string | null;
  source: string | null;
  reviewed_at: Date | null;
  review_due: string | null;
  attachments: Attachment[];
  published: boolean;
  created_at: Date;
  updated_at: Date;
  version: number;
  time_zone: string;
}

const AUDITED: (keyof ArticleView)[] = [
  'categoryId',
  'kind',
  'title',
  'body',
  'tags',
  'ownerServiceId',
  'source',
  'reviewedAt',
  'reviewDue',
  'attachments',
  'published',
];

/** Drafts (unpublished articles) are for their writers: supervisors and admins. */
export function canReadDrafts(principal: Principal): boolean {
  return principal.kind === 'user' && roleAtLeast(principal.role, 'supervisor');
}

export function toArticleView(row: ArticleRow, now: Date = new Date()): ArticleView {
  return {
    id: row.id,
    siteId: row.site_id,
    categoryId: row.category_id,
    kind: row.kind,
    title: row.title,
    body: row.body,
    tags: row.tags,
    ownerServiceId: row.owner_service_id,
    source: row.source,
    reviewedAt: row.reviewed_at,
    reviewDue: row.review_due,
    attachments: row.attachments,
    published: row.published,
    stale: isStale({ reviewedAt: row.reviewed_at, reviewDue: row.review_due, createdAt: row.created_at }, now, row.time_zone),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: row.version,
  };
}

/** Trimmed, without case-insensitive repeats (the first spelling stays: "CNI", "PMR"). */
function cleanTags(tags: string[]): string[] {
  const seen = new Set<string>();
  return tags.map((tag) => tag.trim()).filter((tag) => tag && !seen.has(tag.toLowerCase()) && seen.add(tag.toLowerCase()));
}

/** The knowledge base the desk answers "information" requests from. */
@Injectable()
export class ArticlesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async list(principal: Principal, query: ArticleQuery): Promise<{ items: ArticleHit[]; total: number }> {
    if (query.siteId) assertSiteAccess(principal, query.siteId);
    const drafts = canReadDrafts(principal);
    if (!drafts && query.published === false) return { items: [], total: 0 };
    const filter = {
      siteIds: query.siteId ? [query.siteId] : principal.siteIds,
      q: query.q,
      kind: query.kind,
      categoryId: query.categoryId,
      tag: query.tag?.trim(),
      ownerServiceId: query.ownerServiceId,
      stale: query.stale,
      published: drafts ? query.published : true,
      limit: query.limit,
      offset: (query.page - 1) * query.limit,
    };
    const { text, values } = buildArticleListQuery(filter);
    const rows = (await this.dataSource.query(text, values)) as (ArticleRow & { score: number | null; total: number })[];
    let total = rows[0]?.total ?? 0;
    if (rows.length === 0 && filter.offset > 0) {
      const first = buildArticleListQuery({ ...filter, limit: 1, offset: 0 });
      total = ((await this.dataSource.query(first.text, first.values)) as { total: number }[])[0]?.total ?? 0;
    }
    const now = new Date();
    return {
      items: rows.map((row) => ({ ...toArticleView(row, now), score: row.score === null ? null : Math.round(row.score * 1000) / 1000 })),
      total,
    };
  }

  async get(principal: Principal, id: string): Promise<ArticleView> {
    return toArticleView(await findArticle(this.dataSource.manager, principal, id));
  }

  async create(principal: Principal, input: ArticleInput): Promise<ArticleView> {
    assertSiteAccess(principal, input.siteId);
    const now = new Date();
    const state: ArticleState = {
      categoryId: input.categoryId ?? null,
      kind: input.kind ?? 'faq',
      title: input.title,
      body: input.body,
      tags: cleanTags(input.tags ?? []),
      ownerServiceId: input.ownerServiceId ?? null,
      source: input.source ?? null,
      reviewDue: input.reviewDue ?? null,
      attachments: input.attachments ?? [],
      published: input.published ?? true,
    };
    if (input.reviewedAt && input.reviewedAt > now) {
      throw new ValidationError('Invalid article: reviewedAt', [{ field: 'reviewedAt', message: 'reviewedAt must not be in the future' }]);
    }
    return this.dataSource.transaction(async (manager) => {
      await this.checkState(manager, input.siteId, state, ['categoryId', 'ownerServiceId', 'reviewDue'], now);
      const [{ id }] = (await manager.query(
        `INSERT INTO articles (site_id, category_id, kind, title, body, tags, owner_service_id, source, review_due, attachments, published, reviewed_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
        [input.siteId, ...stateValues(state), input.reviewedAt ?? now],
      )) as { id: string }[];
      const created = toArticleView(await loadArticle(manager, id), now);
      await this.audit.record(manager, {
        action: 'create',
        entity: 'article',
        entityId: id,
        siteId: input.siteId,
        changes: diffFields<ArticleView>(null, created, AUDITED),
      });
      return created;
    });
  }

  async update(principal: Principal, id: string, { version, ...patch }: ArticlePatch): Promise<ArticleView> {
    return this.dataSource.transaction(async (manager) => {
      const row = await findArticle(manager, principal, id, { lock: true });
      if (version !== undefined && version !== row.version) throw new StaleArticleError(id, row.version);
      const before = toArticleView(row);
      const state: ArticleState = {
        categoryId: patch.categoryId !== undefined ? patch.categoryId : before.categoryId,
        kind: patch.kind ?? before.kind,
        title: patch.title ?? before.title,
        body: patch.body ?? before.body,
        tags: patch.tags ? cleanTags(patch.tags) : before.tags,
        ownerServiceId: patch.ownerServiceId !== undefined ? patch.ownerServiceId : before.ownerServiceId,
        source: patch.source !== undefined ? patch.source : before.source,
        reviewDue: patch.reviewDue !== undefined ? patch.reviewDue : before.reviewDue,
        attachments: patch.attachments ?? before.attachments,
        published: patch.published ?? before.published,
      };
      const changed = (['categoryId', 'ownerServiceId', 'reviewDue'] as const).filter((key) => patch[key] !== undefined);
      await this.checkState(manager, row.site_id, state, changed, new Date());
      return this.write(manager, row, before, state, null);
    });
  }

  /** Marks the article checked against its source now. */
  async review(principal: Principal, id: string, input: ReviewInput): Promise<ArticleView> {
    return this.dataSource.transaction(async (manager) => {
      const row = await findArticle(manager, principal, id, { lock: true });
      if (input.version !== undefined && input.version !== row.version) throw new StaleArticleError(id, row.version);
      const now = new Date();
      const before = toArticleView(row, now);
      const reviewDue = reviewDueAfterReview(row.review_due, input.reviewDue, localDay(now, row.time_zone));
      const state = { ...before, reviewDue };
      if (input.reviewDue) await this.checkState(manager, row.site_id, state, ['reviewDue'], now);
      return this.write(manager, row, before, state, now);
    });
  }

  async remove(principal: Principal, id: string, version?: number): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const row = await findArticle(manager, principal, id, { lock: true });
      if (version !== undefined && version !== row.version) throw new StaleArticleError(id, row.version);
      const [{ linked }] = (await manager.query(`SELECT EXISTS (SELECT 1 FROM request_articles WHERE article_id = $1) AS linked`, [id])) as {
        linked: boolean;
      }[];
      if (linked) {
        throw new ConflictError('This article answered requests and is counted in the report; unpublish it instead', KnowledgeErrorCode.ArticleInUse);
      }
      await manager.query(`DELETE FROM articles WHERE id = $1`, [id]);
      await this.audit.record(manager, {
        action: 'delete',
        entity: 'article',
        entityId: id,
        siteId: row.site_id,
        changes: diffFields<ArticleView>(toArticleView(row), null, AUDITED),
      });
    });
  }

  private async write(
    manager: EntityManager,
    row: ArticleRow,
    before: ArticleView,
    state: ArticleState,
    reviewedAt: Date | null,
  ): Promise<ArticleView> {
    await manager.query(
      `UPDATE articles SET category_id = $2, kind = $3, title = $4, body = $5, tags = $6, owner_service_id = $7, source = $8,
              review_due = $9, attachments = $10, published = $11, reviewed_at = coalesce($12, reviewed_at),
              version = version + 1, updated_at = now()
        WHERE id = $1`,
      [row.id, ...stateValues(state), reviewedAt],
    );
    const after = toArticleView(await loadArticle(manager, row.id));
    await this.audit.record(manager, {
      action: 'update',
      entity: 'article',
      entityId: row.id,
      siteId: row.site_id,
      changes: diffFields<ArticleView>(before, after, AUDITED),
    });
    return after;
  }

  /**
   * The category and the owner service must be of the article's site (422 otherwise), and a
   * review date must not already have passed on the site's calendar (400).
   */
  private async checkState(
    manager: EntityManager,
    siteId: string,
    state: ArticleState,
    fields: readonly ('categoryId' | 'ownerServiceId' | 'reviewDue')[],
    now: Date,
  ): Promise<void> {
    const [site] = (await manager.query(
      `SELECT s.time_zone,
              (SELECT c.site_id FROM knowledge_categories c WHERE c.id = $2) AS category_site,
              (SELECT v.site_id FROM services v WHERE v.id = $3) AS service_site
         FROM sites s WHERE s.id = $1`,
      [siteId, state.categoryId, state.ownerServiceId],
    )) as { time_zone: string; category_site: string | null; service_site: string | null }[];
    if (fields.includes('reviewDue') && state.reviewDue !== null && state.reviewDue < localDay(now, site.time_zone)) {
      throw new ValidationError('Invalid article: reviewDue', [{ field: 'reviewDue', message: 'reviewDue must not be in the past' }]);
    }
    const errors: FieldError[] = [];
    if (fields.includes('categoryId') && state.categoryId !== null && site.category_site !== siteId) {
      errors.push({ field: 'categoryId', message: 'categoryId must be a knowledge category of the article’s site' });
    }
    if (fields.includes('ownerServiceId') && state.ownerServiceId !== null && site.service_site !== siteId) {
      errors.push({ field: 'ownerServiceId', message: 'ownerServiceId must be a service of the article’s site' });
    }
    if (errors.length > 0) throw new UnprocessableError('The article refers to records of another site', KnowledgeErrorCode.OutsideSite, errors);
  }
}

function stateValues(state: ArticleState): unknown[] {
  return [
    state.categoryId,
    state.kind,
    state.title,
    state.body,
    state.tags,
    state.ownerServiceId,
    state.source,
    state.reviewDue,
    JSON.stringify(state.attachments),
    state.published,
  ];
}

async function loadArticle(manager: EntityManager, id: string): Promise<ArticleRow> {
  const [row] = (await manager.query(`SELECT ${ARTICLE_COLUMNS} FROM articles a JOIN sites s ON s.id = a.site_id WHERE a.id = $1`, [
    id,
  ])) as ArticleRow[];
  return row;
}

/** An article the caller may read (its site, and published unless the caller writes articles), else 404. */
export async function findArticle(
  manager: EntityManager,
  principal: Principal,
  id: string,
  options: { lock?: boolean; share?: boolean } = {},
): Promise<ArticleRow> {
  const lock = options.lock ? ' FOR UPDATE OF a' : options.share ? ' FOR KEY SHARE OF a' : '';
  const [row] = (await manager.query(`SELECT ${ARTICLE_COLUMNS} FROM articles a JOIN sites s ON s.id = a.site_id WHERE a.id = $1${lock}`, [
    id,
  ])) as ArticleRow[];
  if (!row || !canSeeSite(principal, row.site_id) || (!row.published && !canReadDrafts(principal))) throw new NotFoundError('Article', id);
  return row;
}
