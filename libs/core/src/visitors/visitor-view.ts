import type { EntityManager } from 'typeorm';
import { diffFields } from '../audit/audit.service';
import type { AuditChanges } from '../audit/audit-entry.entity';
import { VISITOR_COLUMNS } from './visitor-queries';
import { Consent, displayName, isAnonymous, VisitorAddress, VisitorNeed, VisitorState, VisitorType } from './visitor-rules';

/** A visitor as the API shows it. */
export interface VisitorView {
  id: string;
  siteId: string;
  type: VisitorType;
  displayName: string;
  anonymous: boolean;
  firstName: string | null;
  lastName: string | null;
  phone: string | null;
  email: string | null;
  address: VisitorAddress | null;
  preferredLanguage: string | null;
  needs: VisitorNeed[];
  needsOther: string | null;
  consent: Consent;
  retentionUntil: string | null;
  notes: string | null;
  /** Set on a merged visitor (a tombstone): follow it to the visitor that carries the history now. */
  mergedIntoId: string | null;
  createdByUserId: string | null;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

/** A row selected with VISITOR_COLUMNS. */
export interface VisitorRow {
  id: string;
  site_id: string;
  type: VisitorType;
  first_name: string | null;
  last_name: string | null;
  phone: string | null;
  email: string | null;
  address: VisitorAddress | null;
  preferred_language: string | null;
  needs: VisitorNeed[];
  needs_other: string | null;
  consent_given: boolean;
  consent_at: Date | null;
  consent_purposes: string[];
  retention_until: string | null;
  notes: string | null;
  merged_into_id: string | null;
  created_by_user_id: string | null;
  created_at: Date;
  updated_at: Date;
  version: number;
}

export function toState(row: VisitorRow): VisitorState {
  return {
    type: row.type,
    firstName: row.first_name,
    lastName: row.last_name,
    phone: row.phone,
    email: row.email,
    address: row.address,
    preferredLanguage: row.preferred_language,
    needs: row.needs,
    needsOther: row.needs_other,
    consent: { given: row.consent_given, at: row.consent_at, purposes: row.consent_purposes },
    retentionUntil: row.retention_until,
    notes: row.notes,
  };
}

export function toView(row: VisitorRow): VisitorView {
  const state = toState(row);
  return {
    id: row.id,
    siteId: row.site_id,
    type: state.type,
    displayName: displayName(state, row.id),
    anonymous: isAnonymous(state),
    firstName: state.firstName,
    lastName: state.lastName,
    phone: state.phone,
    email: state.email,
    address: state.address,
    preferredLanguage: state.preferredLanguage,
    needs: state.needs,
    needsOther: state.needsOther,
    consent: state.consent,
    retentionUntil: state.retentionUntil,
    notes: state.notes,
    mergedIntoId: row.merged_into_id,
    createdByUserId: row.created_by_user_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: row.version,
  };
}

/** Parameters $2… of an INSERT or UPDATE writing every column of VisitorState, in STATE_COLUMNS order. */
export const STATE_COLUMNS = [
  'type',
  'first_name',
  'last_name',
  'phone',
  'email',
  'address',
  'preferred_language',
  'needs',
  'needs_other',
  'consent_given',
  'consent_at',
  'consent_purposes',
  'retention_until',
  'notes',
] as const;

export function stateValues(state: VisitorState): unknown[] {
  return [
    state.type,
    state.firstName,
    state.lastName,
    state.phone,
    state.email,
    state.address ? JSON.stringify(state.address) : null,
    state.preferredLanguage,
    state.needs,
    state.needsOther,
    state.consent.given,
    state.consent.at,
    state.consent.purposes,
    state.retentionUntil,
    state.notes,
  ];
}

/**
 * Writes every editable column and bumps the version. (Wrapped in a CTE: TypeORM answers a bare
 * UPDATE … RETURNING with [rows, count] rather than the rows.)
 */
export async function writeState(manager: EntityManager, id: string, state: VisitorState): Promise<VisitorRow> {
  const [row] = (await manager.query(
    `WITH v AS (
       UPDATE visitors SET ${STATE_COLUMNS.map((column, i) => `${column} = $${i + 2}`).join(', ')},
              version = version + 1, updated_at = now()
        WHERE id = $1
        RETURNING *
     )
     SELECT ${VISITOR_COLUMNS} FROM v`,
    [id, ...stateValues(state)],
  )) as VisitorRow[];
  return row;
}

const AUDITED: (keyof VisitorState)[] = [
  'type',
  'firstName',
  'lastName',
  'phone',
  'email',
  'address',
  'preferredLanguage',
  'needs',
  'needsOther',
  'consent',
  'retentionUntil',
  'notes',
];

/** Fields that identify the person: the audit trail says they changed, never what they held, so an erasure leaves nothing behind. */
const PERSONAL = new Set<string>(['firstName', 'lastName', 'phone', 'email', 'address', 'needsOther', 'notes']);
const MASK = '[personal]';

export function visitorChanges(before: VisitorState | null, after: VisitorState | null): AuditChanges {
  const changes = diffFields<VisitorState>(before, after, AUDITED);
  for (const [field, change] of Object.entries(changes)) {
    if (!PERSONAL.has(field)) continue;
    changes[field] = {
      ...('from' in change ? { from: change.from === null ? null : MASK } : {}),
      ...('to' in change ? { to: change.to === null ? null : MASK } : {}),
    };
  }
  return changes;
}
