import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsNumber, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { IsCalendarDate } from '@guichet/core/organisation/organisation.validators';
import {
  ArrivalsForecast,
  DEFAULT_HISTORY_WEEKS,
  FlowStats,
  FlowStatsQuery,
  FlowStatsRow,
  ForecastQuery,
  GROUP_BY,
  type GroupBy,
  MAX_FORECAST_DAYS,
  MAX_HISTORY_WEEKS,
  SiteForecast,
  SiteForecastQuery,
  StaffingHour,
  StaffingPlan,
  StaffingQuery,
} from '@guichet/core/stats/stats.service';

export class FlowStatsQueryDto implements FlowStatsQuery {
  /** All queues of the site; or give `queueId` alone. */
  @IsOptional()
  @IsUUID('4')
  siteId?: string;

  @IsOptional()
  @IsUUID('4')
  queueId?: string;

  /** First day, YYYY-MM-DD in the site's calendar. */
  @IsCalendarDate()
  from: string;

  /** Last day, included; at most 400 days in all. */
  @IsCalendarDate()
  to: string;

  @IsOptional()
  @IsIn(GROUP_BY)
  @ApiProperty({ enum: GROUP_BY, required: false, default: 'day' })
  groupBy: GroupBy = 'day';
}

export class FlowStatsRowDto implements FlowStatsRow {
  queueId: string;
  /** Hour 0–23, ISO weekday 1–7 (Monday = 1), `YYYY-MM` or `YYYY-MM-DD`, in the site's time zone. */
  @ApiProperty({ oneOf: [{ type: 'integer' }, { type: 'string' }] })
  bucket: number | string;
  arrivals: number;
  served: number;
  noShows: number;
  cancelled: number;
  /** Arrival to first call; null when no ticket was called. */
  meanWaitSeconds: number | null;
  p90WaitSeconds: number | null;
  /** Start to end of the tickets served; null when none was. */
  meanServiceSeconds: number | null;
}

class StatsQueueDto {
  id: string;
  name: string;
  prefix: string;
}

export class FlowStatsDto implements FlowStats {
  siteId: string;
  timeZone: string;
  from: string;
  to: string;
  @ApiProperty({ enum: GROUP_BY })
  groupBy: GroupBy;
  @ApiProperty({ type: [StatsQueueDto] })
  queues: StatsQueueDto[];
  /** One row per queue and bucket with tickets. */
  @ApiProperty({ type: [FlowStatsRowDto] })
  rows: FlowStatsRowDto[];
}

export class ForecastQueryDto implements ForecastQuery {
  @IsUUID('4')
  queueId: string;

  /** Days to forecast, today first (1–60). */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_FORECAST_DAYS)
  days: number = 7;

  /** Weeks of history averaged (1–26). */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_HISTORY_WEEKS)
  weeks: number = DEFAULT_HISTORY_WEEKS;
}

class HourForecastDto {
  date: string;
  hour: number;
  expectedArrivals: number;
}

class DayForecastDto {
  date: string;
  /** ISO weekday, Monday = 1. */
  weekday: number;
  /** A closure of the site (public holiday…). */
  closed: boolean;
  expectedArrivals: number;
}

class DateRangeDto {
  from: string;
  to: string;
}

export class ForecastDto implements ArrivalsForecast {
  queueId: string;
  siteId: string;
  timeZone: string;
  weeks: number;
  /** The days whose arrivals were averaged. */
  history: DateRangeDto;
  /** Each local hour 0–23 of each day; 0 on closures and while the queue is closed. */
  @ApiProperty({ type: [HourForecastDto] })
  hours: HourForecastDto[];
  @ApiProperty({ type: [DayForecastDto] })
  days: DayForecastDto[];
}

export class StaffingQueryDto implements StaffingQuery {
  @IsUUID('4')
  queueId: string;

  /** YYYY-MM-DD in the site's calendar, from today to 59 days ahead. */
  @IsCalendarDate()
  date: string;

  /** Share of visitors to call within `targetWaitSeconds` (0.01–0.999). */
  @IsOptional()
  @Type(() => Number)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0.01)
  @Max(0.999)
  targetServiceLevel: number = 0.8;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(14400)
  targetWaitSeconds: number = 600;

  /** Weeks of history behind the forecast and the mean service time (1–26). */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_HISTORY_WEEKS)
  weeks: number = DEFAULT_HISTORY_WEEKS;
}

export class StaffingHourDto implements StaffingHour {
  /** Local hour 0–23. */
  hour: number;
  expectedArrivals: number;
  /** Erlangs: expected arrivals × mean service time / 3600. */
  offeredLoad: number;
  /** The fewest counters meeting the target (Erlang C); 0 when nobody is expected. */
  recommendedCounters: number;
  /** Share called within the target wait with those counters. */
  serviceLevel: number;
  /** Erlang C: the chance a visitor has to wait at all. */
  probabilityOfWaiting: number;
  averageSpeedOfAnswerSeconds: number;
}

export class StaffingDto implements StaffingPlan {
  queueId: string;
  siteId: string;
  date: string;
  closed: boolean;
  weeks: number;
  targetServiceLevel: number;
  targetWaitSeconds: number;
  /** Mean start-to-end time of the tickets served in the history window; 300 without any. */
  meanServiceSeconds: number;
  /** Served tickets behind that mean (0: the default was used). */
  serviceSamples: number;
  @ApiProperty({ type: [StaffingHourDto] })
  hours: StaffingHourDto[];
}

export class SiteForecastQueryDto implements SiteForecastQuery {
  @IsUUID('4')
  siteId: string;

  /** Days to forecast, today first (1–60). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_FORECAST_DAYS)
  days: number;

  /** Weeks of history averaged (1–26). */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_HISTORY_WEEKS)
  weeks: number = DEFAULT_HISTORY_WEEKS;

  /** Share of visitors to call within `targetWaitSeconds` (0.01–0.999). */
  @IsOptional()
  @Type(() => Number)
  @IsNumber()
  @Min(0.01)
  @Max(0.999)
  targetServiceLevel: number = 0.8;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(14400)
  targetWaitSeconds: number = 600;
}

class SiteForecastHourDto {
  date: string;
  hour: number;
  expectedArrivals: number;
  /** Counters needed that hour to meet the target (Erlang C). */
  recommendedCounters: number;
}

class SiteForecastQueueDto {
  queueId: string;
  name: string;
  prefix: string;
  meanServiceSeconds: number;
  @ApiProperty({ type: [SiteForecastHourDto] })
  hours: SiteForecastHourDto[];
}

export class SiteForecastDto implements SiteForecast {
  siteId: string;
  days: number;
  targetServiceLevel: number;
  targetWaitSeconds: number;
  @ApiProperty({ type: [SiteForecastQueueDto] })
  queues: SiteForecastQueueDto[];
}
