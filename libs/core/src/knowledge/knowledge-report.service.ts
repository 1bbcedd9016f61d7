import { Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import { ValidationError } from '../errors/domain-error';
import type { Principal } from '../identity/principal';
import { assertSiteAccess } from '../identity/site-access';
import { ArticleKind, isStale, localDay } from './article-rules';

export interface KnowledgeReportQuery {
  siteId: string;
  /** First day, YYYY-MM-DD on the site's calendar. Default: 29 days before `to`. */
  from?: string;
  /** Last day, included. Default: today. */
  to?: string;
  /** Rows of each list. */
  limit: number;
}

export interface UsedArticle {
  articleId: string;
  title: string;
  kind: ArticleKind;
  published: boolean;
  stale: boolean;
  /** Requests of the period it was linked to. */
  requestCount: number;
}

export interface MissingAnswers {
  /** Request category; null for requests without one. */
  categoryId: string | null;
  categoryName: string | null;
  /** "Information" requests of the period in this category with no article linked. */
  count: number;
  /** The latest few, to see what people asked. */
  examples: { requestId: string; subject: string }[];
}

export interface KnowledgeReport {
  siteId: string;
  from: string;
  to: string;
  /** Requests answered with information in the period, and how many of them had an article linked. */
  informationRequests: number;
  withArticle: number;
  mostUsed: UsedArticle[];
  missingAnswers: MissingAnswers[];
}

const DEFAULT_DAYS = 30;
const MAX_DAYS = 366;
const EXAMPLES = 3;

/** What the knowledge base answers and what it does not, for the people who write it. */
@Injectable()
export class KnowledgeReportService {
  constructor(private readonly dataSource: DataSource) {}

  async report(principal: Principal, query: KnowledgeReportQuery): Promise<KnowledgeReport> {
    assertSiteAccess(principal, query.siteId);
    const [{ time_zone: timeZone }] = (await this.dataSource.query(`SELECT time_zone FROM sites WHERE id = $1`, [query.siteId])) as {
      time_zone: string;
    }[];
    const now = new Date();
    const to = query.to ?? localDay(now, timeZone);
    const from = query.from ?? (DateTime.fromISO(to).minus({ days: DEFAULT_DAYS - 1 }).toISODate() as string);
    const days = DateTime.fromISO(to).diff(DateTime.fromISO(from), 'days').days + 1;
    if (days < 1 || days > MAX_DAYS) {
      throw new ValidationError('Invalid period', [{ field: 'from', message: `from must be on or before to, at most ${MAX_DAYS} days earlier` }]);
    }
    const start = DateTime.fromISO(from, { zone: timeZone }).startOf('day').toJSDate();
    const end = DateTime.fromISO(to, { zone: timeZone }).plus({ days: 1 }).startOf('day').toJSDate();
    const params = [query.siteId, start, end];

    const [totals] = (await this.dataSource.query(
      `SELECT count(*)::int AS information,
              count(*) FILTER (WHERE EXISTS (SELECT 1 FROM request_articles ra WHERE ra.request_id = r.id))::int AS with_article
         FROM requests r
        WHERE r.site_id = $1 AND r.arrived_at >= $2 AND r.arrived_at < $3 AND r.outcome = 'information'`,
      params,
    )) as { information: number; with_article: number }[];

    const used = (await this.dataSource.query(
      `SELECT a.id, a.title, a.kind, a.published, a.reviewed_at, to_char(a.review_due, 'YYYY-MM-DD') AS review_due, a.created_at,
              count(*)::int AS request_count
         FROM request_articles ra
         JOIN requests r ON r.id = ra.request_id
         JOIN articles a ON a.id = ra.article_id
        WHERE r.site_id = $1 AND r.arrived_at >= $2 AND r.arrived_at < $3
        GROUP BY a.id
        ORDER BY request_count DESC, a.title, a.id
        LIMIT $4`,
      [...params, query.limit],
    )) as {
      id: string;
      title: string;
      kind: ArticleKind;
      published: boolean;
      reviewed_at: Date | null;
      review_due: string | null;
      created_at: Date;
      request_count: number;
    }[];

    const missing = (await this.dataSource.query(
      `SELECT r.category_id, c.name AS category_name, count(*)::int AS count,
              (array_agg(json_build_object('requestId', r.id, 'subject', r.subject) ORDER BY r.arrived_at DESC))[1:${EXAMPLES}] AS examples
         FROM requests r
         LEFT JOIN request_categories c ON c.id = r.category_id
        WHERE r.site_id = $1 AND r.arrived_at >= $2 AND r.arrived_at < $3 AND r.outcome = 'information'
          AND NOT EXISTS (SELECT 1 FROM request_articles ra WHERE ra.request_id = r.id)
        GROUP BY r.category_id, c.name
        ORDER BY count DESC, c.name NULLS LAST
        LIMIT $4`,
      [...params, query.limit],
    )) as { category_id: string | null; category_name: string | null; count: number; examples: { requestId: string; subject: string }[] }[];

    return {
      siteId: query.siteId,
      from,
      to,
      informationRequests: totals.information,
      withArticle: totals.with_article,
      mostUsed: used.map((row) => ({
        articleId: row.id,
        title: row.title,
        kind: row.kind,
        published: row.published,
        stale: isStale({ reviewedAt: row.reviewed_at, reviewDue: row.review_due, createdAt: row.created_at }, now, timeZone),
        requestCount: row.request_count,
      })),
      missingAnswers: missing.map((row) => ({
        categoryId: row.category_id,
        categoryName: row.category_name,
        count: row.count,
        examples: row.examples,
      })),
    };
  }
}
