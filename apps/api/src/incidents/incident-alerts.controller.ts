import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { IncidentAlertsService } from '@guichet/core/incidents/incident-alerts.service';
import type { Principal } from '@guichet/core/identity/principal';
import { ApiProblems } from '../common/api-problems.decorator';
import { Auth, CurrentPrincipal } from '../common/auth.decorators';
import { IncidentAlertDto } from './dto/incidents.dto';
import { IncidentAlertQueryDto, RaiseIncidentAlertDto, RaisedIncidentAlertDto } from './dto/incident-alerts.dto';

const uuid = new ParseUUIDPipe({ version: '4' });

@ApiTags('incidents')
@Controller('incident-alerts')
export class IncidentAlertsController {
  constructor(private readonly alerts: IncidentAlertsService) {}

  /**
   * "Call a supervisor" / "call security": opens (or attaches to) an incident and pushes
   * `incident.alert_raised` at once to the site's supervisors (and security contacts); with nobody
   * acknowledging, the worker alerts the next levels of the site's policy (`incident.alert_escalated`).
   */
  @Auth()
  @Post()
  @ApiCreatedResponse({ type: RaisedIncidentAlertDto })
  @ApiProblems(400, 404, 409, 422)
  raise(@CurrentPrincipal() principal: Principal, @Body() dto: RaiseIncidentAlertDto): Promise<RaisedIncidentAlertDto> {
    return this.alerts.raise(principal, dto);
  }

  /** Waiting alerts (default) of the caller's sites, oldest first: the supervisor dashboard's list. */
  @Auth()
  @Get()
  @ApiOkResponse({ type: [IncidentAlertDto] })
  @ApiProblems(400, 404)
  list(@CurrentPrincipal() principal: Principal, @Query() query: IncidentAlertQueryDto): Promise<IncidentAlertDto[]> {
    return this.alerts.list(principal, query);
  }

  /** "I am on it": stops the chain. Supervisors, admins and the people alerted; a second acknowledgement is 409 `alert_already_acknowledged`. */
  @Auth()
  @Post(':id/acknowledge')
  @HttpCode(200)
  @ApiOkResponse({ type: IncidentAlertDto })
  @ApiProblems(400, 404, 409)
  acknowledge(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string): Promise<IncidentAlertDto> {
    return this.alerts.acknowledge(principal, id);
  }
}
