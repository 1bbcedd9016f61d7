import request from 'supertest';
import { startTestApp, TestApp } from '@guichet/testing/app';
import { createApiKey, createSite, createUser, login, uniqueSuffix } from '@guichet/testing/factories';

interface Article {
  id: string;
  title: string;
  stale: boolean;
  score: number | null;
  version: number;
  reviewedAt: string;
  reviewDue: string | null;
  categoryId: string | null;
}

describe('knowledge base', () => {
  let t: TestApp;
  let siteA: string;
  let siteB: string;
  let serviceA: string;
  let serviceB: string;
  let agentToken: string;
  let supervisorToken: string;
  let supervisorBToken: string;
  let bothSitesToken: string;
  let birth: Article;

  const api = () => request(t.url);
  const as = (token: string) => ({
    get: (path: string) => api().get(path).set('Authorization', `Bearer ${token}`),
    post: (path: string) => api().post(path).set('Authorization', `Bearer ${token}`),
    patch: (path: string) => api().patch(path).set('Authorization', `Bearer ${token}`),
    delete: (path: string) => api().delete(path).set('Authorization', `Bearer ${token}`),
  });
  const agent = () => as(agentToken);
  const supervisor = () => as(supervisorToken);
  const count = async (sql: string, params: unknown[] = []) => Number(((await t.dataSource.query(sql, params)) as { n: string }[])[0].n);
  const countArticles = () => count(`SELECT count(*) AS n FROM articles`);
  const fields = (res: request.Response) => [...new Set((res.body.errors as { field: string }[]).map((e) => e.field))].sort();
  const createArticle = async (body: Record<string, unknown>, token = supervisorToken, siteId = siteA) => {
    const res = await as(token).post('/api/v1/knowledge/articles').send({ siteId, body: 'Contenu.', ...body });
    if (res.status !== 201) throw new Error(`create failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as Article;
  };
  const searchArticles = async (q: string, token = agentToken) => {
    const res = await as(token).get('/api/v1/knowledge/articles').query({ q, siteId: siteA });
    expect(res.status).toBe(200);
    return res.body as { items: Article[]; total: number };
  };
  const insertRequest = async (siteId: string, outcome: string | null, categoryId: string | null = null, subject = 'Question') =>
    ((await t.dataSource.query(
      `INSERT INTO requests (site_id, channel, subject, outcome, category_id) VALUES ($1, 'desk', $2, $3, $4) RETURNING id`,
      [siteId, subject, outcome, categoryId],
    )) as { id: string }[])[0].id;
  const createService = async (siteId: string) =>
    ((await t.dataSource.query(`INSERT INTO services (site_id, name) VALUES ($1, $2) RETURNING id`, [siteId, `État civil ${uniqueSuffix()}`])) as {
      id: string;
    }[])[0].id;

  beforeAll(async () => {
    t = await startTestApp();
    siteA = await createSite(t.dataSource);
    siteB = await createSite(t.dataSource);
    serviceA = await createService(siteA);
    serviceB = await createService(siteB);
    agentToken = (await login(t.url, await createUser(t.dataSource, 'agent', [siteA]))).accessToken;
    supervisorToken = (await login(t.url, await createUser(t.dataSource, 'supervisor', [siteA]))).accessToken;
    supervisorBToken = (await login(t.url, await createUser(t.dataSource, 'supervisor', [siteB]))).accessToken;
    bothSitesToken = (await login(t.url, await createUser(t.dataSource, 'admin', [siteA, siteB]))).accessToken;

    birth = await createArticle({
      kind: 'procedure',
      title: 'Demander un acte de naissance',
      body:
        "Un acte de naissance se demande à la mairie du lieu de naissance, au guichet de l'état civil, par courrier ou en ligne. " +
        "Pièces : une pièce d'identité ; pour l'acte d'un tiers, un justificatif de filiation.",
      tags: ['acte de naissance', 'état civil'],
      ownerServiceId: serviceA,
      source: 'service-public.fr, fiche F1427',
      attachments: [{ name: 'Formulaire (PDF)', url: 'https://www.mairie.example/docs/acte-naissance.pdf' }],
    });
    // Decoys sharing words with the query, in the title or the body.
    await createArticle({ kind: 'procedure', title: 'Demander un acte de mariage', body: "L'acte de mariage se demande à la mairie du lieu du mariage.", tags: ['état civil'] });
    await createArticle({
      kind: 'procedure',
      title: "Carte nationale d'identité et passeport",
      body: "Sur rendez-vous. Pièces : photo, justificatif de domicile, et si besoin un acte de naissance de moins de trois mois.",
      tags: ['CNI', 'passeport'],
    });
    await createArticle({ kind: 'practical', title: 'Horaires et accès de la mairie', body: 'Ouverte du lundi au vendredi.', tags: ['horaires'] });
    await createArticle({ kind: 'faq', title: 'Déclarer une naissance', body: 'La déclaration de naissance est faite dans les cinq jours.', tags: ['naissance'] });
  });
  afterAll(() => t.close());

  describe('articles', () => {
    it('answers a new article fresh, reviewed now, with its audit entry', () => {
      expect(birth).toMatchObject({
        siteId: siteA,
        kind: 'procedure',
        ownerServiceId: serviceA,
        attachments: [{ name: 'Formulaire (PDF)', url: 'https://www.mairie.example/docs/acte-naissance.pdf' }],
        published: true,
        stale: false,
        version: 1,
      });
      expect(Date.now() - Date.parse(birth.reviewedAt)).toBeLessThan(60_000);
      return expect(count(`SELECT count(*) AS n FROM audit_entries WHERE entity = 'article' AND entity_id = $1 AND action = 'create'`, [birth.id])).resolves.toBe(1);
    });

    it('finds the birth certificate article first for "acte naissance"', async () => {
      const found = await searchArticles('acte naissance');
      expect(found.items[0]).toMatchObject({ id: birth.id, title: 'Demander un acte de naissance' });
      expect(found.items.length).toBeGreaterThanOrEqual(4);
      const scores = found.items.map((a) => a.score as number);
      expect(scores).toEqual([...scores].sort((a, b) => b - a));
      expect(scores[0]).toBeGreaterThan(scores[1]);
    });

    it('tolerates missing words, accents, case and typos', async () => {
      expect((await searchArticles('Comment obtenir un ACTE de naissance pour mon fils ?')).items[0].id).toBe(birth.id);
      expect((await searchArticles('acte de naissance')).items[0].id).toBe(birth.id);
      expect((await searchArticles('naisance')).items.map((a) => a.id)).toContain(birth.id);
      expect((await searchArticles('état civil')).items.map((a) => a.id)).toContain(birth.id);
      expect(await searchArticles('zzzz qqqq')).toEqual({ items: [], total: 0 });
    });

    it('lets only supervisors and admins write (403 for agents, nothing written)', async () => {
      const before = await countArticles();
      const res = await agent().post('/api/v1/knowledge/articles').send({ siteId: siteA, title: 'Pirate', body: 'x' });
      expect(res.status).toBe(403);
      expect((await agent().patch(`/api/v1/knowledge/articles/${birth.id}`).send({ title: 'x' })).status).toBe(403);
      expect((await agent().post(`/api/v1/knowledge/articles/${birth.id}/review`).send({})).status).toBe(403);
      expect((await agent().delete(`/api/v1/knowledge/articles/${birth.id}`)).status).toBe(403);
      expect(await countArticles()).toBe(before);
    });

    it('answers 400 listing the bad fields and writes nothing', async () => {
      const before = await countArticles();
      const res = await supervisor()
        .post('/api/v1/knowledge/articles')
        .send({ siteId: siteA, kind: 'novel', title: ' ', attachments: [{ name: 'x', url: 'javascript:alert(1)' }], reviewDue: '2020-13-01', extra: 1 });
      expect(res.status).toBe(400);
      expect(fields(res)).toEqual(['attachments[0].url', 'body', 'extra', 'kind', 'reviewDue', 'title']);
      const past = await supervisor().post('/api/v1/knowledge/articles').send({ siteId: siteA, title: 'Vieux', body: 'x', reviewDue: '2001-01-01' });
      expect(past.status).toBe(400);
      expect(fields(past)).toEqual(['reviewDue']);
      expect(await countArticles()).toBe(before);
    });

    it('refuses an owner service or a category of another site (422)', async () => {
      const before = await countArticles();
      const service = await as(bothSitesToken).post('/api/v1/knowledge/articles').send({ siteId: siteA, title: 'X', body: 'x', ownerServiceId: serviceB });
      expect(service.status).toBe(422);
      expect(fields(service)).toEqual(['ownerServiceId']);
      const categoryB = await as(supervisorBToken).post('/api/v1/knowledge/categories').send({ siteId: siteB, name: 'Ailleurs' });
      const category = await supervisor().patch(`/api/v1/knowledge/articles/${birth.id}`).send({ categoryId: categoryB.body.id });
      expect(category.status).toBe(422);
      expect(category.body.code).toBe('outside_site');
      expect(await countArticles()).toBe(before);
      expect((await agent().get(`/api/v1/knowledge/articles/${birth.id}`)).body.version).toBe(birth.version);
    });

    it('detects stale writes (409) and keeps the article of each site to itself (404)', async () => {
      const article = await createArticle({ title: `Versionné ${uniqueSuffix()}` });
      const ok = await supervisor().patch(`/api/v1/knowledge/articles/${article.id}`).set('If-Match', '"1"').send({ tags: ['a', 'A', ' b '] });
      expect(ok.status).toBe(200);
      expect(ok.body).toMatchObject({ version: 2, tags: ['a', 'b'] });
      const stale = await supervisor().patch(`/api/v1/knowledge/articles/${article.id}`).send({ title: 'x', version: 1 });
      expect(stale.status).toBe(409);
      expect(stale.body.code).toBe('stale_version');
      expect((await as(supervisorBToken).get(`/api/v1/knowledge/articles/${article.id}`)).status).toBe(404);
      expect((await as(supervisorBToken).patch(`/api/v1/knowledge/articles/${article.id}`).send({ title: 'x' })).status).toBe(404);
      expect((await as(supervisorBToken).get('/api/v1/knowledge/articles').query({ siteId: siteA })).status).toBe(404);
      const listB = await as(supervisorBToken).get('/api/v1/knowledge/articles').query({ q: 'acte naissance' });
      expect(listB.body).toEqual({ items: [], total: 0 });
      expect((await agent().get('/api/v1/knowledge/articles/123')).status).toBe(400);
    });

    it('keeps drafts to their writers', async () => {
      const draft = await createArticle({ title: `Brouillon ${uniqueSuffix()}`, published: false });
      expect((await agent().get(`/api/v1/knowledge/articles/${draft.id}`)).status).toBe(404);
      expect((await supervisor().get(`/api/v1/knowledge/articles/${draft.id}`)).status).toBe(200);
      const agentList = await agent().get('/api/v1/knowledge/articles').query({ limit: 200 });
      expect((agentList.body.items as Article[]).map((a) => a.id)).not.toContain(draft.id);
      const drafts = await supervisor().get('/api/v1/knowledge/articles').query({ published: false, limit: 200 });
      expect((drafts.body.items as Article[]).map((a) => a.id)).toEqual([draft.id]);
    });
  });

  describe('staleness and review', () => {
    it('flags articles not reviewed for a year or past their due date, filters them, and clears the flag on review', async () => {
      const old = await createArticle({ title: `Ancien ${uniqueSuffix()}`, reviewedAt: new Date(Date.now() - 400 * 24 * 3600 * 1000).toISOString() });
      expect(old.stale).toBe(true);
      const due = await createArticle({ title: `Échu ${uniqueSuffix()}` });
      await t.dataSource.query(`UPDATE articles SET review_due = current_date - 2 WHERE id = $1`, [due.id]);
      expect((await agent().get(`/api/v1/knowledge/articles/${due.id}`)).body.stale).toBe(true);

      const stale = await agent().get('/api/v1/knowledge/articles').query({ stale: true, limit: 200 });
      const staleIds = (stale.body.items as Article[]).map((a) => a.id);
      expect(staleIds).toEqual(expect.arrayContaining([old.id, due.id]));
      expect(staleIds).not.toContain(birth.id);
      expect((stale.body.items as Article[]).every((a) => a.stale)).toBe(true);
      const fresh = await agent().get('/api/v1/knowledge/articles').query({ stale: false, limit: 200 });
      expect((fresh.body.items as Article[]).every((a) => !a.stale)).toBe(true);
      expect((fresh.body.items as Article[]).map((a) => a.id)).toContain(birth.id);

      const reviewed = await supervisor().post(`/api/v1/knowledge/articles/${due.id}/review`).set('If-Match', '"1"').send({});
      expect(reviewed.status).toBe(200);
      expect(reviewed.body).toMatchObject({ stale: false, reviewDue: null, version: 2 });
      const next = await supervisor().post(`/api/v1/knowledge/articles/${old.id}/review`).send({ reviewDue: '2099-12-31' });
      expect(next.body).toMatchObject({ stale: false, reviewDue: '2099-12-31' });
      expect(Date.now() - Date.parse(next.body.reviewedAt)).toBeLessThan(60_000);
      const past = await supervisor().post(`/api/v1/knowledge/articles/${old.id}/review`).send({ reviewDue: '2001-01-01' });
      expect(past.status).toBe(400);
      const staleReview = await supervisor().post(`/api/v1/knowledge/articles/${old.id}/review`).set('If-Match', '"1"').send({});
      expect(staleReview.status).toBe(409);
    });
  });

  describe('categories', () => {
    it('builds a per-site tree, refuses cycles, clashes and non-empty deletions', async () => {
      const root = await supervisor().post('/api/v1/knowledge/categories').send({ siteId: siteA, name: 'État civil' });
      expect(root.status).toBe(201);
      const child = await supervisor().post('/api/v1/knowledge/categories').send({ siteId: siteA, name: 'Naissance', parentId: root.body.id });
      expect(child.body).toMatchObject({ parentId: root.body.id, siteId: siteA });
      const clash = await supervisor().post('/api/v1/knowledge/categories').send({ siteId: siteA, name: 'NAISSANCE', parentId: root.body.id });
      expect(clash.status).toBe(409);
      expect(clash.body.code).toBe('category_exists');
      const cycle = await supervisor().patch(`/api/v1/knowledge/categories/${root.body.id}`).send({ parentId: child.body.id });
      expect(cycle.status).toBe(422);
      expect(cycle.body.code).toBe('category_cycle');
      const notEmpty = await supervisor().delete(`/api/v1/knowledge/categories/${root.body.id}`);
      expect(notEmpty.status).toBe(409);
      expect(notEmpty.body.code).toBe('category_not_empty');
      expect((await agent().post('/api/v1/knowledge/categories').send({ siteId: siteA, name: 'Agent' })).status).toBe(403);
      expect((await as(supervisorBToken).get(`/api/v1/knowledge/categories/${root.body.id}`)).status).toBe(404);

      // The category filter takes the subcategories too.
      const moved = await supervisor().patch(`/api/v1/knowledge/articles/${birth.id}`).send({ categoryId: child.body.id });
      expect(moved.status).toBe(200);
      birth = moved.body as Article;
      const inRoot = await agent().get('/api/v1/knowledge/articles').query({ categoryId: root.body.id });
      expect((inRoot.body.items as Article[]).map((a) => a.id)).toEqual([birth.id]);
      const list = await agent().get('/api/v1/knowledge/categories').query({ siteId: siteA });
      expect(list.body.total).toBe(2);

      const renamed = await supervisor().patch(`/api/v1/knowledge/categories/${child.body.id}`).send({ name: 'Naissances' });
      expect(renamed.body.name).toBe('Naissances');
      expect((await supervisor().delete(`/api/v1/knowledge/categories/${child.body.id}`)).status).toBe(204);
      birth = (await agent().get(`/api/v1/knowledge/articles/${birth.id}`)).body as Article;
      expect(birth.categoryId).toBeNull();
      expect(await count(`SELECT count(*) AS n FROM audit_entries WHERE entity = 'knowledge_category' AND entity_id = $1`, [child.body.id])).toBe(3);
    });
  });

  describe('links to requests and the report', () => {
    let categoryEtatCivil: string;

    beforeAll(async () => {
      categoryEtatCivil = ((await t.dataSource.query(`INSERT INTO request_categories (site_id, name) VALUES ($1, 'État civil') RETURNING id`, [siteA])) as {
        id: string;
      }[])[0].id;
    });

    it('links an article to a request once, lists and unlinks it', async () => {
      const requestId = await insertRequest(siteA, 'information');
      const first = await agent().post(`/api/v1/requests/${requestId}/articles`).send({ articleId: birth.id });
      expect(first.status).toBe(201);
      expect(first.body).toMatchObject({ requestId, articleId: birth.id });
      const again = await agent().post(`/api/v1/requests/${requestId}/articles`).send({ articleId: birth.id });
      expect(again.body.linkedAt).toBe(first.body.linkedAt);
      expect(await count(`SELECT count(*) AS n FROM audit_entries WHERE entity = 'request' AND entity_id = $1`, [requestId])).toBe(1);
      const listed = await agent().get(`/api/v1/requests/${requestId}/articles`);
      expect((listed.body as Article[]).map((a) => a.id)).toEqual([birth.id]);
      expect((await agent().delete(`/api/v1/requests/${requestId}/articles/${birth.id}`)).status).toBe(204);
      expect((await agent().delete(`/api/v1/requests/${requestId}/articles/${birth.id}`)).status).toBe(404);
    });

    it('refuses requests and articles of other sites', async () => {
      const requestB = await insertRequest(siteB, 'information');
      const articleB = await createArticle({ title: 'Article B' }, supervisorBToken, siteB);
      const requestA = await insertRequest(siteA, 'information');
      expect((await agent().post(`/api/v1/requests/${requestB}/articles`).send({ articleId: birth.id })).status).toBe(404);
      expect((await agent().post(`/api/v1/requests/${requestA}/articles`).send({ articleId: articleB.id })).status).toBe(404);
      const cross = await as(bothSitesToken).post(`/api/v1/requests/${requestA}/articles`).send({ articleId: articleB.id });
      expect(cross.status).toBe(422);
      expect(fields(cross)).toEqual(['articleId']);
      expect((await agent().post(`/api/v1/requests/${requestA}/articles`).send({ articleId: 'x' })).status).toBe(400);
      expect(await count(`SELECT count(*) AS n FROM request_articles WHERE request_id = ANY($1)`, [[requestA, requestB]])).toBe(0);
    });

    it('reports the most used articles and the information given without one', async () => {
      const marriage = await createArticle({ title: `Mariage ${uniqueSuffix()}` });
      for (const articleId of [birth.id, birth.id, marriage.id]) {
        const requestId = await insertRequest(siteA, 'information', categoryEtatCivil);
        await agent().post(`/api/v1/requests/${requestId}/articles`).send({ articleId }).expect(201);
      }
      await insertRequest(siteA, 'information', categoryEtatCivil, 'Changement de prénom');
      await insertRequest(siteA, 'information', categoryEtatCivil, 'Livret de famille');
      await insertRequest(siteA, 'information', null, 'Où est la poste ?');
      await insertRequest(siteA, 'orientation', categoryEtatCivil, 'Vers le tribunal');
      const res = await supervisor().get('/api/v1/knowledge/report').query({ siteId: siteA });
      expect(res.status).toBe(200);
      expect(res.body.mostUsed[0]).toMatchObject({ articleId: birth.id, requestCount: 2, stale: false });
      expect(res.body.mostUsed[1]).toMatchObject({ articleId: marriage.id, requestCount: 1 });
      const byCategory = res.body.missingAnswers as { categoryId: string | null; count: number; examples: { subject: string }[] }[];
      const etatCivil = byCategory.find((m) => m.categoryId === categoryEtatCivil)!;
      expect(etatCivil.count).toBe(2);
      expect(etatCivil.examples.map((e) => e.subject).sort()).toEqual(['Changement de prénom', 'Livret de famille']);
      expect(byCategory.find((m) => m.categoryId === null)).toMatchObject({ count: expect.any(Number), categoryName: null });
      expect(res.body.withArticle).toBe(3);
      expect(res.body.informationRequests - res.body.withArticle).toBe(byCategory.reduce((sum, m) => sum + m.count, 0));

      const empty = await supervisor().get('/api/v1/knowledge/report').query({ siteId: siteA, from: '2020-01-01', to: '2020-01-31' });
      expect(empty.body).toMatchObject({ informationRequests: 0, mostUsed: [], missingAnswers: [], from: '2020-01-01', to: '2020-01-31' });
      const reversed = await supervisor().get('/api/v1/knowledge/report').query({ siteId: siteA, from: '2020-02-01', to: '2020-01-01' });
      expect(reversed.status).toBe(400);
      expect((await agent().get('/api/v1/knowledge/report').query({ siteId: siteA })).status).toBe(403);
      expect((await supervisor().get('/api/v1/knowledge/report').query({ siteId: siteB })).status).toBe(404);

      // An article that answered requests stays: deleting it would rewrite the report.
      const gone = await supervisor().delete(`/api/v1/knowledge/articles/${marriage.id}`);
      expect(gone.status).toBe(409);
      expect(gone.body.code).toBe('article_in_use');
      const unused = await createArticle({ title: `Jetable ${uniqueSuffix()}` });
      expect((await supervisor().delete(`/api/v1/knowledge/articles/${unused.id}`)).status).toBe(204);
    });
  });

  describe('API keys', () => {
    it('read with directory:read and never write', async () => {
      const { key } = await createApiKey(t.dataSource, ['directory:read'], [siteA]);
      const list = await api().get('/api/v1/knowledge/articles').set('X-Api-Key', key).query({ q: 'acte naissance' });
      expect(list.status).toBe(200);
      expect(list.body.items[0].id).toBe(birth.id);
      expect((await api().post('/api/v1/knowledge/articles').set('X-Api-Key', key).send({ siteId: siteA, title: 'x', body: 'x' })).status).toBe(403);
      const other = await createApiKey(t.dataSource, ['visitors:read'], [siteA]);
      expect((await api().get('/api/v1/knowledge/articles').set('X-Api-Key', other.key)).status).toBe(403);
    });
  });
});
