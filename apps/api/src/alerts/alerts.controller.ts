import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AlertsService } from '@guichet/core/alerts/alerts.service';
import type { Principal } from '@guichet/core/identity/principal';
import { ApiProblems } from '../common/api-problems.decorator';
import { Auth, CurrentPrincipal } from '../common/auth.decorators';
import { AlertDto, AlertPageDto, AlertQueryDto } from './dto/alerts.dto';

const uuid = new ParseUUIDPipe({ version: '4' });

@ApiTags('alerts')
@Controller('alerts')
export class AlertsController {
  constructor(private readonly alerts: AlertsService) {}

  /** Flow alerts of the caller's sites, latest raised first. Live: `alert.raised`, `alert.acknowledged`, `alert.resolved`. */
  @Auth({ minRole: 'supervisor' })
  @Get()
  @ApiOkResponse({ type: AlertPageDto })
  @ApiProblems(400)
  list(@CurrentPrincipal() principal: Principal, @Query() query: AlertQueryDto): Promise<AlertPageDto> {
    return this.alerts.list(principal, query);
  }

  /** One supervisor takes the alert; a second acknowledgement is 409 `already_acknowledged`. */
  @Auth({ minRole: 'supervisor' })
  @Post(':id/acknowledge')
  @HttpCode(200)
  @ApiOkResponse({ type: AlertDto })
  @ApiProblems(400, 404, 409)
  acknowledge(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string): Promise<AlertDto> {
    return this.alerts.acknowledge(principal, id);
  }
}
