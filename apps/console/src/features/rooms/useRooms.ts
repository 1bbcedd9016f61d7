import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { Page } from '../../api/types';
import type { Availability, Booking, BookingDetail, Resource } from './types';

/** All query keys of the feature start with 'rooms', so a live event refreshes them in one call. */
export const ROOMS_KEY = 'rooms';

export function useResources(siteId: string | undefined) {
  return useQuery({
    queryKey: [ROOMS_KEY, 'resources', siteId],
    queryFn: () => api<Page<Resource>>('/resources', { query: { siteId, limit: 200 } }),
    enabled: !!siteId,
    select: (page) => page.items,
  });
}

/** Bookings overlapping [from, to): the planning of a day or a week. */
export function useBookings(siteId: string | undefined, from: string, to: string) {
  return useQuery({
    queryKey: [ROOMS_KEY, 'bookings', siteId, from, to],
    queryFn: () => api<Page<Booking>>('/bookings', { query: { siteId, from, to, status: 'confirmed', limit: 200 } }),
    enabled: !!siteId,
    placeholderData: keepPreviousData,
    select: (page) => page.items,
  });
}

export function useBookingDetail(id: string | null) {
  return useQuery({
    queryKey: [ROOMS_KEY, 'booking', id],
    queryFn: () => api<BookingDetail>(`/bookings/${id}`),
    enabled: !!id,
  });
}

/** Free/busy of the active resources over the period the booking form asks for. */
export function useAvailability(siteId: string | undefined, from: string | null, to: string | null) {
  return useQuery({
    queryKey: [ROOMS_KEY, 'availability', siteId, from, to],
    queryFn: () => api<Availability>('/resources/availability', { query: { siteId, from, to } }),
    enabled: !!siteId && !!from && !!to,
    placeholderData: keepPreviousData,
  });
}

export interface BookingRequest {
  resourceId: string;
  startsAt: string;
  endsAt: string;
  title: string;
  notes?: string | null;
  attendees?: number | null;
  equipmentIds: string[];
  catering?: { headcount: number | null; notes: string | null } | null;
}

export function useBookRoom() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: BookingRequest) => api<BookingDetail>('/bookings', { method: 'POST', body }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: [ROOMS_KEY] }),
  });
}

export function useCancelBooking() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ booking, reason }: { booking: Booking; reason?: string }) =>
      api<BookingDetail>(`/bookings/${booking.id}/cancel`, { method: 'POST', body: reason ? { reason } : {}, headers: { 'if-match': `"${booking.version}"` } }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: [ROOMS_KEY] }),
  });
}

export interface MoveRequest {
  booking: Booking;
  startsAt: string;
  endsAt: string;
}

/** Moves a booking (its equipment moves along); If-Match makes a concurrent change a 409, not a silent overwrite. */
export function useMoveBooking() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ booking, startsAt, endsAt }: MoveRequest) =>
      api<BookingDetail>(`/bookings/${booking.id}`, { method: 'PATCH', body: { startsAt, endsAt }, headers: { 'if-match': `"${booking.version}"` } }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: [ROOMS_KEY] }),
  });
}

/** A new secret iCalendar URL for a room (the previous one stops working). */
export function useRotateCalendarLink() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (resourceId: string) => api<{ token: string; url: string }>(`/resources/${resourceId}/calendar-token`, { method: 'POST' }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: [ROOMS_KEY, 'resources'] }),
  });
}
