import { DateTime } from 'luxon';

export const ARTICLE_KINDS = ['procedure', 'faq', 'form', 'charter', 'practical'] as const;
export type ArticleKind = (typeof ARTICLE_KINDS)[number];

/** An article nobody has reviewed for this long may no longer be true ("la fiabilité et l'actualité de l'information"). */
export const STALE_AFTER_DAYS = 365;

export interface ReviewDates {
  /** Last review; null for an article never reviewed (its creation then counts). */
  reviewedAt: Date | null;
  /** YYYY-MM-DD: the last day the content is known to hold. */
  reviewDue: string | null;
  createdAt: Date;
}

/** The calendar day at `now` on the site's clock. */
export function localDay(now: Date, timeZone: string): string {
  return DateTime.fromJSDate(now, { zone: timeZone }).toISODate() as string;
}

/**
 * Stale when its review date has passed on the site's calendar, or when its last review (or its
 * creation) is more than STALE_AFTER_DAYS old. Mirrors `staleSql` (the `?stale=` filter).
 */
export function isStale(article: ReviewDates, now: Date, timeZone: string): boolean {
  if (article.reviewDue !== null && article.reviewDue < localDay(now, timeZone)) return true;
  const lastReview = article.reviewedAt ?? article.createdAt;
  return now.getTime() - lastReview.getTime() > STALE_AFTER_DAYS * 24 * 3600 * 1000;
}

/** The same rule in SQL, for an article aliased `a` joined to its site aliased `s`; never NULL, so NOT works. */
export function staleSql(): string {
  return `(coalesce(a.review_due < (now() AT TIME ZONE s.time_zone)::date, false)
       OR coalesce(a.reviewed_at, a.created_at) < now() - make_interval(days => ${STALE_AFTER_DAYS}))`;
}

/**
 * The due date after a review: the one given, else the previous one while it is still ahead (a
 * known change of rules still happens), else none (the yearly rule then runs from this review).
 */
export function reviewDueAfterReview(previous: string | null, requested: string | null | undefined, today: string): string | null {
  if (requested !== undefined) return requested;
  return previous !== null && previous > today ? previous : null;
}
