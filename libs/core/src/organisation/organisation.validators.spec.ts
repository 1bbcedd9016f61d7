import { plainToInstance, Type } from 'class-transformer';
import { IsOptional, validateSync, ValidateNested, ValidationError } from 'class-validator';
import {
  ClosesAfterOpening,
  DaySchedule,
  IsCalendarDate,
  IsIanaTimeZone,
  IsNotBefore,
  OpensAfterPreviousInterval,
} from './organisation.validators';

class Interval {
  @OpensAfterPreviousInterval()
  open: string;

  @ClosesAfterOpening()
  close: string;
}

class Day {
  @DaySchedule(() => Interval)
  mon?: Interval[];
}

class Period {
  @IsCalendarDate()
  from: string;

  @IsCalendarDate()
  @IsNotBefore('from')
  to: string;
}

class Place {
  @IsIanaTimeZone()
  timeZone: string;

  @IsOptional()
  @ValidateNested()
  @Type(() => Day)
  hours?: Day;
}

/** `path: constraint` for every failure, nested paths included. */
function failures(errors: ValidationError[], parent = ''): string[] {
  return errors.flatMap((error) => {
    const path = parent ? (/^\d+$/.test(error.property) ? `${parent}[${error.property}]` : `${parent}.${error.property}`) : error.property;
    return [...Object.keys(error.constraints ?? {}).map((name) => `${path}: ${name}`), ...failures(error.children ?? [], path)];
  });
}

const check = <T extends object>(type: new () => T, plain: object): string[] =>
  failures(validateSync(plainToInstance(type, plain)));

describe('organisation validators', () => {
  it('accepts IANA zones only', () => {
    expect(check(Place, { timeZone: 'Europe/Paris' })).toEqual([]);
    expect(check(Place, { timeZone: 'America/Argentina/Buenos_Aires' })).toEqual([]);
    expect(check(Place, { timeZone: 'Europe/Bordeaux' })).toEqual(['timeZone: isIanaTimeZone']);
    expect(check(Place, { timeZone: '+02:00' })).toEqual(['timeZone: isIanaTimeZone']);
    expect(check(Place, { timeZone: 42 })).toEqual(['timeZone: isIanaTimeZone']);
  });

  it('accepts real calendar dates, in order', () => {
    expect(check(Period, { from: '2026-12-24', to: '2026-12-26' })).toEqual([]);
    expect(check(Period, { from: '2026-12-24', to: '2026-12-24' })).toEqual([]);
    expect(check(Period, { from: '2026-12-26', to: '2026-12-24' })).toEqual(['to: isNotBefore']);
    expect(check(Period, { from: '2026-02-29', to: '2026-03-01' })).toEqual(['from: isCalendarDate']);
    expect(check(Period, { from: '2026-12-24T10:00:00Z', to: '24/12/2026' })).toEqual(['from: isCalendarDate', 'to: isCalendarDate']);
  });

  it('accepts sorted intervals, back to back included', () => {
    const day = {
      mon: [
        { open: '08:30', close: '12:00' },
        { open: '12:00', close: '13:00' },
        { open: '14:00', close: '24:00' },
      ],
    };
    expect(check(Place, { timeZone: 'UTC', hours: day })).toEqual([]);
  });

  it('names the interval that closes before it opens', () => {
    const day = { mon: [{ open: '12:00', close: '08:30' }, { open: '13:00', close: '13:00' }] };
    expect(check(Place, { timeZone: 'UTC', hours: day })).toEqual([
      'hours.mon[0].close: closesAfterOpening',
      'hours.mon[1].close: closesAfterOpening',
    ]);
  });

  it('names the interval that overlaps or precedes the one before it', () => {
    const overlapping = { mon: [{ open: '08:30', close: '12:00' }, { open: '11:30', close: '17:00' }] };
    expect(check(Place, { timeZone: 'UTC', hours: overlapping })).toEqual(['hours.mon[1].open: opensAfterPreviousInterval']);
    const unsorted = { mon: [{ open: '13:30', close: '17:00' }, { open: '08:30', close: '12:00' }] };
    expect(check(Place, { timeZone: 'UTC', hours: unsorted })).toEqual(['hours.mon[1].open: opensAfterPreviousInterval']);
  });

  it('explains the overlap with the closing time it collides with', () => {
    const [error] = validateSync(
      plainToInstance(Day, { mon: [{ open: '08:30', close: '12:00' }, { open: '11:30', close: '17:00' }] }),
    );
    expect(error.children?.[0]?.children?.[0]?.constraints?.opensAfterPreviousInterval).toContain('(12:00)');
  });

  it('refuses a day that is not a list, or has too many intervals', () => {
    expect(check(Day, { mon: null })).toContain('mon: isArray');
    const many = Array.from({ length: 13 }, (_, i) => ({ open: `${String(i + 10).padStart(2, '0')}:00`, close: `${String(i + 10).padStart(2, '0')}:30` }));
    expect(check(Day, { mon: many })).toEqual(['mon: arrayMaxSize']);
  });

  it('leaves malformed times to the format rules', () => {
    expect(check(Day, { mon: [{ open: '8h', close: '07:00' }, { open: '13:00', close: 'noon' }] })).toEqual([]);
    expect(check(Day, { mon: [{ open: '08:00', close: 'noon' }, { open: '11:00', close: '12:00' }] })).toEqual([]);
  });
});
