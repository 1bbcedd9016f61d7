import { DateTime } from 'luxon';

/** One completed order as the figures see it. */
export interface CompletedOrder {
  dueAt: Date;
  completedAt: Date;
  rating: { timeliness: number; quality: number; communication: number } | null;
}

export interface RatingFigures {
  count: number;
  /** Mean of every score given (the three criteria weigh the same), 1–5, 2 decimals; null without ratings. */
  average: number | null;
  timeliness: number | null;
  quality: number | null;
  communication: number | null;
}

export interface PeriodFigures {
  completed: number;
  onTime: number;
  /** onTime / completed, 4 decimals; null when nothing was completed. */
  onTimeRate: number | null;
  /** Mean lateness over completed orders, an on-time order counting 0 h; 2 decimals. */
  averageDelayHours: number | null;
  ratings: RatingFigures;
}

export interface MonthFigures extends PeriodFigures {
  /** YYYY-MM of the completion, in the site's time zone. */
  month: string;
}

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;
const mean = (values: number[], digits: number) => (values.length ? round(values.reduce((a, b) => a + b, 0) / values.length, digits) : null);

/**
 * Quality figures of a provider (référentiel C2.2, "mesurer la qualité des prestations"):
 * on time = completed (delivered or done) no later than the order's due time.
 */
export function periodFigures(orders: readonly CompletedOrder[]): PeriodFigures {
  const onTime = orders.filter((o) => o.completedAt.getTime() <= o.dueAt.getTime()).length;
  const delays = orders.map((o) => Math.max(0, o.completedAt.getTime() - o.dueAt.getTime()) / 3_600_000);
  const rated = orders.flatMap((o) => (o.rating ? [o.rating] : []));
  return {
    completed: orders.length,
    onTime,
    onTimeRate: orders.length ? round(onTime / orders.length, 4) : null,
    averageDelayHours: mean(delays, 2),
    ratings: {
      count: rated.length,
      average: mean(
        rated.flatMap((r) => [r.timeliness, r.quality, r.communication]),
        2,
      ),
      timeliness: mean(
        rated.map((r) => r.timeliness),
        2,
      ),
      quality: mean(
        rated.map((r) => r.quality),
        2,
      ),
      communication: mean(
        rated.map((r) => r.communication),
        2,
      ),
    },
  };
}

/** The same figures per month of completion, oldest first. */
export function monthlyFigures(orders: readonly CompletedOrder[], timeZone: string): MonthFigures[] {
  const byMonth = new Map<string, CompletedOrder[]>();
  for (const order of orders) {
    const month = DateTime.fromJSDate(order.completedAt, { zone: timeZone }).toFormat('yyyy-MM');
    byMonth.set(month, [...(byMonth.get(month) ?? []), order]);
  }
  return [...byMonth.keys()].sort().map((month) => ({ month, ...periodFigures(byMonth.get(month)!) }));
}
