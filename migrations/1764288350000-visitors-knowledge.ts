import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Visitor search reads a stored normalised name instead of the indexed expression.
 *
 * search_norm() cannot be inlined (unaccent is only STABLE), so with an expression index every
 * candidate row paid a SQL-function call in the recheck, the ranking and the sort. Measured on
 * 200,000 visitors: 13–17 ms per search with the expression index, 6–9 ms with the stored column.
 * The expression index would only cost writes from now on, so it goes.
 *
 * Merging and erasing a visitor look up its phone calls (requests already have an index).
 *
 * pg_trgm declares its similarity functions with the default COST 1, as cheap as comparing two
 * integers, while each call builds the trigrams of both strings (about a microsecond). On a site
 * of a few thousand visitors the planner then prefers a sequential scan that runs them on every
 * row: 13 ms instead of 0.2 ms through the index, measured on 3,000 visitors. COST 100 states
 * what they cost. Only the extension's owner may change this, so a database where the
 * application role does not own pg_trgm keeps the default (a warning says so). pg_dump does not
 * carry it either: after a restore, run this migration's `up` statements again.
 */
export class VisitorsKnowledge1764288350000 implements MigrationInterface {
  name = 'VisitorsKnowledge1764288350000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE visitors ADD COLUMN search_name text
        GENERATED ALWAYS AS (search_norm(coalesce(first_name, '') || ' ' || coalesce(last_name, ''))) STORED`);
    await q.query(`CREATE INDEX visitors_search_name_trgm_idx ON visitors USING gin (search_name gin_trgm_ops)`);
    await q.query(`DROP INDEX visitors_name_trgm_idx`);
    await q.query(`CREATE INDEX phone_calls_visitor_idx ON phone_calls (visitor_id) WHERE visitor_id IS NOT NULL`);
    await setTrigramCost(q, 100);
  }

  async down(q: QueryRunner): Promise<void> {
    await setTrigramCost(q, 1);
    await q.query(`DROP INDEX phone_calls_visitor_idx`);
    await q.query(
      `CREATE INDEX visitors_name_trgm_idx ON visitors USING gin (search_norm(coalesce(first_name, '') || ' ' || coalesce(last_name, '')) gin_trgm_ops)`,
    );
    await q.query(`DROP INDEX visitors_search_name_trgm_idx`);
    await q.query(`ALTER TABLE visitors DROP COLUMN search_name`);
  }
}

/** The functions behind `%`, `<%` and `%>` and the ranking calls. */
const TRIGRAM_FUNCTIONS = ['similarity', 'similarity_op', 'word_similarity', 'word_similarity_op', 'word_similarity_commutator_op'];

async function setTrigramCost(q: QueryRunner, cost: number): Promise<void> {
  await q.query(`
    DO $$
    BEGIN
      ${TRIGRAM_FUNCTIONS.map((name) => `ALTER FUNCTION ${name}(text, text) COST ${cost};`).join('\n      ')}
    EXCEPTION WHEN insufficient_privilege THEN
      RAISE WARNING 'pg_trgm is not owned by %: its similarity functions keep their default cost', current_user;
    END $$`);
}
