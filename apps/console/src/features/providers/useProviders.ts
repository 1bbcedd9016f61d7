import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { Page } from '../../api/types';
import type { ContactInput, ImprovementAction, ImprovementStatus, Provider, ProviderContact, ProviderFigures } from './types';

/** Every query key of the providers screens starts with 'providers': one live event refreshes them all. */
export const PROVIDERS_KEY = 'providers';

export function useProviders(siteId: string | undefined) {
  return useQuery({
    queryKey: [PROVIDERS_KEY, 'list', siteId],
    queryFn: () => api<Page<Provider>>('/providers', { query: { siteId, limit: 200 } }),
    enabled: !!siteId,
    select: (page) => page.items,
  });
}

export function useProviderFigures(id: string | null) {
  return useQuery({
    queryKey: [PROVIDERS_KEY, 'figures', id],
    queryFn: () => api<ProviderFigures>(`/providers/${id}/figures`),
    enabled: !!id,
  });
}

export function useImprovementActions(id: string | null) {
  return useQuery({
    queryKey: [PROVIDERS_KEY, 'actions', id],
    queryFn: () => api<ImprovementAction[]>(`/providers/${id}/improvement-actions`),
    enabled: !!id,
  });
}

export function useProposeImprovement(providerId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { title: string; description: string; dueOn: string | null }) =>
      api<ImprovementAction>(`/providers/${providerId}/improvement-actions`, { method: 'POST', body }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: [PROVIDERS_KEY, 'actions', providerId] }),
  });
}

export function useSetImprovementStatus(providerId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ action, status }: { action: ImprovementAction; status: ImprovementStatus }) =>
      api<ImprovementAction>(`/providers/${providerId}/improvement-actions/${action.id}`, {
        method: 'PATCH',
        body: { status },
        headers: { 'if-match': `"${action.version}"` },
      }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: [PROVIDERS_KEY, 'actions', providerId] }),
  });
}

/** Contacts carry no version: the last edit wins, as in the API. */
export function useSaveContact(providerId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ contactId, contact }: { contactId: string | null; contact: ContactInput }) =>
      contactId
        ? api<ProviderContact>(`/providers/${providerId}/contacts/${contactId}`, { method: 'PATCH', body: contact })
        : api<ProviderContact>(`/providers/${providerId}/contacts`, { method: 'POST', body: contact }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: [PROVIDERS_KEY, 'list'] }),
  });
}

export function useRemoveContact(providerId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (contactId: string) => api<void>(`/providers/${providerId}/contacts/${contactId}`, { method: 'DELETE' }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: [PROVIDERS_KEY, 'list'] }),
  });
}
