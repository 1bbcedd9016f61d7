import { roleAtLeast, type Principal } from '../identity/principal';
import type { Confidentiality } from './request-lifecycle';

/** Fields of a confidential request that only its author's service, supervisors and admins read. */
export const CONFIDENTIAL_FIELDS = ['notes', 'reformulation'] as const;
export type ConfidentialField = (typeof CONFIDENTIAL_FIELDS)[number];

export interface ConfidentialityContext {
  confidentiality: Confidentiality;
  authorServiceId: string | null;
  createdByUserId: string | null;
}

/**
 * Who reads the notes and reformulation of a request. Normal requests: everyone who sees the
 * request. Confidential ones: supervisors, admins, users of the author's service, and the author
 * (who may have no service). API keys never do: an integration is not a person bound by secrecy.
 */
export function canReadConfidential(principal: Principal, request: ConfidentialityContext): boolean {
  if (request.confidentiality !== 'confidential') return true;
  if (principal.kind !== 'user') return false;
  if (roleAtLeast(principal.role, 'supervisor')) return true;
  if (principal.id === request.createdByUserId) return true;
  return principal.serviceId !== null && principal.serviceId === request.authorServiceId;
}

/** The request as `principal` may see it: confidential fields are left out entirely, not blanked. */
export function redactRequest<T extends ConfidentialityContext & Partial<Record<ConfidentialField, unknown>>>(principal: Principal, request: T): T {
  if (canReadConfidential(principal, request)) return request;
  const { notes: _notes, reformulation: _reformulation, ...rest } = request;
  return rest as T;
}

/**
 * Timeline event data without confidential text. Texts sit either at the top of the data (a
 * snapshot such as `created`) or under `changes` (`updated`); other domains appending events
 * put confidential text under the same keys to get the same protection.
 */
export function redactEventData(data: Record<string, unknown>): Record<string, unknown> {
  const out = withoutConfidential(data);
  const changes = data.changes;
  if (changes && typeof changes === 'object' && !Array.isArray(changes)) {
    out.changes = withoutConfidential(changes as Record<string, unknown>);
  }
  return out;
}

function withoutConfidential(data: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(data).filter(([key]) => !(CONFIDENTIAL_FIELDS as readonly string[]).includes(key)));
}
