import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from '../../api/client';
import { session } from '../../api/session';
import type { Page } from '../../api/types';
import type { Colleague, Complaint, ComplaintCategory, ComplaintStatus, HistoryEntry, LinkKind, LinkTarget } from './types';

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
  updateCategory: (id: string, version: number, body: Record<string, unknown>) =>
    api<ComplaintCategory>(`/complaint-categories/${id}`, { method: 'PATCH', body, headers: { 'if-match': `"${version}"` } }),
};

/** Who may own a complaint: the active users of its site (the same rule the API checks). */
export function useColleagues(siteId: string | undefined) {
  return useQuery({
    queryKey: [COMPLAINTS_KEY, 'colleagues', siteId],
    queryFn: () => api<{ users: Colleague[] }>('/messages/recipients', { query: { siteId } }),
    enabled: !!siteId,
    staleTime: 60_000,
    select: (data) => data.users,
  });
}

interface RequestRow {
  id: string;
  subject: string;
  arrivedAt: string;
}
interface TicketRow {
  id: string;
  number: string;
  arrivedAt: string;
}
interface OrderRow {
  id: string;
  number: number;
  title: string;
  providerName: string;
  createdAt: string;
}

const asTarget = {
  request: (r: RequestRow): LinkTarget => ({ id: r.id, kind: 'request', name: r.subject, at: r.arrivedAt }),
  ticket: (r: TicketRow): LinkTarget => ({ id: r.id, kind: 'ticket', name: r.number, at: r.arrivedAt }),
  serviceOrder: (r: OrderRow): LinkTarget => ({ id: r.id, kind: 'serviceOrder', name: `${r.number} — ${r.title} (${r.providerName})`, at: r.createdAt }),
};

function fetchTarget(kind: LinkKind, id: string): Promise<LinkTarget> {
  if (kind === 'request') return api<RequestRow>(`/requests/${id}`).then(asTarget.request);
  if (kind === 'ticket') return api<TicketRow>(`/tickets/${id}`).then(asTarget.ticket);
  return api<OrderRow>(`/service-orders/${id}`).then(asTarget.serviceOrder);
}

/** The linked record by name; an error (deleted, not readable) leaves the caller to show the bare reference. */
export function useLinkTarget(kind: LinkKind, id: string | null) {
  return useQuery({ queryKey: [COMPLAINTS_KEY, 'link', kind, id], queryFn: () => fetchTarget(kind, id as string), enabled: !!id, retry: false });
}

const SEARCH_LIMIT = 8;

/**
 * A short search among the site's records: requests by words of their subject (server side);
 * tickets of a business day (today and yesterday by default) by number and the latest orders by
 * number, title or provider, filtered here since those lists have no text search.
 */
export function useLinkSearch(siteId: string, kind: LinkKind, text: string, day: string) {
  const words = text.trim().toLowerCase();
  return useQuery({
    queryKey: [COMPLAINTS_KEY, 'link-search', siteId, kind, kind === 'request' ? words : '', kind === 'ticket' ? day : ''],
    queryFn: async (): Promise<LinkTarget[]> => {
      if (kind === 'request') {
        const page = await api<Page<RequestRow>>('/requests', { query: { siteId, q: words, limit: SEARCH_LIMIT } });
        return page.items.map(asTarget.request);
      }
      if (kind === 'ticket') {
        const page = await api<Page<TicketRow>>('/tickets', { query: { siteId, day: day || undefined, limit: 200 } });
        return page.items.map(asTarget.ticket);
      }
      const page = await api<Page<OrderRow>>('/service-orders', { query: { siteId, limit: 200 } });
      return page.items.map(asTarget.serviceOrder);
    },
    select: (targets) => (kind === 'request' ? targets : targets.filter((target) => target.name.toLowerCase().includes(words)).slice(0, SEARCH_LIMIT)),
    placeholderData: keepPreviousData,
  });
}

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
