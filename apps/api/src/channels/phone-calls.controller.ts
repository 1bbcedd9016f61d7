import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { PhoneCallsService } from '@guichet/core/channels/phone-calls.service';
import type { Principal } from '@guichet/core/identity/principal';
import { ApiProblems } from '../common/api-problems.decorator';
import { Auth, CurrentPrincipal } from '../common/auth.decorators';
import { READ_REQUESTS, WRITE_REQUESTS } from '../requests/requests-access';
import { LogPhoneCallDto, PhoneCallDto, PhoneCallPageDto, PhoneCallQueryDto } from './dto/phone-call.dto';

@ApiTags('channels')
@Controller('channels/phone/calls')
export class PhoneCallsController {
  constructor(private readonly calls: PhoneCallsService) {}

  /**
   * Logs a call (by an agent, or a telephony integration with requests:write). The number is
   * stored in E.164 and recognises the visitor; the call may open a request (channel `phone`) or
   * join one (timeline `call_logged`). A transferred call is announced to the receiving service.
   */
  @Auth(WRITE_REQUESTS)
  @Post()
  @ApiCreatedResponse({ type: PhoneCallDto })
  @ApiProblems(400, 404, 422)
  log(@CurrentPrincipal() principal: Principal, @Body() dto: LogPhoneCallDto): Promise<PhoneCallDto> {
    return this.calls.log(principal, dto);
  }

  /** Calls of the caller's sites, latest first. */
  @Auth(READ_REQUESTS)
  @Get()
  @ApiOkResponse({ type: PhoneCallPageDto })
  @ApiProblems(400, 404)
  list(@CurrentPrincipal() principal: Principal, @Query() query: PhoneCallQueryDto): Promise<PhoneCallPageDto> {
    return this.calls.list(principal, query);
  }
}
