import { buildDuplicateQuery, buildVisitorListQuery, classifySearchTerm, nameWords } from './visitor-queries';

const SITE = '7d0c8a52-0b5e-4a8e-9f6e-3c2b1a0f9e8d';
const squash = (sql: string) => sql.replace(/\s+/g, ' ');

describe('classifySearchTerm', () => {
  it.each(['06 12 34 56 78', '+33612345678', '0612345678', '+33 6 12 34 56 78'])('reads %s as one phone', (term) => {
    expect(classifySearchTerm(term)).toEqual({ kind: 'phone', phone: '+33612345678' });
  });

  it('keeps a digits-only term that is no phone as a phone search that finds nobody', () => {
    expect(classifySearchTerm('06 12')).toEqual({ kind: 'phone', phone: null });
  });

  it('reads e-mails case-insensitively and anything else as a name', () => {
    expect(classifySearchTerm(' Heloise.Dupre@Exemple.FR ')).toEqual({ kind: 'email', email: 'heloise.dupre@exemple.fr' });
    expect(classifySearchTerm('heloise dupre')).toEqual({ kind: 'name', text: 'heloise dupre' });
    expect(classifySearchTerm('   ')).toBeNull();
  });
});

describe('buildVisitorListQuery', () => {
  it('searches names through the trigram-indexed column, ranked by word similarity', () => {
    const { text, values } = buildVisitorListQuery({
      siteIds: [SITE],
      search: { kind: 'name', text: 'heloise dupre' },
      limit: 50,
      offset: 0,
    });
    const sql = squash(text);
    expect(sql).toContain('v.site_id = ANY($1::uuid[]) AND v.merged_into_id IS NULL');
    expect(sql).toContain('search_norm($2) <% v.search_name AND search_norm($3) <% v.search_name');
    expect(sql).toContain('word_similarity(search_norm($4), v.search_name) AS score, count(*) OVER ()::int AS total');
    expect(sql).toContain('ORDER BY score DESC, v.updated_at DESC, v.id LIMIT $5 OFFSET $6');
    expect(sql).toContain('FROM page JOIN visitors v ON v.id = page.id ORDER BY page.score DESC, page.updated_at DESC, page.id');
    expect(values).toEqual([[SITE], 'heloise', 'dupre', 'heloise dupre', 50, 0]);
  });

  it('splits names into words as pg_trgm does, keeping the text itself when no word is long enough', () => {
    expect(nameWords("Marie-Claire  d'Estaing  Le Gall j.")).toEqual(['Marie', 'Claire', 'Estaing', 'Le', 'Gall']);
    const { text, values } = buildVisitorListQuery({ siteIds: [SITE], search: { kind: 'name', text: 'é' }, limit: 1, offset: 0 });
    expect(squash(text)).toContain('search_norm($2) <% v.search_name');
    expect(values.slice(1, 3)).toEqual(['é', 'é']);
  });

  it('matches a phone exactly and combines the filters', () => {
    const { text, values } = buildVisitorListQuery({
      siteIds: [SITE],
      type: 'citizen',
      need: 'reduced_mobility',
      search: { kind: 'phone', phone: '+33612345678' },
      limit: 20,
      offset: 40,
    });
    const sql = squash(text);
    expect(sql).toContain('v.type = $2 AND v.needs @> ARRAY[$3]::text[] AND v.phone = $4');
    expect(values).toEqual([[SITE], 'citizen', 'reduced_mobility', '+33612345678', 20, 40]);
  });

  it('matches e-mails on lower(email) and lists most recent first without a search', () => {
    expect(squash(buildVisitorListQuery({ siteIds: [SITE], search: { kind: 'email', email: 'a@b.fr' }, limit: 1, offset: 0 }).text)).toContain(
      'lower(v.email) = $2',
    );
    const plain = squash(buildVisitorListQuery({ siteIds: [SITE], limit: 1, offset: 0 }).text);
    expect(plain).toContain('NULL::real AS score');
    expect(plain).toContain('ORDER BY v.updated_at DESC, v.id LIMIT');
  });

  it('refuses a phone search without a phone', () => {
    expect(() => buildVisitorListQuery({ siteIds: [SITE], search: { kind: 'phone', phone: null }, limit: 1, offset: 0 })).toThrow();
  });
});

describe('buildDuplicateQuery', () => {
  it('has nothing to compare without phone, e-mail or a name of three letters', () => {
    expect(buildDuplicateQuery({ siteId: SITE })).toBeNull();
    expect(buildDuplicateQuery({ siteId: SITE, name: 'Al', email: ' ' })).toBeNull();
  });

  it('ORs the clues given, each on its index, and leaves out the new visitor', () => {
    const query = buildDuplicateQuery({ siteId: SITE, excludeId: 'x', phone: '+33612345678', email: 'A@B.fr', name: 'Héloïse Dupré' });
    const sql = squash(query!.text);
    expect(sql).toContain('(v.phone = $2 OR lower(v.email) = $3 OR v.search_name % search_norm($4))');
    expect(sql).toContain('v.id <> $5');
    expect(query!.values).toEqual([SITE, '+33612345678', 'a@b.fr', 'Héloïse Dupré', 'x']);
  });
});
