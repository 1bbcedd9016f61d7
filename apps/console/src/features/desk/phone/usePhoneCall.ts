import { useMutation, useQuery } from '@tanstack/react-query';
import { api } from '../../../api/client';
import type { CallOutcome, Page, PhoneCall, Service } from '../../../api/types';

export interface PhoneCallInput {
  direction: 'inbound' | 'outbound';
  number: string | null;
  startedAt: string;
  durationSeconds: number;
  outcome: CallOutcome;
  transferredToServiceId: string | null;
  visitorId: string | null;
  notes: string | null;
  /** Opens a request on the phone channel for what the caller asked. */
  createRequest: { subject: string } | null;
}

export function useLogPhoneCall(siteId: string) {
  return useMutation({
    mutationFn: (input: PhoneCallInput) => api<PhoneCall>('/channels/phone/calls', { method: 'POST', body: { ...input, siteId } }),
  });
}

export function useServices(siteId: string) {
  return useQuery({
    queryKey: ['services', siteId],
    queryFn: () => api<Page<Service>>('/services', { query: { siteId, active: true, limit: 200 } }),
    staleTime: 10 * 60_000,
  });
}
