import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The per-site live event log. A change and its event commit in one transaction; the counter row
 * is updated last so its lock is held only until commit, which makes seq order = commit order.
 * The log also serves replays to consoles that reconnect (kept two days by the worker).
 */
export class LiveEvents1764288200000 implements MigrationInterface {
  name = 'LiveEvents1764288200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE site_event_counters (
        site_id uuid PRIMARY KEY REFERENCES sites(id) ON DELETE CASCADE,
        seq bigint NOT NULL
      )`);
    await q.query(`
      CREATE TABLE live_events (
        site_id uuid NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
        seq bigint NOT NULL,
        type text NOT NULL,
        rooms text[] NOT NULL,
        data jsonb NOT NULL,
        at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (site_id, seq)
      )`);
    await q.query(`CREATE INDEX live_events_at_idx ON live_events (at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE live_events`);
    await q.query(`DROP TABLE site_event_counters`);
  }
}
