import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ValidationError } from '../errors/domain-error';
import type { Principal } from '../identity/principal';
import { assertSiteAccess } from '../identity/site-access';
import { SiteCalendar, siteCalendars } from '../organisation/directory';
import { openingStatus, WeeklyHours } from '../organisation/opening-hours';
import type { ServiceLocation } from '../organisation/service.entity';
import type { PostalAddress } from '../organisation/site.entity';
import type { Availability } from '../organisation/staff.entity';
import { canReadConfidential } from '../requests/confidentiality';
import { RequestsService } from '../requests/requests.service';
import type { TransferTargetType } from './transfers.service';

export interface SuggestionQuery {
  /** Suggest for this request: its subject, reformulation and category name are matched. */
  requestId?: string;
  /** Or for these words, in `siteId`'s directory. */
  q?: string;
  siteId?: string;
  limit?: number;
}

export interface Suggestion {
  type: TransferTargetType;
  id: string;
  name: string;
  /** 0–1: how much of the request's words the entry covers, counting keyword hits extra. */
  score: number;
  /** The entry's keywords that matched a word of the request. */
  matchedKeywords: string[];
  /** null when the hours are unknown (a partner without hours). */
  openNow: boolean | null;
  nextOpeningAt: Date | null;
  phone: string | null;
  email: string | null;
  /** Services, and staff (their service's). */
  location?: ServiceLocation | null;
  /** Partners. */
  address?: PostalAddress | null;
  website?: string | null;
  /** Staff. */
  jobTitle?: string | null;
  availability?: Availability;
  serviceId?: string | null;
}

const DEFAULT_SUGGESTIONS = 10;
/** Words of a long reformulation beyond this add cost, not precision. */
const MAX_TERMS = 32;

interface Row {
  type: TransferTargetType;
  id: string;
  name: string;
  score: string;
  matched_keywords: string[];
  hours: WeeklyHours | null;
  details: Record<string, unknown>;
}

/**
 * Where to send someone, from the site's directory (active services, staff, partners). The text
 * is cut into French stems (stop words dropped) and each stem is matched by trigram word
 * similarity (`<%`, so typos and plurals still match) against `directory_search_text(name,
 * description, keywords)` — staff against their name and job title — and against each keyword.
 */
@Injectable()
export class SuggestionsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly requests: RequestsService,
  ) {}

  async suggest(principal: Principal, query: SuggestionQuery): Promise<Suggestion[]> {
    const { siteId, text } = await this.searchScope(principal, query);
    const rows = (await this.dataSource.query(
      `WITH terms AS (
         SELECT DISTINCT t.lexeme AS w FROM unnest(to_tsvector('french', search_norm($2))) t
          WHERE length(t.lexeme) >= 3 LIMIT ${MAX_TERMS}
       ),
       entries AS (
         SELECT 'service' AS type, s.id, s.name, directory_search_text(s.name, s.description, s.keywords) AS doc, s.keywords,
                s.opening_hours AS hours,
                jsonb_build_object('location', s.location, 'phone', s.phone, 'email', s.email) AS details
           FROM services s WHERE s.site_id = $1 AND s.active
         UNION ALL
         SELECT 'partner', p.id, p.name, directory_search_text(p.name, p.description, p.keywords), p.keywords, p.opening_hours,
                jsonb_build_object('address', p.address, 'phone', p.phone, 'email', p.email, 'website', p.website)
           FROM partners p WHERE p.site_id = $1
         UNION ALL
         SELECT 'staff', st.id, st.first_name || ' ' || st.last_name,
                search_norm(st.first_name || ' ' || st.last_name || ' ' || coalesce(st.job_title, '')), '{}'::text[], sv.opening_hours,
                jsonb_build_object('location', sv.location, 'phone', st.phone_extension, 'email', st.email, 'jobTitle', st.job_title,
                                   'availability', st.availability, 'serviceId', st.service_id)
           FROM staff st LEFT JOIN services sv ON sv.id = st.service_id WHERE st.site_id = $1
       ),
       scored AS (
         SELECT e.*,
                (SELECT sum(word_similarity(t.w, e.doc)) FROM terms t WHERE t.w <% e.doc) AS text_score,
                (SELECT coalesce(sum(best), 0) FROM (
                   SELECT max(word_similarity(t.w, search_norm(k))) AS best
                     FROM terms t CROSS JOIN unnest(e.keywords) k WHERE t.w <% search_norm(k) GROUP BY t.w) hits) AS keyword_score,
                ARRAY(SELECT k FROM unnest(e.keywords) k WHERE EXISTS (SELECT 1 FROM terms t WHERE t.w <% search_norm(k))) AS matched_keywords
           FROM entries e
       )
       SELECT type, id, name, hours, details, matched_keywords,
              round(((text_score + keyword_score) / (2 * greatest(1, (SELECT count(*) FROM terms))))::numeric, 3) AS score
         FROM scored WHERE text_score > 0
        ORDER BY score DESC, name, id
        LIMIT $3`,
      [siteId, text, query.limit ?? DEFAULT_SUGGESTIONS],
    )) as Row[];
    if (rows.length === 0) return [];
    const site = (await siteCalendars(this.dataSource, [siteId])).get(siteId) as SiteCalendar;
    const now = new Date();
    return rows.map((row) => ({
      type: row.type,
      id: row.id,
      name: row.name,
      score: Number(row.score),
      matchedKeywords: row.matched_keywords,
      // Services (and staff through theirs) without hours keep the site's, and close on its holidays; partners keep their own.
      ...(row.type === 'partner'
        ? openingStatus(row.hours, [], site.timeZone, now)
        : openingStatus(row.hours ?? site.openingHours, site.closures, site.timeZone, now)),
      ...(row.details as Partial<Suggestion>),
    })) as Suggestion[];
  }

  /** The site and text to match: the request's (what the caller may read of it), or `q` in `siteId`. */
  private async searchScope(principal: Principal, query: SuggestionQuery): Promise<{ siteId: string; text: string }> {
    if (query.requestId) {
      if (query.q !== undefined || query.siteId !== undefined) {
        throw new ValidationError('Give either requestId, or q and siteId', [
          { field: query.q !== undefined ? 'q' : 'siteId', message: 'q and siteId are not used with requestId' },
        ]);
      }
      const request = await this.requests.getRecord(principal, query.requestId);
      const [category] = request.categoryId
        ? ((await this.dataSource.query(`SELECT name FROM request_categories WHERE id = $1`, [request.categoryId])) as { name: string }[])
        : [];
      // A confidential reformulation must not steer the answer for someone who may not read it.
      const reformulation = canReadConfidential(principal, request) ? request.reformulation : null;
      return { siteId: request.siteId, text: [request.subject, reformulation, category?.name].filter(Boolean).join(' ') };
    }
    const errors = [
      ...(query.q ? [] : [{ field: 'q', message: 'q (or requestId) is required' }]),
      ...(query.siteId ? [] : [{ field: 'siteId', message: 'siteId is required with q' }]),
    ];
    if (errors.length > 0) throw new ValidationError('Give either requestId, or q and siteId', errors);
    assertSiteAccess(principal, query.siteId as string);
    return { siteId: query.siteId as string, text: query.q as string };
  }
}
