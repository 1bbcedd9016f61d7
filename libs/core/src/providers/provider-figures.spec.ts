import { monthlyFigures, periodFigures } from './provider-figures';

const order = (dueAt: string, completedAt: string, rating: [number, number, number] | null = null) => ({
  dueAt: new Date(dueAt),
  completedAt: new Date(completedAt),
  rating: rating && { timeliness: rating[0], quality: rating[1], communication: rating[2] },
});

describe('provider figures', () => {
  it('counts an order completed exactly at its due time as on time, and averages lateness over every completed order', () => {
    const figures = periodFigures([
      order('2026-01-10T10:00:00Z', '2026-01-10T10:00:00Z', [5, 5, 5]),
      order('2026-01-11T10:00:00Z', '2026-01-11T16:00:00Z', [1, 2, 3]),
      order('2026-01-12T10:00:00Z', '2026-01-12T09:00:00Z'),
    ]);
    expect(figures).toEqual({
      completed: 3,
      onTime: 2,
      onTimeRate: 0.6667,
      averageDelayHours: 2,
      ratings: { count: 2, average: 3.5, timeliness: 3, quality: 3.5, communication: 4 },
    });
  });

  it('has no rates or averages without orders', () => {
    expect(periodFigures([])).toEqual({
      completed: 0,
      onTime: 0,
      onTimeRate: null,
      averageDelayHours: null,
      ratings: { count: 0, average: null, timeliness: null, quality: null, communication: null },
    });
  });

  it('groups by month of completion in the site’s zone', () => {
    const months = monthlyFigures([order('2026-03-01T00:00:00Z', '2026-02-28T23:30:00Z'), order('2026-02-10T00:00:00Z', '2026-02-09T12:00:00Z')], 'Europe/Paris');
    expect(months.map((m) => [m.month, m.completed])).toEqual([
      ['2026-02', 1],
      ['2026-03', 1],
    ]);
  });
});
