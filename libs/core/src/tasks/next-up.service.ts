import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ForbiddenError } from '../errors/domain-error';
import type { Principal } from '../identity/principal';
import { EMAIL_REPLY_WITHIN_MS, NextUpCandidate, NextUpItem, orderNextUp } from './next-up';

/** Per source: enough to fill a screen, bounded so one flooded queue cannot make the query heavy. */
const PER_SOURCE = 50;

export interface NextUpList {
  /** The agent's open counter session, whose queues' waiting tickets are listed; null when not at a counter. */
  counterId: string | null;
  items: (NextUpItem & { ref: Record<string, string | null> })[];
}

/**
 * One ordered list for the agent (see next-up.ts for the order): waiting tickets of the queues
 * their open counter session serves, their and their service's open callbacks and tasks, and
 * e-mail requests whose last message is an unanswered inbound one, handled by them or not yet
 * taken (their service's or nobody's). Confidential subjects are left out for other agents.
 */
@Injectable()
export class NextUpService {
  constructor(private readonly dataSource: DataSource) {}

  async forAgent(principal: Principal, now = new Date()): Promise<NextUpList> {
    if (principal.kind !== 'user') throw new ForbiddenError('The next-up list is a user’s own');
    const q = (sql: string, params: unknown[]) => this.dataSource.query(sql, params);
    const [session] = (await q(`SELECT counter_id FROM agent_sessions WHERE user_id = $1 AND closed_at IS NULL`, [principal.id])) as { counter_id: string }[];
    const [tickets, callbacks, emails, tasks] = (await Promise.all([
      q(
        `SELECT t.id, t.number, t.sort_key, t.priority_class, t.queue_id, qu.name AS queue_name
           FROM agent_sessions s
           JOIN counter_queues cq ON cq.counter_id = s.counter_id AND (s.queue_ids IS NULL OR cq.queue_id = ANY(s.queue_ids))
           JOIN tickets t ON t.queue_id = cq.queue_id AND t.status = 'waiting'
           JOIN queues qu ON qu.id = t.queue_id
          WHERE s.user_id = $1 AND s.closed_at IS NULL
          ORDER BY t.sort_key LIMIT $2`,
        [principal.id, PER_SOURCE],
      ),
      q(
        `SELECT id, contact_name, subject, call_before, created_at FROM callbacks
          WHERE site_id = ANY($1::uuid[]) AND status = 'open'
            AND (owner_user_id = $2 OR ($3::uuid IS NOT NULL AND owner_service_id = $3::uuid))
          ORDER BY call_before NULLS LAST, created_at LIMIT $4`,
        [principal.siteIds, principal.id, principal.serviceId, PER_SOURCE],
      ),
      q(
        `SELECT r.id, r.handled_by_user_id, CASE WHEN r.confidentiality = 'normal' OR r.handled_by_user_id = $2 THEN r.subject END AS subject,
                last.at AS received_at
           FROM requests r
           JOIN LATERAL (SELECT e.direction, e.at FROM email_messages e WHERE e.request_id = r.id ORDER BY e.at DESC, e.id DESC LIMIT 1) last ON true
          WHERE r.site_id = ANY($1::uuid[]) AND r.status IN ('open', 'in_progress') AND last.direction = 'inbound'
            AND (r.handled_by_user_id = $2
                 OR (r.handled_by_user_id IS NULL AND (r.author_service_id IS NULL OR r.author_service_id = $3::uuid)))
          ORDER BY last.at LIMIT $4`,
        [principal.siteIds, principal.id, principal.serviceId, PER_SOURCE],
      ),
      q(
        `SELECT id, title, due_at, urgent, important, created_at FROM tasks
          WHERE site_id = ANY($1::uuid[]) AND status = 'open'
            AND (owner_user_id = $2 OR ($3::uuid IS NOT NULL AND owner_service_id = $3::uuid))
          ORDER BY due_at NULLS LAST, created_at LIMIT $4`,
        [principal.siteIds, principal.id, principal.serviceId, PER_SOURCE],
      ),
    ])) as [
      { id: string; number: string; sort_key: Date; priority_class: string; queue_id: string; queue_name: string }[],
      { id: string; contact_name: string; subject: string; call_before: Date | null; created_at: Date }[],
      { id: string; handled_by_user_id: string | null; subject: string | null; received_at: Date }[],
      { id: string; title: string; due_at: Date | null; urgent: boolean; important: boolean; created_at: Date }[],
    ];
    const refs = new Map<string, Record<string, string | null>>();
    const candidates: NextUpCandidate[] = [];
    const add = (candidate: NextUpCandidate, ref: Record<string, string | null>) => {
      candidates.push(candidate);
      refs.set(`${candidate.kind}:${candidate.id}`, ref);
    };
    // sort_key is the arrival minus the priority bonus: the same order as call-next.
    for (const t of tickets) add({ kind: 'ticket', id: t.id, title: `${t.number} · ${t.queue_name}`, dueAt: null, since: t.sort_key, urgent: true, important: true }, { queueId: t.queue_id, number: t.number, priorityClass: t.priority_class });
    for (const c of callbacks) add({ kind: 'callback', id: c.id, title: `${c.contact_name} · ${c.subject}`, dueAt: c.call_before, since: c.created_at, urgent: true, important: false }, {});
    for (const e of emails) {
      add(
        { kind: 'email', id: e.id, title: e.subject ?? '', dueAt: new Date(e.received_at.getTime() + EMAIL_REPLY_WITHIN_MS), since: e.received_at, urgent: false, important: true },
        { requestId: e.id, handledByUserId: e.handled_by_user_id },
      );
    }
    for (const t of tasks) add({ kind: 'task', id: t.id, title: t.title, dueAt: t.due_at, since: t.created_at, urgent: t.urgent, important: t.important }, {});
    return {
      counterId: session?.counter_id ?? null,
      items: orderNextUp(candidates, now).map((item) => ({ ...item, ref: refs.get(`${item.kind}:${item.id}`) ?? {} })),
    };
  }
}
