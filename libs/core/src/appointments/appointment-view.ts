import { EntityManager } from 'typeorm';
import type { AppointmentChange } from '@guichet/live/events';
import { rooms } from '@guichet/live/rooms';
import { AuditService, diffFields } from '../audit/audit.service';
import { AuditAction } from '../audit/audit-entry.entity';
import { ConflictError, NotFoundError } from '../errors/domain-error';
import { FlowErrorCode, FlowRuleError } from '../flow/flow.errors';
import type { Principal } from '../identity/principal';
import type { Emit } from '../live/live-events.service';

export const APPOINTMENT_STATUSES = ['booked', 'checked_in', 'cancelled', 'no_show', 'done'] as const;
export type AppointmentStatus = (typeof APPOINTMENT_STATUSES)[number];

export const APPOINTMENT_CHANNELS = ['desk', 'phone', 'web', 'api'] as const;
export type AppointmentChannel = (typeof APPOINTMENT_CHANNELS)[number];

export interface AppointmentRow {
  id: string;
  site_id: string;
  queue_id: string;
  visitor_id: string | null;
  contact_name: string;
  contact_email: string | null;
  contact_phone: string | null;
  starts_at: Date;
  ends_at: Date;
  status: AppointmentStatus;
  check_in_code: string;
  channel: AppointmentChannel;
  notes: string | null;
  ticket_id: string | null;
  booked_by: string;
  checked_in_at: Date | null;
  cancelled_at: Date | null;
  no_show_at: Date | null;
  confirmation_sent_at: Date | null;
  reminder_sent_at: Date | null;
  created_at: Date;
  updated_at: Date;
  version: number;
}

export interface AppointmentView {
  id: string;
  siteId: string;
  queueId: string;
  visitorId: string | null;
  contactName: string;
  contactEmail: string | null;
  contactPhone: string | null;
  startsAt: Date;
  endsAt: Date;
  status: AppointmentStatus;
  checkInCode: string;
  channel: AppointmentChannel;
  notes: string | null;
  ticketId: string | null;
  bookedBy: string;
  checkedInAt: Date | null;
  cancelledAt: Date | null;
  noShowAt: Date | null;
  confirmationSentAt: Date | null;
  reminderSentAt: Date | null;
  createdAt: Date;
  version: number;
}

export function toView(r: AppointmentRow): AppointmentView {
  return {
    id: r.id,
    siteId: r.site_id,
    queueId: r.queue_id,
    visitorId: r.visitor_id,
    contactName: r.contact_name,
    contactEmail: r.contact_email,
    contactPhone: r.contact_phone,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    status: r.status,
    checkInCode: r.check_in_code,
    channel: r.channel,
    notes: r.notes,
    ticketId: r.ticket_id,
    bookedBy: r.booked_by,
    checkedInAt: r.checked_in_at,
    cancelledAt: r.cancelled_at,
    noShowAt: r.no_show_at,
    confirmationSentAt: r.confirmation_sent_at,
    reminderSentAt: r.reminder_sent_at,
    createdAt: r.created_at,
    version: r.version,
  };
}

/** Audited fields. Contact details stay out of the audit log, which outlives the appointment. */
const AUDIT_FIELDS: (keyof AppointmentView)[] = ['queueId', 'visitorId', 'startsAt', 'endsAt', 'status', 'channel', 'ticketId'];

type AppointmentEvent = 'appointment.booked' | 'appointment.cancelled' | 'appointment.rescheduled' | 'appointment.checked_in' | 'appointment.no_show';

/** The audit entry and the live event of a change, written in the change's transaction. */
export async function recordChange(
  manager: EntityManager,
  audit: AuditService,
  emit: Emit,
  event: AppointmentEvent,
  before: AppointmentRow | null,
  after: AppointmentRow,
  extra: Record<string, { from?: unknown; to?: unknown }> = {},
): Promise<void> {
  const action: AuditAction = before ? 'update' : 'create';
  const changes = { ...diffFields(before ? toView(before) : null, toView(after), AUDIT_FIELDS), ...extra };
  await audit.record(manager, { action, entity: 'appointment', entityId: after.id, siteId: after.site_id, changes });
  const data: AppointmentChange = { appointmentId: after.id, queueId: after.queue_id, startsAt: after.starts_at.toISOString(), status: after.status };
  emit(after.site_id, event, data, [rooms.queue(after.queue_id)]);
}

/** Locks the appointment for a change, checking the caller's sites and the version they read (If-Match). */
export async function lockAppointment(manager: EntityManager, principal: Principal, id: string, version?: number): Promise<AppointmentRow> {
  const [row] = (await manager.query(`SELECT * FROM appointments WHERE id = $1 FOR UPDATE`, [id])) as AppointmentRow[];
  if (!row || !principal.siteIds.includes(row.site_id)) throw new NotFoundError('Appointment', id);
  if (version !== undefined && version !== row.version) {
    throw new ConflictError(`Appointment ${id} was changed meanwhile (version ${row.version})`, 'stale_version');
  }
  return row;
}

/** Cancel, reschedule and no-show apply to booked appointments only. */
export function assertBooked(row: AppointmentRow, op: string): void {
  if (row.status !== 'booked') {
    throw new FlowRuleError(FlowErrorCode.AppointmentNotBooked, `Cannot ${op} this appointment: it is ${row.status.replace('_', ' ')}`);
  }
}
