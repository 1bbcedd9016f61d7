import { Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@guichet/core/identity/principal';
import { RequestsService } from '@guichet/core/requests/requests.service';
import { ApiProblems } from '../common/api-problems.decorator';
import { Auth, CurrentPrincipal } from '../common/auth.decorators';
import { ExpectedVersion } from '../common/expected-version';
import { PageQueryDto } from '../common/pagination.dto';
import { ApiIfMatch } from '../common/api-if-match.decorator';
import {
  ChangeStatusDto,
  CreateRequestDto,
  RequestDto,
  RequestPageDto,
  RequestQueryDto,
  TimelinePageDto,
  UpdateRequestDto,
} from './dto/request.dto';
import { READ_REQUESTS, WRITE_REQUESTS } from './requests-access';

const uuid = new ParseUUIDPipe({ version: '4' });

@ApiTags('requests')
@Controller('requests')
export class RequestsController {
  constructor(private readonly requests: RequestsService) {}

  /** Requests of the caller's sites, latest arrival first. */
  @Auth(READ_REQUESTS)
  @Get()
  @ApiOkResponse({ type: RequestPageDto })
  @ApiProblems(400, 404)
  list(@CurrentPrincipal() principal: Principal, @Query() query: RequestQueryDto): Promise<RequestPageDto> {
    return this.requests.list(principal, query);
  }

  /** A retry with the same Idempotency-Key and body gets the first response (201, same id); another body is 422. */
  @Auth(WRITE_REQUESTS)
  @Post()
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: '8–128 characters among letters, digits, _ . : -' })
  @ApiCreatedResponse({ type: RequestDto })
  @ApiProblems(400, 404, 409, 422)
  create(
    @CurrentPrincipal() principal: Principal,
    @Body() dto: CreateRequestDto,
    @Headers('idempotency-key') idempotencyKey?: string,
  ): Promise<RequestDto> {
    return this.requests.create(principal, dto, idempotencyKey);
  }

  @Auth(READ_REQUESTS)
  @Get(':id')
  @ApiOkResponse({ type: RequestDto })
  @ApiProblems(400, 404)
  get(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string): Promise<RequestDto> {
    return this.requests.get(principal, id);
  }

  /** Edits the request's fields (not its status). Confidential notes are changed only by those who may read them (403). */
  @Auth(WRITE_REQUESTS)
  @Patch(':id')
  @ApiIfMatch()
  @ApiOkResponse({ type: RequestDto })
  @ApiProblems(400, 404, 409, 422)
  update(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Body() dto: UpdateRequestDto,
    @ExpectedVersion() version?: number,
  ): Promise<RequestDto> {
    return this.requests.update(principal, id, dto, version);
  }

  /**
   * Moves the request along open → in_progress → answered | oriented → closed, and back to
   * in_progress (reopen, or take-over after a transfer). Whoever moves it to in_progress handles it.
   */
  @Auth(WRITE_REQUESTS)
  @Post(':id/status')
  @HttpCode(200)
  @ApiIfMatch()
  @ApiOkResponse({ type: RequestDto })
  @ApiProblems(400, 404, 409, 422)
  changeStatus(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Body() dto: ChangeStatusDto,
    @ExpectedVersion() version?: number,
  ): Promise<RequestDto> {
    return this.requests.changeStatus(principal, id, dto, version);
  }

  /** Everything that happened to the request, oldest first, with who did it. */
  @Auth(READ_REQUESTS)
  @Get(':id/timeline')
  @ApiOkResponse({ type: TimelinePageDto })
  @ApiProblems(400, 404)
  timeline(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string, @Query() page: PageQueryDto): Promise<TimelinePageDto> {
    return this.requests.timeline(principal, id, page);
  }
}
