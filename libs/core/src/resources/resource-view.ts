import { EntityManager } from 'typeorm';
import { ConflictError, NotFoundError } from '../errors/domain-error';
import type { Principal } from '../identity/principal';

export const RESOURCE_KINDS = ['room', 'equipment'] as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[number];

export const BOOKING_STATUSES = ['confirmed', 'cancelled'] as const;
export type BookingStatus = (typeof BOOKING_STATUSES)[number];

export interface ResourceRow {
  id: string;
  site_id: string;
  kind: ResourceKind;
  name: string;
  capacity: number | null;
  equipment: string[];
  location: string | null;
  active: boolean;
  feed_token_hash: string | null;
  feed_token_rotated_at: Date | null;
  created_at: Date;
  updated_at: Date;
  version: number;
}

export interface ResourceView {
  id: string;
  siteId: string;
  kind: ResourceKind;
  name: string;
  /** People a room seats; null for equipment. */
  capacity: number | null;
  /** Fixed features of a room (projector, videoconference…), used to find a suitable room. */
  equipment: string[];
  location: string | null;
  active: boolean;
  /** Whether an iCalendar feed token exists (the token itself is shown once, when rotated). */
  calendarFeed: boolean;
  calendarFeedRotatedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

export function toResourceView(r: ResourceRow): ResourceView {
  return {
    id: r.id,
    siteId: r.site_id,
    kind: r.kind,
    name: r.name,
    capacity: r.capacity,
    equipment: r.equipment,
    location: r.location,
    active: r.active,
    calendarFeed: r.feed_token_hash !== null,
    calendarFeedRotatedAt: r.feed_token_rotated_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    version: r.version,
  };
}

/** Audited resource fields (the feed token is audited apart, redacted). */
export const RESOURCE_AUDIT_FIELDS: (keyof ResourceView)[] = ['kind', 'name', 'capacity', 'equipment', 'location', 'active'];

export interface BookingRow {
  id: string;
  resource_id: string;
  site_id: string;
  starts_at: Date;
  ends_at: Date;
  title: string;
  notes: string | null;
  organiser_user_id: string | null;
  attendees: number | null;
  catering_headcount: number | null;
  catering_notes: string | null;
  status: BookingStatus;
  parent_booking_id: string | null;
  created_by: string | null;
  cancelled_at: Date | null;
  cancelled_by: string | null;
  cancel_reason: string | null;
  created_at: Date;
  updated_at: Date;
  version: number;
  resource_name: string;
  resource_kind: ResourceKind;
  organiser_name: string | null;
}

export interface CateringView {
  headcount: number | null;
  notes: string | null;
}

export interface BookingView {
  id: string;
  siteId: string;
  resourceId: string;
  resourceName: string;
  resourceKind: ResourceKind;
  /** The room booking this equipment booking belongs to. */
  parentBookingId: string | null;
  startsAt: Date;
  endsAt: Date;
  title: string;
  notes: string | null;
  organiserUserId: string | null;
  organiserName: string | null;
  attendees: number | null;
  catering: CateringView | null;
  status: BookingStatus;
  createdBy: string | null;
  cancelledAt: Date | null;
  cancelReason: string | null;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

export function toBookingView(r: BookingRow): BookingView {
  return {
    id: r.id,
    siteId: r.site_id,
    resourceId: r.resource_id,
    resourceName: r.resource_name,
    resourceKind: r.resource_kind,
    parentBookingId: r.parent_booking_id,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    title: r.title,
    notes: r.notes,
    organiserUserId: r.organiser_user_id,
    organiserName: r.organiser_name,
    attendees: r.attendees,
    catering: r.catering_headcount === null && r.catering_notes === null ? null : { headcount: r.catering_headcount, notes: r.catering_notes },
    status: r.status,
    createdBy: r.created_by,
    cancelledAt: r.cancelled_at,
    cancelReason: r.cancel_reason,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    version: r.version,
  };
}

/** Audited booking fields: what was booked, when, for how many; free-text notes stay out of the log. */
export const BOOKING_AUDIT_FIELDS: (keyof BookingView)[] = ['resourceId', 'parentBookingId', 'startsAt', 'endsAt', 'title', 'attendees', 'catering', 'status', 'organiserUserId'];

/** Bookings with their resource's name and kind and the organiser's name; `where` uses alias `b`. */
export async function selectBookings(manager: Pick<EntityManager, 'query'>, where: string, params: unknown[], tail = ''): Promise<BookingRow[]> {
  return (await manager.query(
    `SELECT b.id, b.resource_id, b.site_id, lower(b.period) AS starts_at, upper(b.period) AS ends_at, b.title, b.notes,
            b.organiser_user_id, b.attendees, b.catering_headcount, b.catering_notes, b.status, b.parent_booking_id,
            b.created_by, b.cancelled_at, b.cancelled_by, b.cancel_reason, b.created_at, b.updated_at, b.version,
            r.name AS resource_name, r.kind AS resource_kind, u.display_name AS organiser_name
       FROM resource_bookings b
       JOIN resources r ON r.id = b.resource_id
       LEFT JOIN users u ON u.id = b.organiser_user_id
      WHERE ${where} ${tail}`,
    params,
  )) as BookingRow[];
}

/** Locks a resource of the caller's sites for a change, checking the version they read (If-Match). */
export async function lockResource(manager: EntityManager, principal: Principal, id: string, version?: number): Promise<ResourceRow> {
  const [row] = (await manager.query(`SELECT * FROM resources WHERE id = $1 FOR UPDATE`, [id])) as ResourceRow[];
  if (!row || !principal.siteIds.includes(row.site_id)) throw new NotFoundError('Resource', id);
  if (version !== undefined && version !== row.version) {
    throw new ConflictError(`Resource ${id} was changed meanwhile (version ${row.version})`, 'stale_version');
  }
  return row;
}
