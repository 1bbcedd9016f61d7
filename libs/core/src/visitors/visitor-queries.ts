import { normalisePhone, VisitorNeed, VisitorType } from './visitor-rules';

/** A parameterised statement, run as is by the service and by the benchmark. */
export interface SqlQuery {
  text: string;
  values: unknown[];
}

/** What a search box entry is: a name (partial, misspelt, accents ignored), a phone, or an e-mail. */
export type SearchTerm = { kind: 'name'; text: string } | { kind: 'phone'; phone: string | null } | { kind: 'email'; email: string };

const PHONE_LIKE = /^\+?[\d\s().\/-]+$/;

export function classifySearchTerm(raw: string): SearchTerm | null {
  const term = raw.trim();
  if (!term) return null;
  if (term.includes('@')) return { kind: 'email', email: term.toLowerCase() };
  // Digits only: a phone, even a bad one; it is never a name, so a bad one simply finds nobody.
  if (PHONE_LIKE.test(term) && /\d/.test(term)) return { kind: 'phone', phone: normalisePhone(term) };
  return { kind: 'name', text: term };
}

/** Columns of a visitor as the services map them (`v` is the visitors alias). */
export const VISITOR_COLUMNS = `v.id, v.site_id, v.type, v.first_name, v.last_name, v.phone, v.email, v.address,
       v.preferred_language, v.needs, v.needs_other, v.consent_given, v.consent_at, v.consent_purposes,
       to_char(v.retention_until, 'YYYY-MM-DD') AS retention_until, v.notes, v.merged_into_id,
       v.created_by_user_id, v.created_at, v.updated_at, v.version`;

export interface VisitorListFilter {
  siteIds: string[];
  type?: VisitorType;
  need?: VisitorNeed;
  /** Must not be a phone search without a phone (nothing can match it). */
  search?: SearchTerm;
  limit: number;
  offset: number;
}

/** Words of at least two letters or digits (what pg_trgm calls words), at most MAX_NAME_WORDS of them. */
const MAX_NAME_WORDS = 5;

export function nameWords(text: string): string[] {
  return [...new Set(text.split(/[^\p{L}\p{N}]+/u).filter((word) => word.length >= 2))].slice(0, MAX_NAME_WORDS);
}

/**
 * The visitor list and search, one round trip: the page, each row's score and the total.
 * A name matches when every typed word resembles a word of the visitor's names
 * (`search_norm(word) <% search_name`, word similarity ≥ 0.6: partial, misspelt and accent-less
 * words still match), served by the GIN trigram index on `search_name`; rows are ranked by the
 * word similarity of the whole text. Requiring each word keeps "marie dupre" from scoring every
 * Marie and every Dupré. Phones match exactly in E.164 and e-mails case-insensitively, both on
 * their own indexes. Merged visitors (tombstones) never appear.
 */
export function buildVisitorListQuery(filter: VisitorListFilter): SqlQuery {
  const values: unknown[] = [filter.siteIds];
  const param = (value: unknown) => `$${values.push(value)}`;
  const where = ['v.site_id = ANY($1::uuid[])', 'v.merged_into_id IS NULL'];
  if (filter.type) where.push(`v.type = ${param(filter.type)}`);
  if (filter.need) where.push(`v.needs @> ARRAY[${param(filter.need)}]::text[]`);

  let score = 'NULL::real';
  const search = filter.search;
  if (search?.kind === 'name') {
    const words = nameWords(search.text);
    for (const word of words.length > 0 ? words : [search.text]) where.push(`search_norm(${param(word)}) <% v.search_name`);
    score = `word_similarity(search_norm(${param(search.text)}), v.search_name)`;
  } else if (search?.kind === 'phone') {
    if (!search.phone) throw new Error('A phone search needs a valid phone');
    where.push(`v.phone = ${param(search.phone)}`);
    score = '1::real';
  } else if (search?.kind === 'email') {
    where.push(`lower(v.email) = ${param(search.email)}`);
    score = '1::real';
  }
  // Among equal scores, the most recently seen visitor is the likeliest one at the desk.
  const order = (alias: string, scoreColumn: string) => `${search ? `${scoreColumn} DESC, ` : ''}${alias}.updated_at DESC, ${alias}.id`;
  // Ranks and counts narrow rows, then reads the page's full rows: a common name matches
  // thousands of visitors, and sorting them whole cost a fifth of the search.
  const text = `WITH page AS (
  SELECT v.id, v.updated_at, ${score} AS score, count(*) OVER ()::int AS total
    FROM visitors v
   WHERE ${where.join(' AND ')}
   ORDER BY ${order('v', 'score')}
   LIMIT ${param(filter.limit)} OFFSET ${param(filter.offset)}
)
SELECT ${VISITOR_COLUMNS}, page.score, page.total
  FROM page JOIN visitors v ON v.id = page.id
 ORDER BY ${order('page', 'page.score')}`;
  return { text, values };
}

export interface DuplicateProbe {
  siteId: string;
  /** The visitor just created, which is not its own duplicate. */
  excludeId?: string;
  /** E.164. */
  phone?: string | null;
  email?: string | null;
  /** First and last names as typed. */
  name?: string | null;
}

/** How many candidates the statement returns before scoring; the service keeps the best ten. */
const DUPLICATE_CANDIDATES = 20;

/**
 * Visitors of the site sharing the phone or the e-mail, or whose full name is similar (`%`,
 * trigram similarity over the whole name, index-served). Null when there is nothing to compare.
 */
export function buildDuplicateQuery(probe: DuplicateProbe): SqlQuery | null {
  const values: unknown[] = [probe.siteId];
  const param = (value: unknown) => `$${values.push(value)}`;
  const clues: string[] = [];
  let samePhone = 'false';
  let sameEmail = 'false';
  let nameScore = '0::real';
  if (probe.phone) {
    samePhone = `v.phone = ${param(probe.phone)}`;
    clues.push(samePhone);
  }
  if (probe.email?.trim()) {
    sameEmail = `lower(v.email) = ${param(probe.email.trim().toLowerCase())}`;
    clues.push(sameEmail);
  }
  if (probe.name && probe.name.trim().length >= 3) {
    const q = `search_norm(${param(probe.name.trim())})`;
    nameScore = `similarity(v.search_name, ${q})`;
    clues.push(`v.search_name % ${q}`);
  }
  if (clues.length === 0) return null;
  const where = ['v.site_id = $1', 'v.merged_into_id IS NULL', `(${clues.join(' OR ')})`];
  if (probe.excludeId) where.push(`v.id <> ${param(probe.excludeId)}`);
  const text = `SELECT ${VISITOR_COLUMNS}, coalesce(${samePhone}, false) AS same_phone, coalesce(${sameEmail}, false) AS same_email,
       ${nameScore} AS name_score
  FROM visitors v
 WHERE ${where.join(' AND ')}
 ORDER BY (coalesce(${samePhone}, false) OR coalesce(${sameEmail}, false)) DESC, name_score DESC, v.updated_at DESC
 LIMIT ${DUPLICATE_CANDIDATES}`;
  return { text, values };
}
