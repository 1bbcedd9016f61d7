import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@guichet/core/identity/principal';
import { CallbacksService } from '@guichet/core/tasks/callbacks.service';
import { NextUpService } from '@guichet/core/tasks/next-up.service';
import { TasksService } from '@guichet/core/tasks/tasks.service';
import { ApiIfMatch } from '../common/api-if-match.decorator';
import { ApiProblems } from '../common/api-problems.decorator';
import { Auth, CurrentPrincipal } from '../common/auth.decorators';
import { ExpectedVersion } from '../common/expected-version';
import {
  CallbackAttemptDto,
  CallbackDto,
  CallbackPageDto,
  CallbackQueryDto,
  CloseCallbackDto,
  CompletedTaskDto,
  CreateCallbackDto,
  CreateTaskDto,
  NextUpDto,
  TaskDto,
  TaskPageDto,
  TaskQueryDto,
  UpdateTaskDto,
} from './dto/tasks.dto';

const uuid = new ParseUUIDPipe({ version: '4' });

@ApiTags('tasks')
@Controller('tasks')
export class TasksController {
  constructor(private readonly tasks: TasksService) {}

  /** Live (private to the owner's user or service room): `task.changed`, and `task.reminder` once at `remindAt`. */
  @Auth()
  @Post()
  @ApiCreatedResponse({ type: TaskDto })
  @ApiProblems(400, 404, 422)
  create(@CurrentPrincipal() principal: Principal, @Body() dto: CreateTaskDto): Promise<TaskDto> {
    return this.tasks.create(principal, dto);
  }

  /** Open tasks first, by due date. `ownerUserId=me`: mine and my service's. */
  @Auth()
  @Get()
  @ApiOkResponse({ type: TaskPageDto })
  @ApiProblems(400)
  list(@CurrentPrincipal() principal: Principal, @Query() query: TaskQueryDto): Promise<TaskPageDto> {
    return this.tasks.list(principal, query);
  }

  @Auth()
  @Get(':id')
  @ApiOkResponse({ type: TaskDto })
  @ApiProblems(400, 404)
  get(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string): Promise<TaskDto> {
    return this.tasks.get(principal, id);
  }

  /** Edits an open task (409 not_open otherwise); a moved reminder replaces the pending one. */
  @Auth()
  @Patch(':id')
  @ApiIfMatch()
  @ApiOkResponse({ type: TaskDto })
  @ApiProblems(400, 404, 409, 422)
  update(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Body() dto: UpdateTaskDto,
    @ExpectedVersion() version?: number,
  ): Promise<TaskDto> {
    return this.tasks.update(principal, id, dto, version);
  }

  /** Done: the pending reminder is cancelled; a recurring task gets its next occurrence (`nextTaskId`). */
  @Auth()
  @Post(':id/complete')
  @HttpCode(200)
  @ApiOkResponse({ type: CompletedTaskDto })
  @ApiProblems(400, 404, 409)
  complete(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string): Promise<CompletedTaskDto> {
    return this.tasks.complete(principal, id);
  }

  @Auth()
  @Post(':id/cancel')
  @HttpCode(200)
  @ApiOkResponse({ type: TaskDto })
  @ApiProblems(400, 404, 409)
  cancel(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string): Promise<TaskDto> {
    return this.tasks.cancel(principal, id);
  }
}

@ApiTags('tasks')
@Controller('callbacks')
export class CallbacksController {
  constructor(private readonly callbacks: CallbacksService) {}

  /** A phone request to call back. Live (private to the owner's rooms): `callback.changed`. */
  @Auth()
  @Post()
  @ApiCreatedResponse({ type: CallbackDto })
  @ApiProblems(400, 404, 422)
  create(@CurrentPrincipal() principal: Principal, @Body() dto: CreateCallbackDto): Promise<CallbackDto> {
    return this.callbacks.create(principal, dto);
  }

  /** Open ones first, by deadline. `ownerUserId=me`: mine and my service's. */
  @Auth()
  @Get()
  @ApiOkResponse({ type: CallbackPageDto })
  @ApiProblems(400)
  list(@CurrentPrincipal() principal: Principal, @Query() query: CallbackQueryDto): Promise<CallbackPageDto> {
    return this.callbacks.list(principal, query);
  }

  @Auth()
  @Get(':id')
  @ApiOkResponse({ type: CallbackDto })
  @ApiProblems(400, 404)
  get(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string): Promise<CallbackDto> {
    return this.callbacks.get(principal, id);
  }

  /** Logs one call attempt; 409 not_open once the callback is closed. */
  @Auth()
  @Post(':id/attempts')
  @HttpCode(200)
  @ApiOkResponse({ type: CallbackDto })
  @ApiProblems(400, 404, 409)
  attempt(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string, @Body() dto: CallbackAttemptDto): Promise<CallbackDto> {
    return this.callbacks.attempt(principal, id, dto);
  }

  @Auth()
  @Post(':id/close')
  @HttpCode(200)
  @ApiOkResponse({ type: CallbackDto })
  @ApiProblems(400, 404, 409)
  close(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string, @Body() dto: CloseCallbackDto): Promise<CallbackDto> {
    return this.callbacks.close(principal, id, dto.outcome);
  }
}

@ApiTags('tasks')
@Controller('me')
export class NextUpController {
  constructor(private readonly nextUp: NextUpService) {}

  /**
   * "What do I do next": waiting tickets of the caller's counter queues, their callbacks, e-mails
   * awaiting an answer and tasks, in one order (overdue, due within the hour, urgent and
   * important, urgent, important, the rest; then deadline, then waiting time).
   */
  @Auth()
  @Get('next-up')
  @ApiOkResponse({ type: NextUpDto })
  @ApiProblems()
  list(@CurrentPrincipal() principal: Principal): Promise<NextUpDto> {
    return this.nextUp.forAgent(principal);
  }
}
