import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { IncidentsService } from '@guichet/core/incidents/incidents.service';
import type { Principal } from '@guichet/core/identity/principal';
import { ApiIfMatch } from '../common/api-if-match.decorator';
import { ApiProblems } from '../common/api-problems.decorator';
import { Auth, CurrentPrincipal } from '../common/auth.decorators';
import { ExpectedVersion } from '../common/expected-version';
import {
  CloseIncidentDto,
  CreateIncidentDto,
  IncidentDetailDto,
  IncidentDto,
  IncidentPageDto,
  IncidentQueryDto,
  IncidentStatsDto,
  IncidentStatsQueryDto,
  UpdateIncidentDto,
} from './dto/incidents.dto';

const uuid = new ParseUUIDPipe({ version: '4' });

@ApiTags('incidents')
@Controller('incidents')
export class IncidentsController {
  constructor(private readonly incidents: IncidentsService) {}

  /** Records an incident (tension, conflict, aggression, security). Live (private): `incident.created` to the site's supervisors. */
  @Auth()
  @Post()
  @ApiCreatedResponse({ type: IncidentDto })
  @ApiProblems(400, 404, 422)
  create(@CurrentPrincipal() principal: Principal, @Body() dto: CreateIncidentDto): Promise<IncidentDto> {
    return this.incidents.create(principal, dto);
  }

  /** The register: supervisors and admins see their sites' incidents, agents those they reported or took part in. */
  @Auth()
  @Get()
  @ApiOkResponse({ type: IncidentPageDto })
  @ApiProblems(400, 404)
  list(@CurrentPrincipal() principal: Principal, @Query() query: IncidentQueryDto): Promise<IncidentPageDto> {
    return this.incidents.list(principal, query);
  }

  /** Figures of a site's register: by severity, outcome, hour of day and weekday (site time zone), and alert handling. */
  @Auth({ minRole: 'supervisor' })
  @Get('stats')
  @ApiOkResponse({ type: IncidentStatsDto })
  @ApiProblems(400, 404)
  stats(@CurrentPrincipal() principal: Principal, @Query() query: IncidentStatsQueryDto): Promise<IncidentStatsDto> {
    return this.incidents.stats(principal, query);
  }

  /** The incident with its alerts and their escalation steps. */
  @Auth()
  @Get(':id')
  @ApiOkResponse({ type: IncidentDetailDto })
  @ApiProblems(400, 404)
  get(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string): Promise<IncidentDetailDto> {
    return this.incidents.get(principal, id);
  }

  /** Completes what was observed and done while the incident is open; 409 `incident_closed` after. */
  @Auth()
  @Patch(':id')
  @ApiIfMatch()
  @ApiOkResponse({ type: IncidentDto })
  @ApiProblems(400, 404, 409, 422)
  update(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Body() dto: UpdateIncidentDto,
    @ExpectedVersion() version?: number,
  ): Promise<IncidentDto> {
    return this.incidents.update(principal, id, dto, version);
  }

  /** Ends the follow-up with a report (supervisors and admins); closing twice is 409 `incident_closed`. */
  @Auth({ minRole: 'supervisor' })
  @Post(':id/close')
  @HttpCode(200)
  @ApiIfMatch()
  @ApiOkResponse({ type: IncidentDto })
  @ApiProblems(400, 404, 409)
  close(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Body() dto: CloseIncidentDto,
    @ExpectedVersion() version?: number,
  ): Promise<IncidentDto> {
    return this.incidents.close(principal, id, dto, version);
  }
}
