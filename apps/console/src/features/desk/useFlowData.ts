import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { Counter, PauseReason, Queue, Ticket } from '../../api/types';

/** Configuration and records of the flow that the desk and the supervisor read. */
export function useQueues(siteId: string | undefined) {
  return useQuery({
    queryKey: ['queues', siteId],
    queryFn: () => api<Queue[]>('/queues', { query: { siteId } }),
    enabled: !!siteId,
    staleTime: 60_000,
  });
}

export function useCounters(siteId: string | undefined) {
  return useQuery({
    queryKey: ['counters', siteId],
    queryFn: () => api<Counter[]>('/counters', { query: { siteId } }),
    enabled: !!siteId,
  });
}

export function usePauseReasons(siteId: string | undefined) {
  return useQuery({
    queryKey: ['pause-reasons', siteId],
    queryFn: () => api<PauseReason[]>(`/sites/${siteId}/pause-reasons`),
    enabled: !!siteId,
    staleTime: 10 * 60_000,
  });
}

export function useTicket(ticketId: string | null | undefined) {
  return useQuery({
    queryKey: ['ticket', ticketId],
    queryFn: () => api<Ticket>(`/tickets/${ticketId}`),
    enabled: !!ticketId,
  });
}
