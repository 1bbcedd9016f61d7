import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Flow alerts (référentiel C1.5, "repérer les signes de tension"): per-queue thresholds and the
 * alerts the worker raises from them. An alert is raised once: at most one unresolved row per
 * dedup_key (`<kind>:<queueId>[:<counterId|ticketId>]`), enforced by a partial unique index that
 * the worker's INSERT … ON CONFLICT DO NOTHING relies on. Resolved rows stay as history.
 */
export class FlowAlerts1764288500000 implements MigrationInterface {
  name = 'FlowAlerts1764288500000';

  async up(q: QueryRunner): Promise<void> {
    // One row per queue that has thresholds; a null threshold is off. No row = no alert.
    await q.query(`
      CREATE TABLE queue_alert_rules (
        queue_id uuid PRIMARY KEY REFERENCES queues(id) ON DELETE CASCADE,
        max_waiting integer CHECK (max_waiting >= 0),
        max_longest_wait_minutes integer CHECK (max_longest_wait_minutes >= 0),
        max_estimated_wait_minutes integer CHECK (max_estimated_wait_minutes >= 0),
        max_counter_idle_minutes integer CHECK (max_counter_idle_minutes >= 0),
        max_ticket_wait_minutes integer CHECK (max_ticket_wait_minutes >= 0),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1
      )`);

    await q.query(`
      CREATE TABLE flow_alerts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        site_id uuid NOT NULL REFERENCES sites(id) ON DELETE RESTRICT,
        queue_id uuid NOT NULL REFERENCES queues(id) ON DELETE CASCADE,
        counter_id uuid REFERENCES counters(id) ON DELETE SET NULL,
        ticket_id uuid REFERENCES tickets(id) ON DELETE SET NULL,
        kind text NOT NULL
          CHECK (kind IN ('waiting_count', 'longest_wait', 'estimated_wait', 'counter_idle', 'ticket_wait')),
        severity text NOT NULL CHECK (severity IN ('warning', 'critical')),
        -- {value, threshold, unit} at the moment the alert was raised.
        details jsonb NOT NULL,
        dedup_key text NOT NULL,
        raised_at timestamptz NOT NULL DEFAULT now(),
        acknowledged_at timestamptz,
        acknowledged_by_user_id uuid REFERENCES users(id) ON DELETE SET NULL,
        resolved_at timestamptz,
        CHECK (acknowledged_by_user_id IS NULL OR acknowledged_at IS NOT NULL),
        CHECK (resolved_at IS NULL OR resolved_at >= raised_at)
      )`);
    await q.query(`CREATE UNIQUE INDEX flow_alerts_open_dedup_key ON flow_alerts (dedup_key) WHERE resolved_at IS NULL`);
    // The evaluator reads the open alerts of one queue; the list reads a site's history by time.
    await q.query(`CREATE INDEX flow_alerts_open_queue_idx ON flow_alerts (queue_id) WHERE resolved_at IS NULL`);
    await q.query(`CREATE INDEX flow_alerts_site_raised_idx ON flow_alerts (site_id, raised_at DESC, id DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS flow_alerts`);
    await q.query(`DROP TABLE IF EXISTS queue_alert_rules`);
  }
}
