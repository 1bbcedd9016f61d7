import type { CountryCode } from 'libphonenumber-js';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { DateTime } from 'luxon';
import { FieldError, ValidationError } from '../errors/domain-error';

export const VISITOR_TYPES = ['client', 'citizen', 'supplier', 'partner', 'other'] as const;
export type VisitorType = (typeof VISITOR_TYPES)[number];

/** Specific needs, shown as badges wherever the visitor appears. Order here is the display order. */
export const VISITOR_NEEDS = ['reduced_mobility', 'hearing', 'sight', 'foreign_language', 'urgency', 'accompanied_child', 'other'] as const;
export type VisitorNeed = (typeof VISITOR_NEEDS)[number];

/**
 * Personal data is kept this long after the last contact (the CNIL's usual limit for contact data
 * of people with no ongoing procedure); each write through this module counts as a contact.
 */
export const RETENTION_YEARS = 3;

/** Numbers without an international prefix are read as French ones. */
export const DEFAULT_PHONE_COUNTRY: CountryCode = 'FR';

export interface VisitorAddress {
  street?: string | null;
  postalCode?: string | null;
  city?: string | null;
  /** ISO 3166-1 alpha-2. */
  country?: string | null;
}

export interface Consent {
  given: boolean;
  /** Set by the server when consent is given; null when it is not. */
  at: Date | null;
  purposes: string[];
}

/** The editable part of a visitor, as stored. */
export interface VisitorState {
  type: VisitorType;
  firstName: string | null;
  lastName: string | null;
  /** E.164. */
  phone: string | null;
  email: string | null;
  address: VisitorAddress | null;
  preferredLanguage: string | null;
  needs: VisitorNeed[];
  needsOther: string | null;
  consent: Consent;
  /** YYYY-MM-DD. */
  retentionUntil: string | null;
  notes: string | null;
}

/** What a caller may send; undefined leaves a field as it is, null clears it. */
export interface VisitorPatch {
  type?: VisitorType;
  firstName?: string | null;
  lastName?: string | null;
  phone?: string | null;
  email?: string | null;
  address?: VisitorAddress | null;
  preferredLanguage?: string | null;
  needs?: VisitorNeed[];
  needsOther?: string | null;
  consent?: { given: boolean; purposes?: string[] };
  /** null goes back to the default (three years from now). */
  retentionUntil?: string | null;
  notes?: string | null;
}

/** E.164 form of a phone number written in any usual way, or null when it is not a valid number. */
export function normalisePhone(input: string, country: CountryCode = DEFAULT_PHONE_COUNTRY): string | null {
  const parsed = parsePhoneNumberFromString(input.trim(), { defaultCountry: country });
  return parsed?.isValid() ? parsed.number : null;
}

export function defaultRetention(now: Date): string {
  return DateTime.fromJSDate(now, { zone: 'utc' }).plus({ years: RETENTION_YEARS }).toISODate() as string;
}

function today(now: Date): string {
  return DateTime.fromJSDate(now, { zone: 'utc' }).toISODate() as string;
}

function clean(value: string | null | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}

function cleanAddress(address: VisitorAddress | null | undefined): VisitorAddress | null {
  if (!address) return null;
  const cleaned = {
    street: clean(address.street),
    postalCode: clean(address.postalCode),
    city: clean(address.city),
    country: clean(address.country)?.toUpperCase() ?? null,
  };
  return Object.values(cleaned).some((v) => v !== null) ? cleaned : null;
}

function sortNeeds(needs: Iterable<VisitorNeed>): VisitorNeed[] {
  const set = new Set(needs);
  return VISITOR_NEEDS.filter((need) => set.has(need));
}

function latest(...dates: (string | null)[]): string | null {
  return dates.reduce<string | null>((max, d) => (d !== null && (max === null || d > max) ? d : max), null);
}

/**
 * The state after a create (`before` null) or an update, with every rule applied: phone in E.164,
 * `needsOther` only with the `other` need, consent time set by the server, retention pushed to at
 * least three years from now unless the same write sets it. Throws a 400 listing every bad field.
 */
export function applyVisitorPatch(before: VisitorState | null, patch: VisitorPatch, now: Date): VisitorState {
  const errors: FieldError[] = [];
  const text = (key: 'firstName' | 'lastName' | 'email' | 'preferredLanguage' | 'needsOther' | 'notes'): string | null =>
    clean(patch[key] !== undefined ? patch[key] : (before?.[key] ?? null));

  let phone = before?.phone ?? null;
  if (patch.phone !== undefined) {
    const given = clean(patch.phone);
    phone = given ? normalisePhone(given) : null;
    if (given && !phone) errors.push({ field: 'phone', message: 'phone must be a valid phone number' });
  }

  const needs = sortNeeds(patch.needs ?? before?.needs ?? []);
  let needsOther = text('needsOther');
  if (!needs.includes('other')) {
    if (patch.needsOther !== undefined && clean(patch.needsOther)) {
      errors.push({ field: 'needsOther', message: 'needsOther is only for the `other` need' });
    }
    needsOther = null;
  } else if (!needsOther) {
    errors.push({ field: 'needsOther', message: 'needsOther must describe the `other` need' });
  }

  let consent: Consent = before?.consent ?? { given: false, at: null, purposes: [] };
  if (patch.consent) {
    if (patch.consent.given) {
      const purposes = [...new Set((patch.consent.purposes ?? consent.purposes).map((p) => p.trim()).filter(Boolean))];
      if (purposes.length === 0) errors.push({ field: 'consent.purposes', message: 'consent.purposes must say what the consent is for' });
      consent = { given: true, at: consent.given && consent.at ? consent.at : now, purposes };
    } else {
      if (patch.consent.purposes?.length) {
        errors.push({ field: 'consent.purposes', message: 'consent.purposes apply only to a given consent' });
      }
      consent = { given: false, at: null, purposes: [] };
    }
  }

  let retentionUntil: string;
  if (patch.retentionUntil) {
    retentionUntil = patch.retentionUntil;
    if (retentionUntil < today(now)) errors.push({ field: 'retentionUntil', message: 'retentionUntil must not be in the past' });
  } else {
    retentionUntil = patch.retentionUntil === null ? defaultRetention(now) : (latest(before?.retentionUntil ?? null, defaultRetention(now)) as string);
  }

  if (errors.length > 0) throw new ValidationError(`Invalid visitor: ${[...new Set(errors.map((e) => e.field))].join(', ')}`, errors);
  return {
    type: patch.type ?? before?.type ?? 'citizen',
    firstName: text('firstName'),
    lastName: text('lastName'),
    phone,
    email: text('email'),
    address: patch.address !== undefined ? cleanAddress(patch.address) : (before?.address ?? null),
    preferredLanguage: text('preferredLanguage')?.toLowerCase() ?? null,
    needs,
    needsOther,
    consent,
    retentionUntil,
    notes: text('notes'),
  };
}

function joinTexts(a: string | null, b: string | null): string | null {
  if (!a || !b || a === b) return a ?? b;
  return `${a}\n---\n${b}`;
}

/**
 * The survivor of a merge: the target's values win, its empty fields take the source's; needs,
 * consent purposes and free texts are united, and the retention runs from the merge (a contact).
 * The address moves as a whole: mixing the street of one with the city of the other means nothing.
 */
export function mergeVisitorStates(target: VisitorState, source: VisitorState, now: Date): VisitorState {
  const needs = sortNeeds([...target.needs, ...source.needs]);
  const consents = [target.consent, source.consent].filter((c) => c.given);
  const consentAt = consents
    .map((c) => c.at)
    .filter((at): at is Date => at !== null)
    .sort((a, b) => a.getTime() - b.getTime())[0];
  return {
    type: target.type,
    firstName: target.firstName ?? source.firstName,
    lastName: target.lastName ?? source.lastName,
    phone: target.phone ?? source.phone,
    email: target.email ?? source.email,
    address: target.address ?? source.address,
    preferredLanguage: target.preferredLanguage ?? source.preferredLanguage,
    needs,
    needsOther: needs.includes('other') ? joinTexts(target.needsOther, source.needsOther) : null,
    consent:
      consents.length > 0
        ? { given: true, at: consentAt ?? now, purposes: [...new Set(consents.flatMap((c) => c.purposes))].sort() }
        : { given: false, at: null, purposes: [] },
    retentionUntil: latest(target.retentionUntil, source.retentionUntil, defaultRetention(now)),
    notes: joinTexts(target.notes, source.notes),
  };
}

/** No name and no way to reach them: the visitor cannot be recognised next time. */
export function isAnonymous(visitor: Pick<VisitorState, 'firstName' | 'lastName' | 'phone' | 'email'>): boolean {
  return !visitor.firstName && !visitor.lastName && !visitor.phone && !visitor.email;
}

/**
 * What the console prints: the names, else the e-mail, else the phone, else a short reference
 * (`#` and the id's first eight characters; the console labels it with the `anonymous` flag).
 */
export function displayName(visitor: Pick<VisitorState, 'firstName' | 'lastName' | 'phone' | 'email'>, id: string): string {
  const name = [visitor.firstName, visitor.lastName].filter(Boolean).join(' ');
  return name || visitor.email || visitor.phone || `#${id.slice(0, 8)}`;
}

/** A name this close (trigram similarity of the full names) makes a duplicate candidate. */
export const SIMILAR_NAME_MIN = 0.5;

/**
 * Likelihood that a candidate is the same person, in [0, 1]: each clue is independent evidence
 * (a shared phone or e-mail counts 0.9, a name its similarity), combined as 1 - Π(1 - clue).
 */
export function duplicateScore(clues: { samePhone: boolean; sameEmail: boolean; nameScore: number }): number {
  const name = clues.nameScore >= SIMILAR_NAME_MIN ? clues.nameScore : 0;
  const miss = (clues.samePhone ? 0.1 : 1) * (clues.sameEmail ? 0.1 : 1) * (1 - name);
  return Math.round((1 - miss) * 1000) / 1000;
}
