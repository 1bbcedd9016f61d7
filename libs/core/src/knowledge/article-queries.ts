import { ArticleKind, staleSql } from './article-rules';

export interface SqlQuery {
  text: string;
  values: unknown[];
}

/** Columns of an article (`a`) and its site's time zone (`s`), as the services map them. */
export const ARTICLE_COLUMNS = `a.id, a.site_id, a.category_id, a.kind, a.title, a.body, a.tags, a.owner_service_id, a.source,
       a.reviewed_at, to_char(a.review_due, 'YYYY-MM-DD') AS review_due, a.attachments, a.published,
       a.created_at, a.updated_at, a.version, s.time_zone`;

export interface ArticleListFilter {
  siteIds: string[];
  /** Free text: French full-text on title, tags and body, plus trigram similarity on the title for typos. */
  q?: string;
  kind?: ArticleKind;
  /** This category and every category below it. */
  categoryId?: string;
  /** Case-insensitive. */
  tag?: string;
  ownerServiceId?: string;
  stale?: boolean;
  /** undefined: published and drafts alike. */
  published?: boolean;
  limit: number;
  offset: number;
}

/**
 * The article list and search, one round trip with the total.
 *
 * The text becomes an OR of its French lexemes, taken from the same unaccented, lower-cased form
 * the stored `search_vector` was built from, so a missing or extra word does not lose the article;
 * `ts_rank_cd` (cover density, title weighted first) then favours articles holding more of the
 * words close together. The title's word similarity to the text is added to the rank and also
 * lets a title match on its own, which catches typos the stemmer cannot ("naisance").
 */
export function buildArticleListQuery(filter: ArticleListFilter): SqlQuery {
  const values: unknown[] = [filter.siteIds];
  const param = (value: unknown) => `$${values.push(value)}`;
  const where = ['a.site_id = ANY($1::uuid[])'];
  if (filter.kind) where.push(`a.kind = ${param(filter.kind)}`);
  if (filter.tag) where.push(`EXISTS (SELECT 1 FROM unnest(a.tags) AS t WHERE lower(t) = lower(${param(filter.tag)}))`);
  if (filter.ownerServiceId) where.push(`a.owner_service_id = ${param(filter.ownerServiceId)}`);
  if (filter.published !== undefined) where.push(`a.published = ${param(filter.published)}`);
  if (filter.stale !== undefined) where.push(filter.stale ? staleSql() : `NOT ${staleSql()}`);
  if (filter.categoryId) {
    where.push(`a.category_id IN (
      WITH RECURSIVE tree AS (
        SELECT id FROM knowledge_categories WHERE id = ${param(filter.categoryId)}
        UNION ALL
        SELECT c.id FROM knowledge_categories c JOIN tree ON c.parent_id = tree.id
      ) SELECT id FROM tree)`);
  }

  let from = 'articles a JOIN sites s ON s.id = a.site_id';
  let score = 'NULL::real';
  let order = 'a.title, a.id';
  const q = filter.q?.trim();
  if (q) {
    const text = param(q);
    from = `(SELECT search_norm(${text}) AS norm,
                 (SELECT string_agg(quote_literal(t.lexeme), ' | ')
                    FROM unnest(to_tsvector('french', search_norm(${text}))) AS t)::tsquery AS tsq) query
            CROSS JOIN ${from}`;
    where.push('(a.search_vector @@ query.tsq OR query.norm <% search_norm(a.title))');
    score = 'coalesce(ts_rank_cd(a.search_vector, query.tsq, 32), 0) + word_similarity(query.norm, search_norm(a.title))';
    order = 'score DESC, a.title, a.id';
  }
  const text = `SELECT ${ARTICLE_COLUMNS}, ${score} AS score, count(*) OVER ()::int AS total
  FROM ${from}
 WHERE ${where.join(' AND ')}
 ORDER BY ${order}
 LIMIT ${param(filter.limit)} OFFSET ${param(filter.offset)}`;
  return { text, values };
}
