import { applyDecorators } from '@nestjs/common';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, ValidateBy, ValidateIf, ValidateNested, ValidationArguments } from 'class-validator';
import { DateTime, IANAZone } from 'luxon';
import { CLOSE_TIME, OPEN_TIME, TimeInterval, toMinutes } from './opening-hours';

export const MAX_INTERVALS_PER_DAY = 12;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export function isCalendarDate(value: unknown): value is string {
  return typeof value === 'string' && ISO_DATE.test(value) && DateTime.fromISO(value).isValid;
}

export function IsIanaTimeZone(): PropertyDecorator {
  return ValidateBy({
    name: 'isIanaTimeZone',
    validator: {
      validate: (value) => typeof value === 'string' && IANAZone.isValidZone(value),
      defaultMessage: (args) => `${args?.property} must be an IANA time zone such as Europe/Paris`,
    },
  });
}

/** A calendar date `YYYY-MM-DD` that exists (no 30 February). */
export function IsCalendarDate(): PropertyDecorator {
  return ValidateBy({
    name: 'isCalendarDate',
    validator: {
      validate: isCalendarDate,
      defaultMessage: (args) => `${args?.property} must be a date formatted YYYY-MM-DD`,
    },
  });
}

/** The date is the same as or later than the date in `property` of the same object. */
export function IsNotBefore(property: string): PropertyDecorator {
  return ValidateBy({
    name: 'isNotBefore',
    constraints: [property],
    validator: {
      validate: (value, args) => {
        const other = (args?.object as Record<string, unknown>)[property];
        // Malformed dates are reported by their own rule; ISO dates compare as strings.
        return !isCalendarDate(value) || !isCalendarDate(other) || value >= other;
      },
      defaultMessage: (args) => `${args?.property} must not be before ${property}`,
    },
  });
}

/** On `close` of an interval: strictly after its `open`. */
export function ClosesAfterOpening(): PropertyDecorator {
  return ValidateBy({
    name: 'closesAfterOpening',
    validator: {
      validate: (value, args) => {
        const open = (args?.object as Partial<TimeInterval>).open;
        if (typeof value !== 'string' || !CLOSE_TIME.test(value) || typeof open !== 'string' || !OPEN_TIME.test(open)) {
          return true;
        }
        return toMinutes(value) > toMinutes(open);
      },
      defaultMessage: (args) => `${args?.property} must be later than open`,
    },
  });
}

/**
 * The interval before each one in its day, recorded by DaySchedule while the body is transformed:
 * class-validator shows a rule only its own object, so this is how `open` can be checked against
 * the previous `close` and the error can name the exact field (`openingHours.mon[1].open`).
 */
const previousInterval = new WeakMap<object, Partial<TimeInterval>>();

/** On `open` of an interval: not before the previous interval of the day closes (sorted, no overlap). */
export function OpensAfterPreviousInterval(): PropertyDecorator {
  return ValidateBy({
    name: 'opensAfterPreviousInterval',
    validator: {
      validate: (value, args) => {
        const previous = previousInterval.get(args?.object as object);
        if (!previous || typeof value !== 'string' || !OPEN_TIME.test(value)) return true;
        if (typeof previous.close !== 'string' || !CLOSE_TIME.test(previous.close)) return true;
        return toMinutes(value) >= toMinutes(previous.close);
      },
      defaultMessage: (args: ValidationArguments) => {
        const previous = previousInterval.get(args.object);
        return `${args.property} must not be before the previous interval closes (${previous?.close}); intervals must be sorted and must not overlap`;
      },
    },
  });
}

/** One day of opening hours: an array (not null) of intervals of `type`, validated one by one and in order. */
export function DaySchedule(type: () => new () => TimeInterval): PropertyDecorator {
  return applyDecorators(
    ValidateIf((_, value) => value !== undefined),
    IsArray(),
    ArrayMaxSize(MAX_INTERVALS_PER_DAY),
    ValidateNested({ each: true }),
    Type(type),
    // Runs after @Type has built the interval instances.
    Transform(({ value }: { value: unknown }) => {
      if (Array.isArray(value)) {
        value.forEach((item: unknown, index) => {
          const previous: unknown = value[index - 1];
          if (index > 0 && typeof item === 'object' && item && typeof previous === 'object' && previous) {
            previousInterval.set(item, previous);
          }
        });
      }
      return value;
    }),
  );
}
