import { Body, Controller, Get, Param, ParseUUIDPipe, Put } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { IncidentPolicyService } from '@guichet/core/incidents/incident-policy.service';
import type { Principal } from '@guichet/core/identity/principal';
import { ApiIfMatch } from '../common/api-if-match.decorator';
import { ApiProblems } from '../common/api-problems.decorator';
import { Auth, CurrentPrincipal } from '../common/auth.decorators';
import { ExpectedVersion } from '../common/expected-version';
import { EscalationPolicyDto, EscalationPolicyInputDto } from './dto/escalation-policy.dto';

const uuid = new ParseUUIDPipe({ version: '4' });

@ApiTags('incidents')
@Controller('sites/:siteId/incident-escalation-policy')
export class EscalationPolicyController {
  constructor(private readonly policies: IncidentPolicyService) {}

  /** The site's escalation chain, or the default one (isDefault, version 0). */
  @Auth({ minRole: 'supervisor' })
  @Get()
  @ApiOkResponse({ type: EscalationPolicyDto })
  @ApiProblems(400, 404)
  get(@CurrentPrincipal() principal: Principal, @Param('siteId', uuid) siteId: string): Promise<EscalationPolicyDto> {
    return this.policies.get(principal, siteId);
  }

  /** Replaces the chain; alerts already raised keep the steps they were planned with. */
  @Auth({ minRole: 'supervisor' })
  @Put()
  @ApiIfMatch()
  @ApiOkResponse({ type: EscalationPolicyDto })
  @ApiProblems(400, 404, 409)
  replace(
    @CurrentPrincipal() principal: Principal,
    @Param('siteId', uuid) siteId: string,
    @Body() dto: EscalationPolicyInputDto,
    @ExpectedVersion() version?: number,
  ): Promise<EscalationPolicyDto> {
    return this.policies.replace(principal, siteId, dto, version);
  }
}
