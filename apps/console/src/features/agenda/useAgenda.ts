import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';

export const AGENDA_KEY = 'agenda';

export interface AgendaItem {
  kind: 'appointment' | 'meeting' | 'task' | 'callback';
  id: string;
  title: string;
  startsAt: string;
  endsAt: string;
  status: string;
  place: string | null;
}

export type AgendaSubject = { userId?: string; serviceId?: string };

export function useAgenda(subject: AgendaSubject, from: string, to: string) {
  return useQuery({
    queryKey: [AGENDA_KEY, subject, from, to],
    queryFn: () => api<{ items: AgendaItem[] }>('/agenda', { query: { ...subject, from, to } }),
    placeholderData: keepPreviousData,
    select: (data) => data.items,
  });
}

export function useCreateMeeting() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { siteId: string; title: string; startsAt: string; endsAt: string; place: string | null; serviceId?: string | null }) =>
      api('/meetings', { method: 'POST', body }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: [AGENDA_KEY] }),
  });
}

export function useRotateFeedToken() {
  return useMutation({ mutationFn: () => api<{ token: string; url: string }>('/calendars/feed-token', { method: 'POST' }) });
}
