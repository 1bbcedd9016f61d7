import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef } from 'react';
import { api, idempotencyKey } from '../../../api/client';
import type {
  Article,
  LinkedArticle,
  Page,
  RequestCategory,
  RequestChannel,
  RequestOutcome,
  RequestRecord,
  RequestStatus,
  Suggestion,
  TimelineEntry,
  TransferMode,
  TransferTargetType,
} from '../../../api/types';

export interface RequestInput {
  channel: RequestChannel;
  subject: string;
  visitorId: string | null;
  categoryId: string | null;
  notes: string | null;
  reformulation: string | null;
  reformulationConfirmed: boolean;
  complexity: 'simple' | 'complex';
  confidentiality: 'normal' | 'confidential';
}

export function useCategories(siteId: string) {
  return useQuery({
    queryKey: ['request-categories', siteId],
    queryFn: () => api<Page<RequestCategory>>('/requests/categories', { query: { siteId, active: true, limit: 200 } }),
    staleTime: 10 * 60_000,
  });
}

/**
 * Creates (with one Idempotency-Key per form, so a double click or a retry never makes two
 * requests) or updates (with the version read, so a concurrent edit is reported, not lost).
 */
export function useSaveRequest(siteId: string) {
  const queryClient = useQueryClient();
  const key = useRef(idempotencyKey());
  return useMutation({
    mutationFn: ({ request, input }: { request: RequestRecord | null; input: RequestInput }) => {
      if (request) {
        const { channel: _channel, ...patch } = input;
        return api<RequestRecord>(`/requests/${request.id}`, { method: 'PATCH', body: { ...patch, version: request.version } });
      }
      return api<RequestRecord>('/requests', { method: 'POST', body: { ...input, siteId }, headers: { 'idempotency-key': key.current } });
    },
    onSuccess: (saved) => {
      key.current = idempotencyKey();
      void queryClient.invalidateQueries({ queryKey: ['timeline', saved.id] });
    },
  });
}

export function useChangeStatus() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ request, status, outcome }: { request: RequestRecord; status: RequestStatus; outcome?: RequestOutcome }) =>
      api<RequestRecord>(`/requests/${request.id}/status`, { method: 'POST', body: { status, outcome, version: request.version } }),
    onSuccess: (saved) => void queryClient.invalidateQueries({ queryKey: ['timeline', saved.id] }),
  });
}

export function useTimeline(requestId: string | undefined) {
  return useQuery({
    queryKey: ['timeline', requestId],
    queryFn: () => api<Page<TimelineEntry>>(`/requests/${requestId}/timeline`, { query: { limit: 100 } }),
    enabled: !!requestId,
  });
}

export function useArticleSearch(siteId: string, q: string) {
  const term = q.trim();
  return useQuery({
    queryKey: ['articles', siteId, term],
    queryFn: () => api<Page<Article>>('/knowledge/articles', { query: { siteId, q: term, limit: 8 } }),
    enabled: term.length >= 2,
    placeholderData: (previous) => previous,
  });
}

export function useLinkedArticles(requestId: string | undefined) {
  return useQuery({
    queryKey: ['request-articles', requestId],
    queryFn: () => api<LinkedArticle[]>(`/requests/${requestId}/articles`),
    enabled: !!requestId,
  });
}

export function useLinkArticle(requestId: string | undefined) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (articleId: string) => api(`/requests/${requestId}/articles`, { method: 'POST', body: { articleId } }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['request-articles', requestId] });
      void queryClient.invalidateQueries({ queryKey: ['timeline', requestId] });
    },
  });
}

export function useSuggestions(siteId: string, requestId: string | undefined, q: string) {
  const term = q.trim();
  return useQuery({
    queryKey: ['suggestions', siteId, requestId, term],
    queryFn: () => api<Suggestion[]>('/orientation/suggestions', { query: requestId ? { requestId, limit: 8 } : { siteId, q: term, limit: 8 } }),
    enabled: !!requestId || term.length >= 2,
    placeholderData: (previous) => previous,
  });
}

export interface TransferInput {
  targetType: TransferTargetType;
  targetId: string;
  mode: TransferMode;
  reason: string;
  note: string | null;
}

export function useTransferRequest() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ request, input }: { request: RequestRecord; input: TransferInput }) =>
      api<{ request: RequestRecord }>(`/requests/${request.id}/transfers`, { method: 'POST', body: { ...input, version: request.version } }),
    onSuccess: ({ request }) => void queryClient.invalidateQueries({ queryKey: ['timeline', request.id] }),
  });
}
