import { IsOptional, IsUUID, Matches } from 'class-validator';
import { CLOSE_TIME, OPEN_TIME } from '@guichet/core/organisation/opening-hours';
import {
  ClosesAfterOpening,
  DaySchedule,
  IsCalendarDate,
  IsNotBefore,
  OpensAfterPreviousInterval,
} from '@guichet/core/organisation/organisation.validators';
import { PageQueryDto } from '../../common/pagination.dto';
import { OptionalText, SearchText } from '../../common/field-decorators';

export class TimeIntervalDto {
  /** Opening time, `HH:MM` (24 h), local time of the site. */
  @Matches(OPEN_TIME, { message: '$property must be a time HH:MM between 00:00 and 23:59' })
  @OpensAfterPreviousInterval()
  open: string;

  /** Closing time, `HH:MM` (24 h), after `open`; `24:00` is the end of the day. */
  @Matches(CLOSE_TIME, { message: '$property must be a time HH:MM from 00:00 to 24:00' })
  @ClosesAfterOpening()
  close: string;
}

/**
 * Opening intervals per weekday, sorted and not overlapping, e.g.
 * `{"mon": [{"open": "08:30", "close": "12:00"}, {"open": "13:30", "close": "17:00"}], "sun": []}`.
 * A day left out or empty is closed.
 */
export class OpeningHoursDto {
  @DaySchedule(() => TimeIntervalDto)
  mon?: TimeIntervalDto[];

  @DaySchedule(() => TimeIntervalDto)
  tue?: TimeIntervalDto[];

  @DaySchedule(() => TimeIntervalDto)
  wed?: TimeIntervalDto[];

  @DaySchedule(() => TimeIntervalDto)
  thu?: TimeIntervalDto[];

  @DaySchedule(() => TimeIntervalDto)
  fri?: TimeIntervalDto[];

  @DaySchedule(() => TimeIntervalDto)
  sat?: TimeIntervalDto[];

  @DaySchedule(() => TimeIntervalDto)
  sun?: TimeIntervalDto[];
}

/** Closed from `from` to `to`, both included (local dates of the site): holidays, works, strikes. */
export class ClosureDto {
  /** First closed day, `YYYY-MM-DD`. */
  @IsCalendarDate()
  from: string;

  /** Last closed day, `YYYY-MM-DD`, not before `from`. */
  @IsCalendarDate()
  @IsNotBefore('from')
  to: string;

  /** e.g. "Noël". */
  @OptionalText(100)
  label?: string | null;
}

export class AddressDto {
  @OptionalText(200)
  street?: string | null;

  @OptionalText(20)
  postalCode?: string | null;

  @OptionalText(100)
  city?: string | null;

  @OptionalText(100)
  country?: string | null;
}

export class SiteScopedQueryDto extends PageQueryDto {
  /** Only this site (404 if the caller cannot see it); default: every site of the caller. */
  @IsOptional()
  @IsUUID('4')
  siteId?: string;

  /** Search words (the first 8 are used); accents and case are ignored. */
  @SearchText()
  q?: string;
}

/** Computed from the hours, the closures and the site's time zone at the time of the response. */
export class OpeningStatusDto {
  /** Whether it is open now; null when the hours are unknown. */
  openNow: boolean | null;

  /** Next moment it opens (while open: the next reopening), within a year; null if none. */
  nextOpeningAt: Date | null;
}
