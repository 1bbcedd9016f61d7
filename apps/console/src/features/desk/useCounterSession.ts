import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { CounterState } from '@guichet/live/events';
import { api } from '../../api/client';
import type { Ticket } from '../../api/types';

/** The agent's actions on their counter and on the ticket being served there. */
export function useCounterSession(counterId: string | undefined) {
  const queryClient = useQueryClient();
  const remember = (ticket: Ticket | undefined) => {
    if (ticket) queryClient.setQueryData(['ticket', ticket.id], ticket);
    return ticket;
  };
  const counterAction = (action: string, body?: unknown) => api<CounterState>(`/counters/${counterId}/${action}`, { method: 'POST', body: body ?? {} });
  const ticketAction = (ticketId: string, action: string, body?: unknown) =>
    api<Ticket>(`/tickets/${ticketId}/${action}`, { method: 'POST', body: body ?? {} }).then(remember);

  return {
    open: useMutation({ mutationFn: (args: { counterId: string; queueIds: string[] }) => api<CounterState>(`/counters/${args.counterId}/open`, { method: 'POST', body: { queueIds: args.queueIds } }) }),
    pause: useMutation({ mutationFn: (reason: string) => counterAction('pause', { reason }) }),
    resume: useMutation({ mutationFn: () => counterAction('resume') }),
    close: useMutation({ mutationFn: () => counterAction('close') }),
    /** undefined when nothing waits (204). */
    callNext: useMutation({ mutationFn: () => api<Ticket | undefined>(`/counters/${counterId}/call-next`, { method: 'POST', body: {} }).then(remember) }),
    recall: useMutation({ mutationFn: (ticketId: string) => ticketAction(ticketId, 'recall') }),
    start: useMutation({ mutationFn: (ticketId: string) => ticketAction(ticketId, 'start') }),
    noShow: useMutation({ mutationFn: (ticketId: string) => ticketAction(ticketId, 'no-show') }),
    finish: useMutation({ mutationFn: (args: { ticketId: string; requestId?: string }) => ticketAction(args.ticketId, 'finish', args.requestId ? { requestId: args.requestId } : {}) }),
    transfer: useMutation({ mutationFn: (args: { ticketId: string; queueId: string; reason: string }) => ticketAction(args.ticketId, 'transfer', { queueId: args.queueId, reason: args.reason }) }),
  };
}

export type CounterSession = ReturnType<typeof useCounterSession>;
