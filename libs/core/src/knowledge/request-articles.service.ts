import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { NotFoundError, UnprocessableError } from '../errors/domain-error';
import type { Principal } from '../identity/principal';
import { canSeeSite } from '../identity/site-access';
import { ARTICLE_COLUMNS } from './article-queries';
import { ArticleRow, ArticleView, canReadDrafts, findArticle, toArticleView } from './articles.service';
import { KnowledgeErrorCode } from './knowledge.errors';

export interface RequestArticleLink {
  requestId: string;
  articleId: string;
  linkedByUserId: string | null;
  linkedAt: Date;
}

export type LinkedArticle = ArticleView & { linkedAt: Date; linkedByUserId: string | null };

/**
 * Which articles answered which request: what the report counts (most useful articles) and
 * misses (information given with no article behind it).
 */
@Injectable()
export class RequestArticlesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async list(principal: Principal, requestId: string): Promise<LinkedArticle[]> {
    await findRequest(this.dataSource.manager, principal, requestId);
    const rows = (await this.dataSource.query(
      `SELECT ${ARTICLE_COLUMNS}, ra.linked_at, ra.linked_by_user_id
         FROM request_articles ra JOIN articles a ON a.id = ra.article_id JOIN sites s ON s.id = a.site_id
        WHERE ra.request_id = $1 AND (a.published OR $2)
        ORDER BY ra.linked_at, a.id`,
      [requestId, canReadDrafts(principal)],
    )) as (ArticleRow & { linked_at: Date; linked_by_user_id: string | null })[];
    const now = new Date();
    return rows.map((row) => ({ ...toArticleView(row, now), linkedAt: row.linked_at, linkedByUserId: row.linked_by_user_id }));
  }

  /** Idempotent: linking an article twice keeps the first link. */
  async link(principal: Principal, requestId: string, articleId: string): Promise<RequestArticleLink> {
    return this.dataSource.transaction(async (manager) => {
      const request = await findRequest(manager, principal, requestId, true);
      const article = await findArticle(manager, principal, articleId, { share: true });
      if (article.site_id !== request.site_id) {
        throw new UnprocessableError('The article must be of the request’s site', KnowledgeErrorCode.OutsideSite, [
          { field: 'articleId', message: 'articleId must be an article of the request’s site' },
        ]);
      }
      const inserted = (await manager.query(
        `INSERT INTO request_articles (request_id, article_id, linked_by_user_id) VALUES ($1, $2, $3)
         ON CONFLICT (request_id, article_id) DO NOTHING RETURNING request_id`,
        [requestId, articleId, principal.kind === 'user' ? principal.id : null],
      )) as unknown[];
      if (inserted.length > 0) {
        await this.audit.record(manager, {
          action: 'update',
          entity: 'request',
          entityId: requestId,
          siteId: request.site_id,
          changes: { linkedArticleId: { to: articleId } },
        });
      }
      const [link] = (await manager.query(
        `SELECT request_id, article_id, linked_by_user_id, linked_at FROM request_articles WHERE request_id = $1 AND article_id = $2`,
        [requestId, articleId],
      )) as { request_id: string; article_id: string; linked_by_user_id: string | null; linked_at: Date }[];
      return { requestId: link.request_id, articleId: link.article_id, linkedByUserId: link.linked_by_user_id, linkedAt: link.linked_at };
    });
  }

  async unlink(principal: Principal, requestId: string, articleId: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const request = await findRequest(manager, principal, requestId, true);
      const [{ deleted }] = (await manager.query(
        `WITH d AS (DELETE FROM request_articles WHERE request_id = $1 AND article_id = $2 RETURNING 1) SELECT count(*)::int AS deleted FROM d`,
        [requestId, articleId],
      )) as { deleted: number }[];
      if (deleted === 0) throw new NotFoundError('Link to article', articleId);
      await this.audit.record(manager, {
        action: 'update',
        entity: 'request',
        entityId: requestId,
        siteId: request.site_id,
        changes: { linkedArticleId: { from: articleId } },
      });
    });
  }
}

/** A request of the caller's sites, else 404; `share` holds it until commit so it cannot vanish under the link. */
async function findRequest(manager: EntityManager, principal: Principal, id: string, share = false): Promise<{ site_id: string }> {
  const [row] = (await manager.query(`SELECT site_id FROM requests WHERE id = $1${share ? ' FOR KEY SHARE' : ''}`, [id])) as { site_id: string }[];
  if (!row || !canSeeSite(principal, row.site_id)) throw new NotFoundError('Request', id);
  return row;
}
