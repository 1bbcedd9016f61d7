import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService, diffFields } from '../audit/audit.service';
import { ConflictError, NotFoundError, ValidationError } from '../errors/domain-error';
import type { Principal } from '../identity/principal';
import type { WeeklyHours } from '../organisation/opening-hours';
import { PriorityBonuses } from './ordering';

export interface QueueInput {
  siteId: string;
  serviceId: string;
  name: string;
  prefix: string;
  dailyCap?: number | null;
  active?: boolean;
  openingHours?: WeeklyHours | null;
  priorityBonuses?: Partial<PriorityBonuses>;
  maxRecalls?: number;
  appointmentEarlyMinutes?: number;
  appointmentLateMinutes?: number;
  slotMinutes?: number;
  slotCapacity?: number;
}

export interface QueueView {
  id: string;
  siteId: string;
  serviceId: string;
  name: string;
  prefix: string;
  dailyCap: number | null;
  active: boolean;
  openingHours: WeeklyHours | null;
  priorityBonuses: PriorityBonuses;
  maxRecalls: number;
  appointmentEarlyMinutes: number;
  appointmentLateMinutes: number;
  slotMinutes: number;
  slotCapacity: number;
  version: number;
}

export interface CounterInput {
  siteId: string;
  name: string;
  location?: string | null;
  active?: boolean;
  preferenceStepSeconds?: number;
  /** Queues served, most preferred first. */
  queueIds: string[];
}

export interface CounterView {
  id: string;
  siteId: string;
  name: string;
  location: string | null;
  active: boolean;
  preferenceStepSeconds: number;
  queueIds: string[];
  version: number;
}

const QUEUE_FIELDS: (keyof QueueView)[] = [
  'name',
  'prefix',
  'serviceId',
  'dailyCap',
  'active',
  'openingHours',
  'priorityBonuses',
  'maxRecalls',
  'appointmentEarlyMinutes',
  'appointmentLateMinutes',
  'slotMinutes',
  'slotCapacity',
];

const QUEUE_COLUMNS: Record<string, string> = {
  serviceId: 'service_id',
  name: 'name',
  prefix: 'prefix',
  dailyCap: 'daily_cap',
  active: 'active',
  openingHours: 'opening_hours',
  priorityBonuses: 'priority_bonuses',
  maxRecalls: 'max_recalls',
  appointmentEarlyMinutes: 'appointment_early_minutes',
  appointmentLateMinutes: 'appointment_late_minutes',
  slotMinutes: 'slot_minutes',
  slotCapacity: 'slot_capacity',
};

const JSON_COLUMNS = new Set(['opening_hours', 'priority_bonuses']);

/** Queues (one per service and site) and counters with the queues they serve, in order of preference. */
@Injectable()
export class FlowConfigService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async listQueues(principal: Principal, siteId?: string): Promise<QueueView[]> {
    const sites = siteId ? principal.siteIds.filter((s) => s === siteId) : principal.siteIds;
    const rows = (await this.dataSource.query(`SELECT * FROM queues WHERE site_id = ANY($1::uuid[]) ORDER BY prefix`, [sites])) as QueueRow[];
    return rows.map(queueView);
  }

  async getQueue(principal: Principal, id: string, manager: EntityManager = this.dataSource.manager): Promise<QueueView> {
    const [row] = (await manager.query(`SELECT * FROM queues WHERE id = $1`, [id])) as QueueRow[];
    if (!row || !principal.siteIds.includes(row.site_id)) throw new NotFoundError('Queue', id);
    return queueView(row);
  }

  async createQueue(principal: Principal, input: QueueInput): Promise<QueueView> {
    if (!principal.siteIds.includes(input.siteId)) throw new NotFoundError('Site', input.siteId);
    return this.dataSource.transaction(async (manager) => {
      await this.assertService(manager, input.serviceId, input.siteId);
      const [{ id }] = (await manager.query(
        `INSERT INTO queues (site_id, service_id, name, prefix) VALUES ($1, $2, $3, $4) RETURNING id`,
        [input.siteId, input.serviceId, input.name, input.prefix],
      )) as { id: string }[];
      await this.writeQueueFields(manager, id, input);
      const view = await this.getQueue(principal, id, manager);
      await this.audit.record(manager, { action: 'create', entity: 'queue', entityId: id, siteId: input.siteId, changes: diffFields(null, view, QUEUE_FIELDS) });
      return view;
    });
  }

  async updateQueue(principal: Principal, id: string, patch: Partial<Omit<QueueInput, 'siteId'>>, version?: number): Promise<QueueView> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query(`SELECT 1 FROM queues WHERE id = $1 FOR UPDATE`, [id]);
      const before = await this.getQueue(principal, id, manager);
      if (version !== undefined && version !== before.version) throw new ConflictError(`Queue ${id} was changed meanwhile`, 'stale_version');
      if (patch.serviceId) await this.assertService(manager, patch.serviceId, before.siteId);
      await this.writeQueueFields(manager, id, patch);
      await manager.query(`UPDATE queues SET updated_at = now(), version = version + 1 WHERE id = $1`, [id]);
      const after = await this.getQueue(principal, id, manager);
      await this.audit.record(manager, { action: 'update', entity: 'queue', entityId: id, siteId: before.siteId, changes: diffFields(before, after, QUEUE_FIELDS) });
      return after;
    });
  }

  async listCounters(principal: Principal, siteId?: string): Promise<CounterView[]> {
    const sites = siteId ? principal.siteIds.filter((s) => s === siteId) : principal.siteIds;
    const rows = (await this.dataSource.query(`${SELECT_COUNTER} WHERE c.site_id = ANY($1::uuid[]) ORDER BY c.name`, [sites])) as CounterRow[];
    return rows.map(counterView);
  }

  async getCounter(principal: Principal, id: string, manager: EntityManager = this.dataSource.manager): Promise<CounterView> {
    const [row] = (await manager.query(`${SELECT_COUNTER} WHERE c.id = $1`, [id])) as CounterRow[];
    if (!row || !principal.siteIds.includes(row.site_id)) throw new NotFoundError('Counter', id);
    return counterView(row);
  }

  async createCounter(principal: Principal, input: CounterInput): Promise<CounterView> {
    if (!principal.siteIds.includes(input.siteId)) throw new NotFoundError('Site', input.siteId);
    return this.dataSource.transaction(async (manager) => {
      const [{ id }] = (await manager.query(
        `INSERT INTO counters (site_id, name, location, active, preference_step_seconds) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
        [input.siteId, input.name, input.location ?? null, input.active ?? true, input.preferenceStepSeconds ?? 600],
      )) as { id: string }[];
      await this.writeCounterQueues(manager, id, input.siteId, input.queueIds);
      const view = await this.getCounter(principal, id, manager);
      await this.audit.record(manager, {
        action: 'create',
        entity: 'counter',
        entityId: id,
        siteId: input.siteId,
        changes: diffFields(null, view, ['name', 'location', 'active', 'preferenceStepSeconds', 'queueIds']),
      });
      return view;
    });
  }

  /** Also how a supervisor moves a counter (and the agent at it) to other queues. */
  async updateCounter(principal: Principal, id: string, patch: Partial<Omit<CounterInput, 'siteId'>>, version?: number): Promise<CounterView> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query(`SELECT 1 FROM counters WHERE id = $1 FOR UPDATE`, [id]);
      const before = await this.getCounter(principal, id, manager);
      if (version !== undefined && version !== before.version) throw new ConflictError(`Counter ${id} was changed meanwhile`, 'stale_version');
      await manager.query(
        `UPDATE counters SET name = $2, location = $3, active = $4, preference_step_seconds = $5, updated_at = now(), version = version + 1 WHERE id = $1`,
        [
          id,
          patch.name ?? before.name,
          patch.location === undefined ? before.location : patch.location,
          patch.active ?? before.active,
          patch.preferenceStepSeconds ?? before.preferenceStepSeconds,
        ],
      );
      if (patch.queueIds) {
        await this.writeCounterQueues(manager, id, before.siteId, patch.queueIds);
        // An open session restricted to queues the counter no longer serves falls back to all of them.
        await manager.query(
          `UPDATE agent_sessions SET queue_ids = NULL WHERE counter_id = $1 AND closed_at IS NULL AND NOT (queue_ids <@ $2::uuid[])`,
          [id, patch.queueIds],
        );
      }
      const after = await this.getCounter(principal, id, manager);
      await this.audit.record(manager, {
        action: 'update',
        entity: 'counter',
        entityId: id,
        siteId: before.siteId,
        changes: diffFields(before, after, ['name', 'location', 'active', 'preferenceStepSeconds', 'queueIds']),
      });
      return after;
    });
  }

  private async writeQueueFields(manager: EntityManager, id: string, fields: Partial<QueueInput>): Promise<void> {
    const sets: string[] = [];
    const params: unknown[] = [id];
    for (const [key, value] of Object.entries(fields)) {
      const column = QUEUE_COLUMNS[key];
      if (!column || value === undefined) continue;
      params.push(JSON_COLUMNS.has(column) && value !== null ? JSON.stringify(value) : value);
      sets.push(`${column} = $${params.length}`);
    }
    if (sets.length) await manager.query(`UPDATE queues SET ${sets.join(', ')} WHERE id = $1`, params);
  }

  private async writeCounterQueues(manager: EntityManager, counterId: string, siteId: string, queueIds: string[]): Promise<void> {
    const found = (await manager.query(`SELECT id FROM queues WHERE id = ANY($1::uuid[]) AND site_id = $2`, [queueIds, siteId])) as { id: string }[];
    const missing = queueIds.filter((q) => !found.some((f) => f.id === q));
    if (missing.length) throw new ValidationError('Unknown queues for this site', [{ field: 'queueIds', message: `unknown: ${missing.join(', ')}` }]);
    await manager.query(`DELETE FROM counter_queues WHERE counter_id = $1`, [counterId]);
    await manager.query(
      `INSERT INTO counter_queues (counter_id, queue_id, preference) SELECT $1, q, ord FROM unnest($2::uuid[]) WITH ORDINALITY AS x(q, ord)`,
      [counterId, queueIds],
    );
  }

  private async assertService(manager: EntityManager, serviceId: string, siteId: string): Promise<void> {
    const [row] = (await manager.query(`SELECT 1 FROM services WHERE id = $1 AND site_id = $2`, [serviceId, siteId])) as unknown[];
    if (!row) throw new ValidationError('Unknown service for this site', [{ field: 'serviceId', message: 'must be a service of the site' }]);
  }
}

interface QueueRow {
  id: string;
  site_id: string;
  service_id: string;
  name: string;
  prefix: string;
  daily_cap: number | null;
  active: boolean;
  opening_hours: WeeklyHours | null;
  priority_bonuses: PriorityBonuses;
  max_recalls: number;
  appointment_early_minutes: number;
  appointment_late_minutes: number;
  slot_minutes: number;
  slot_capacity: number;
  version: number;
}

function queueView(r: QueueRow): QueueView {
  return {
    id: r.id,
    siteId: r.site_id,
    serviceId: r.service_id,
    name: r.name,
    prefix: r.prefix,
    dailyCap: r.daily_cap,
    active: r.active,
    openingHours: r.opening_hours,
    priorityBonuses: r.priority_bonuses,
    maxRecalls: r.max_recalls,
    appointmentEarlyMinutes: r.appointment_early_minutes,
    appointmentLateMinutes: r.appointment_late_minutes,
    slotMinutes: r.slot_minutes,
    slotCapacity: r.slot_capacity,
    version: r.version,
  };
}

interface CounterRow {
  id: string;
  site_id: string;
  name: string;
  location: string | null;
  active: boolean;
  preference_step_seconds: number;
  queue_ids: string[];
  version: number;
}

const SELECT_COUNTER = `
  SELECT c.*, ARRAY(SELECT cq.queue_id FROM counter_queues cq WHERE cq.counter_id = c.id ORDER BY cq.preference) AS queue_ids
    FROM counters c`;

function counterView(r: CounterRow): CounterView {
  return {
    id: r.id,
    siteId: r.site_id,
    name: r.name,
    location: r.location,
    active: r.active,
    preferenceStepSeconds: r.preference_step_seconds,
    queueIds: r.queue_ids,
    version: r.version,
  };
}
