import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';

export const HANDOVER_KEY = 'handover';

export const LOGBOOK_CATEGORIES = ['information', 'instruction', 'incident', 'maintenance', 'visitor', 'delivery', 'other'] as const;
export const LOGBOOK_PRIORITIES = ['high', 'normal', 'low'] as const;

export interface LogbookEntry {
  id: string;
  category: string;
  priority: 'low' | 'normal' | 'high';
  title: string;
  body: string;
  dueAt: string | null;
  status: 'open' | 'closed';
  createdByName: string | null;
  createdAt: string;
}

export interface Snapshot {
  tickets: { id: string; number: string; status: string }[];
  requests: { id: string; subject: string | null; status: string }[];
  tasks: { id: string; title: string }[];
  callbacks: { id: string; contactName: string; subject: string }[];
  logbookEntries: { id: string; title: string }[];
}

export interface HandoverNote {
  id: string;
  authorName: string | null;
  body: string;
  snapshot: Snapshot;
  createdAt: string;
  acknowledgements: { userId: string; name: string; acknowledgedAt: string }[];
  acknowledgedByMe: boolean;
}

export interface HandoverSummary {
  pendingNotes: HandoverNote[];
  openEntries: LogbookEntry[];
  mine: Snapshot;
}

export function useHandoverSummary(siteId: string | undefined) {
  return useQuery({
    queryKey: [HANDOVER_KEY, 'summary', siteId],
    queryFn: () => api<HandoverSummary>('/handover', { query: { siteId } }),
    enabled: !!siteId,
  });
}

function useHandoverMutation<V>(run: (vars: V) => Promise<unknown>) {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: run, onSuccess: () => queryClient.invalidateQueries({ queryKey: [HANDOVER_KEY] }) });
}

export const useAcknowledge = () => useHandoverMutation((id: string) => api(`/handover-notes/${id}/acknowledge`, { method: 'POST' }));
export const useCloseEntry = () =>
  useHandoverMutation(({ id, comment }: { id: string; comment: string }) => api(`/logbook-entries/${id}/close`, { method: 'POST', body: { comment } }));
export const useCreateEntry = () =>
  useHandoverMutation((body: { siteId: string; category: string; priority: string; title: string; body: string; dueAt: string | null }) =>
    api('/logbook-entries', { method: 'POST', body }),
  );
export const useCreateNote = () => useHandoverMutation((body: { siteId: string; body: string }) => api('/handover-notes', { method: 'POST', body }));
