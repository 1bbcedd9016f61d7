import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { JobProducer } from '@guichet/jobs/job-producer';
import { rowsOf } from '@guichet/database/sql';
import { rooms } from '@guichet/live/rooms';
import { AuditService, diffFields } from '../audit/audit.service';
import { ConflictError, ForbiddenError, NotFoundError, UnprocessableError, ValidationError } from '../errors/domain-error';
import { Principal, roleAtLeast } from '../identity/principal';
import { assertSiteAccess } from '../identity/site-access';
import { Emit, LiveEvents } from '../live/live-events.service';
import { checkTransition, followupTimes, nextStatuses, OrderStatus, OrderType, orderTotalCents, Party, TRANSITIONS } from './order-rules';
import {
  AttachmentView,
  CommentView,
  OrderLineView,
  OrderRow,
  OrderSummaryView,
  OrderView,
  RatingView,
  StatusChangeView,
  toSummary,
} from './service-order-view';

/** Without a row in service_order_settings: orders above 500.00 EUR need a supervisor's approval. */
export const DEFAULT_APPROVAL_THRESHOLD_CENTS = 50_000;
export const DEFAULT_CURRENCY = 'EUR';

export interface LineInput {
  item: string;
  quantity: number;
  unitPriceCents: number;
}

export interface OrderInput {
  siteId: string;
  providerId: string;
  providerContactId?: string | null;
  bookingId?: string | null;
  type: OrderType;
  title: string;
  description?: string;
  neededBy?: Date | null;
  windowStart?: Date | null;
  windowEnd?: Date | null;
  currency?: string;
  lines?: LineInput[];
}

export type OrderPatch = Partial<Omit<OrderInput, 'siteId' | 'bookingId'>>;

export interface OrderQuery {
  siteId?: string;
  status?: OrderStatus;
  type?: OrderType;
  providerId?: string;
  /** Orders the caller requested. */
  mine?: boolean;
  /** Open orders past their first missed deadline. */
  late?: boolean;
  page: number;
  limit: number;
}

export interface SettingsView {
  siteId: string;
  approvalThresholdCents: number;
  currency: string;
  /** false while the site uses the defaults. */
  custom: boolean;
  version: number;
}

export interface RatingInput {
  timeliness: number;
  quality: number;
  communication: number;
  comment?: string | null;
}

export interface CommentInput {
  body: string;
  side: 'internal' | 'provider';
  providerContactId?: string | null;
}

/** The follow-up steps an order has ahead, for the jobs enqueued after commit. */
interface Scheduled {
  orderId: string;
  remindAt: Date | null;
  escalateAt: Date | null;
}

type FullRow = OrderRow & { provider_name: string };

const EDITABLE_FIELDS: (keyof OrderSummaryView)[] = [
  'providerId',
  'providerContactId',
  'type',
  'title',
  'description',
  'neededBy',
  'windowStart',
  'windowEnd',
  'currency',
  'totalCents',
];

/** The job ids carry the step time: a moved deadline gets its own job, the old one finds nothing due. */
export function followupJobId(orderId: string, step: 'reminder' | 'escalation', at: Date): string {
  return `service-order-${step}-${orderId}-${at.getTime()}`;
}

/**
 * Service orders (prestations, référentiel C2.2): a request to a provider, its lines and total,
 * its lifecycle (order-rules.ts), the approval above the site's threshold, comments from both
 * sides, attachments by URL and the requester's rating. Every change is one transaction with its
 * audit entry and live event; follow-up jobs are enqueued after commit (the sweep redoes them if
 * Redis loses them, from the times stored on the order).
 */
@Injectable()
export class ServiceOrdersService {
  private readonly logger = new Logger('ServiceOrders');

  constructor(
    private readonly dataSource: DataSource,
    private readonly live: LiveEvents,
    private readonly audit: AuditService,
    private readonly jobs: JobProducer,
  ) {}

  async list(principal: Principal, query: OrderQuery): Promise<{ items: OrderSummaryView[]; total: number }> {
    const sites = query.siteId ? principal.siteIds.filter((s) => s === query.siteId) : principal.siteIds;
    const params: unknown[] = [sites];
    const where = ['o.site_id = ANY($1::uuid[])'];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (query.status) add('o.status = ?', query.status);
    if (query.type) add('o.type = ?', query.type);
    if (query.providerId) add('o.provider_id = ?', query.providerId);
    if (query.mine) add('o.requester_user_id = ?', principal.kind === 'user' ? principal.id : null);
    if (query.late !== undefined) {
      const late = `(o.status IN ('submitted', 'accepted', 'in_progress') AND o.remind_at <= now())`;
      where.push(query.late ? late : `NOT ${late} OR o.remind_at IS NULL`);
    }
    const filter = where.map((w) => `(${w})`).join(' AND ');
    const [{ total }] = (await this.dataSource.query(`SELECT count(*)::int AS total FROM service_orders o WHERE ${filter}`, params)) as {
      total: number;
    }[];
    params.push(query.limit, (query.page - 1) * query.limit);
    const rows = (await this.dataSource.query(
      `SELECT o.*, p.name AS provider_name FROM service_orders o JOIN providers p ON p.id = o.provider_id
        WHERE ${filter} ORDER BY o.created_at DESC, o.id DESC LIMIT $${params.length - 1} OFFSET $${params.length}`,
      params,
    )) as FullRow[];
    return { items: rows.map((r) => toSummary(r)), total };
  }

  async get(principal: Principal, id: string): Promise<OrderView> {
    return this.fullView(this.dataSource.manager, principal, await this.load(this.dataSource.manager, principal, id));
  }

  async create(principal: Principal, input: OrderInput): Promise<OrderView> {
    assertSiteAccess(principal, input.siteId);
    assertWindow(input.windowStart ?? null, input.windowEnd ?? null);
    assertFuture('neededBy', input.neededBy ?? null);
    return this.live.transaction(async (manager, emit) => {
      await this.checkProvider(manager, input.siteId, input.providerId, input.providerContactId ?? null);
      if (input.bookingId) await this.checkBooking(manager, input.siteId, input.bookingId);
      const settings = await this.settingsOf(manager, input.siteId);
      const lines = input.lines ?? [];
      const [row] = (await manager.query(
        `INSERT INTO service_orders (site_id, provider_id, provider_contact_id, booking_id, type, title, description, requester_user_id,
                                     requester_label, needed_by, window_start, window_end, currency, total_cents)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING *`,
        [
          input.siteId,
          input.providerId,
          input.providerContactId ?? null,
          input.bookingId ?? null,
          input.type,
          input.title,
          input.description ?? '',
          principal.kind === 'user' ? principal.id : null,
          principal.label,
          input.neededBy ?? null,
          input.windowStart ?? null,
          input.windowEnd ?? null,
          input.currency ?? settings.currency,
          orderTotalCents(lines),
        ],
      )) as OrderRow[];
      await this.writeLines(manager, row.id, lines);
      await this.history(manager, principal, row.id, null, 'draft', null);
      const after = await this.load(manager, principal, row.id);
      await this.audit.record(manager, {
        action: 'create',
        entity: 'service_order',
        entityId: row.id,
        siteId: row.site_id,
        changes: { ...diffFields(null, toSummary(after), [...EDITABLE_FIELDS, 'status', 'bookingId']), lines: { to: lines } },
      });
      emit(row.site_id, 'service_order.created', change(after));
      return this.fullView(manager, principal, after);
    });
  }

  /** Drafts only: once submitted, the provider works from what was sent. */
  async update(principal: Principal, id: string, patch: OrderPatch, version?: number): Promise<OrderView> {
    return this.live.transaction(async (manager, emit) => {
      const before = await this.load(manager, principal, id, true);
      if (version !== undefined && version !== before.version) throw new ConflictError(`Service order ${id} was changed meanwhile`, 'stale_version');
      if (before.status !== 'draft') throw new UnprocessableError(`Service order ${id} is ${before.status}: only drafts can be edited`, 'not_draft');
      this.assertParty(principal, before, ['requester', 'supervisor'], 'edit');
      const windowStart = patch.windowStart !== undefined ? patch.windowStart : before.window_start;
      const windowEnd = patch.windowEnd !== undefined ? patch.windowEnd : before.window_end;
      assertWindow(windowStart, windowEnd);
      if (patch.neededBy !== undefined) assertFuture('neededBy', patch.neededBy);
      const providerId = patch.providerId ?? before.provider_id;
      const contactId = patch.providerContactId !== undefined ? patch.providerContactId : patch.providerId ? null : before.provider_contact_id;
      if (patch.providerId !== undefined || patch.providerContactId !== undefined) await this.checkProvider(manager, before.site_id, providerId, contactId);
      if (patch.lines) {
        await manager.query(`DELETE FROM service_order_lines WHERE order_id = $1`, [id]);
        await this.writeLines(manager, id, patch.lines);
      }
      await manager.query(
        `UPDATE service_orders SET provider_id = $2, provider_contact_id = $3, type = COALESCE($4, type), title = COALESCE($5, title),
                description = COALESCE($6, description), needed_by = CASE WHEN $7::boolean THEN $8::timestamptz ELSE needed_by END,
                window_start = $9, window_end = $10, currency = COALESCE($11, currency),
                total_cents = COALESCE($12, total_cents), updated_at = now(), version = version + 1
          WHERE id = $1`,
        [
          id,
          providerId,
          contactId,
          patch.type ?? null,
          patch.title ?? null,
          patch.description ?? null,
          patch.neededBy !== undefined,
          patch.neededBy ?? null,
          windowStart,
          windowEnd,
          patch.currency ?? null,
          patch.lines ? orderTotalCents(patch.lines) : null,
        ],
      );
      const after = await this.load(manager, principal, id);
      const changes = diffFields(toSummary(before), toSummary(after), EDITABLE_FIELDS);
      if (patch.lines) changes.lines = { to: patch.lines };
      await this.audit.record(manager, { action: 'update', entity: 'service_order', entityId: id, siteId: after.site_id, changes });
      emit(after.site_id, 'service_order.updated', { ...change(after), fields: Object.keys(changes) });
      return this.fullView(manager, principal, after);
    });
  }

  async transition(principal: Principal, id: string, to: OrderStatus, note: string | null, version?: number): Promise<OrderView> {
    const { view, scheduled } = await this.live.transaction(async (manager, emit) => {
      const before = await this.load(manager, principal, id, true);
      if (version !== undefined && version !== before.version) throw new ConflictError(`Service order ${id} was changed meanwhile`, 'stale_version');
      const check = checkTransition(before.status, to, this.parties(principal, before));
      if (!check.ok && check.reason === 'invalid_transition') {
        throw new UnprocessableError(`A ${before.status} service order cannot become ${to}`, 'invalid_transition');
      }
      if (!check.ok) throw new ForbiddenError(`Only ${TRANSITIONS[to].by.join(' or ')} may make this order ${to}`);

      let approvalRequired = before.approval_required;
      let approved = before.approved_at !== null;
      if (to === 'submitted') {
        if (Number(before.total_cents) === 0 && (await this.lineCount(manager, id)) === 0 && !before.description.trim()) {
          throw new UnprocessableError('Describe the order or add lines before submitting it', 'empty_order');
        }
        const settings = await this.settingsOf(manager, before.site_id);
        approvalRequired = needsApproval(Number(before.total_cents), before.currency, settings);
        // A supervisor submitting an order above the threshold approves it by doing so.
        approved = approvalRequired && this.isSupervisor(principal);
      }
      if (to === 'accepted' && before.approval_required && before.approved_at === null) {
        throw new UnprocessableError(`Service order ${id} awaits a supervisor's approval`, 'approval_pending');
      }
      const stamp = TRANSITIONS[to].stamp!;
      await manager.query(
        `UPDATE service_orders SET status = $2, ${stamp} = clock_timestamp(), approval_required = $3,
                approved_at = CASE WHEN $4::boolean AND approved_at IS NULL THEN clock_timestamp() ELSE approved_at END,
                approved_by_user_id = CASE WHEN $4::boolean AND approved_by_user_id IS NULL THEN $5::uuid ELSE approved_by_user_id END,
                updated_at = now(), version = version + 1
          WHERE id = $1`,
        [id, to, approvalRequired, approved, principal.kind === 'user' && approved ? principal.id : null],
      );
      let scheduled: Scheduled | null = null;
      if (to === 'submitted' && (!approvalRequired || approved)) scheduled = await this.release(manager, id);
      if (to === 'accepted') scheduled = await this.computeFollowups(manager, id);
      await this.history(manager, principal, id, before.status, to, note);
      const after = await this.load(manager, principal, id);
      await this.audit.record(manager, {
        action: 'update',
        entity: 'service_order',
        entityId: id,
        siteId: after.site_id,
        changes: {
          ...diffFields(toSummary(before), toSummary(after), ['status', 'approvalRequired', 'approvedAt', 'dueAt', 'remindAt', 'escalateAt']),
          ...(note ? { note: { to: note } } : {}),
        },
      });
      emit(after.site_id, 'service_order.status_changed', { ...change(after), fromStatus: before.status });
      return { view: await this.fullView(manager, principal, after), scheduled };
    });
    await this.schedule(scheduled);
    return view;
  }

  /** A supervisor approves an order above the site's threshold; the provider's clock starts now. */
  async approve(principal: Principal, id: string, note: string | null, version?: number): Promise<OrderView> {
    if (principal.kind !== 'user' || !this.isSupervisor(principal)) throw new ForbiddenError('Only a supervisor can approve a service order');
    const { view, scheduled } = await this.live.transaction(async (manager, emit) => {
      const before = await this.load(manager, principal, id, true);
      if (version !== undefined && version !== before.version) throw new ConflictError(`Service order ${id} was changed meanwhile`, 'stale_version');
      if (!(before.status === 'submitted' && before.approval_required && before.approved_at === null)) {
        throw new UnprocessableError(`Service order ${id} is not awaiting approval`, 'approval_not_pending');
      }
      await manager.query(
        `UPDATE service_orders SET approved_at = clock_timestamp(), approved_by_user_id = $2, updated_at = now(), version = version + 1 WHERE id = $1`,
        [id, principal.id],
      );
      const scheduled = await this.release(manager, id);
      const after = await this.load(manager, principal, id);
      await this.audit.record(manager, {
        action: 'update',
        entity: 'service_order',
        entityId: id,
        siteId: after.site_id,
        changes: { ...diffFields(toSummary(before), toSummary(after), ['approvedAt', 'approvedByUserId', 'dueAt']), ...(note ? { note: { to: note } } : {}) },
      });
      emit(after.site_id, 'service_order.approved', { ...change(after), approvedByUserId: principal.id }, [rooms.supervisors(after.site_id)]);
      return { view: await this.fullView(manager, principal, after), scheduled };
    });
    await this.schedule(scheduled);
    return view;
  }

  /** Internal users write internal comments; the provider's side is written by its integration, or by a user taking down the provider's words. */
  async comment(principal: Principal, id: string, input: CommentInput): Promise<CommentView> {
    return this.live.transaction(async (manager, emit) => {
      const order = await this.load(manager, principal, id);
      if (input.providerContactId && input.side !== 'provider') {
        throw new ValidationError('Only a provider-side comment names a provider contact', [{ field: 'providerContactId', message: 'needs side "provider"' }]);
      }
      let label = principal.label;
      if (input.providerContactId) {
        const [contact] = (await manager.query(`SELECT name FROM provider_contacts WHERE id = $1 AND provider_id = $2`, [
          input.providerContactId,
          order.provider_id,
        ])) as { name: string }[];
        if (!contact) throw new UnprocessableError('The contact is not one of the order’s provider', 'contact_not_of_provider');
        label = principal.kind === 'user' ? `${contact.name} (via ${principal.label})` : contact.name;
      } else if (input.side === 'provider' && principal.kind === 'user') {
        label = `${order.provider_name} (via ${principal.label})`;
      }
      const [row] = (await manager.query(
        `INSERT INTO service_order_comments (order_id, side, author_user_id, author_api_key_id, provider_contact_id, author_label, body)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
        [
          id,
          input.side,
          principal.kind === 'user' ? principal.id : null,
          principal.kind === 'api_key' ? principal.id : null,
          input.providerContactId ?? null,
          label,
          input.body,
        ],
      )) as CommentRow[];
      await this.audit.record(manager, {
        action: 'create',
        entity: 'service_order_comment',
        entityId: row.id,
        siteId: order.site_id,
        changes: { orderId: { to: id }, side: { to: input.side }, body: { to: input.body } },
      });
      emit(order.site_id, 'service_order.commented', { orderId: id, commentId: row.id, side: input.side });
      return toComment(row);
    });
  }

  async attach(principal: Principal, id: string, input: { url: string; label?: string | null }): Promise<AttachmentView> {
    return this.live.transaction(async (manager, emit) => {
      const order = await this.load(manager, principal, id, true);
      const [row] = (await manager.query(
        `INSERT INTO service_order_attachments (order_id, url, label, added_by_label) VALUES ($1, $2, $3, $4) RETURNING *`,
        [id, input.url, input.label ?? null, principal.label],
      )) as AttachmentRow[];
      const [after] = await rowsOf<FullRow>(
        manager,
        `UPDATE service_orders SET updated_at = now(), version = version + 1 WHERE id = $1 RETURNING *, $2::text AS provider_name`,
        [id, order.provider_name],
      );
      await this.audit.record(manager, {
        action: 'create',
        entity: 'service_order_attachment',
        entityId: row.id,
        siteId: order.site_id,
        changes: { orderId: { to: id }, url: { to: input.url }, label: { to: input.label ?? null } },
      });
      emit(order.site_id, 'service_order.updated', { ...change(after), fields: ['attachments'] });
      return toAttachment(row);
    });
  }

  /** Once per order, after delivery or completion, by the requester or a supervisor. */
  async rate(principal: Principal, id: string, input: RatingInput): Promise<RatingView> {
    return this.live.transaction(async (manager, emit) => {
      const order = await this.load(manager, principal, id, true);
      if (!['delivered', 'done', 'closed'].includes(order.status)) {
        throw new UnprocessableError(`A ${order.status} service order cannot be rated yet`, 'not_completed');
      }
      this.assertParty(principal, order, ['requester', 'supervisor'], 'rate');
      const [row] = (await manager.query(
        `INSERT INTO service_order_ratings (order_id, timeliness, quality, communication, comment, rated_by_user_id)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (order_id) DO NOTHING RETURNING *`,
        [id, input.timeliness, input.quality, input.communication, input.comment ?? null, principal.kind === 'user' ? principal.id : null],
      )) as RatingRow[];
      if (!row) throw new ConflictError(`Service order ${id} was already rated`, 'already_rated');
      const view = toRating(row);
      await this.audit.record(manager, {
        action: 'create',
        entity: 'service_order_rating',
        entityId: id,
        siteId: order.site_id,
        changes: diffFields(null, view, ['timeliness', 'quality', 'communication', 'comment']),
      });
      emit(order.site_id, 'service_order.rated', { orderId: id, providerId: order.provider_id });
      return view;
    });
  }

  async settings(principal: Principal, siteId: string): Promise<SettingsView> {
    assertSiteAccess(principal, siteId);
    return this.settingsOf(this.dataSource.manager, siteId);
  }

  async putSettings(
    principal: Principal,
    siteId: string,
    input: { approvalThresholdCents: number; currency: string },
    version?: number,
  ): Promise<SettingsView> {
    assertSiteAccess(principal, siteId);
    return this.live.transaction(async (manager) => {
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext('service_order_settings'), hashtext($1))`, [siteId]);
      const before = await this.settingsOf(manager, siteId);
      if (version !== undefined && version !== before.version) throw new ConflictError(`The settings of site ${siteId} were changed meanwhile`, 'stale_version');
      await manager.query(
        `INSERT INTO service_order_settings (site_id, approval_threshold_cents, currency) VALUES ($1, $2, $3)
         ON CONFLICT (site_id) DO UPDATE SET approval_threshold_cents = $2, currency = $3, updated_at = now(),
                                              version = service_order_settings.version + 1`,
        [siteId, input.approvalThresholdCents, input.currency],
      );
      const after = await this.settingsOf(manager, siteId);
      await this.audit.record(manager, {
        action: before.custom ? 'update' : 'create',
        entity: 'service_order_settings',
        entityId: siteId,
        siteId,
        changes: diffFields(before, after, ['approvalThresholdCents', 'currency']),
      });
      return after;
    });
  }

  /** Enqueues the follow-up steps of an order (after commit); a failure is logged, the sweep catches up. */
  private async schedule(scheduled: Scheduled | null): Promise<void> {
    if (!scheduled) return;
    const now = Date.now();
    try {
      for (const [step, at] of [
        ['reminder', scheduled.remindAt],
        ['escalation', scheduled.escalateAt],
      ] as const) {
        if (!at) continue;
        await this.jobs.enqueue(
          'followups.service-order-step',
          { orderId: scheduled.orderId, step },
          { jobId: followupJobId(scheduled.orderId, step, at), delay: Math.max(0, at.getTime() - now) },
        );
      }
    } catch (error) {
      this.logger.error({ err: error, orderId: scheduled.orderId }, 'Could not enqueue the service order follow-ups; the sweep will run them');
    }
  }

  /** The provider may act from now: stamp released_at and compute the due times. */
  private async release(manager: EntityManager, id: string): Promise<Scheduled> {
    await manager.query(`UPDATE service_orders SET released_at = clock_timestamp() WHERE id = $1`, [id]);
    return this.computeFollowups(manager, id);
  }

  private async computeFollowups(manager: EntityManager, id: string): Promise<Scheduled> {
    const [row] = (await manager.query(
      `SELECT o.*, p.response_hours, p.completion_hours FROM service_orders o JOIN providers p ON p.id = o.provider_id WHERE o.id = $1`,
      [id],
    )) as (OrderRow & { response_hours: string; completion_hours: string })[];
    if (!row.released_at) return { orderId: id, remindAt: null, escalateAt: null };
    const times = followupTimes(
      {
        status: row.status,
        releasedAt: row.released_at,
        acceptedAt: row.accepted_at,
        neededBy: row.needed_by,
        reminderSentAt: row.reminder_sent_at,
        remindAt: row.remind_at,
        escalateAt: row.escalate_at,
      },
      { responseHours: Number(row.response_hours), completionHours: Number(row.completion_hours) },
    );
    await manager.query(`UPDATE service_orders SET response_due_at = $2, due_at = $3, remind_at = $4, escalate_at = $5 WHERE id = $1`, [
      id,
      times.responseDueAt,
      times.dueAt,
      times.remindAt,
      times.escalateAt,
    ]);
    return { orderId: id, remindAt: row.reminder_sent_at ? null : times.remindAt, escalateAt: times.escalateAt };
  }

  private parties(principal: Principal, order: OrderRow): Party[] {
    const parties: Party[] = ['provider'];
    if (principal.kind === 'user' && principal.id === order.requester_user_id) parties.push('requester');
    if (principal.kind === 'api_key' && order.requester_user_id === null) parties.push('requester');
    if (this.isSupervisor(principal)) parties.push('supervisor');
    return parties;
  }

  private isSupervisor(principal: Principal): boolean {
    return principal.kind === 'user' && roleAtLeast(principal.role, 'supervisor');
  }

  private assertParty(principal: Principal, order: OrderRow, allowed: Party[], what: string): void {
    if (!this.parties(principal, order).some((p) => allowed.includes(p))) {
      throw new ForbiddenError(`Only the requester or a supervisor may ${what} this order`);
    }
  }

  private async load(manager: EntityManager, principal: Principal, id: string, lock = false): Promise<FullRow> {
    const [row] = (await manager.query(
      `SELECT o.*, p.name AS provider_name FROM service_orders o JOIN providers p ON p.id = o.provider_id WHERE o.id = $1 ${lock ? 'FOR UPDATE OF o' : ''}`,
      [id],
    )) as FullRow[];
    if (!row) throw new NotFoundError('Service order', id);
    assertSiteAccess(principal, row.site_id, 'Service order', id);
    return row;
  }

  private async fullView(manager: EntityManager, principal: Principal, row: FullRow): Promise<OrderView> {
    const id = row.id;
    // One after the other: inside a transaction they share one connection anyway.
    const lines: unknown = await manager.query(`SELECT item, quantity, unit_price_cents FROM service_order_lines WHERE order_id = $1 ORDER BY position`, [id]);
    const history: unknown = await manager.query(`SELECT * FROM service_order_status_history WHERE order_id = $1 ORDER BY id`, [id]);
    const comments: unknown = await manager.query(`SELECT * FROM service_order_comments WHERE order_id = $1 ORDER BY created_at, id`, [id]);
    const attachments: unknown = await manager.query(`SELECT * FROM service_order_attachments WHERE order_id = $1 ORDER BY created_at, id`, [id]);
    const ratings: unknown = await manager.query(`SELECT * FROM service_order_ratings WHERE order_id = $1`, [id]);
    const approvers: unknown = row.approved_by_user_id ? await manager.query(`SELECT display_name FROM users WHERE id = $1`, [row.approved_by_user_id]) : [];
    const parties = this.parties(principal, row);
    const summary = toSummary(row);
    const rating = (ratings as RatingRow[])[0] ? toRating((ratings as RatingRow[])[0]) : null;
    return {
      ...summary,
      lines: (lines as { item: string; quantity: number; unit_price_cents: string }[]).map(
        (l): OrderLineView => ({
          item: l.item,
          quantity: l.quantity,
          unitPriceCents: Number(l.unit_price_cents),
          totalCents: l.quantity * Number(l.unit_price_cents),
        }),
      ),
      history: (history as HistoryRow[]).map(toHistory),
      comments: (comments as CommentRow[]).map(toComment),
      attachments: (attachments as AttachmentRow[]).map(toAttachment),
      rating,
      allowedTransitions: nextStatuses(row.status, parties).filter((to) => !(to === 'accepted' && summary.approvalPending)),
      approvedByLabel: (approvers as { display_name: string }[])[0]?.display_name ?? null,
      canApprove: summary.approvalPending && parties.includes('supervisor'),
      canRate: rating === null && ['delivered', 'done', 'closed'].includes(row.status) && parties.some((p) => p === 'requester' || p === 'supervisor'),
    };
  }

  private async history(manager: EntityManager, principal: Principal, id: string, from: OrderStatus | null, to: OrderStatus, note: string | null): Promise<void> {
    await manager.query(
      `INSERT INTO service_order_status_history (order_id, from_status, to_status, actor_type, actor_id, actor_label, note)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [id, from, to, principal.kind, principal.id, principal.label, note],
    );
  }

  private async writeLines(manager: EntityManager, id: string, lines: LineInput[]): Promise<void> {
    if (lines.length === 0) return;
    await manager.query(
      `INSERT INTO service_order_lines (order_id, position, item, quantity, unit_price_cents)
       SELECT $1, l.position, l.item, l.quantity, l.unit_price_cents
         FROM jsonb_to_recordset($2::jsonb) AS l(position integer, item text, quantity integer, unit_price_cents bigint)`,
      [id, JSON.stringify(lines.map((l, position) => ({ position, item: l.item, quantity: l.quantity, unit_price_cents: l.unitPriceCents })))],
    );
  }

  private async lineCount(manager: EntityManager, id: string): Promise<number> {
    const [{ n }] = (await manager.query(`SELECT count(*)::int AS n FROM service_order_lines WHERE order_id = $1`, [id])) as { n: number }[];
    return n;
  }

  private async checkProvider(manager: EntityManager, siteId: string, providerId: string, contactId: string | null): Promise<void> {
    const [provider] = (await manager.query(`SELECT site_id, active FROM providers WHERE id = $1`, [providerId])) as { site_id: string; active: boolean }[];
    if (!provider || provider.site_id !== siteId) {
      throw new UnprocessableError(`Provider ${providerId} is not a provider of this site`, 'provider_not_of_site', [
        { field: 'providerId', message: 'must be a provider of the order’s site' },
      ]);
    }
    if (!provider.active) throw new UnprocessableError(`Provider ${providerId} is inactive`, 'provider_inactive');
    if (contactId) {
      const [contact] = (await manager.query(`SELECT 1 FROM provider_contacts WHERE id = $1 AND provider_id = $2`, [contactId, providerId])) as unknown[];
      if (!contact) {
        throw new UnprocessableError('The contact is not one of the provider', 'contact_not_of_provider', [
          { field: 'providerContactId', message: 'must be a contact of the provider' },
        ]);
      }
    }
  }

  /** A catering or equipment order may belong to a room booking of the same site. */
  private async checkBooking(manager: EntityManager, siteId: string, bookingId: string): Promise<void> {
    const [booking] = (await manager.query(`SELECT site_id FROM resource_bookings WHERE id = $1`, [bookingId])) as { site_id: string }[];
    if (!booking || booking.site_id !== siteId) {
      throw new UnprocessableError(`Booking ${bookingId} is not a booking of this site`, 'booking_not_of_site', [
        { field: 'bookingId', message: 'must be a booking of the order’s site' },
      ]);
    }
  }

  private async settingsOf(manager: Pick<EntityManager, 'query'>, siteId: string): Promise<SettingsView> {
    const [row] = (await manager.query(`SELECT * FROM service_order_settings WHERE site_id = $1`, [siteId])) as {
      approval_threshold_cents: string;
      currency: string;
      version: number;
    }[];
    return row
      ? { siteId, approvalThresholdCents: Number(row.approval_threshold_cents), currency: row.currency, custom: true, version: row.version }
      : { siteId, approvalThresholdCents: DEFAULT_APPROVAL_THRESHOLD_CENTS, currency: DEFAULT_CURRENCY, custom: false, version: 0 };
  }
}

/** Above the threshold — or in another currency than the threshold's, where no comparison holds — a supervisor approves. */
export function needsApproval(totalCents: number, currency: string, settings: Pick<SettingsView, 'approvalThresholdCents' | 'currency'>): boolean {
  if (totalCents === 0) return false;
  if (currency !== settings.currency) return true;
  return totalCents > settings.approvalThresholdCents;
}

function assertWindow(start: Date | null, end: Date | null): void {
  if ((start === null) !== (end === null)) {
    throw new ValidationError('A service window needs a start and an end', [{ field: start ? 'windowEnd' : 'windowStart', message: 'must be given with the other end' }]);
  }
  if (start && end && end <= start) throw new ValidationError('The window ends before it starts', [{ field: 'windowEnd', message: 'must be after windowStart' }]);
}

function assertFuture(field: string, at: Date | null): void {
  if (at && at.getTime() <= Date.now()) throw new ValidationError(`${field} is in the past`, [{ field, message: 'must be in the future' }]);
}

function change(row: FullRow): { orderId: string; providerId: string; status: string; version: number } {
  return { orderId: row.id, providerId: row.provider_id, status: row.status, version: row.version };
}

interface HistoryRow {
  from_status: OrderStatus | null;
  to_status: OrderStatus;
  at: Date;
  actor_type: 'user' | 'api_key' | 'system';
  actor_id: string | null;
  actor_label: string;
  note: string | null;
}

interface CommentRow {
  id: string;
  side: 'internal' | 'provider';
  author_user_id: string | null;
  provider_contact_id: string | null;
  author_label: string;
  body: string;
  created_at: Date;
}

interface AttachmentRow {
  id: string;
  url: string;
  label: string | null;
  added_by_label: string;
  created_at: Date;
}

interface RatingRow {
  timeliness: number;
  quality: number;
  communication: number;
  comment: string | null;
  rated_by_user_id: string | null;
  rated_at: Date;
}

function toHistory(r: HistoryRow): StatusChangeView {
  return { fromStatus: r.from_status, toStatus: r.to_status, at: r.at, actorType: r.actor_type, actorId: r.actor_id, actorLabel: r.actor_label, note: r.note };
}

function toComment(r: CommentRow): CommentView {
  return {
    id: r.id,
    side: r.side,
    authorUserId: r.author_user_id,
    providerContactId: r.provider_contact_id,
    authorLabel: r.author_label,
    body: r.body,
    createdAt: r.created_at,
  };
}

function toAttachment(r: AttachmentRow): AttachmentView {
  return { id: r.id, url: r.url, label: r.label, addedByLabel: r.added_by_label, createdAt: r.created_at };
}

function toRating(r: RatingRow): RatingView {
  return { timeliness: r.timeliness, quality: r.quality, communication: r.communication, comment: r.comment, ratedByUserId: r.rated_by_user_id, ratedAt: r.rated_at };
}

