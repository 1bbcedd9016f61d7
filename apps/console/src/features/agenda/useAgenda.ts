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
  ownerUserId: string | null;
}

export interface Meeting {
  id: string;
  siteId: string;
  title: string;
  startsAt: string;
  endsAt: string;
  place: string | null;
  notes: string | null;
  ownerUserId: string | null;
  serviceId: string | null;
  version: number;
}

export type MeetingChanges = Pick<Meeting, 'title' | 'startsAt' | 'endsAt' | 'place'>;

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

/** Read fresh when the editor opens: the agenda list carries no version. */
export function useMeeting(id: string | null) {
  return useQuery({ queryKey: ['meeting', id], queryFn: () => api<Meeting>(`/meetings/${id}`), enabled: !!id, gcTime: 0 });
}

export function useUpdateMeeting() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, version, changes }: { id: string; version: number; changes: MeetingChanges }) =>
      api<Meeting>(`/meetings/${id}`, { method: 'PATCH', body: changes, headers: { 'if-match': `"${version}"` } }),
    onSuccess: (meeting) => {
      queryClient.setQueryData(['meeting', meeting.id], meeting);
      return queryClient.invalidateQueries({ queryKey: [AGENDA_KEY] });
    },
  });
}

export function useRotateFeedToken() {
  return useMutation({ mutationFn: () => api<{ token: string; url: string }>('/calendars/feed-token', { method: 'POST' }) });
}
