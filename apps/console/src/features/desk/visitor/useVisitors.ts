import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../api/client';
import type { CreatedVisitor, Page, Visitor, VisitorNeed, VisitorType } from '../../../api/types';

export interface VisitorInput {
  type: VisitorType;
  firstName: string | null;
  lastName: string | null;
  phone: string | null;
  email: string | null;
  preferredLanguage: string | null;
  needs: VisitorNeed[];
  needsOther: string | null;
  consent: { given: boolean; purposes: string[] };
}

export function useVisitor(id: string | null | undefined) {
  return useQuery({ queryKey: ['visitor', id], queryFn: () => api<Visitor>(`/visitors/${id}`), enabled: !!id });
}

/** Fuzzy search (misspelt names, phones in any format, e-mails), best match first. */
export function useVisitorSearch(siteId: string, search: string) {
  const term = search.trim();
  return useQuery({
    queryKey: ['visitors', siteId, term],
    queryFn: () => api<Page<Visitor>>('/visitors', { query: { siteId, search: term, limit: 8 } }),
    enabled: term.length >= 2,
    placeholderData: (previous) => previous,
  });
}

export function useSaveVisitor(siteId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, version, input }: { id?: string; version?: number; input: VisitorInput }) =>
      id
        ? api<Visitor>(`/visitors/${id}`, { method: 'PATCH', body: { ...input, version } }).then((v) => ({ ...v, duplicates: [] }) as CreatedVisitor)
        : api<CreatedVisitor>('/visitors', { method: 'POST', body: { ...input, siteId } }),
    onSuccess: (visitor) => {
      queryClient.setQueryData(['visitor', visitor.id], visitor);
      void queryClient.invalidateQueries({ queryKey: ['visitors', siteId] });
    },
  });
}
