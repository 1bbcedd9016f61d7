import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { Page } from '../../api/types';
import type { NewOrder, OrderDetail, OrderFilters, OrderSettings, OrderStatus, OrderSummary } from './types';

/** Every query key of the screen starts with 'service-orders': one live event refreshes them all. */
export const ORDERS_KEY = 'service-orders';

export function useServiceOrders(siteId: string | undefined, filters: OrderFilters) {
  return useQuery({
    queryKey: [ORDERS_KEY, 'list', siteId, filters],
    queryFn: () =>
      api<Page<OrderSummary>>('/service-orders', {
        query: { siteId, status: filters.status, type: filters.type, late: filters.late || undefined, mine: filters.mine || undefined, limit: 200 },
      }),
    enabled: !!siteId,
    placeholderData: keepPreviousData,
  });
}

export function useServiceOrder(id: string | undefined) {
  return useQuery({ queryKey: [ORDERS_KEY, 'detail', id], queryFn: () => api<OrderDetail>(`/service-orders/${id}`), enabled: !!id });
}

function useOrderMutation<V>(call: (vars: V) => Promise<unknown>) {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: call, onSettled: () => queryClient.invalidateQueries({ queryKey: [ORDERS_KEY] }) });
}

/** Creates the draft, then submits it when asked: two steps, as in the API (a draft can wait). */
export function useCreateOrder() {
  return useOrderMutation(async ({ order, submit }: { order: NewOrder; submit: boolean }) => {
    const created = await api<OrderDetail>('/service-orders', { method: 'POST', body: order });
    if (!submit) return created;
    return api<OrderDetail>(`/service-orders/${created.id}/status`, { method: 'POST', body: { status: 'submitted' } });
  });
}

export function useMoveOrder() {
  return useOrderMutation(({ order, status, note }: { order: OrderDetail; status: OrderStatus; note: string }) =>
    api<OrderDetail>(`/service-orders/${order.id}/status`, {
      method: 'POST',
      body: { status, note: note || null },
      headers: { 'if-match': `"${order.version}"` },
    }),
  );
}

export function useApproveOrder() {
  return useOrderMutation((order: OrderDetail) =>
    api<OrderDetail>(`/service-orders/${order.id}/approve`, { method: 'POST', body: {}, headers: { 'if-match': `"${order.version}"` } }),
  );
}

export function useCommentOrder() {
  return useOrderMutation(({ id, body, side }: { id: string; body: string; side: 'internal' | 'provider' }) =>
    api(`/service-orders/${id}/comments`, { method: 'POST', body: { body, side } }),
  );
}

export function useAttachToOrder() {
  return useOrderMutation(({ id, url, label }: { id: string; url: string; label: string }) =>
    api(`/service-orders/${id}/attachments`, { method: 'POST', body: { url, label: label || null } }),
  );
}

export function useRateOrder() {
  return useOrderMutation(({ id, ...body }: { id: string; timeliness: number; quality: number; communication: number; comment: string }) =>
    api(`/service-orders/${id}/rating`, { method: 'POST', body: { ...body, comment: body.comment || null } }),
  );
}

export function useOrderSettings(siteId: string) {
  return useQuery({ queryKey: [ORDERS_KEY, 'settings', siteId], queryFn: () => api<OrderSettings>(`/service-order-settings/${siteId}`) });
}

export function usePutOrderSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ settings, approvalThresholdCents, currency }: { settings: OrderSettings; approvalThresholdCents: number; currency: string }) =>
      api<OrderSettings>(`/service-order-settings/${settings.siteId}`, {
        method: 'PUT',
        body: { approvalThresholdCents, currency },
        headers: { 'if-match': `"${settings.version}"` },
      }),
    onSuccess: (saved) => queryClient.setQueryData([ORDERS_KEY, 'settings', saved.siteId], saved),
    onError: () => queryClient.invalidateQueries({ queryKey: [ORDERS_KEY, 'settings'] }),
  });
}
