import { isStale, localDay, reviewDueAfterReview, STALE_AFTER_DAYS } from './article-rules';

const NOW = new Date('2026-03-10T23:30:00Z');
const DAY = 24 * 3600 * 1000;

describe('isStale', () => {
  const fresh = { reviewedAt: new Date(NOW.getTime() - 10 * DAY), reviewDue: null, createdAt: new Date('2020-01-01T00:00:00Z') };

  it('is fresh after a recent review with no due date', () => {
    expect(isStale(fresh, NOW, 'Europe/Paris')).toBe(false);
  });

  it('is stale once the last review is more than a year old', () => {
    expect(isStale({ ...fresh, reviewedAt: new Date(NOW.getTime() - (STALE_AFTER_DAYS + 1) * DAY) }, NOW, 'Europe/Paris')).toBe(true);
    expect(isStale({ ...fresh, reviewedAt: new Date(NOW.getTime() - (STALE_AFTER_DAYS - 1) * DAY) }, NOW, 'Europe/Paris')).toBe(false);
  });

  it('counts the creation of a never reviewed article as its review', () => {
    expect(isStale({ reviewedAt: null, reviewDue: null, createdAt: new Date(NOW.getTime() - DAY) }, NOW, 'Europe/Paris')).toBe(false);
    expect(isStale({ reviewedAt: null, reviewDue: null, createdAt: new Date('2024-01-01T00:00:00Z') }, NOW, 'Europe/Paris')).toBe(true);
  });

  it('is stale the day after its due date, on the site’s calendar', () => {
    // 23:30 UTC on 10 March is already 11 March in Paris, still 10 March in Cayenne.
    expect(localDay(NOW, 'Europe/Paris')).toBe('2026-03-11');
    expect(isStale({ ...fresh, reviewDue: '2026-03-10' }, NOW, 'Europe/Paris')).toBe(true);
    expect(isStale({ ...fresh, reviewDue: '2026-03-10' }, NOW, 'America/Cayenne')).toBe(false);
    expect(isStale({ ...fresh, reviewDue: '2026-03-11' }, NOW, 'Europe/Paris')).toBe(false);
  });
});

describe('reviewDueAfterReview', () => {
  it('takes the date given, keeps a date still ahead and drops a passed one', () => {
    expect(reviewDueAfterReview('2026-01-01', '2027-01-01', '2026-03-10')).toBe('2027-01-01');
    expect(reviewDueAfterReview('2026-07-01', null, '2026-03-10')).toBeNull();
    expect(reviewDueAfterReview('2026-07-01', undefined, '2026-03-10')).toBe('2026-07-01');
    expect(reviewDueAfterReview('2026-03-01', undefined, '2026-03-10')).toBeNull();
  });
});
