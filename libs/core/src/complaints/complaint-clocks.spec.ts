import { DateTime } from 'luxon';
import { UnprocessableError } from '../errors/domain-error';
import type { BusinessCalendar } from './business-time';
import { clockTimes, escalationJobId, warningJobId } from './complaint-clocks';
import { clockView } from './complaints.service';

const ZONE = 'Europe/Paris';
const NINE_TO_SIX = [{ open: '09:00', close: '18:00' }];
const office: BusinessCalendar = { hours: { mon: NINE_TO_SIX, tue: NINE_TO_SIX, wed: NINE_TO_SIX, thu: NINE_TO_SIX, fri: NINE_TO_SIX }, closures: [], timeZone: ZONE };
const local = (iso: string) => DateTime.fromISO(iso, { zone: ZONE }).toJSDate();
const show = (d: Date | null) => (d ? DateTime.fromJSDate(d, { zone: ZONE }).toFormat('ccc HH:mm', { locale: 'en' }) : null);

describe('clockTimes', () => {
  const friday = local('2026-11-27T17:55');

  it('places the warning at a share of the allotted business time', () => {
    const { dueAt, warnAt } = clockTimes(friday, 240, 240, { warningPercent: 75, warningMinutesBefore: null }, office);
    expect([show(warnAt), show(dueAt)]).toEqual(['Mon 11:55', 'Mon 12:55']);
  });

  it('places the warning some business minutes before the breach, never before the start', () => {
    expect(show(clockTimes(friday, 240, 240, { warningPercent: null, warningMinutesBefore: 30 }, office).warnAt)).toBe('Mon 12:25');
    expect(clockTimes(friday, 240, 240, { warningPercent: null, warningMinutesBefore: 500 }, office).warnAt).toEqual(friday);
    expect(clockTimes(friday, 240, 240, { warningPercent: null, warningMinutesBefore: null }, office).warnAt).toBeNull();
  });

  it('keeps the warning in place when a resumed clock carries what was left', () => {
    // 100 of 240 minutes left at the pause, warning 30 minutes before the breach: 70 minutes after the resume.
    const resumed = local('2026-12-01T10:00');
    const { dueAt, warnAt } = clockTimes(resumed, 240, 100, { warningPercent: null, warningMinutesBefore: 30 }, office);
    expect([show(warnAt), show(dueAt)]).toEqual(['Tue 11:10', 'Tue 11:40']);
  });

  it('turns a calendar that never opens into a 422', () => {
    const closed = { ...office, closures: [{ from: '2000-01-01', to: '2999-12-31' }] };
    expect(() => clockTimes(friday, 60, 60, { warningPercent: null, warningMinutesBefore: null }, closed)).toThrow(UnprocessableError);
  });
});

describe('clockView', () => {
  const base = {
    kind: 'answer' as const,
    targetMinutes: 240,
    businessHours: true,
    startedAt: local('2026-11-27T17:55'),
    dueAt: local('2026-11-30T12:55'),
    warnAt: null,
    pausedAt: null,
    pausedMinutes: 0,
    stoppedAt: null,
    warnedAt: null,
    escalatedAt: null,
  };

  it('says running with business minutes left, breached with minutes late, met or breached once stopped, paused', () => {
    expect(clockView(base, office, local('2026-11-28T10:00'))).toMatchObject({ state: 'running', breached: false, minutesLeft: 235 });
    expect(clockView(base, office, local('2026-11-30T14:00'))).toMatchObject({ state: 'breached', breached: true, minutesLeft: -65 });
    expect(clockView({ ...base, stoppedAt: local('2026-11-30T12:00') }, office, local('2026-12-05T10:00'))).toMatchObject({ state: 'met', minutesLeft: null });
    expect(clockView({ ...base, stoppedAt: local('2026-11-30T13:00') }, office, local('2026-12-05T10:00'))).toMatchObject({ state: 'breached' });
    expect(clockView({ ...base, pausedAt: local('2026-11-30T10:00') }, office, local('2026-12-05T10:00'))).toMatchObject({ state: 'paused', minutesLeft: 175 });
  });
});

describe('job ids', () => {
  it('are valid BullMQ custom ids that change with the due time', () => {
    const due = new Date('2026-11-30T11:55:00Z');
    const id = '6f1c1a8e-0c2b-4f7e-9a53-3c1d2e4f5a6b';
    expect(warningJobId(id, 'answer', due)).toMatch(/^[A-Za-z0-9._-]{1,128}$/);
    expect(escalationJobId(id, 'answer', due)).not.toBe(escalationJobId(id, 'answer', new Date(due.getTime() + 60_000)));
  });
});
