import type { EntityManager } from 'typeorm';
import type { ClosedInteraction } from './survey-triggers.service';

/** A served ticket as a surveyed interaction: its service is its queue's. */
export async function ticketInteraction(
  manager: EntityManager,
  ticket: { id: string; site_id: string; queue_id: string; visitor_id: string | null; agent_user_id: string | null; channel: string },
): Promise<ClosedInteraction> {
  // Without a visitor there is nobody to survey: spare the lookup on the call-next hot path.
  const [queue] = ticket.visitor_id
    ? ((await manager.query(`SELECT service_id FROM queues WHERE id = $1`, [ticket.queue_id])) as { service_id: string }[])
    : [];
  return {
    kind: 'ticket',
    id: ticket.id,
    siteId: ticket.site_id,
    visitorId: ticket.visitor_id,
    serviceId: queue?.service_id ?? null,
    agentUserId: ticket.agent_user_id,
    channel: ticket.channel,
  };
}
