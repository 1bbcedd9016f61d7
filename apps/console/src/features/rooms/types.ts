/** Shapes of the rooms and bookings API (apps/api/src/resources/dto). */
export type ResourceKind = 'room' | 'equipment';

export interface Resource {
  id: string;
  siteId: string;
  kind: ResourceKind;
  name: string;
  capacity: number | null;
  equipment: string[];
  location: string | null;
  active: boolean;
  /** A secret iCalendar link exists (its URL is shown once, when renewed). */
  calendarFeed: boolean;
  version: number;
}

export interface Booking {
  id: string;
  siteId: string;
  resourceId: string;
  resourceName: string;
  resourceKind: ResourceKind;
  parentBookingId: string | null;
  startsAt: string;
  endsAt: string;
  title: string;
  notes: string | null;
  organiserUserId: string | null;
  organiserName: string | null;
  attendees: number | null;
  catering: { headcount: number | null; notes: string | null } | null;
  status: 'confirmed' | 'cancelled';
  createdBy: string | null;
  cancelReason: string | null;
  version: number;
}

export interface BookingDetail extends Booking {
  equipment: Booking[];
  serviceOrders: { id: string; type: string; status: string; title: string }[];
}

export interface Availability {
  items: { resource: Resource; free: boolean; busy: { bookingId: string; startsAt: string; endsAt: string }[] }[];
}
