import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { rooms } from '@guichet/live/rooms';
import { CounterState } from '@guichet/live/events';
import { NotFoundError, ValidationError } from '../errors/domain-error';
import type { Principal } from '../identity/principal';
import { roleAtLeast } from '../identity/principal';
import { Emit, LiveEvents } from '../live/live-events.service';
import { FlowConflictError, FlowErrorCode, FlowRuleError } from './flow.errors';
import { counterState } from './flow-state';
import { setSessionState } from './sessions';

/** Used when a site has not configured its own list. */
export const DEFAULT_PAUSE_REASONS = [
  { code: 'break', label: 'Pause' },
  { code: 'back_office', label: 'Back-office' },
  { code: 'phone', label: 'Téléphone' },
  { code: 'meeting', label: 'Réunion' },
] as const;

interface SessionRow {
  id: string;
  counter_id: string;
  user_id: string;
  state: string;
  site_id: string;
}

/**
 * Agent sessions at counters: open (choosing queues), pause with a reason, resume, close. Every
 * state change is timed in agent_session_states and announced as `counter.state`.
 */
@Injectable()
export class CounterSessionsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly live: LiveEvents,
  ) {}

  async open(principal: Principal, counterId: string, queueIds?: string[]): Promise<CounterState> {
    if (principal.kind !== 'user') throw new FlowRuleError(FlowErrorCode.CounterNotOpen, 'Only an agent can open a counter');
    return this.live.transaction(async (manager, emit) => {
      const counter = await this.loadCounter(manager, principal, counterId);
      if (!counter.active) throw new FlowRuleError(FlowErrorCode.CounterNotOpen, 'This counter is disabled');
      if (queueIds) {
        const served = (await manager.query(`SELECT queue_id FROM counter_queues WHERE counter_id = $1`, [counterId])) as { queue_id: string }[];
        const foreign = queueIds.filter((q) => !served.some((s) => s.queue_id === q));
        if (foreign.length) {
          throw new ValidationError('The counter does not serve some of these queues', [
            { field: 'queueIds', message: `not served by this counter: ${foreign.join(', ')}` },
          ]);
        }
      }
      const [taken] = (await manager.query(
        `SELECT s.user_id, s.counter_id FROM agent_sessions s WHERE s.closed_at IS NULL AND (s.counter_id = $1 OR s.user_id = $2) FOR UPDATE`,
        [counterId, principal.id],
      )) as { user_id: string; counter_id: string }[];
      if (taken?.counter_id === counterId && taken.user_id === principal.id) {
        return counterState(manager, counterId); // already open by this agent: opening is idempotent
      }
      if (taken?.counter_id === counterId) throw new FlowConflictError(FlowErrorCode.CounterTaken, 'Another agent has this counter open');
      if (taken) throw new FlowConflictError(FlowErrorCode.AgentAlreadyOpen, 'Close your other counter first');
      const [session] = (await manager.query(
        `INSERT INTO agent_sessions (site_id, counter_id, user_id, state, queue_ids) VALUES ($1, $2, $3, 'available', $4) RETURNING id`,
        [counter.site_id, counterId, principal.id, queueIds?.length ? queueIds : null],
      )) as { id: string }[];
      await manager.query(`INSERT INTO agent_session_states (session_id, state, started_at) VALUES ($1, 'available', now())`, [session.id]);
      return this.announce(manager, emit, counter.site_id, counterId);
    });
  }

  async pause(principal: Principal, counterId: string, reason: string): Promise<CounterState> {
    return this.live.transaction(async (manager, emit) => {
      const session = await this.lockSession(manager, principal, counterId);
      await this.assertNoTicket(manager, counterId);
      const allowed = await this.pauseReasons(manager, session.site_id);
      if (!allowed.some((r) => r.code === reason)) {
        throw new ValidationError('Unknown pause reason', [{ field: 'reason', message: `must be one of ${allowed.map((r) => r.code).join(', ')}` }]);
      }
      await setSessionState(manager, session.id, 'paused', reason);
      return this.announce(manager, emit, session.site_id, counterId);
    });
  }

  async resume(principal: Principal, counterId: string): Promise<CounterState> {
    return this.live.transaction(async (manager, emit) => {
      const session = await this.lockSession(manager, principal, counterId);
      if (session.state !== 'paused') return counterState(manager, counterId);
      await setSessionState(manager, session.id, 'available');
      return this.announce(manager, emit, session.site_id, counterId);
    });
  }

  async close(principal: Principal, counterId: string): Promise<CounterState> {
    return this.live.transaction(async (manager, emit) => {
      const session = await this.lockSession(manager, principal, counterId);
      await this.assertNoTicket(manager, counterId);
      await setSessionState(manager, session.id, 'closed');
      return this.announce(manager, emit, session.site_id, counterId);
    });
  }

  /** The pause reasons of a site: its own list, or the defaults when it has none. */
  async pauseReasons(manager: EntityManager, siteId: string): Promise<{ code: string; label: string }[]> {
    const own = (await manager.query(`SELECT code, label FROM pause_reasons WHERE site_id = $1 AND active ORDER BY label`, [siteId])) as {
      code: string;
      label: string;
    }[];
    return own.length ? own : DEFAULT_PAUSE_REASONS.map((r) => ({ ...r }));
  }

  async listPauseReasons(principal: Principal, siteId: string): Promise<{ code: string; label: string }[]> {
    if (!principal.siteIds.includes(siteId)) throw new NotFoundError('Site', siteId);
    return this.pauseReasons(this.dataSource.manager, siteId);
  }

  /** Time spent in each state by the sessions of a site on a day (for supervisors' figures). */
  async stateDurations(principal: Principal, siteId: string, day: string): Promise<{ userId: string; state: string; seconds: number }[]> {
    if (!principal.siteIds.includes(siteId)) throw new NotFoundError('Site', siteId);
    const rows = (await this.dataSource.query(
      `SELECT s.user_id, st.state, sum(extract(epoch FROM coalesce(st.ended_at, now()) - st.started_at))::int AS seconds
         FROM agent_session_states st JOIN agent_sessions s ON s.id = st.session_id JOIN sites si ON si.id = s.site_id
        WHERE s.site_id = $1 AND (st.started_at AT TIME ZONE si.time_zone)::date = $2::date AND st.state <> 'closed'
        GROUP BY s.user_id, st.state ORDER BY s.user_id, st.state`,
      [siteId, day],
    )) as { user_id: string; state: string; seconds: number }[];
    return rows.map((r) => ({ userId: r.user_id, state: r.state, seconds: r.seconds }));
  }

  private async announce(manager: EntityManager, emit: Emit, siteId: string, counterId: string): Promise<CounterState> {
    // The waits of the queues it serves follow from QueueStatsRefresher, after commit.
    const state = await counterState(manager, counterId);
    emit(siteId, 'counter.state', state, [rooms.counter(counterId)]);
    return state;
  }

  private async loadCounter(manager: EntityManager, principal: Principal, counterId: string): Promise<{ id: string; site_id: string; active: boolean }> {
    const [counter] = (await manager.query(`SELECT id, site_id, active FROM counters WHERE id = $1`, [counterId])) as {
      id: string;
      site_id: string;
      active: boolean;
    }[];
    if (!counter || !principal.siteIds.includes(counter.site_id)) throw new NotFoundError('Counter', counterId);
    return counter;
  }

  /** The agent's own session, or any session for a supervisor managing the floor. */
  private async lockSession(manager: EntityManager, principal: Principal, counterId: string): Promise<SessionRow> {
    await this.loadCounter(manager, principal, counterId);
    const [session] = (await manager.query(
      `SELECT id, counter_id, user_id, state, site_id FROM agent_sessions WHERE counter_id = $1 AND closed_at IS NULL FOR UPDATE`,
      [counterId],
    )) as SessionRow[];
    const mine = principal.kind === 'user' && session?.user_id === principal.id;
    const supervising = principal.kind === 'user' && roleAtLeast(principal.role, 'supervisor');
    if (!session || !(mine || supervising)) throw new FlowRuleError(FlowErrorCode.CounterNotOpen, 'You have not opened this counter');
    return session;
  }

  private async assertNoTicket(manager: EntityManager, counterId: string): Promise<void> {
    const [held] = (await manager.query(`SELECT number FROM tickets WHERE counter_id = $1 AND status IN ('called', 'serving')`, [counterId])) as {
      number: string;
    }[];
    if (held) throw new FlowConflictError(FlowErrorCode.TicketInHand, `Finish or transfer ticket ${held.number} first`);
  }
}
