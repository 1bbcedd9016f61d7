import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { rowsOf } from '@guichet/database/sql';
import { AuditService, diffFields } from '../audit/audit.service';
import { ConflictError, NotFoundError, ValidationError } from '../errors/domain-error';
import type { Principal } from '../identity/principal';
import { assertSiteAccess } from '../identity/site-access';
import { Emit, LiveEvents } from '../live/live-events.service';
import type { OrderType } from '../service-orders/order-rules';
import { CompletedOrder, MonthFigures, monthlyFigures, PeriodFigures, periodFigures } from './provider-figures';

export type ProviderKind = 'internal' | 'external';
export const IMPROVEMENT_STATUSES = ['proposed', 'in_progress', 'done', 'dropped'] as const;
export type ImprovementStatus = (typeof IMPROVEMENT_STATUSES)[number];

export interface ContactInput {
  name: string;
  role?: string | null;
  email?: string | null;
  phone?: string | null;
  isPrimary?: boolean;
}

export interface ProviderInput {
  siteId: string;
  kind: ProviderKind;
  name: string;
  description?: string;
  orderTypes?: OrderType[];
  email?: string | null;
  phone?: string | null;
  contractReference?: string | null;
  contractEndsOn?: string | null;
  responseHours: number;
  completionHours: number;
  active?: boolean;
  contacts?: ContactInput[];
}

export type ProviderPatch = Partial<Omit<ProviderInput, 'siteId' | 'contacts'>>;

export interface ContactView {
  id: string;
  name: string;
  role: string | null;
  email: string | null;
  phone: string | null;
  isPrimary: boolean;
}

export interface ProviderView {
  id: string;
  siteId: string;
  kind: ProviderKind;
  name: string;
  description: string;
  orderTypes: OrderType[];
  email: string | null;
  phone: string | null;
  contractReference: string | null;
  contractEndsOn: string | null;
  /** Hours: submitted → accepted, and accepted → delivered/done. */
  responseHours: number;
  completionHours: number;
  active: boolean;
  contacts: ContactView[];
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

export interface ProviderQuery {
  siteId?: string;
  kind?: ProviderKind;
  orderType?: OrderType;
  active?: boolean;
  page: number;
  limit: number;
}

export interface ImprovementInput {
  title: string;
  description?: string;
  status?: ImprovementStatus;
  dueOn?: string | null;
}

export interface ImprovementView {
  id: string;
  providerId: string;
  title: string;
  description: string;
  status: ImprovementStatus;
  dueOn: string | null;
  createdByUserId: string | null;
  createdAt: Date;
  updatedAt: Date;
  completedAt: Date | null;
  version: number;
}

export interface ProviderFigures extends PeriodFigures {
  providerId: string;
  from: Date | null;
  to: Date | null;
  /** Orders sent to the provider (drafts excluded) in the period, by creation time. */
  orders: { total: number; open: number; completed: number; rejected: number; cancelled: number };
  months: MonthFigures[];
}

interface ProviderRow {
  id: string;
  site_id: string;
  kind: ProviderKind;
  name: string;
  description: string;
  order_types: OrderType[];
  email: string | null;
  phone: string | null;
  contract_reference: string | null;
  contract_ends_on: string | null;
  response_hours: string;
  completion_hours: string;
  active: boolean;
  created_at: Date;
  updated_at: Date;
  version: number;
}

interface ContactRow {
  id: string;
  provider_id: string;
  name: string;
  role: string | null;
  email: string | null;
  phone: string | null;
  is_primary: boolean;
}

interface ImprovementRow {
  id: string;
  provider_id: string;
  site_id: string;
  title: string;
  description: string;
  status: ImprovementStatus;
  due_on: string | null;
  created_by_user_id: string | null;
  created_at: Date;
  updated_at: Date;
  completed_at: Date | null;
  version: number;
}

const PROVIDER_FIELDS: (keyof ProviderView)[] = [
  'kind',
  'name',
  'description',
  'orderTypes',
  'email',
  'phone',
  'contractReference',
  'contractEndsOn',
  'responseHours',
  'completionHours',
  'active',
];

const COLUMN: Record<keyof ProviderPatch, string> = {
  kind: 'kind',
  name: 'name',
  description: 'description',
  orderTypes: 'order_types',
  email: 'email',
  phone: 'phone',
  contractReference: 'contract_reference',
  contractEndsOn: 'contract_ends_on',
  responseHours: 'response_hours',
  completionHours: 'completion_hours',
  active: 'active',
};

/** Internal teams and external companies a site orders services from, their contacts, figures and improvement actions. */
@Injectable()
export class ProvidersService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly live: LiveEvents,
    private readonly audit: AuditService,
  ) {}

  async list(principal: Principal, query: ProviderQuery): Promise<{ items: ProviderView[]; total: number }> {
    const sites = query.siteId ? principal.siteIds.filter((s) => s === query.siteId) : principal.siteIds;
    const params: unknown[] = [sites];
    const where = ['p.site_id = ANY($1::uuid[])'];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (query.kind) add('p.kind = ?', query.kind);
    if (query.orderType) add('? = ANY(p.order_types)', query.orderType);
    if (query.active !== undefined) add('p.active = ?', query.active);
    const [{ total }] = (await this.dataSource.query(`SELECT count(*)::int AS total FROM providers p WHERE ${where.join(' AND ')}`, params)) as {
      total: number;
    }[];
    params.push(query.limit, (query.page - 1) * query.limit);
    const rows = (await this.dataSource.query(
      `SELECT p.* FROM providers p WHERE ${where.join(' AND ')} ORDER BY p.name, p.id LIMIT $${params.length - 1} OFFSET $${params.length}`,
      params,
    )) as ProviderRow[];
    const contacts = await this.contactsOf(
      this.dataSource.manager,
      rows.map((r) => r.id),
    );
    return { items: rows.map((r) => toView(r, contacts.get(r.id) ?? [])), total };
  }

  async get(principal: Principal, id: string): Promise<ProviderView> {
    const row = await this.load(this.dataSource.manager, principal, id);
    return toView(row, (await this.contactsOf(this.dataSource.manager, [id])).get(id) ?? []);
  }

  async create(principal: Principal, input: ProviderInput): Promise<ProviderView> {
    assertSiteAccess(principal, input.siteId);
    assertOnePrimary(input.contacts ?? []);
    return this.live.transaction(async (manager, emit) => {
      const [row] = (await manager.query(
        `INSERT INTO providers (site_id, kind, name, description, order_types, email, phone, contract_reference, contract_ends_on,
                                response_hours, completion_hours, active)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING *`,
        [
          input.siteId,
          input.kind,
          input.name,
          input.description ?? '',
          input.orderTypes ?? [],
          input.email ?? null,
          input.phone ?? null,
          input.contractReference ?? null,
          input.contractEndsOn ?? null,
          input.responseHours,
          input.completionHours,
          input.active ?? true,
        ],
      )) as ProviderRow[];
      for (const contact of input.contacts ?? []) await this.insertContact(manager, row.id, contact);
      const view = toView(row, (await this.contactsOf(manager, [row.id])).get(row.id) ?? []);
      await this.audit.record(manager, {
        action: 'create',
        entity: 'provider',
        entityId: row.id,
        siteId: row.site_id,
        changes: { ...diffFields(null, view, PROVIDER_FIELDS), ...(view.contacts.length ? { contacts: { to: view.contacts.map((c) => c.name) } } : {}) },
      });
      emitChange(emit, row.site_id, row.id, 'create');
      return view;
    });
  }

  async update(principal: Principal, id: string, patch: ProviderPatch, version?: number): Promise<ProviderView> {
    return this.live.transaction(async (manager, emit) => {
      const before = await this.load(manager, principal, id, true);
      if (version !== undefined && version !== before.version) throw new ConflictError(`Provider ${id} was changed meanwhile`, 'stale_version');
      const sets: string[] = [];
      const params: unknown[] = [id];
      for (const [field, value] of Object.entries(patch) as [keyof ProviderPatch, unknown][]) {
        if (value === undefined) continue;
        params.push(value);
        sets.push(`${COLUMN[field]} = $${params.length}`);
      }
      const [after] = await rowsOf<ProviderRow>(
        manager,
        `UPDATE providers SET ${[...sets, 'updated_at = now()', 'version = version + 1'].join(', ')} WHERE id = $1 RETURNING *`,
        params,
      );
      const contacts = (await this.contactsOf(manager, [id])).get(id) ?? [];
      const view = toView(after, contacts);
      await this.audit.record(manager, {
        action: 'update',
        entity: 'provider',
        entityId: id,
        siteId: after.site_id,
        changes: diffFields(toView(before, contacts), view, PROVIDER_FIELDS),
      });
      emitChange(emit, after.site_id, id, 'update');
      return view;
    });
  }

  async addContact(principal: Principal, providerId: string, input: ContactInput): Promise<ContactView> {
    return this.live.transaction(async (manager, emit) => {
      const provider = await this.load(manager, principal, providerId, true);
      if (input.isPrimary) await manager.query(`UPDATE provider_contacts SET is_primary = false WHERE provider_id = $1 AND is_primary`, [providerId]);
      const contact = await this.insertContact(manager, providerId, input);
      await this.audit.record(manager, {
        action: 'create',
        entity: 'provider_contact',
        entityId: contact.id,
        siteId: provider.site_id,
        changes: diffFields(null, { ...contact, providerId } as Record<string, unknown>, ['providerId', 'name', 'role', 'email', 'phone', 'isPrimary']),
      });
      emitChange(emit, provider.site_id, providerId, 'update');
      return contact;
    });
  }

  async updateContact(principal: Principal, providerId: string, contactId: string, patch: Partial<ContactInput>): Promise<ContactView> {
    return this.live.transaction(async (manager, emit) => {
      const provider = await this.load(manager, principal, providerId, true);
      const [before] = (await manager.query(`SELECT * FROM provider_contacts WHERE id = $1 AND provider_id = $2 FOR UPDATE`, [
        contactId,
        providerId,
      ])) as ContactRow[];
      if (!before) throw new NotFoundError('Provider contact', contactId);
      if (patch.isPrimary) await manager.query(`UPDATE provider_contacts SET is_primary = false WHERE provider_id = $1 AND is_primary`, [providerId]);
      const [after] = await rowsOf<ContactRow>(
        manager,
        `UPDATE provider_contacts SET name = COALESCE($2, name),
                role = CASE WHEN $3::boolean THEN $4 ELSE role END,
                email = CASE WHEN $5::boolean THEN $6 ELSE email END,
                phone = CASE WHEN $7::boolean THEN $8 ELSE phone END,
                is_primary = COALESCE($9, is_primary)
          WHERE id = $1 RETURNING *`,
        [
          contactId,
          patch.name ?? null,
          patch.role !== undefined,
          patch.role ?? null,
          patch.email !== undefined,
          patch.email ?? null,
          patch.phone !== undefined,
          patch.phone ?? null,
          patch.isPrimary ?? null,
        ],
      );
      await this.audit.record(manager, {
        action: 'update',
        entity: 'provider_contact',
        entityId: contactId,
        siteId: provider.site_id,
        changes: diffFields(toContact(before), toContact(after), ['name', 'role', 'email', 'phone', 'isPrimary']),
      });
      emitChange(emit, provider.site_id, providerId, 'update');
      return toContact(after);
    });
  }

  async removeContact(principal: Principal, providerId: string, contactId: string): Promise<void> {
    await this.live.transaction(async (manager, emit) => {
      const provider = await this.load(manager, principal, providerId, true);
      const [removed] = await rowsOf<ContactRow>(manager, `DELETE FROM provider_contacts WHERE id = $1 AND provider_id = $2 RETURNING *`, [
        contactId,
        providerId,
      ]);
      if (!removed) throw new NotFoundError('Provider contact', contactId);
      await this.audit.record(manager, {
        action: 'delete',
        entity: 'provider_contact',
        entityId: contactId,
        siteId: provider.site_id,
        changes: diffFields(toContact(removed), null, ['name', 'role', 'email', 'phone', 'isPrimary']),
      });
      emitChange(emit, provider.site_id, providerId, 'update');
    });
  }

  async listImprovements(principal: Principal, providerId: string): Promise<ImprovementView[]> {
    await this.load(this.dataSource.manager, principal, providerId);
    const rows = (await this.dataSource.query(`SELECT * FROM provider_improvement_actions WHERE provider_id = $1 ORDER BY created_at DESC, id`, [
      providerId,
    ])) as ImprovementRow[];
    return rows.map(toImprovement);
  }

  async createImprovement(principal: Principal, providerId: string, input: ImprovementInput): Promise<ImprovementView> {
    return this.live.transaction(async (manager, emit) => {
      const provider = await this.load(manager, principal, providerId);
      const status = input.status ?? 'proposed';
      const [row] = (await manager.query(
        `INSERT INTO provider_improvement_actions (provider_id, site_id, title, description, status, due_on, created_by_user_id, completed_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, CASE WHEN $5 = 'done' THEN now() END) RETURNING *`,
        [providerId, provider.site_id, input.title, input.description ?? '', status, input.dueOn ?? null, principal.kind === 'user' ? principal.id : null],
      )) as ImprovementRow[];
      const view = toImprovement(row);
      await this.audit.record(manager, {
        action: 'create',
        entity: 'provider_improvement_action',
        entityId: row.id,
        siteId: provider.site_id,
        changes: diffFields(null, view, ['providerId', 'title', 'description', 'status', 'dueOn']),
      });
      emitChange(emit, provider.site_id, providerId, 'improvement_action');
      return view;
    });
  }

  async updateImprovement(
    principal: Principal,
    providerId: string,
    actionId: string,
    patch: Partial<ImprovementInput>,
    version?: number,
  ): Promise<ImprovementView> {
    return this.live.transaction(async (manager, emit) => {
      const provider = await this.load(manager, principal, providerId);
      const [before] = (await manager.query(`SELECT * FROM provider_improvement_actions WHERE id = $1 AND provider_id = $2 FOR UPDATE`, [
        actionId,
        providerId,
      ])) as ImprovementRow[];
      if (!before) throw new NotFoundError('Improvement action', actionId);
      if (version !== undefined && version !== before.version) throw new ConflictError(`Improvement action ${actionId} was changed meanwhile`, 'stale_version');
      const [after] = await rowsOf<ImprovementRow>(
        manager,
        `UPDATE provider_improvement_actions
            SET title = COALESCE($2, title), description = COALESCE($3, description), status = COALESCE($4, status),
                due_on = CASE WHEN $5::boolean THEN $6::date ELSE due_on END,
                completed_at = CASE WHEN COALESCE($4, status) = 'done' THEN COALESCE(completed_at, now()) END,
                updated_at = now(), version = version + 1
          WHERE id = $1 RETURNING *`,
        [actionId, patch.title ?? null, patch.description ?? null, patch.status ?? null, patch.dueOn !== undefined, patch.dueOn ?? null],
      );
      await this.audit.record(manager, {
        action: 'update',
        entity: 'provider_improvement_action',
        entityId: actionId,
        siteId: provider.site_id,
        changes: diffFields(toImprovement(before), toImprovement(after), ['title', 'description', 'status', 'dueOn']),
      });
      emitChange(emit, provider.site_id, providerId, 'improvement_action');
      return toImprovement(after);
    });
  }

  /** Quality figures over orders completed in [from, to) (all time without bounds), with the monthly trend in the site's zone. */
  async figures(principal: Principal, providerId: string, range: { from?: Date; to?: Date }): Promise<ProviderFigures> {
    if (range.from && range.to && range.to <= range.from) {
      throw new ValidationError('to must be after from', [{ field: 'to', message: 'must be after from' }]);
    }
    const provider = await this.load(this.dataSource.manager, principal, providerId);
    const [{ time_zone: timeZone }] = (await this.dataSource.query(`SELECT time_zone FROM sites WHERE id = $1`, [provider.site_id])) as {
      time_zone: string;
    }[];
    const from = range.from ?? null;
    const to = range.to ?? null;
    const completed = (await this.dataSource.query(
      `SELECT o.due_at, o.completed_at, r.timeliness, r.quality, r.communication
         FROM service_orders o LEFT JOIN service_order_ratings r ON r.order_id = o.id
        WHERE o.provider_id = $1 AND o.completed_at IS NOT NULL AND o.due_at IS NOT NULL
          AND ($2::timestamptz IS NULL OR o.completed_at >= $2) AND ($3::timestamptz IS NULL OR o.completed_at < $3)
        ORDER BY o.completed_at`,
      [providerId, from, to],
    )) as { due_at: Date; completed_at: Date; timeliness: number | null; quality: number | null; communication: number | null }[];
    const orders: CompletedOrder[] = completed.map((r) => ({
      dueAt: r.due_at,
      completedAt: r.completed_at,
      rating: r.timeliness === null ? null : { timeliness: r.timeliness, quality: r.quality!, communication: r.communication! },
    }));
    const [counts] = (await this.dataSource.query(
      `SELECT count(*)::int AS total,
              count(*) FILTER (WHERE status IN ('submitted', 'accepted', 'in_progress'))::int AS open,
              count(*) FILTER (WHERE status IN ('delivered', 'done', 'closed'))::int AS completed,
              count(*) FILTER (WHERE status = 'rejected')::int AS rejected,
              count(*) FILTER (WHERE status = 'cancelled' AND submitted_at IS NOT NULL)::int AS cancelled
         FROM service_orders
        WHERE provider_id = $1 AND submitted_at IS NOT NULL
          AND ($2::timestamptz IS NULL OR created_at >= $2) AND ($3::timestamptz IS NULL OR created_at < $3)`,
      [providerId, from, to],
    )) as ProviderFigures['orders'][];
    return { providerId, from, to, orders: counts, ...periodFigures(orders), months: monthlyFigures(orders, timeZone) };
  }

  private async load(manager: EntityManager, principal: Principal, id: string, lock = false): Promise<ProviderRow> {
    const [row] = (await manager.query(`SELECT * FROM providers WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`, [id])) as ProviderRow[];
    if (!row) throw new NotFoundError('Provider', id);
    assertSiteAccess(principal, row.site_id, 'Provider', id);
    return row;
  }

  private async contactsOf(manager: Pick<EntityManager, 'query'>, providerIds: string[]): Promise<Map<string, ContactView[]>> {
    const rows = (await manager.query(
      `SELECT * FROM provider_contacts WHERE provider_id = ANY($1::uuid[]) ORDER BY is_primary DESC, name, id`,
      [providerIds],
    )) as ContactRow[];
    const byProvider = new Map<string, ContactView[]>();
    for (const row of rows) byProvider.set(row.provider_id, [...(byProvider.get(row.provider_id) ?? []), toContact(row)]);
    return byProvider;
  }

  private async insertContact(manager: EntityManager, providerId: string, input: ContactInput): Promise<ContactView> {
    const [row] = (await manager.query(
      `INSERT INTO provider_contacts (provider_id, name, role, email, phone, is_primary) VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
      [providerId, input.name, input.role ?? null, input.email ?? null, input.phone ?? null, input.isPrimary ?? false],
    )) as ContactRow[];
    return toContact(row);
  }
}

function assertOnePrimary(contacts: ContactInput[]): void {
  if (contacts.filter((c) => c.isPrimary).length > 1) {
    throw new ValidationError('Only one contact can be the primary one', [{ field: 'contacts', message: 'at most one primary contact' }]);
  }
}

function emitChange(emit: Emit, siteId: string, providerId: string, action: 'create' | 'update' | 'improvement_action'): void {
  emit(siteId, 'provider.changed', { providerId, action });
}

function toView(row: ProviderRow, contacts: ContactView[]): ProviderView {
  return {
    id: row.id,
    siteId: row.site_id,
    kind: row.kind,
    name: row.name,
    description: row.description,
    orderTypes: row.order_types,
    email: row.email,
    phone: row.phone,
    contractReference: row.contract_reference,
    contractEndsOn: row.contract_ends_on,
    responseHours: Number(row.response_hours),
    completionHours: Number(row.completion_hours),
    active: row.active,
    contacts,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: row.version,
  };
}

function toContact(row: ContactRow): ContactView {
  return { id: row.id, name: row.name, role: row.role, email: row.email, phone: row.phone, isPrimary: row.is_primary };
}

function toImprovement(row: ImprovementRow): ImprovementView {
  return {
    id: row.id,
    providerId: row.provider_id,
    title: row.title,
    description: row.description,
    status: row.status,
    dueOn: row.due_on,
    createdByUserId: row.created_by_user_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    completedAt: row.completed_at,
    version: row.version,
  };
}
