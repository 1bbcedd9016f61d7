import { buildArticleListQuery } from './article-queries';

const SITE = '7d0c8a52-0b5e-4a8e-9f6e-3c2b1a0f9e8d';
const squash = (sql: string) => sql.replace(/\s+/g, ' ');

describe('buildArticleListQuery', () => {
  it('ORs the French lexemes of the text and adds the title similarity to the rank', () => {
    const { text, values } = buildArticleListQuery({ siteIds: [SITE], q: ' acte naissance ', published: true, limit: 20, offset: 0 });
    const sql = squash(text);
    expect(sql).toContain("string_agg(quote_literal(t.lexeme), ' | ')");
    expect(sql).toContain("unnest(to_tsvector('french', search_norm($3)))");
    expect(sql).toContain('(a.search_vector @@ query.tsq OR query.norm <% search_norm(a.title))');
    expect(sql).toContain('coalesce(ts_rank_cd(a.search_vector, query.tsq, 32), 0) + word_similarity(query.norm, search_norm(a.title)) AS score');
    expect(sql).toContain('ORDER BY score DESC, a.title, a.id');
    expect(values).toEqual([[SITE], true, 'acte naissance', 20, 0]);
  });

  it('lists by title without text, with the filters and the stale rule', () => {
    const { text, values } = buildArticleListQuery({
      siteIds: [SITE],
      kind: 'procedure',
      tag: 'CNI',
      categoryId: 'c',
      stale: true,
      limit: 10,
      offset: 10,
    });
    const sql = squash(text);
    expect(sql).toContain('a.kind = $2');
    expect(sql).toContain('lower(t) = lower($3)');
    expect(sql).toContain('coalesce(a.review_due < (now() AT TIME ZONE s.time_zone)::date, false)');
    expect(sql).toContain('WITH RECURSIVE tree');
    expect(sql).toContain('NULL::real AS score');
    expect(sql).toContain('ORDER BY a.title, a.id');
    expect(values).toEqual([[SITE], 'procedure', 'CNI', 'c', 10, 10]);
  });

  it('negates the stale rule for fresh articles', () => {
    expect(squash(buildArticleListQuery({ siteIds: [SITE], stale: false, limit: 1, offset: 0 }).text)).toContain('NOT (coalesce(a.review_due <');
  });
});
