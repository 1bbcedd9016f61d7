import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';

export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type Priority = (typeof PRIORITIES)[number];
export type RecipientType = 'user' | 'service' | 'site' | 'supervisors';

export interface Message {
  id: string;
  siteId: string;
  kind: 'message' | 'management_report';
  senderUserId: string | null;
  senderName: string | null;
  recipientType: RecipientType;
  recipientUserId: string | null;
  recipientServiceId: string | null;
  priority: Priority;
  subject: string;
  body: string;
  expiresAt: string | null;
  createdAt: string;
  active: boolean;
  readAt?: string | null;
  recipientCount?: number;
  readCount?: number;
  receipts?: { userId: string; displayName: string; readAt: string | null }[];
}

export interface SendMessage {
  kind: Message['kind'];
  recipientType?: RecipientType;
  recipientUserId?: string;
  recipientServiceId?: string;
  priority: Priority;
  subject: string;
  body: string;
  expiresAt?: string;
}

export interface Recipients {
  users: { id: string; displayName: string; role: string; serviceId: string | null }[];
  services: { id: string; name: string }[];
}

export function useUnreadCount(siteId: string | undefined) {
  return useQuery({
    queryKey: ['messages', 'unread', siteId],
    queryFn: () => api<{ unread: number; urgent: number }>('/messages/unread-count', { query: { siteId } }),
    enabled: !!siteId,
  });
}

export function useInbox(siteId: string | undefined, status: 'active' | 'all') {
  return useQuery({
    queryKey: ['messages', 'inbox', siteId, status],
    queryFn: () => api<{ items: Message[]; total: number; unread: number }>('/messages/inbox', { query: { siteId, status, limit: 100 } }),
    enabled: !!siteId,
  });
}

export function useOutbox(siteId: string | undefined) {
  return useQuery({
    queryKey: ['messages', 'outbox', siteId],
    queryFn: () => api<{ items: Message[]; total: number }>('/messages/outbox', { query: { siteId, status: 'all', limit: 100 } }),
    enabled: !!siteId,
  });
}

export function useMessage(id: string | undefined) {
  return useQuery({ queryKey: ['messages', 'one', id], queryFn: () => api<Message>(`/messages/${id}`), enabled: !!id });
}

export function useRecipients(siteId: string | undefined) {
  return useQuery({ queryKey: ['messages', 'recipients', siteId], queryFn: () => api<Recipients>('/messages/recipients', { query: { siteId } }), enabled: !!siteId, staleTime: 60_000 });
}

export function useSendMessage(siteId: string | undefined) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: SendMessage) => api<Message>('/messages', { method: 'POST', body: { siteId, ...body } }),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: ['messages'] }),
  });
}

export function useMarkRead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<Message>(`/messages/${id}/read`, { method: 'POST', body: {} }),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: ['messages'] }),
  });
}
