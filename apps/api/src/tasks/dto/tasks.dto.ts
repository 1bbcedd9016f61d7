import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsISO8601, IsOptional, IsUUID, Matches, ValidateIf } from 'class-validator';
import { ATTEMPT_RESULTS, CALLBACK_STATUSES } from '@guichet/core/tasks/callbacks.service';
import { NEXT_UP_KINDS, NEXT_UP_TIERS } from '@guichet/core/tasks/next-up';
import { QUADRANTS, TASK_STATUSES } from '@guichet/core/tasks/task-rules';
import { OptionalText, RequiredText } from '../../common/field-decorators';
import { PageQueryDto } from '../../common/pagination.dto';

/** An instant must say its offset: a bare local time would be read in the server's zone. */
export const INSTANT_WITH_OFFSET = /(Z|[+-]\d{2}:\d{2})$/;
const INSTANT_MESSAGE = '$property must be an ISO 8601 instant with a time zone offset or Z';

/** Optional instant; null clears it. */
function OptionalInstant(): PropertyDecorator {
  return (target, key) => {
    IsOptional()(target, key);
    IsISO8601({ strict: true })(target, key);
    Matches(INSTANT_WITH_OFFSET, { message: INSTANT_MESSAGE })(target, key);
  };
}

export class CreateTaskDto {
  @IsUUID('4')
  siteId: string;

  @RequiredText(200)
  title: string;

  @OptionalText(4000)
  notes?: string | null;

  /** Default: the caller. An agent of the site (else 422 unknown_assignee). */
  @IsOptional()
  @IsUUID('4')
  ownerUserId?: string | null;

  /** A service of the site: the whole service sees the task. */
  @IsOptional()
  @IsUUID('4')
  ownerServiceId?: string | null;

  @IsOptional()
  @IsBoolean()
  urgent?: boolean;

  @IsOptional()
  @IsBoolean()
  important?: boolean;

  @OptionalInstant()
  dueAt?: string | null;

  /** When to remind the owner (live event, once); must be in the future. */
  @OptionalInstant()
  remindAt?: string | null;

  /** RFC 5545 RRULE without DTSTART (the due date starts the series), e.g. `FREQ=WEEKLY;BYDAY=MO`; UNTIL rather than COUNT. */
  @OptionalText(300)
  recurrence?: string | null;
}

export class UpdateTaskDto {
  @IsOptional()
  @RequiredText(200)
  title?: string;

  @OptionalText(4000)
  notes?: string | null;

  @IsOptional()
  @IsUUID('4')
  ownerUserId?: string | null;

  @IsOptional()
  @IsUUID('4')
  ownerServiceId?: string | null;

  @IsOptional()
  @IsBoolean()
  urgent?: boolean;

  @IsOptional()
  @IsBoolean()
  important?: boolean;

  @OptionalInstant()
  dueAt?: string | null;

  /** Moving it schedules a new reminder (and cancels the pending one). */
  @OptionalInstant()
  remindAt?: string | null;

  @OptionalText(300)
  recurrence?: string | null;
}

export class TaskQueryDto extends PageQueryDto {
  @IsOptional()
  @IsUUID('4')
  siteId?: string;

  /** A user id, or `me` for the caller's and their service's tasks. */
  @IsOptional()
  @ValidateIf((_, v) => v !== 'me')
  @IsUUID('4')
  ownerUserId?: string;

  @IsOptional()
  @IsUUID('4')
  ownerServiceId?: string;

  @IsOptional()
  @IsIn(TASK_STATUSES)
  @ApiPropertyOptional({ enum: TASK_STATUSES })
  status?: (typeof TASK_STATUSES)[number];

  @IsOptional()
  @IsIn(QUADRANTS)
  @ApiPropertyOptional({ enum: QUADRANTS })
  quadrant?: (typeof QUADRANTS)[number];
}

export class TaskDto {
  id: string;
  siteId: string;
  title: string;
  notes: string | null;
  ownerUserId: string | null;
  ownerServiceId: string | null;
  urgent: boolean;
  important: boolean;
  @ApiProperty({ enum: QUADRANTS, description: 'do_first = urgent and important; schedule = important; delegate = urgent; eliminate = neither' })
  quadrant: string;
  dueAt: Date | null;
  remindAt: Date | null;
  /** Set when the reminder fired (once). */
  reminderSentAt: Date | null;
  recurrence: string | null;
  /** The occurrence this one follows, for a recurring task. */
  previousTaskId: string | null;
  @ApiProperty({ enum: TASK_STATUSES })
  status: string;
  completedAt: Date | null;
  completedByUserId: string | null;
  createdByUserId: string | null;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

export class CompletedTaskDto extends TaskDto {
  /** The next occurrence created by this completion (recurring tasks). */
  nextTaskId: string | null;
}

export class TaskPageDto {
  @ApiProperty({ type: [TaskDto] })
  items: TaskDto[];
  total: number;
}

export class CreateCallbackDto {
  @IsUUID('4')
  siteId: string;

  /** Who to call back. */
  @RequiredText(200)
  contactName: string;

  /** Any usual writing; stored in E.164 (French numbers by default). */
  @RequiredText(40)
  phone: string;

  /** About what. */
  @RequiredText(500)
  subject: string;

  /** Call before this instant (future). */
  @OptionalInstant()
  callBefore?: string | null;

  @IsOptional()
  @IsUUID('4')
  visitorId?: string | null;

  @IsOptional()
  @IsUUID('4')
  requestId?: string | null;

  @IsOptional()
  @IsUUID('4')
  ownerUserId?: string | null;

  @IsOptional()
  @IsUUID('4')
  ownerServiceId?: string | null;
}

export class CallbackQueryDto extends PageQueryDto {
  @IsOptional()
  @IsUUID('4')
  siteId?: string;

  @IsOptional()
  @ValidateIf((_, v) => v !== 'me')
  @IsUUID('4')
  ownerUserId?: string;

  @IsOptional()
  @IsUUID('4')
  ownerServiceId?: string;

  @IsOptional()
  @IsIn(CALLBACK_STATUSES)
  @ApiPropertyOptional({ enum: CALLBACK_STATUSES })
  status?: (typeof CALLBACK_STATUSES)[number];
}

export class CallbackAttemptDto {
  @IsIn(ATTEMPT_RESULTS)
  @ApiProperty({ enum: ATTEMPT_RESULTS, description: 'reached closes as done, wrong_number as failed; the others keep the callback open' })
  result: (typeof ATTEMPT_RESULTS)[number];

  @OptionalText(2000)
  notes?: string | null;
}

export class CloseCallbackDto {
  @IsIn(['cancelled', 'gave_up'])
  @ApiProperty({ enum: ['cancelled', 'gave_up'] })
  outcome: 'cancelled' | 'gave_up';
}

export class CallbackAttemptViewDto {
  at: Date;
  userId: string | null;
  @ApiProperty({ enum: ATTEMPT_RESULTS })
  result: string;
  notes: string | null;
}

export class CallbackDto {
  id: string;
  siteId: string;
  visitorId: string | null;
  requestId: string | null;
  contactName: string;
  /** E.164. */
  phone: string;
  subject: string;
  callBefore: Date | null;
  ownerUserId: string | null;
  ownerServiceId: string | null;
  @ApiProperty({ enum: CALLBACK_STATUSES })
  status: string;
  @ApiPropertyOptional({ enum: ['reached', 'wrong_number', 'cancelled', 'gave_up'] })
  outcome: string | null;
  attemptCount: number;
  @ApiProperty({ type: [CallbackAttemptViewDto] })
  attempts: CallbackAttemptViewDto[];
  createdByUserId: string | null;
  createdAt: Date;
  closedAt: Date | null;
  version: number;
}

export class CallbackPageDto {
  @ApiProperty({ type: [CallbackDto] })
  items: CallbackDto[];
  total: number;
}

export class NextUpItemDto {
  @ApiProperty({ enum: NEXT_UP_KINDS })
  kind: string;
  /** Ticket, callback, request (e-mail) or task id. */
  id: string;
  /** Empty for a confidential request the caller does not handle. */
  title: string;
  dueAt: Date | null;
  since: Date;
  urgent: boolean;
  important: boolean;
  @ApiProperty({ enum: NEXT_UP_TIERS })
  tier: string;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string', nullable: true } })
  ref: Record<string, string | null>;
}

export class NextUpDto {
  counterId: string | null;
  @ApiProperty({ type: [NextUpItemDto] })
  items: NextUpItemDto[];
}

