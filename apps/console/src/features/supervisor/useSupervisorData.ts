import { useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { Counter, Page } from '../../api/types';

export interface Alert {
  id: string;
  queueId: string;
  counterId: string | null;
  ticketId: string | null;
  kind: string;
  severity: 'warning' | 'critical';
  status: 'open' | 'acknowledged' | 'resolved';
  value: number;
  threshold: number;
  unit: 'tickets' | 'seconds';
  raisedAt: string;
}

interface FlowStats {
  rows: { queueId: string; bucket: number | string; arrivals: number }[];
}
interface Forecast {
  hours: { date: string; hour: number; expectedArrivals: number }[];
}
interface Staffing {
  closed: boolean;
  hours: { hour: number; expectedArrivals: number; recommendedCounters: number }[];
}

export interface HourFigures {
  hour: number;
  arrivals: number;
  forecast: number;
  recommendedCounters: number;
}

/** Today's date in the site's calendar (YYYY-MM-DD), as the statistics count days. */
export function siteToday(timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
}

export function useAlerts(siteId: string) {
  return useQuery({
    queryKey: ['alerts', siteId],
    // Open and acknowledged alerts: what still needs attention.
    queryFn: async () => {
      const [open, acknowledged] = await Promise.all(
        (['open', 'acknowledged'] as const).map((status) => api<Page<Alert>>('/alerts', { query: { siteId, status, limit: 50 } })),
      );
      return [...open.items, ...acknowledged.items];
    },
  });
}

export function useAcknowledgeAlert(siteId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (alertId: string) => api<Alert>(`/alerts/${alertId}/acknowledge`, { method: 'POST', body: {} }),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: ['alerts', siteId] }),
  });
}

export function useMoveCounter(siteId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ counter, queueIds }: { counter: Counter; queueIds: string[] }) =>
      api<Counter>(`/counters/${counter.id}`, { method: 'PATCH', body: { queueIds, version: counter.version } }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['counters', siteId] }),
  });
}

/**
 * Per hour of today, for the chosen queues: arrivals so far, the forecast and the counters the
 * staffing plan recommends (forecast and staffing are per queue; the site view adds them up).
 */
export function useHourlyFigures(siteId: string, queueIds: string[], date: string | undefined) {
  const enabled = !!date && queueIds.length > 0;
  const flow = useQuery({
    queryKey: ['stats-flow', siteId, date],
    queryFn: () => api<FlowStats>('/stats/flow', { query: { siteId, from: date, to: date, groupBy: 'hour' } }),
    enabled,
    refetchInterval: 60_000,
  });
  const forecasts = useQueries({
    queries: queueIds.map((queueId) => ({
      queryKey: ['stats-forecast', queueId, date],
      queryFn: () => api<Forecast>('/stats/forecast', { query: { queueId, days: 1 } }),
      enabled,
      staleTime: 30 * 60_000,
    })),
  });
  const staffing = useQueries({
    queries: queueIds.map((queueId) => ({
      queryKey: ['stats-staffing', queueId, date],
      queryFn: () => api<Staffing>('/stats/staffing', { query: { queueId, date } }),
      enabled,
      staleTime: 30 * 60_000,
    })),
  });

  const hours: HourFigures[] = Array.from({ length: 24 }, (_, hour) => ({ hour, arrivals: 0, forecast: 0, recommendedCounters: 0 }));
  for (const row of flow.data?.rows ?? []) {
    if (queueIds.includes(row.queueId) && typeof row.bucket === 'number') hours[row.bucket].arrivals += row.arrivals;
  }
  for (const f of forecasts) for (const h of f.data?.hours ?? []) if (h.date === date) hours[h.hour].forecast += h.expectedArrivals;
  for (const s of staffing) for (const h of s.data?.hours ?? []) hours[h.hour].recommendedCounters += h.recommendedCounters;

  const error = flow.error ?? forecasts.find((f) => f.error)?.error ?? staffing.find((s) => s.error)?.error;
  const loading = flow.isPending || forecasts.some((f) => f.isPending) || staffing.some((s) => s.isPending);
  return { hours, error, loading: enabled && loading };
}

/** Seconds each agent spent per state today (available, serving, paused), for the counters table. */
export function useAgentStates(siteId: string, date: string | undefined) {
  return useQuery({
    queryKey: ['agent-states', siteId, date],
    queryFn: () => api<{ userId: string; state: string; seconds: number }[]>(`/sites/${siteId}/agent-states`, { query: { day: date } }),
    enabled: !!date,
    refetchInterval: 60_000,
  });
}
