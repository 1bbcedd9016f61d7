import { IsInt, IsOptional, Max, Min } from 'class-validator';

/** Above this many waiting tickets a threshold means nothing; a day is the longest sensible wait. */
const MAX_TICKETS = 10_000;
const MAX_MINUTES = 1440;

/** PUT replaces every threshold: an omitted or null one is off. An alert is raised when the value goes above. */
export class AlertRulesInputDto {
  /** Alert when more tickets than this wait. */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_TICKETS)
  maxWaiting?: number | null;

  /** Alert when the oldest waiting ticket has waited longer than this. */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_MINUTES)
  maxLongestWaitMinutes?: number | null;

  /** Alert when a ticket issued now would be told to wait longer than this. */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_MINUTES)
  maxEstimatedWaitMinutes?: number | null;

  /** Alert for each counter open on the queue, available or paused, for longer than this while tickets wait. */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_MINUTES)
  maxCounterIdleMinutes?: number | null;

  /** Alert for each ticket waiting longer than this (the 50 oldest at most). */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_MINUTES)
  maxTicketWaitMinutes?: number | null;
}

export class AlertRulesDto {
  queueId: string;
  maxWaiting: number | null;
  maxLongestWaitMinutes: number | null;
  maxEstimatedWaitMinutes: number | null;
  maxCounterIdleMinutes: number | null;
  maxTicketWaitMinutes: number | null;
  /** 0 while the queue has never had thresholds; send it back in If-Match. */
  version: number;
  updatedAt: Date | null;
}
