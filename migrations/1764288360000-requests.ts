import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes for how requests and transfers are read and deleted:
 * - the request list without a status filter is ordered by arrival within the caller's sites;
 * - `q` searches the subject (accents and case ignored), like the other searches;
 * - a category is checked for requests and subcategories before deletion, and the list filters by it;
 * - deleting a staff member or a partner nulls its transfers (ON DELETE SET NULL) and must find them.
 */
export class Requests1764288360000 implements MigrationInterface {
  name = 'Requests1764288360000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX requests_site_arrived_idx ON requests (site_id, arrived_at DESC, id DESC)`);
    await q.query(`CREATE INDEX requests_subject_trgm_idx ON requests USING gin (search_norm(subject) gin_trgm_ops)`);
    await q.query(`CREATE INDEX requests_category_idx ON requests (category_id) WHERE category_id IS NOT NULL`);
    await q.query(`CREATE INDEX request_categories_parent_idx ON request_categories (parent_id) WHERE parent_id IS NOT NULL`);
    await q.query(`CREATE INDEX transfers_staff_idx ON transfers (target_staff_id) WHERE target_staff_id IS NOT NULL`);
    await q.query(`CREATE INDEX transfers_partner_idx ON transfers (target_partner_id) WHERE target_partner_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const index of [
      'transfers_partner_idx',
      'transfers_staff_idx',
      'request_categories_parent_idx',
      'requests_category_idx',
      'requests_subject_trgm_idx',
      'requests_site_arrived_idx',
    ]) {
      await q.query(`DROP INDEX IF EXISTS ${index}`);
    }
  }
}
