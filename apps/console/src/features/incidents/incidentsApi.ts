import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { Page } from '../../api/types';

export const SEVERITIES = ['tension', 'conflict', 'aggression', 'security'] as const;
export const SIGNS = ['raised_voice', 'agitation', 'impatience', 'insults', 'threats', 'physical_contact', 'damage', 'intoxication', 'distress', 'other'] as const;
export const ACTIONS = ['listening', 'reformulation', 'solution_proposed', 'mediation', 'supervisor_called', 'security_called', 'police_called', 'first_aid', 'other'] as const;
export const OUTCOMES = ['calmed', 'solution_accepted', 'visitor_left', 'escorted_out', 'police', 'unresolved'] as const;

export type Severity = (typeof SEVERITIES)[number];
export type AlertKind = 'supervisor' | 'security';

export interface Incident {
  id: string;
  siteId: string;
  severity: Severity;
  status: 'open' | 'closed';
  occurredAt: string;
  reportedByUserId: string | null;
  visitorId: string | null;
  ticketId: string | null;
  requestId: string | null;
  counterId: string | null;
  place: string | null;
  signs: string[];
  observations: string;
  actions: string[];
  actionsTaken: string;
  outcome: string | null;
  peopleInvolved: string;
  involvedUserIds: string[];
  report: string | null;
  closedAt: string | null;
  closedByUserId: string | null;
  version: number;
}

export interface IncidentAlertStep {
  step: number;
  name: string;
  dueAt: string;
  notifiedAt: string | null;
}

export interface IncidentAlert {
  id: string;
  incidentId: string;
  siteId: string;
  kind: AlertKind;
  raisedByUserId: string | null;
  counterId: string | null;
  place: string | null;
  raisedAt: string;
  acknowledgedAt: string | null;
  acknowledgedByUserId: string | null;
  steps: IncidentAlertStep[];
}

export interface IncidentDetail extends Incident {
  alerts: IncidentAlert[];
}

export interface IncidentStats {
  timeZone: string;
  total: number;
  open: number;
  bySeverity: Record<Severity, number>;
  byOutcome: Record<string, number>;
  byHour: number[];
  byWeekday: number[];
  alerts: { raised: number; acknowledged: number; escalated: number; medianAcknowledgeSeconds: number | null };
}

export interface RegisterFilters {
  severity?: Severity | '';
  status?: 'open' | 'closed' | '';
  from?: string;
  to?: string;
  page: number;
}

/** The last step already alerted: "level n" on screens. */
export function currentStep(alert: IncidentAlert): IncidentAlertStep | undefined {
  return [...alert.steps].reverse().find((s) => s.notifiedAt !== null);
}

export function useIncidentAlerts(siteId: string | undefined, status: 'waiting' | 'all' = 'waiting') {
  return useQuery({
    queryKey: ['incident-alerts', siteId, status],
    queryFn: () => api<IncidentAlert[]>('/incident-alerts', { query: { siteId, status, limit: 50 } }),
    enabled: !!siteId,
  });
}

export function useRaiseAlert(siteId: string | undefined) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { kind: AlertKind; counterId?: string }) =>
      api<{ alert: IncidentAlert; incidentId: string; repeated: boolean }>('/incident-alerts', { method: 'POST', body: { siteId, ...body } }),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: ['incident-alerts', siteId] }),
  });
}

export function useAcknowledgeIncidentAlert(siteId: string | undefined) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (alertId: string) => api<IncidentAlert>(`/incident-alerts/${alertId}/acknowledge`, { method: 'POST', body: {} }),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: ['incident-alerts', siteId] }),
  });
}

export function useIncidents(siteId: string | undefined, filters: RegisterFilters) {
  return useQuery({
    queryKey: ['incidents', siteId, filters],
    queryFn: () =>
      api<Page<Incident>>('/incidents', {
        query: { siteId, severity: filters.severity, status: filters.status, from: dayStart(filters.from), to: dayStart(filters.to, 1), page: filters.page, limit: 25 },
      }),
    enabled: !!siteId,
    placeholderData: keepPreviousData,
  });
}

export function useIncidentStats(siteId: string | undefined, filters: RegisterFilters, enabled: boolean) {
  return useQuery({
    queryKey: ['incident-stats', siteId, filters.from, filters.to],
    queryFn: () => api<IncidentStats>('/incidents/stats', { query: { siteId, from: dayStart(filters.from), to: dayStart(filters.to, 1) } }),
    enabled: !!siteId && enabled,
  });
}

export function useIncident(id: string | undefined) {
  return useQuery({ queryKey: ['incident', id], queryFn: () => api<IncidentDetail>(`/incidents/${id}`), enabled: !!id });
}

export type IncidentPatch = Partial<Pick<Incident, 'severity' | 'place' | 'signs' | 'observations' | 'actions' | 'actionsTaken' | 'outcome' | 'peopleInvolved'>>;

export function useUpdateIncident(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ patch, version }: { patch: IncidentPatch; version: number }) =>
      api<Incident>(`/incidents/${id}`, { method: 'PATCH', body: patch, headers: { 'if-match': `"${version}"` } }),
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: ['incident', id] });
      void queryClient.invalidateQueries({ queryKey: ['incidents'] });
    },
  });
}

export function useCloseIncident(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { report: string; outcome?: string }) => api<Incident>(`/incidents/${id}/close`, { method: 'POST', body }),
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: ['incident', id] });
      void queryClient.invalidateQueries({ queryKey: ['incidents'] });
      void queryClient.invalidateQueries({ queryKey: ['incident-stats'] });
    },
  });
}

/** A date input's day (YYYY-MM-DD) as an instant at local midnight, `plusDays` later for an exclusive end. */
function dayStart(day: string | undefined, plusDays = 0): string | undefined {
  if (!day) return undefined;
  const [y, m, d] = day.split('-').map(Number);
  return new Date(y, m - 1, d + plusDays).toISOString();
}

export interface EscalationLevel {
  name: string;
  delaySeconds: number;
  notifySupervisors: boolean;
  notifyAdmins: boolean;
  notifySecurity: boolean;
  userIds: string[];
  emails: string[];
  sendEmail: boolean;
}

export interface EscalationPolicy {
  siteId: string;
  isDefault: boolean;
  securityUserIds: string[];
  securityEmails: string[];
  levels: EscalationLevel[];
  version: number;
}

export function useEscalationPolicy(siteId: string | undefined, enabled: boolean) {
  return useQuery({
    queryKey: ['incident-policy', siteId],
    queryFn: () => api<EscalationPolicy>(`/sites/${siteId}/incident-escalation-policy`),
    enabled: !!siteId && enabled,
  });
}

/** Replaces the whole chain; If-Match carries the version read (0 while the site uses the default). */
export function useReplaceEscalationPolicy(siteId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ version, body }: { version: number; body: Pick<EscalationPolicy, 'securityUserIds' | 'securityEmails' | 'levels'> }) =>
      api<EscalationPolicy>(`/sites/${siteId}/incident-escalation-policy`, { method: 'PUT', body, headers: { 'if-match': `"${version}"` } }),
    onSuccess: (policy) => queryClient.setQueryData(['incident-policy', siteId], policy),
  });
}
