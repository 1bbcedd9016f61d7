import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from '../../api/client';
import { session } from '../../api/session';
import type { Page } from '../../api/types';
import type { Complaint, ComplaintCategory, ComplaintStatus, HistoryEntry } from './types';

/** Every query key of the feature starts with 'complaints': a live event refreshes them in one call. */
export const COMPLAINTS_KEY = 'complaints';

export interface ComplaintFilters {
  status?: ComplaintStatus | '';
  channel?: string;
  categoryId?: string;
  escalated?: string;
  ownerUserId?: string;
  page: number;
}

export function useComplaintList(siteId: string | undefined, filters: ComplaintFilters) {
  return useQuery({
    queryKey: [COMPLAINTS_KEY, 'list', siteId, filters],
    queryFn: () => api<Page<Complaint>>('/complaints', { query: { siteId, ...filters, limit: 25 } }),
    enabled: !!siteId,
    placeholderData: keepPreviousData,
  });
}

export function useComplaint(id: string | null) {
  return useQuery({ queryKey: [COMPLAINTS_KEY, 'one', id], queryFn: () => api<Complaint>(`/complaints/${id}`), enabled: !!id });
}

export function useComplaintHistory(id: string | null) {
  return useQuery({
    queryKey: [COMPLAINTS_KEY, 'history', id],
    queryFn: () => api<Page<HistoryEntry>>(`/complaints/${id}/history`, { query: { limit: 200 } }),
    enabled: !!id,
    select: (page) => page.items,
  });
}

export function useCategories(siteId: string | undefined) {
  return useQuery({
    queryKey: [COMPLAINTS_KEY, 'categories', siteId],
    queryFn: () => api<ComplaintCategory[]>('/complaint-categories', { query: { siteId } }),
    enabled: !!siteId,
  });
}

/** A write of the feature; on success every complaints query is re-read. */
export function useComplaintWrite<T>(call: (body: T) => Promise<unknown>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: call,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: [COMPLAINTS_KEY] }),
  });
}

export const complaintsApi = {
  create: (body: Record<string, unknown>) => api<Complaint>('/complaints', { method: 'POST', body }),
  update: (id: string, version: number, body: Record<string, unknown>) =>
    api<Complaint>(`/complaints/${id}`, { method: 'PATCH', body, headers: { 'if-match': `"${version}"` } }),
  status: (id: string, version: number, body: { status: ComplaintStatus; answer?: string }) =>
    api<Complaint>(`/complaints/${id}/status`, { method: 'POST', body, headers: { 'if-match': `"${version}"` } }),
  pause: (id: string, version: number, reason: string) =>
    api<Complaint>(`/complaints/${id}/pause`, { method: 'POST', body: { reason }, headers: { 'if-match': `"${version}"` } }),
  resume: (id: string, version: number) => api<Complaint>(`/complaints/${id}/resume`, { method: 'POST', body: {}, headers: { 'if-match': `"${version}"` } }),
  createCategory: (body: Record<string, unknown>) => api<ComplaintCategory>('/complaint-categories', { method: 'POST', body }),
  updateCategory: (id: string, body: Record<string, unknown>) => api<ComplaintCategory>(`/complaint-categories/${id}`, { method: 'PATCH', body }),
};

/** Downloads the monthly report (the browser saves the file): an authenticated fetch, then a temporary link. */
export async function downloadReport(siteId: string, month: string, format: 'csv' | 'pdf'): Promise<void> {
  const response = await fetch(`/api/v1/sites/${siteId}/complaint-reports/${month}.${format}`, {
    headers: { authorization: `Bearer ${session.accessToken() ?? ''}` },
  });
  if (!response.ok) {
    const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    throw new ApiError({ ...body, status: response.status });
  }
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = `reclamations-${month}.${format}`;
  document.body.append(link);
  link.click();
  link.remove();
  URL.revokeObjectURL(url);
}
