import { Injectable } from '@nestjs/common';
import { randomBytes, randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { rowsOf } from '@guichet/database/sql';
import { rooms } from '@guichet/live/rooms';
import { NotFoundError, ValidationError } from '../errors/domain-error';
import { IdempotencyService, IdempotentResult } from '../idempotency/idempotency.service';
import type { Principal } from '../identity/principal';
import { roleAtLeast } from '../identity/principal';
import type { Emit } from '../live/live-events.service';
import { LiveEvents } from '../live/live-events.service';
import { isOpenAt, WeeklyHours, Closure } from '../organisation/opening-hours';
import { FlowConflictError, FlowErrorCode, FlowRuleError } from './flow.errors';
import { counterState, serviceCapacity, TicketRow, ticketCall, ticketSummary } from './flow-state';
import { DEFAULT_BONUSES, estimateWaitSeconds, orderTicket, PriorityBonuses } from './ordering';
import { setSessionState } from './sessions';
import { ticketInteraction } from '../surveys/interactions';
import { SurveyTriggersService } from '../surveys/survey-triggers.service';

export const TICKET_CHANNELS = ['kiosk', 'desk', 'phone', 'web', 'mobile'] as const;
export type TicketChannel = (typeof TICKET_CHANNELS)[number];

export interface IssueTicketInput {
  queueId: string;
  channel: TicketChannel;
  needs?: string[];
  visitorId?: string;
}

export interface AppointmentCheckIn {
  appointmentId: string;
  /** Start of the appointment when the check-in is on time, null when late (walk-in rules). */
  startsAt: Date | null;
  visitorId: string | null;
}

export interface TicketView {
  id: string;
  siteId: string;
  queueId: string;
  number: string;
  channel: string;
  status: string;
  priorityClass: string;
  needs: string[];
  visitorId: string | null;
  appointmentId: string | null;
  requestId: string | null;
  counterId: string | null;
  agentUserId: string | null;
  arrivedAt: Date;
  queuedAt: Date;
  calledAt: Date | null;
  firstCalledAt: Date | null;
  recallCount: number;
  startedAt: Date | null;
  endedAt: Date | null;
  /** Estimate made at issuance, kept to measure accuracy. */
  estimatedWaitSeconds: number | null;
  transferredFromQueueId: string | null;
  /** 1 = next to be called; null unless waiting. */
  position: number | null;
  version: number;
}

export interface IssuedTicket extends TicketView {
  /** Private token of the public follow-up page `/t/{trackingToken}`. */
  trackingToken: string;
}

interface QueueRow {
  id: string;
  site_id: string;
  prefix: string;
  daily_cap: number | null;
  active: boolean;
  priority_bonuses: PriorityBonuses;
  max_recalls: number;
  hours: WeeklyHours | null;
  closures: Closure[];
  time_zone: string;
  today: string;
}

type Transition = 'recall' | 'start' | 'finish' | 'no_show' | 'transfer' | 'park' | 'resume' | 'cancel';

/** Which statuses each operation accepts (the ticket lifecycle). */
const ALLOWED_FROM: Record<Transition, readonly string[]> = {
  recall: ['called'],
  start: ['called'],
  finish: ['serving'],
  no_show: ['called'],
  transfer: ['waiting', 'called', 'serving', 'parked'],
  park: ['called', 'serving'],
  resume: ['parked'],
  cancel: ['waiting', 'called', 'parked'],
};

const TICKET_COLUMNS = `t.*`;

/**
 * Issuing, calling and serving tickets. Each operation is one short transaction that writes the
 * ticket, its history row and its live events together (LiveEvents.transaction). Call-next takes
 * the best waiting ticket with FOR UPDATE SKIP LOCKED, so concurrent agents never get the same one,
 * and unique indexes make it impossible for an agent or a counter to hold two.
 */
@Injectable()
export class TicketsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly live: LiveEvents,
    private readonly idempotency: IdempotencyService,
    private readonly surveys: SurveyTriggersService,
  ) {}

  issue(principal: Principal, input: IssueTicketInput, idempotencyKey?: string): Promise<IdempotentResult<IssuedTicket>> {
    return this.idempotency.run(principal, idempotencyKey, 'tickets.issue', input, async (manager, emit) => ({
      status: 201,
      body: await this.issueInTransaction(manager, emit, principal, input),
    }));
  }

  /** Also used by appointment check-in, inside its own transaction. */
  async issueInTransaction(
    manager: EntityManager,
    emit: Emit,
    principal: Principal,
    input: IssueTicketInput,
    appointment?: AppointmentCheckIn,
  ): Promise<IssuedTicket> {
    const queue = await this.loadQueue(manager, principal, input.queueId);
    if (!queue.active) throw new FlowRuleError(FlowErrorCode.QueueClosed, 'This queue is closed');
    // Remote channels follow the opening hours; an agent at the desk or on the phone may still issue.
    const remote = input.channel === 'kiosk' || input.channel === 'web' || input.channel === 'mobile';
    if (remote && queue.hours && hasHours(queue.hours) && !isOpenAt(queue.hours, queue.closures, queue.time_zone, new Date())) {
      throw new FlowRuleError(FlowErrorCode.QueueClosed, 'This queue is closed at this time');
    }
    const visitorId = input.visitorId ?? appointment?.visitorId ?? null;
    let needs = [...new Set(input.needs ?? [])];
    if (visitorId) {
      const [visitor] = (await manager.query(
        `SELECT needs FROM visitors WHERE id = $1 AND site_id = $2 AND merged_into_id IS NULL`,
        [visitorId, queue.site_id],
      )) as { needs: string[] }[];
      if (!visitor) throw new NotFoundError('Visitor', visitorId);
      needs = [...new Set([...needs, ...visitor.needs])];
    }
    const now = new Date();
    const ordering = orderTicket({ arrivedAt: now, needs, appointmentStartsAt: appointment?.startsAt ?? null }, bonuses(queue));
    const id = randomUUID();
    const capacity = await serviceCapacity(manager, queue.id);
    const [{ ahead }] = (await manager.query(
      `SELECT count(*)::int AS ahead FROM tickets WHERE queue_id = $1 AND status = 'waiting' AND (sort_key, id) < ($2, $3)`,
      [queue.id, ordering.sortKey, id],
    )) as { ahead: number }[];
    // Numbering, the ticket and its first history row in one statement, last: the day counter row
    // is locked until commit, and every issuance of the queue waits for it.
    const [ticket] = (await manager.query(
      `WITH n AS (
         INSERT INTO queue_day_counters (queue_id, day, last_number) VALUES ($3, $4, 1)
         ON CONFLICT (queue_id, day) DO UPDATE SET last_number = queue_day_counters.last_number + 1
         RETURNING last_number
       ), t AS (
         INSERT INTO tickets (id, site_id, queue_id, business_day, seq_number, number, channel, visitor_id, needs,
                              priority_class, appointment_id, status, arrived_at, queued_at, sort_key,
                              estimated_wait_seconds, public_token)
         SELECT $1, $2, $3, $4, n.last_number,
                $5 || CASE WHEN n.last_number < 1000 THEN lpad(n.last_number::text, 3, '0') ELSE n.last_number::text END,
                $6, $7, $8, $9, $10, 'waiting', $11, $11, $12, $13, $14
           FROM n WHERE $15::int IS NULL OR n.last_number <= $15::int
         RETURNING *
       ), h AS (
         INSERT INTO ticket_events (ticket_id, type, queue_id, actor_id, data)
         SELECT t.id, 'issued', t.queue_id, $16, $17 FROM t
       )
       SELECT * FROM t`,
      [
        id,
        queue.site_id,
        queue.id,
        queue.today,
        queue.prefix,
        input.channel,
        visitorId,
        needs,
        ordering.priorityClass,
        appointment?.appointmentId ?? null,
        now,
        ordering.sortKey,
        estimateWaitSeconds(ahead, capacity.meanServiceSeconds, capacity.openCounters),
        randomBytes(18).toString('base64url'),
        queue.daily_cap,
        principal.id,
        JSON.stringify({ channel: input.channel }),
      ],
    )) as TicketRow[];
    if (!ticket) throw new FlowRuleError(FlowErrorCode.QueueFull, `This queue has reached its daily cap of ${queue.daily_cap} tickets`);
    emit(queue.site_id, 'ticket.issued', ticketSummary(ticket), [rooms.queue(queue.id)]);
    return { ...toView(ticket, ahead + 1), trackingToken: ticket.public_token };
  }

  /** Calls the best waiting ticket for the caller's open counter; null when nothing waits. */
  async callNext(principal: Principal, counterId: string): Promise<TicketView | null> {
    return this.live.transaction(async (manager, emit) => {
      const { session, counter } = await this.openSessionForCaller(manager, principal, counterId);
      await this.assertHandsFree(manager, principal.id);
      const [pick] = (await manager.query(
        `SELECT pick.id
           FROM counter_queues cq
           CROSS JOIN LATERAL (
             SELECT t.id, t.sort_key FROM tickets t
              WHERE t.queue_id = cq.queue_id AND t.status = 'waiting'
              ORDER BY t.sort_key, t.id
              LIMIT 1
              FOR UPDATE SKIP LOCKED
           ) pick
          WHERE cq.counter_id = $1 AND ($2::uuid[] IS NULL OR cq.queue_id = ANY($2::uuid[]))
          ORDER BY pick.sort_key + make_interval(secs => (cq.preference - 1) * $3), pick.id
          LIMIT 1`,
        [counterId, session.queue_ids, counter.preference_step_seconds],
      )) as { id: string }[];
      if (!pick) return null;
      return this.callTicket(manager, emit, principal, session.id, counter, pick.id, 'called', {});
    });
  }

  /** Calls a given waiting ticket out of order; the reason is kept in its history. */
  async callSpecific(principal: Principal, counterId: string, ticketId: string, reason: string): Promise<TicketView> {
    return this.live.transaction(async (manager, emit) => {
      const { session, counter } = await this.openSessionForCaller(manager, principal, counterId);
      await this.assertHandsFree(manager, principal.id);
      const ticket = await this.lockTicket(manager, principal, ticketId);
      if (ticket.status !== 'waiting') throw invalidTransition(ticket, 'call');
      const [served] = (await manager.query(`SELECT 1 FROM counter_queues WHERE counter_id = $1 AND queue_id = $2`, [
        counterId,
        ticket.queue_id,
      ])) as unknown[];
      if (!served) throw new FlowRuleError(FlowErrorCode.QueueNotServed, 'This counter does not serve the ticket’s queue');
      return this.callTicket(manager, emit, principal, session.id, counter, ticket.id, 'called_out_of_order', { reason });
    });
  }

  async recall(principal: Principal, ticketId: string): Promise<TicketView> {
    return this.live.transaction(async (manager, emit) => {
      const ticket = await this.lockHeldTicket(manager, principal, ticketId, 'recall');
      const [{ max_recalls: maxRecalls }] = (await manager.query(`SELECT max_recalls FROM queues WHERE id = $1`, [ticket.queue_id])) as {
        max_recalls: number;
      }[];
      // Past the queue's limit, a recall becomes a no-show and the counter is free again.
      if (ticket.recall_count >= maxRecalls) return this.endAtCounter(manager, emit, principal, ticket, 'no_show', { afterRecalls: ticket.recall_count });
      const [updated] = await rowsOf<TicketRow>(
        manager,
        `UPDATE tickets SET recall_count = recall_count + 1, called_at = now(), updated_at = now(), version = version + 1
          WHERE id = $1 RETURNING *`,
        [ticket.id],
      );
      const counterName = await this.counterName(manager, updated.counter_id as string);
      await this.history(manager, updated, 'recalled', principal, { recallCount: updated.recall_count });
      emit(updated.site_id, 'ticket.recalled', ticketCall(updated, counterName), this.ticketRooms(updated));
      return toView(updated, null);
    });
  }

  async start(principal: Principal, ticketId: string): Promise<TicketView> {
    return this.live.transaction(async (manager, emit) => {
      const ticket = await this.lockHeldTicket(manager, principal, ticketId, 'start');
      const [updated] = await rowsOf<TicketRow>(
        manager,
        `UPDATE tickets SET status = 'serving', started_at = now(), updated_at = now(), version = version + 1
          WHERE id = $1 RETURNING *`,
        [ticket.id],
      );
      await this.history(manager, updated, 'started', principal, {});
      emit(updated.site_id, 'ticket.started', ticketSummary(updated), this.ticketRooms(updated));
      return toView(updated, null);
    });
  }

  /** Ends the service; `requestId` links the request the visit produced (same site). */
  async finish(principal: Principal, ticketId: string, requestId?: string): Promise<TicketView> {
    return this.live.transaction(async (manager, emit) => {
      const ticket = await this.lockHeldTicket(manager, principal, ticketId, 'finish');
      if (requestId) {
        const [request] = (await manager.query(`SELECT 1 FROM requests WHERE id = $1 AND site_id = $2`, [requestId, ticket.site_id])) as unknown[];
        if (!request) throw new NotFoundError('Request', requestId);
      }
      return this.endAtCounter(manager, emit, principal, ticket, 'done', { requestId: requestId ?? null }, requestId);
    });
  }

  async noShow(principal: Principal, ticketId: string): Promise<TicketView> {
    return this.live.transaction(async (manager, emit) => {
      const ticket = await this.lockHeldTicket(manager, principal, ticketId, 'no_show');
      return this.endAtCounter(manager, emit, principal, ticket, 'no_show', {});
    });
  }

  /**
   * Moves the ticket to another queue of the site. It keeps its number and arrival time, so it
   * takes its place by arrival in the new queue and its total stay covers both queues.
   */
  async transfer(principal: Principal, ticketId: string, queueId: string, reason: string): Promise<TicketView> {
    return this.live.transaction(async (manager, emit) => {
      const ticket = await this.lockTicket(manager, principal, ticketId);
      this.assertTransition(ticket, 'transfer');
      this.assertMayHandle(principal, ticket);
      if (queueId === ticket.queue_id) throw new ValidationError('The ticket is already in this queue', [{ field: 'queueId', message: 'must be another queue' }]);
      const target = await this.loadQueue(manager, principal, queueId);
      if (target.site_id !== ticket.site_id) throw new NotFoundError('Queue', queueId);
      if (!target.active) throw new FlowRuleError(FlowErrorCode.QueueClosed, 'The target queue is closed');
      const ordering = orderTicket({ arrivedAt: ticket.arrived_at, needs: ticket.needs }, bonuses(target));
      const heldCounter = ticket.counter_id;
      const [updated] = await rowsOf<TicketRow>(
        manager,
        `UPDATE tickets SET queue_id = $2, status = 'waiting', queued_at = now(), sort_key = $3, priority_class = $4,
                counter_id = NULL, agent_user_id = NULL, transferred_from_queue_id = $5, updated_at = now(), version = version + 1
          WHERE id = $1 RETURNING *`,
        [ticket.id, target.id, ordering.sortKey, ordering.priorityClass, ticket.queue_id],
      );
      await this.history(manager, updated, 'transferred', principal, { fromQueueId: ticket.queue_id, toQueueId: target.id, reason });
      if (heldCounter) await this.releaseCounter(manager, emit, updated.site_id, heldCounter);
      emit(updated.site_id, 'ticket.transferred', { ...ticketSummary(updated), fromQueueId: ticket.queue_id }, [
        rooms.queue(ticket.queue_id),
        rooms.queue(target.id),
      ]);
      return toView(updated, await this.position(manager, updated));
    });
  }

  /** Puts a called or served ticket aside (the visitor fetches a document); the counter is free meanwhile. */
  async park(principal: Principal, ticketId: string, reason?: string): Promise<TicketView> {
    return this.live.transaction(async (manager, emit) => {
      const ticket = await this.lockHeldTicket(manager, principal, ticketId, 'park');
      const heldCounter = ticket.counter_id as string;
      const [updated] = await rowsOf<TicketRow>(
        manager,
        `UPDATE tickets SET status = 'parked', counter_id = NULL, agent_user_id = NULL, updated_at = now(), version = version + 1
          WHERE id = $1 RETURNING *`,
        [ticket.id],
      );
      await this.history(manager, updated, 'parked', principal, { reason: reason ?? null, counterId: heldCounter });
      await this.releaseCounter(manager, emit, updated.site_id, heldCounter);
      emit(updated.site_id, 'ticket.parked', ticketSummary(updated), [rooms.queue(updated.queue_id)]);
      return toView(updated, null);
    });
  }

  /** Back to the queue with its original key, so it is called again ahead of later arrivals. */
  async resume(principal: Principal, ticketId: string): Promise<TicketView> {
    return this.live.transaction(async (manager, emit) => {
      const ticket = await this.lockTicket(manager, principal, ticketId);
      this.assertTransition(ticket, 'resume');
      const [updated] = await rowsOf<TicketRow>(
        manager,
        `UPDATE tickets SET status = 'waiting', updated_at = now(), version = version + 1
          WHERE id = $1 RETURNING *`,
        [ticket.id],
      );
      await this.history(manager, updated, 'resumed', principal, {});
      emit(updated.site_id, 'ticket.resumed', ticketSummary(updated), [rooms.queue(updated.queue_id)]);
      return toView(updated, await this.position(manager, updated));
    });
  }

  async cancel(principal: Principal, ticketId: string, reason?: string): Promise<TicketView> {
    return this.live.transaction(async (manager, emit) => {
      const ticket = await this.lockTicket(manager, principal, ticketId);
      this.assertTransition(ticket, 'cancel');
      if (ticket.status === 'called') this.assertMayHandle(principal, ticket);
      return this.cancelLocked(manager, emit, ticket, { actor: principal, reason: reason ?? null });
    });
  }

  async get(principal: Principal, ticketId: string): Promise<TicketView> {
    const [ticket] = (await this.dataSource.query(`SELECT ${TICKET_COLUMNS} FROM tickets t WHERE t.id = $1`, [ticketId])) as TicketRow[];
    if (!ticket || !principal.siteIds.includes(ticket.site_id)) throw new NotFoundError('Ticket', ticketId);
    return toView(ticket, await this.position(this.dataSource.manager, ticket));
  }

  async list(
    principal: Principal,
    query: { siteId?: string; queueId?: string; status?: string; day?: string; page: number; limit: number },
  ): Promise<{ items: TicketView[]; total: number }> {
    const params: unknown[] = [query.siteId ? [query.siteId].filter((s) => principal.siteIds.includes(s)) : principal.siteIds];
    const where = ['t.site_id = ANY($1::uuid[])'];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (query.queueId) add('t.queue_id = ?', query.queueId);
    if (query.status) add('t.status = ?', query.status);
    if (query.day) add('t.business_day = ?::date', query.day);
    else where.push(`t.business_day >= (now() - interval '1 day')::date`);
    const [{ total }] = (await this.dataSource.query(`SELECT count(*)::int AS total FROM tickets t WHERE ${where.join(' AND ')}`, params)) as {
      total: number;
    }[];
    params.push(query.limit, (query.page - 1) * query.limit);
    const rows = (await this.dataSource.query(
      `SELECT ${TICKET_COLUMNS},
              CASE WHEN t.status = 'waiting' THEN
                (SELECT count(*)::int + 1 FROM tickets w WHERE w.queue_id = t.queue_id AND w.status = 'waiting' AND (w.sort_key, w.id) < (t.sort_key, t.id))
              END AS position
         FROM tickets t WHERE ${where.join(' AND ')}
        ORDER BY (t.status = 'waiting') DESC, t.sort_key, t.id
        LIMIT $${params.length - 1} OFFSET $${params.length}`,
      params,
    )) as (TicketRow & { position: number | null })[];
    return { items: rows.map((r) => toView(r, r.position)), total };
  }

  /** What the visitor's phone shows on the public follow-up page (no personal data). */
  async publicView(token: string): Promise<{
    number: string;
    status: string;
    queueName: string;
    position: number | null;
    estimatedWaitSeconds: number | null;
    counterName: string | null;
    siteId: string;
  }> {
    const [row] = (await this.dataSource.query(
      `SELECT ${TICKET_COLUMNS}, q.name AS queue_name, c.name AS counter_name
         FROM tickets t JOIN queues q ON q.id = t.queue_id LEFT JOIN counters c ON c.id = t.counter_id
        WHERE t.public_token = $1`,
      [token],
    )) as (TicketRow & { queue_name: string; counter_name: string | null })[];
    if (!row) throw new NotFoundError('Ticket');
    const position = await this.position(this.dataSource.manager, row);
    let estimate: number | null = null;
    if (position !== null) {
      const capacity = await serviceCapacity(this.dataSource.manager, row.queue_id);
      estimate = estimateWaitSeconds(position - 1, capacity.meanServiceSeconds, capacity.openCounters);
    }
    return {
      number: row.number,
      status: row.status,
      queueName: row.queue_name,
      position,
      estimatedWaitSeconds: estimate,
      counterName: row.counter_name,
      siteId: row.site_id,
    };
  }

  /** The visitor gives up from the follow-up page. */
  async cancelByToken(token: string): Promise<void> {
    await this.live.transaction(async (manager, emit) => {
      const [ticket] = (await manager.query(`SELECT ${TICKET_COLUMNS} FROM tickets t WHERE t.public_token = $1 FOR UPDATE`, [token])) as TicketRow[];
      if (!ticket) throw new NotFoundError('Ticket');
      if (!['waiting', 'parked'].includes(ticket.status)) throw invalidTransition(ticket, 'cancel');
      await this.cancelLocked(manager, emit, ticket, { actor: undefined, reason: 'cancelled by the visitor' });
    });
  }

  // ----- internals -----

  private async loadQueue(manager: EntityManager, principal: Principal, queueId: string): Promise<QueueRow> {
    const [queue] = (await manager.query(
      `SELECT q.id, q.site_id, q.prefix, q.daily_cap, q.active, q.priority_bonuses, q.max_recalls,
              coalesce(q.opening_hours, sv.opening_hours, s.opening_hours) AS hours, s.closures, s.time_zone,
              (now() AT TIME ZONE s.time_zone)::date::text AS today
         FROM queues q JOIN sites s ON s.id = q.site_id JOIN services sv ON sv.id = q.service_id
        WHERE q.id = $1`,
      [queueId],
    )) as QueueRow[];
    if (!queue || !principal.siteIds.includes(queue.site_id)) throw new NotFoundError('Queue', queueId);
    return queue;
  }

  private async openSessionForCaller(
    manager: EntityManager,
    principal: Principal,
    counterId: string,
  ): Promise<{
    session: { id: string; user_id: string; state: string; queue_ids: string[] | null };
    counter: { id: string; site_id: string; name: string; preference_step_seconds: number };
  }> {
    const [counter] = (await manager.query(`SELECT id, site_id, name, preference_step_seconds FROM counters WHERE id = $1`, [counterId])) as {
      id: string;
      site_id: string;
      name: string;
      preference_step_seconds: number;
    }[];
    if (!counter || !principal.siteIds.includes(counter.site_id)) throw new NotFoundError('Counter', counterId);
    // Locking the session serialises the same agent's double key presses.
    const [session] = (await manager.query(
      `SELECT id, user_id, state, queue_ids FROM agent_sessions WHERE counter_id = $1 AND closed_at IS NULL FOR UPDATE`,
      [counterId],
    )) as { id: string; user_id: string; state: string; queue_ids: string[] | null }[];
    if (!session || principal.kind !== 'user' || session.user_id !== principal.id) {
      throw new FlowRuleError(FlowErrorCode.CounterNotOpen, 'Open this counter before calling tickets at it');
    }
    return { session, counter };
  }

  private async assertHandsFree(manager: EntityManager, userId: string): Promise<void> {
    const [held] = (await manager.query(
      `SELECT number FROM tickets WHERE agent_user_id = $1 AND status IN ('called', 'serving')`,
      [userId],
    )) as { number: string }[];
    if (held) throw new FlowConflictError(FlowErrorCode.AgentBusy, `Finish ticket ${held.number} before calling another`);
  }

  private async callTicket(
    manager: EntityManager,
    emit: Emit,
    principal: Principal,
    sessionId: string,
    counter: { id: string; site_id: string; name: string },
    ticketId: string,
    historyType: string,
    data: Record<string, unknown>,
  ): Promise<TicketView> {
    const [called] = await rowsOf<TicketRow>(
      manager,
      `UPDATE tickets SET status = 'called', called_at = now(), first_called_at = coalesce(first_called_at, now()),
              counter_id = $2, agent_user_id = $3, updated_at = now(), version = version + 1
        WHERE id = $1 RETURNING *`,
      [ticketId, counter.id, principal.id],
    );
    await setSessionState(manager, sessionId, 'serving');
    await this.history(manager, called, historyType, principal, { counterId: counter.id, ...data });
    emit(counter.site_id, 'ticket.called', ticketCall(called, counter.name), this.ticketRooms(called));
    emit(counter.site_id, 'counter.state', await counterState(manager, counter.id), [rooms.counter(counter.id)]);
    return toView(called, null);
  }

  /** done or no_show: the ticket leaves the counter and the agent is available again. */
  private async endAtCounter(
    manager: EntityManager,
    emit: Emit,
    principal: Principal,
    ticket: TicketRow,
    status: 'done' | 'no_show',
    data: Record<string, unknown>,
    requestId?: string,
  ): Promise<TicketView> {
    const [ended] = await rowsOf<TicketRow>(
      manager,
      `UPDATE tickets SET status = $2, ended_at = now(), request_id = coalesce($3, request_id), updated_at = now(), version = version + 1
        WHERE id = $1 RETURNING *`,
      [ticket.id, status, requestId ?? null],
    );
    await this.history(manager, ended, status, principal, data);
    if (ended.appointment_id && status === 'done') {
      await manager.query(`UPDATE appointments SET status = 'done', updated_at = now(), version = version + 1 WHERE id = $1`, [ended.appointment_id]);
    }
    if (status === 'done') await this.surveys.interactionClosed(manager, await ticketInteraction(manager, ended));
    emit(ended.site_id, status === 'done' ? 'ticket.done' : 'ticket.no_show', ticketSummary(ended), this.ticketRooms(ended));
    await this.releaseCounter(manager, emit, ended.site_id, ticket.counter_id as string);
    return toView(ended, null);
  }

  private async cancelLocked(
    manager: EntityManager,
    emit: Emit,
    ticket: TicketRow,
    by: { actor: Principal | undefined; reason: string | null },
  ): Promise<TicketView> {
    const heldCounter = ticket.status === 'called' ? ticket.counter_id : null;
    const [cancelled] = await rowsOf<TicketRow>(
      manager,
      `UPDATE tickets SET status = 'cancelled', ended_at = now(), updated_at = now(), version = version + 1
        WHERE id = $1 RETURNING *`,
      [ticket.id],
    );
    await this.history(manager, cancelled, 'cancelled', by.actor, { reason: by.reason });
    emit(cancelled.site_id, 'ticket.cancelled', ticketSummary(cancelled), [rooms.queue(cancelled.queue_id)]);
    if (heldCounter) await this.releaseCounter(manager, emit, cancelled.site_id, heldCounter);
    return toView(cancelled, null);
  }

  private async releaseCounter(manager: EntityManager, emit: Emit, siteId: string, counterId: string): Promise<void> {
    const [session] = (await manager.query(
      `SELECT id FROM agent_sessions WHERE counter_id = $1 AND closed_at IS NULL AND state = 'serving'`,
      [counterId],
    )) as { id: string }[];
    if (session) await setSessionState(manager, session.id, 'available');
    emit(siteId, 'counter.state', await counterState(manager, counterId), [rooms.counter(counterId)]);
  }

  private async lockTicket(manager: EntityManager, principal: Principal, ticketId: string): Promise<TicketRow> {
    const [ticket] = (await manager.query(`SELECT ${TICKET_COLUMNS} FROM tickets t WHERE t.id = $1 FOR UPDATE`, [ticketId])) as TicketRow[];
    if (!ticket || !principal.siteIds.includes(ticket.site_id)) throw new NotFoundError('Ticket', ticketId);
    return ticket;
  }

  /** Counter operations are for the agent holding the ticket, or a supervisor stepping in. */
  private async lockHeldTicket(manager: EntityManager, principal: Principal, ticketId: string, op: Transition): Promise<TicketRow> {
    const ticket = await this.lockTicket(manager, principal, ticketId);
    this.assertTransition(ticket, op);
    this.assertMayHandle(principal, ticket);
    return ticket;
  }

  private assertMayHandle(principal: Principal, ticket: TicketRow): void {
    if (!ticket.agent_user_id) return;
    if (principal.kind === 'user' && (principal.id === ticket.agent_user_id || roleAtLeast(principal.role, 'supervisor'))) return;
    throw new FlowRuleError(FlowErrorCode.NotYourTicket, `Ticket ${ticket.number} is being handled by another agent`);
  }

  private assertTransition(ticket: TicketRow, op: Transition): void {
    if (!ALLOWED_FROM[op].includes(ticket.status)) throw invalidTransition(ticket, op);
  }

  private async position(manager: EntityManager, ticket: TicketRow): Promise<number | null> {
    if (ticket.status !== 'waiting') return null;
    const [{ ahead }] = (await manager.query(
      `SELECT count(*)::int AS ahead FROM tickets WHERE queue_id = $1 AND status = 'waiting' AND (sort_key, id) < ($2, $3)`,
      [ticket.queue_id, ticket.sort_key, ticket.id],
    )) as { ahead: number }[];
    return ahead + 1;
  }

  private async counterName(manager: EntityManager, counterId: string): Promise<string> {
    const [row] = (await manager.query(`SELECT name FROM counters WHERE id = $1`, [counterId])) as { name: string }[];
    return row.name;
  }

  private ticketRooms(ticket: TicketRow): string[] {
    return [rooms.queue(ticket.queue_id), ...(ticket.counter_id ? [rooms.counter(ticket.counter_id)] : [])];
  }

  private async history(
    manager: EntityManager,
    ticket: TicketRow,
    type: string,
    actor: Principal | undefined,
    data: Record<string, unknown>,
  ): Promise<void> {
    await manager.query(
      `INSERT INTO ticket_events (ticket_id, type, queue_id, counter_id, actor_id, data) VALUES ($1, $2, $3, $4, $5, $6)`,
      [ticket.id, type, ticket.queue_id, ticket.counter_id, actor?.id ?? null, JSON.stringify(data)],
    );
  }
}

function hasHours(hours: WeeklyHours): boolean {
  return Object.values(hours).some((day) => (day ?? []).length > 0);
}

function bonuses(queue: { priority_bonuses: Partial<PriorityBonuses> | null }): PriorityBonuses {
  return { ...DEFAULT_BONUSES, ...(queue.priority_bonuses ?? {}) };
}

function invalidTransition(ticket: TicketRow, op: string): FlowRuleError {
  return new FlowRuleError(FlowErrorCode.InvalidTransition, `Cannot ${op.replace('_', '-')} ticket ${ticket.number}: it is ${ticket.status}`);
}

export function toView(t: TicketRow, position: number | null): TicketView {
  return {
    id: t.id,
    siteId: t.site_id,
    queueId: t.queue_id,
    number: t.number,
    channel: t.channel,
    status: t.status,
    priorityClass: t.priority_class,
    needs: t.needs,
    visitorId: t.visitor_id,
    appointmentId: t.appointment_id,
    requestId: t.request_id,
    counterId: t.counter_id,
    agentUserId: t.agent_user_id,
    arrivedAt: t.arrived_at,
    queuedAt: t.queued_at,
    calledAt: t.called_at,
    firstCalledAt: t.first_called_at,
    recallCount: t.recall_count,
    startedAt: t.started_at,
    endedAt: t.ended_at,
    estimatedWaitSeconds: t.estimated_wait_seconds,
    transferredFromQueueId: t.transferred_from_queue_id,
    position,
    version: t.version,
  };
}
