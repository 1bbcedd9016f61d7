import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService, diffFields } from '../audit/audit.service';
import { ConflictError, NotFoundError } from '../errors/domain-error';
import type { Principal } from '../identity/principal';
import { AlertThresholds, RulesRow, thresholdsOf } from './alert-conditions';
import { AlertTrigger } from './alert-trigger.service';

export interface AlertRulesView extends AlertThresholds {
  queueId: string;
  /** 0 while the queue has never had thresholds. */
  version: number;
  updatedAt: Date | null;
}

const FIELDS: (keyof AlertThresholds)[] = [
  'maxWaiting',
  'maxLongestWaitMinutes',
  'maxEstimatedWaitMinutes',
  'maxCounterIdleMinutes',
  'maxTicketWaitMinutes',
];

type RulesQueryRow = RulesRow & { queue_id: string; site_id: string; version: number | null; updated_at: Date | null };

/** The alert thresholds of each queue (queue_alert_rules); changing them re-evaluates the queue. */
@Injectable()
export class AlertRulesService {
  private readonly logger = new Logger(AlertRulesService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly trigger: AlertTrigger,
  ) {}

  async get(principal: Principal, queueId: string): Promise<AlertRulesView> {
    return view(await this.load(this.dataSource.manager, principal, queueId));
  }

  /** Replaces every threshold (an omitted one is off). Unchanged thresholds write nothing. */
  async replace(principal: Principal, queueId: string, input: Partial<AlertThresholds>, expectedVersion?: number): Promise<AlertRulesView> {
    const next = Object.fromEntries(FIELDS.map((field) => [field, input[field] ?? null])) as unknown as AlertThresholds;
    const { rules, changed } = await this.dataSource.transaction(async (manager) => {
      // Locking the queue row serialises concurrent first saves too (no rules row to lock yet).
      const row = await this.load(manager, principal, queueId, true);
      const before = view(row);
      if (expectedVersion !== undefined && expectedVersion !== before.version) {
        throw new ConflictError(`The alert rules of queue ${queueId} are now at version ${before.version}; reload them`, 'stale_version');
      }
      const changes = diffFields(before.version ? before : null, next, FIELDS);
      if (before.version && Object.keys(changes).length === 0) return { rules: before, changed: false };
      await manager.query(
        `INSERT INTO queue_alert_rules (queue_id, max_waiting, max_longest_wait_minutes, max_estimated_wait_minutes,
                                        max_counter_idle_minutes, max_ticket_wait_minutes)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (queue_id) DO UPDATE SET
           max_waiting = EXCLUDED.max_waiting,
           max_longest_wait_minutes = EXCLUDED.max_longest_wait_minutes,
           max_estimated_wait_minutes = EXCLUDED.max_estimated_wait_minutes,
           max_counter_idle_minutes = EXCLUDED.max_counter_idle_minutes,
           max_ticket_wait_minutes = EXCLUDED.max_ticket_wait_minutes,
           updated_at = now(), version = queue_alert_rules.version + 1`,
        [
          queueId,
          next.maxWaiting,
          next.maxLongestWaitMinutes,
          next.maxEstimatedWaitMinutes,
          next.maxCounterIdleMinutes,
          next.maxTicketWaitMinutes,
        ],
      );
      await this.audit.record(manager, {
        action: before.version ? 'update' : 'create',
        entity: 'queue_alert_rules',
        entityId: queueId,
        siteId: row.site_id,
        changes,
      });
      return { rules: view(await this.load(manager, principal, queueId)), changed: true };
    });
    if (changed) {
      // Committed already: if Redis refuses the job, the next sweep (every 30 s) evaluates the queue anyway.
      await this.trigger.queueChanged(queueId).catch((error: unknown) => this.logger.warn({ err: error, queueId }, 'Could not enqueue an alert evaluation'));
    }
    return rules;
  }

  private async load(manager: EntityManager, principal: Principal, queueId: string, lock = false): Promise<RulesQueryRow> {
    const [row] = (await manager.query(
      `SELECT q.id AS queue_id, q.site_id, r.max_waiting, r.max_longest_wait_minutes, r.max_estimated_wait_minutes,
              r.max_counter_idle_minutes, r.max_ticket_wait_minutes, r.version, r.updated_at
         FROM queues q LEFT JOIN queue_alert_rules r ON r.queue_id = q.id
        WHERE q.id = $1 ${lock ? 'FOR NO KEY UPDATE OF q' : ''}`,
      [queueId],
    )) as RulesQueryRow[];
    if (!row || !principal.siteIds.includes(row.site_id)) throw new NotFoundError('Queue', queueId);
    return row;
  }
}

function view(row: RulesQueryRow): AlertRulesView {
  return { queueId: row.queue_id, ...thresholdsOf(row), version: row.version ?? 0, updatedAt: row.updated_at };
}
