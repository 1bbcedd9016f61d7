import { Body, Controller, Get, Param, ParseUUIDPipe, Put } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AlertRulesService } from '@guichet/core/alerts/alert-rules.service';
import type { Principal } from '@guichet/core/identity/principal';
import { ApiProblems } from '../common/api-problems.decorator';
import { Auth, CurrentPrincipal } from '../common/auth.decorators';
import { ExpectedVersion } from '../common/expected-version';
import { ApiIfMatch } from '../common/api-if-match.decorator';
import { AlertRulesDto, AlertRulesInputDto } from './dto/alert-rules.dto';

const uuid = new ParseUUIDPipe({ version: '4' });

@ApiTags('alerts')
// Also under /alert-rules/{queueId}, the path of the API contract.
@Controller(['queues/:id/alert-rules', 'alert-rules/:id'])
export class AlertRulesController {
  constructor(private readonly rules: AlertRulesService) {}

  /** The queue's thresholds; all null (and version 0) until set. */
  @Auth({ minRole: 'supervisor' })
  @Get()
  @ApiOkResponse({ type: AlertRulesDto })
  @ApiProblems(400, 404)
  get(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string): Promise<AlertRulesDto> {
    return this.rules.get(principal, id);
  }

  /** Replaces the thresholds and has the worker re-evaluate the queue within seconds. */
  @Auth({ minRole: 'supervisor' })
  @Put()
  @ApiIfMatch()
  @ApiOkResponse({ type: AlertRulesDto })
  @ApiProblems(400, 404, 409)
  replace(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Body() dto: AlertRulesInputDto,
    @ExpectedVersion() version?: number,
  ): Promise<AlertRulesDto> {
    return this.rules.replace(principal, id, dto, version);
  }
}
