import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Principal } from '@guichet/core/identity/principal';
import { ContactView, ImprovementView, ProviderFigures, ProvidersService, ProviderView } from '@guichet/core/providers/providers.service';
import { ApiIfMatch } from '../common/api-if-match.decorator';
import { ApiProblems } from '../common/api-problems.decorator';
import { Auth, CurrentPrincipal } from '../common/auth.decorators';
import { ExpectedVersion } from '../common/expected-version';
import {
  ContactDto,
  CreateImprovementDto,
  CreateProviderDto,
  FiguresQueryDto,
  ProviderQueryDto,
  UpdateContactDto,
  UpdateImprovementDto,
  UpdateProviderDto,
} from './dto/providers.dto';

const uuid = new ParseUUIDPipe({ version: '4' });

/**
 * Providers (prestataires, référentiel C2.2): internal teams and external companies, their service
 * level, contacts, quality figures and improvement actions. Supervisors manage the list; every
 * user of the site reads it and may propose improvements.
 */
@ApiTags('providers')
@Controller('providers')
export class ProvidersController {
  constructor(private readonly providers: ProvidersService) {}

  @Auth({ scopes: ['provisions:read'] })
  @Get()
  @ApiProblems(400)
  list(@CurrentPrincipal() principal: Principal, @Query() query: ProviderQueryDto): Promise<{ items: ProviderView[]; total: number }> {
    return this.providers.list(principal, query);
  }

  @Auth({ minRole: 'supervisor' })
  @Post()
  @ApiProblems(400, 404)
  create(@CurrentPrincipal() principal: Principal, @Body() dto: CreateProviderDto): Promise<ProviderView> {
    return this.providers.create(principal, dto);
  }

  @Auth({ scopes: ['provisions:read'] })
  @Get(':id')
  @ApiProblems(400, 404)
  get(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string): Promise<ProviderView> {
    return this.providers.get(principal, id);
  }

  @Auth({ minRole: 'supervisor' })
  @Patch(':id')
  @ApiIfMatch()
  @ApiProblems(400, 404, 409)
  update(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Body() dto: UpdateProviderDto,
    @ExpectedVersion() version?: number,
  ): Promise<ProviderView> {
    return this.providers.update(principal, id, dto, version);
  }

  @Auth({ minRole: 'supervisor' })
  @Post(':id/contacts')
  @ApiProblems(400, 404)
  addContact(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string, @Body() dto: ContactDto): Promise<ContactView> {
    return this.providers.addContact(principal, id, dto);
  }

  @Auth({ minRole: 'supervisor' })
  @Patch(':id/contacts/:contactId')
  @ApiProblems(400, 404)
  updateContact(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Param('contactId', uuid) contactId: string,
    @Body() dto: UpdateContactDto,
  ): Promise<ContactView> {
    return this.providers.updateContact(principal, id, contactId, dto);
  }

  @Auth({ minRole: 'supervisor' })
  @Delete(':id/contacts/:contactId')
  @HttpCode(204)
  @ApiProblems(400, 404)
  removeContact(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string, @Param('contactId', uuid) contactId: string): Promise<void> {
    return this.providers.removeContact(principal, id, contactId);
  }

  /** On-time rate, average delay, ratings and the monthly trend, over orders completed in [from, to). */
  @Auth({ scopes: ['provisions:read'] })
  @Get(':id/figures')
  @ApiProblems(400, 404)
  figures(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string, @Query() query: FiguresQueryDto): Promise<ProviderFigures> {
    return this.providers.figures(principal, id, query);
  }

  @Auth({ scopes: ['provisions:read'] })
  @Get(':id/improvement-actions')
  @ApiProblems(400, 404)
  improvements(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string): Promise<ImprovementView[]> {
    return this.providers.listImprovements(principal, id);
  }

  /** "Proposer des améliorations": any user of the site may propose one. */
  @Auth()
  @Post(':id/improvement-actions')
  @ApiProblems(400, 404)
  createImprovement(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string, @Body() dto: CreateImprovementDto): Promise<ImprovementView> {
    return this.providers.createImprovement(principal, id, dto);
  }

  @Auth()
  @Patch(':id/improvement-actions/:actionId')
  @ApiIfMatch()
  @ApiProblems(400, 404, 409)
  updateImprovement(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Param('actionId', uuid) actionId: string,
    @Body() dto: UpdateImprovementDto,
    @ExpectedVersion() version?: number,
  ): Promise<ImprovementView> {
    return this.providers.updateImprovement(principal, id, actionId, dto, version);
  }
}
