import { DateTime } from 'luxon';
import type { WeeklyHours } from '../organisation/opening-hours';
import { ForecastInput, historyWindow, HourlyArrivals, openHours, seasonalForecast } from './forecast';

const day = [
  { open: '08:30', close: '12:00' },
  { open: '13:30', close: '17:30' },
];
const HOURS: WeeklyHours = { mon: day, tue: day, wed: day, thu: day, fri: day };
// Wednesday 4 March 2026.
const TODAY = '2026-03-04';
const plus = (date: string, days: number): string => DateTime.fromISO(date).plus({ days }).toISODate() as string;

function input(overrides: Partial<ForecastInput>): ForecastInput {
  return { today: TODAY, dates: [], weeks: 6, hours: HOURS, closures: [], history: [], firstHistoryDay: '2025-01-01', ...overrides };
}

/** A count for every open hour of every day of the window, as `perHour` says. */
function flatHistory(weeks: number, perHour: (date: string, hour: number) => number): HourlyArrivals[] {
  const { from, to } = historyWindow(TODAY, weeks);
  const rows: HourlyArrivals[] = [];
  for (let date = from; date <= to; date = plus(date, 1)) {
    const weekday = DateTime.fromISO(date).weekday;
    openHours(HOURS, weekday).forEach((open, hour) => {
      if (open) rows.push({ day: date, hour, arrivals: perHour(date, hour) });
    });
  }
  return rows;
}

describe('seasonal forecast', () => {
  it('takes the history window as whole weeks ending yesterday', () => {
    expect(historyWindow(TODAY, 6)).toEqual({ from: '2026-01-21', to: '2026-03-03' });
    expect(historyWindow(TODAY, 1)).toEqual({ from: '2026-02-25', to: '2026-03-03' });
  });

  it('marks the hours that overlap the opening intervals', () => {
    const open = (weekday: number) => openHours(HOURS, weekday).flatMap((isOpen, hour) => (isOpen ? [hour] : []));
    expect(open(1)).toEqual([8, 9, 10, 11, 13, 14, 15, 16, 17]);
    expect(open(7)).toEqual([]);
    expect(openHours(null, 7).every(Boolean)).toBe(true);
    expect(openHours({}, 3).every(Boolean)).toBe(true);
  });

  it('repeats a steady weekly pattern: same weekday and hour', () => {
    // Monday twice as busy; opening hour 8 and after-lunch hour 13 are peaks.
    const pattern = (date: string, hour: number) => (DateTime.fromISO(date).weekday === 1 ? 2 : 1) * (hour === 8 || hour === 13 ? 9 : 4);
    const history = flatHistory(6, pattern);
    const [wednesday, thursday, , , monday] = seasonalForecast(input({ dates: [TODAY, plus(TODAY, 1), plus(TODAY, 2), plus(TODAY, 3), plus(TODAY, 5)], history }));
    expect(monday).toMatchObject({ date: '2026-03-09', weekday: 1, closed: false });
    expect(monday.hourly[8]).toBe(18);
    expect(monday.hourly[10]).toBe(8);
    expect(wednesday.hourly[13]).toBe(9);
    expect(thursday.hourly[16]).toBe(4);
    expect(wednesday.hourly[12]).toBe(0);
    expect(wednesday.expectedArrivals).toBe(2 * 9 + 7 * 4);
    expect(monday.expectedArrivals).toBe(2 * (2 * 9 + 7 * 4));
  });

  it('weighs recent weeks more: week k back weighs weeks + 1 − k', () => {
    // Thursdays before today (Wednesday 4 March): 26 Feb, 19 Feb, 12 Feb.
    const history: HourlyArrivals[] = [
      { day: '2026-02-26', hour: 9, arrivals: 6 },
      { day: '2026-02-19', hour: 9, arrivals: 3 },
      { day: '2026-02-12', hour: 9, arrivals: 0 },
    ];
    const [thursday] = seasonalForecast(input({ weeks: 3, dates: ['2026-03-05'], history }));
    expect(thursday.hourly[9]).toBe((3 * 6 + 2 * 3 + 1 * 0) / 6);
    // The same weekday as today starts a full week back: today is not over.
    const [wednesday] = seasonalForecast(input({ weeks: 1, dates: ['2026-03-11'], history: [{ day: '2026-02-25', hour: 9, arrivals: 5 }, { day: TODAY, hour: 9, arrivals: 50 }] }));
    expect(wednesday.hourly[9]).toBe(5);
  });

  it('leaves past holidays out of the mean instead of counting them as empty days', () => {
    const holiday = '2026-02-26';
    const history = flatHistory(6, (date) => (date === holiday ? 0 : 10));
    const closures = [{ from: holiday, to: holiday, label: 'Fête locale' }];
    const [thursday] = seasonalForecast(input({ dates: ['2026-03-05'], history, closures }));
    expect(thursday.hourly[10]).toBe(10);
    const [withoutCalendar] = seasonalForecast(input({ dates: ['2026-03-05'], history }));
    expect(withoutCalendar.hourly[10]).toBeLessThan(10);
  });

  it('forecasts nothing on a coming closure day, nor in the hours the queue is closed', () => {
    const history = [...flatHistory(6, () => 10), { day: '2026-02-25', hour: 7, arrivals: 3 }];
    const [easterMonday, wednesday] = seasonalForecast(
      input({ dates: ['2026-04-06', '2026-03-11'], history, closures: [{ from: '2026-04-06', to: '2026-04-06', label: 'Lundi de Pâques' }] }),
    );
    expect(easterMonday).toMatchObject({ closed: true, expectedArrivals: 0 });
    expect(easterMonday.hourly.every((n) => n === 0)).toBe(true);
    // A desk ticket issued before opening is history, but the queue is closed at 7 on the forecast day.
    expect(wednesday.hourly[7]).toBe(0);
    expect(wednesday.hourly[8]).toBe(10);
  });

  it('ignores days before the queue existed, and forecasts 0 without any history', () => {
    const history = flatHistory(6, (date) => (date >= '2026-02-18' ? 12 : 0));
    const [wednesday] = seasonalForecast(input({ dates: ['2026-03-11'], history, firstHistoryDay: '2026-02-18' }));
    expect(wednesday.hourly[9]).toBe(12);
    const [empty] = seasonalForecast(input({ dates: ['2026-03-11'], history: [], firstHistoryDay: null }));
    expect(empty).toMatchObject({ closed: false, expectedArrivals: 0 });
  });
});
