import { Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ComplaintsService } from '@guichet/core/complaints/complaints.service';
import type { Principal } from '@guichet/core/identity/principal';
import { ApiIfMatch } from '../common/api-if-match.decorator';
import { ApiProblems } from '../common/api-problems.decorator';
import { Auth, CurrentPrincipal } from '../common/auth.decorators';
import { ExpectedVersion } from '../common/expected-version';
import { PageQueryDto } from '../common/pagination.dto';
import { READ_COMPLAINTS, WRITE_COMPLAINTS } from './complaints-access';
import {
  ChangeComplaintStatusDto,
  ComplaintDto,
  ComplaintHistoryPageDto,
  ComplaintPageDto,
  ComplaintQueryDto,
  CreateComplaintDto,
  PauseComplaintDto,
  ResumeComplaintDto,
  UpdateComplaintDto,
} from './dto/complaint.dto';

const uuid = new ParseUUIDPipe({ version: '4' });

@ApiTags('complaints')
@Controller('complaints')
export class ComplaintsController {
  constructor(private readonly complaints: ComplaintsService) {}

  /** Complaints of the caller's sites, latest received first, with their SLA clocks. */
  @Auth(READ_COMPLAINTS)
  @Get()
  @ApiOkResponse({ type: ComplaintPageDto })
  @ApiProblems(400, 404)
  list(@CurrentPrincipal() principal: Principal, @Query() query: ComplaintQueryDto): Promise<ComplaintPageDto> {
    return this.complaints.list(principal, query);
  }

  /**
   * Records a complaint from the desk, the phone, an e-mail or the web form, or turns a survey
   * answer into one (`surveyResponseId`). Its acknowledge and answer clocks start at `receivedAt`.
   */
  @Auth(WRITE_COMPLAINTS)
  @Post()
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: '8–128 characters among letters, digits, _ . : -' })
  @ApiCreatedResponse({ type: ComplaintDto })
  @ApiProblems(400, 404, 409, 422)
  create(
    @CurrentPrincipal() principal: Principal,
    @Body() dto: CreateComplaintDto,
    @Headers('idempotency-key') idempotencyKey?: string,
  ): Promise<ComplaintDto> {
    return this.complaints.create(principal, dto, idempotencyKey);
  }

  @Auth(READ_COMPLAINTS)
  @Get(':id')
  @ApiOkResponse({ type: ComplaintDto })
  @ApiProblems(400, 404)
  get(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string): Promise<ComplaintDto> {
    return this.complaints.get(principal, id);
  }

  /** Edits the complaint (owner, severity, remit, compensation, follow-up, links), not its status. */
  @Auth(WRITE_COMPLAINTS)
  @Patch(':id')
  @ApiIfMatch()
  @ApiOkResponse({ type: ComplaintDto })
  @ApiProblems(400, 404, 409, 422)
  update(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Body() dto: UpdateComplaintDto,
    @ExpectedVersion() version?: number,
  ): Promise<ComplaintDto> {
    return this.complaints.update(principal, id, dto, version);
  }

  /** Moves the complaint along its lifecycle; answering needs the answer text. */
  @Auth(WRITE_COMPLAINTS)
  @Post(':id/status')
  @HttpCode(200)
  @ApiIfMatch()
  @ApiOkResponse({ type: ComplaintDto })
  @ApiProblems(400, 404, 409, 422)
  changeStatus(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Body() dto: ChangeComplaintStatusDto,
    @ExpectedVersion() version?: number,
  ): Promise<ComplaintDto> {
    return this.complaints.changeStatus(principal, id, dto, version);
  }

  /** Pauses the running clocks while waiting for the visitor (409 `clock_paused` if already paused). */
  @Auth(WRITE_COMPLAINTS)
  @Post(':id/pause')
  @HttpCode(200)
  @ApiIfMatch()
  @ApiOkResponse({ type: ComplaintDto })
  @ApiProblems(400, 404, 409, 422)
  pause(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Body() dto: PauseComplaintDto,
    @ExpectedVersion() version?: number,
  ): Promise<ComplaintDto> {
    return this.complaints.pause(principal, id, dto, version);
  }

  /** Resumes paused clocks; their due times move by the business time spent waiting (409 `clock_not_paused` otherwise). */
  @Auth(WRITE_COMPLAINTS)
  @Post(':id/resume')
  @HttpCode(200)
  @ApiIfMatch()
  @ApiOkResponse({ type: ComplaintDto })
  @ApiProblems(400, 404, 409)
  resume(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Body() dto: ResumeComplaintDto,
    @ExpectedVersion() version?: number,
  ): Promise<ComplaintDto> {
    return this.complaints.resume(principal, id, dto, version);
  }

  /** Everything that happened to the complaint, oldest first, with who did it (SLA steps by "SLA"). */
  @Auth(READ_COMPLAINTS)
  @Get(':id/history')
  @ApiOkResponse({ type: ComplaintHistoryPageDto })
  @ApiProblems(400, 404)
  history(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string, @Query() page: PageQueryDto): Promise<ComplaintHistoryPageDto> {
    return this.complaints.history(principal, id, page);
  }
}
