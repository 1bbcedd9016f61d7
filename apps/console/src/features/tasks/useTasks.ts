import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { Page } from '../../api/types';

/** Every query key of tasks, callbacks and next-up starts with this, so a live event refreshes them in one call. */
export const TASKS_KEY = 'tasks';

export type Quadrant = 'do_first' | 'schedule' | 'delegate' | 'eliminate';
export const QUADRANTS: Quadrant[] = ['do_first', 'schedule', 'delegate', 'eliminate'];

export interface Task {
  id: string;
  siteId: string;
  title: string;
  notes: string | null;
  ownerUserId: string | null;
  ownerServiceId: string | null;
  urgent: boolean;
  important: boolean;
  quadrant: Quadrant;
  dueAt: string | null;
  remindAt: string | null;
  reminderSentAt: string | null;
  recurrence: string | null;
  status: 'open' | 'done' | 'cancelled';
  version: number;
}

export interface Callback {
  id: string;
  contactName: string;
  phone: string;
  subject: string;
  callBefore: string | null;
  status: 'open' | 'done' | 'failed' | 'cancelled';
  outcome: string | null;
  attemptCount: number;
  attempts: { at: string; result: string; notes: string | null }[];
}

export interface NextUpItem {
  kind: 'ticket' | 'callback' | 'email' | 'task';
  id: string;
  title: string;
  dueAt: string | null;
  since: string;
  tier: 'overdue' | 'due_soon' | 'urgent_important' | 'urgent' | 'important' | 'other';
  ref: Record<string, string | null>;
}

export function useMyTasks(siteId: string | undefined) {
  return useQuery({
    queryKey: [TASKS_KEY, 'tasks', siteId],
    queryFn: () => api<Page<Task>>('/tasks', { query: { siteId, ownerUserId: 'me', status: 'open', limit: 200 } }),
    enabled: !!siteId,
    select: (page) => page.items,
  });
}

export function useMyCallbacks(siteId: string | undefined) {
  return useQuery({
    queryKey: [TASKS_KEY, 'callbacks', siteId],
    queryFn: () => api<Page<Callback>>('/callbacks', { query: { siteId, ownerUserId: 'me', status: 'open', limit: 200 } }),
    enabled: !!siteId,
    select: (page) => page.items,
  });
}

/** Polled as well as refreshed by the mutations: tickets arrive without a task event. */
export function useNextUp() {
  return useQuery({
    queryKey: [TASKS_KEY, 'next-up'],
    queryFn: () => api<{ counterId: string | null; items: NextUpItem[] }>('/me/next-up'),
    refetchInterval: 20_000,
  });
}

function useTasksMutation<V>(run: (vars: V) => Promise<unknown>) {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: run, onSuccess: () => queryClient.invalidateQueries({ queryKey: [TASKS_KEY] }) });
}

export interface NewTask {
  siteId: string;
  title: string;
  urgent: boolean;
  important: boolean;
  dueAt: string | null;
  remindAt: string | null;
  ownerServiceId?: string | null;
}

export const useCreateTask = () => useTasksMutation((body: NewTask) => api<Task>('/tasks', { method: 'POST', body }));
export const useCloseTask = () =>
  useTasksMutation(({ id, action }: { id: string; action: 'complete' | 'cancel' }) => api<Task>(`/tasks/${id}/${action}`, { method: 'POST' }));

export interface NewCallback {
  siteId: string;
  contactName: string;
  phone: string;
  subject: string;
  callBefore: string | null;
}

export const useCreateCallback = () => useTasksMutation((body: NewCallback) => api<Callback>('/callbacks', { method: 'POST', body }));
export const useCallbackAttempt = () =>
  useTasksMutation(({ id, result }: { id: string; result: string }) => api<Callback>(`/callbacks/${id}/attempts`, { method: 'POST', body: { result } }));
