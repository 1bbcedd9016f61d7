import autocannon from 'autocannon';
import { Pool } from 'pg';
import { buildVisitorListQuery, classifySearchTerm } from '../libs/core/src/visitors/visitor-queries';
import { BenchContext, BenchResult, percentile, round } from './types';

/**
 * Visitor search over 200,000 visitors of one site, through the API and as the same SQL run
 * directly with `pg` (the statement comes from the service's own builder), with the same query
 * mix, connections and duration.
 *
 * Two runs each. Latency: one search at a time, as an agent waits for the answer before typing
 * on; under saturation a percentile mostly counts the requests queued ahead (Little's law) and
 * follows the number of connections chosen. Throughput: four connections kept busy; on the
 * two-core reference machine the API, PostgreSQL and the load generator share the cores, so more
 * only lengthen the queues, and four in flight is far above what a site's agents produce.
 */
const VISITORS = 200_000;
const LATENCY_CONNECTIONS = 1;
const THROUGHPUT_CONNECTIONS = 4;
const DURATION_SECONDS = 10;
/** What the console asks for (the API's default page). */
const PAGE_SIZE = 50;
const TARGET_P95_MS = 20;
const TARGET_RATIO = 0.5;

const FIRST_NAMES = [
  'Héloïse', 'Jean', 'Marie', 'Pierre', 'Camille', 'Léa', 'Chloé', 'Hugo', 'Lucas', 'Manon', 'Inès', 'Noémie', 'Zoé', 'Théo',
  'Gabriel', 'Raphaël', 'Louise', 'Jade', 'Emma', 'Arthur', 'Jules', 'Maël', 'Léo', 'Adèle', 'Agnès', 'Amélie', 'Anaïs', 'André',
  'Antoine', 'Benoît', 'Céline', 'Clément', 'Cécile', 'Denis', 'Élodie', 'Émilie', 'Éric', 'Étienne', 'François', 'Françoise',
  'Frédéric', 'Gaëlle', 'Geneviève', 'Hélène', 'Isabelle', 'Jérôme', 'Laëtitia', 'Loïc', 'Margaux', 'Mathilde', 'Nathalie',
  'Océane', 'Philippe', 'Sébastien', 'Stéphane', 'Sylvie', 'Thérèse', 'Valérie', 'Yannick', 'Mohamed', 'Fatima', 'Karim',
  'Yasmine', 'Mamadou', 'Aïcha', 'Kevin', 'Jean-Pierre', 'Marie-Claire',
];
const LAST_NAMES = [
  'Martin', 'Bernard', 'Dubois', 'Thomas', 'Robert', 'Richard', 'Petit', 'Durand', 'Leroy', 'Moreau', 'Simon', 'Laurent',
  'Lefèbvre', 'Michel', 'Garcia', 'David', 'Bertrand', 'Roux', 'Vincent', 'Fournier', 'Morel', 'Girard', 'André', 'Lefèvre',
  'Mercier', 'Dupont', 'Lambert', 'Bonnet', 'François', 'Martinez', 'Legrand', 'Garnier', 'Faure', 'Rousseau', 'Blanc', 'Guérin',
  'Muller', 'Henry', 'Roussel', 'Nicolas', 'Perrin', 'Morin', 'Mathieu', 'Clément', 'Gauthier', 'Dumont', 'Lopez', 'Fontaine',
  'Chevalier', 'Robin', 'Masson', 'Sanchez', 'Gérard', 'Nguyen', 'Boyer', 'Denis', 'Lemaire', 'Duval', 'Joly', 'Gautier', 'Roger',
  'Roche', 'Roy', 'Noël', 'Meyer', 'Lucas', 'Meunier', 'Pérez', 'Marchand', 'Dufour', 'Blanchard', 'Barbier', 'Brun', 'Dumas',
  'Brunet', 'Schmitt', 'Leroux', 'Colin', 'Fernandez', 'Renard', 'Arnaud', 'Rolland', 'Caron', 'Aubert', 'Giraud', 'Leclerc',
  'Vidal', 'Bourgeois', 'Renaud', 'Lemoine', 'Picard', 'Gaillard', 'Lacroix', 'Fabre', 'Dupuis', 'Olivier', 'Rodriguez',
  'Da Silva', 'Hubert', 'Rivière', 'Le Gall', 'Guillaume', 'Moulin', 'Gonzalez', 'Berger', 'Lecomte', 'Ménard', 'Fleury',
  'Deschamps', 'Carpentier', 'Maillard', 'Aubry', 'Vasseur', 'Le Roux', 'Renault', 'Jacquet', 'Prévost', 'Poirier',
  'Charpentier', 'Royer', 'Huet', 'Dupuy', 'Carré', 'Breton', 'Rémy', 'Schneider', 'Perrot', 'Guyot', 'Marty', 'Cousin', 'Dupré',
  'Bouvier', 'Haddad', 'Diallo', 'Traoré', 'Benali', 'Kaya', 'Nowak',
];

/** What agents type: mostly names, often misspelt or without accents, sometimes partial; phones and e-mails as given. */
const NAME_QUERIES = [
  'heloise dupre', 'eloise dupre', 'jean piere martin', 'nathalie lefevre', 'sebastien moreau', 'francoise girard',
  'stephane rousseau', 'mathilde fontain', 'helene chevallier', 'yannick le gal', 'anais bertran', 'gaelle guerin',
  'clement menard', 'oceane prevost', 'jerome riviere', 'aicha diallo', 'mohamed haddad', 'laetitia noel', 'marie claire dupuis',
  'frederic carre', 'dupont', 'traore', 'lefeb', 'schmit', 'garnier',
];

/**
 * One INSERT … SELECT: names drawn independently by hashing the row number, 80 % with a mobile
 * (unique, E.164 as the API stores it, in the allocated +33 61 range so that it validates), a third
 * of the named with an e-mail, last contacts spread over three years, a few needs.
 */
const GENERATE = `
  INSERT INTO visitors (site_id, type, first_name, last_name, phone, email, needs, created_at, updated_at)
  SELECT $1,
         (ARRAY['citizen', 'citizen', 'citizen', 'client', 'supplier', 'partner', 'other'])[1 + i % 7],
         first_name, last_name,
         CASE WHEN i % 5 <> 0 THEN '+3361' || lpad(((i * 48271) % 10000000)::text, 7, '0') END,
         CASE WHEN i % 3 = 0 AND first_name IS NOT NULL
              THEN replace(search_norm(first_name || '.' || last_name), ' ', '') || i || '@exemple.fr' END,
         CASE WHEN i % 11 = 0 THEN ARRAY['reduced_mobility'] WHEN i % 13 = 0 THEN ARRAY['foreign_language'] ELSE '{}' END,
         now() - make_interval(days => (i % 1095)::int), now() - make_interval(days => (i % 1095)::int)
    FROM generate_series(1::bigint, $2::bigint) AS i,
         LATERAL (SELECT CASE WHEN i % 23 <> 0 THEN ($3::text[])[1 + abs(hashint8(i)::bigint) % cardinality($3::text[])] END AS first_name,
                         CASE WHEN i % 23 <> 0 THEN ($4::text[])[1 + abs(hashint8(-i)::bigint) % cardinality($4::text[])] END AS last_name) AS n`;

interface Measure {
  latencies: number[];
  requests: number;
  errors: number;
  seconds: number;
}

export async function visitorSearchBench(ctx: BenchContext): Promise<BenchResult[]> {
  const pool = new Pool({ connectionString: ctx.databaseUrl, max: THROUGHPUT_CONNECTIONS });
  try {
    const started = Date.now();
    await pool.query(GENERATE, [ctx.siteId, VISITORS, FIRST_NAMES, LAST_NAMES]);
    const insertSeconds = (Date.now() - started) / 1000;
    // Flushes the GIN pending list left by the bulk insert, as autovacuum would in production.
    await pool.query('VACUUM ANALYZE visitors');
    const terms = await queryMix(pool, ctx.siteId);
    const plan = await explain(pool, ctx.siteId, 'heloise dupre');

    await runApi(ctx, terms, 2, THROUGHPUT_CONNECTIONS); // warm-up: JIT, connection pools, caches
    const apiSerial = await runApi(ctx, terms, DURATION_SECONDS, LATENCY_CONNECTIONS);
    const apiBusy = await runApi(ctx, terms, DURATION_SECONDS, THROUGHPUT_CONNECTIONS);
    await runRaw(pool, ctx.siteId, terms, 2, THROUGHPUT_CONNECTIONS);
    const rawSerial = await runRaw(pool, ctx.siteId, terms, DURATION_SECONDS, LATENCY_CONNECTIONS);
    const rawBusy = await runRaw(pool, ctx.siteId, terms, DURATION_SECONDS, THROUGHPUT_CONNECTIONS);
    const failed = apiSerial.errors + apiBusy.errors;
    if (failed > 0) throw new Error(`${failed} API searches failed`);

    const apiP95 = round(percentile(apiSerial.latencies, 95));
    const rawP95 = round(percentile(rawSerial.latencies, 95));
    const apiRps = round(apiBusy.requests / apiBusy.seconds, 1);
    const rawQps = round(rawBusy.requests / rawBusy.seconds, 1);
    const details = {
      visitors: VISITORS,
      insertSeconds: round(insertSeconds, 1),
      connections: LATENCY_CONNECTIONS,
      durationSeconds: DURATION_SECONDS,
      queryMix: terms.length,
      apiP50Ms: round(percentile(apiSerial.latencies, 50)),
      rawP50Ms: round(percentile(rawSerial.latencies, 50)),
      apiP99Ms: round(percentile(apiSerial.latencies, 99)),
      nameSearchPlan: plan,
    };
    return [
      {
        name: 'visitor search p95 (API)',
        unit: 'ms',
        figure: apiP95,
        baseline: rawP95,
        ratio: rawP95 > 0 ? round(apiP95 / rawP95) : null,
        target: `< ${TARGET_P95_MS} ms`,
        pass: apiP95 < TARGET_P95_MS,
        details,
      },
      {
        name: 'visitor search throughput',
        unit: 'req/s',
        figure: apiRps,
        baseline: rawQps,
        ratio: round(apiRps / rawQps),
        target: `>= ${TARGET_RATIO}x raw`,
        pass: apiRps / rawQps >= TARGET_RATIO,
        details: {
          connections: THROUGHPUT_CONNECTIONS,
          durationSeconds: DURATION_SECONDS,
          apiRequests: apiBusy.requests,
          rawQueries: rawBusy.requests,
          apiBusyP95Ms: round(percentile(apiBusy.latencies, 95)),
          rawBusyP95Ms: round(percentile(rawBusy.latencies, 95)),
        },
      },
    ];
  } finally {
    await pool.end();
  }
}

/** Names as typed plus phones in national format and e-mails in capitals, taken from the generated rows. */
async function queryMix(pool: Pool, siteId: string): Promise<string[]> {
  const { rows } = await pool.query<{ phone: string | null; email: string | null }>(
    `(SELECT phone, NULL AS email FROM visitors WHERE site_id = $1 AND phone IS NOT NULL ORDER BY id LIMIT 6)
     UNION ALL
     (SELECT NULL, email FROM visitors WHERE site_id = $1 AND email IS NOT NULL ORDER BY id LIMIT 4)`,
    [siteId],
  );
  const phones = rows.filter((r) => r.phone).map((r) => `0${r.phone!.slice(3)}`.replace(/(\d\d)(?=\d)/g, '$1 '));
  const emails = rows.filter((r) => r.email).map((r) => r.email!.toUpperCase());
  return [...NAME_QUERIES, ...phones, ...emails];
}

/** The plan of a name search, to show in the report that the trigram index serves it. */
async function explain(pool: Pool, siteId: string, term: string): Promise<string> {
  const query = buildVisitorListQuery({ siteIds: [siteId], search: classifySearchTerm(term)!, limit: PAGE_SIZE, offset: 0 });
  const { rows } = await pool.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${query.text}`, query.values);
  return rows.map((r) => r['QUERY PLAN'].trim()).find((line) => line.includes('Index Scan')) ?? 'no index scan';
}

/** Keeps `connections` searches in flight through the API, each connection sending its next one on the answer. */
function runApi(ctx: BenchContext, terms: string[], seconds: number, connections: number): Promise<Measure> {
  let next = 0;
  const latencies: number[] = [];
  let errors = 0;
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: ctx.apiUrl,
        connections,
        duration: seconds,
        headers: { authorization: `Bearer ${ctx.token}` },
        requests: [
          {
            method: 'GET',
            setupRequest: (req) => ({ ...req, path: `/api/v1/visitors?search=${encodeURIComponent(terms[next++ % terms.length])}` }),
          },
        ],
      },
      (error, result) => {
        if (error) return reject(error);
        resolve({ latencies, requests: latencies.length, errors: errors + result.errors + result.timeouts, seconds: result.duration });
      },
    );
    instance.on('response', (_client, status, _bytes, responseTime) => {
      if (status === 200) latencies.push(responseTime);
      else errors++;
    });
  });
}

/** The API's exact statement for each term, straight through `pg`, `connections` at a time: the baseline. */
async function runRaw(pool: Pool, siteId: string, terms: string[], seconds: number, connections: number): Promise<Measure> {
  const queries = terms.map((term) => buildVisitorListQuery({ siteIds: [siteId], search: classifySearchTerm(term)!, limit: PAGE_SIZE, offset: 0 }));
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < deadline) {
        const query = queries[next++ % queries.length];
        const t0 = performance.now();
        await pool.query(query.text, query.values);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  return { latencies, requests: latencies.length, errors: 0, seconds: (performance.now() - started) / 1000 };
}
