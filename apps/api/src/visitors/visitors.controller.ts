import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@guichet/core/identity/principal';
import { VisitorMergeService } from '@guichet/core/visitors/visitor-merge.service';
import { VisitorsService } from '@guichet/core/visitors/visitors.service';
import { ApiProblems } from '../common/api-problems.decorator';
import { Auth, AuthRule, CurrentPrincipal } from '../common/auth.decorators';
import { ExpectedVersion } from '../common/expected-version';
import { ApiIfMatch } from '../common/api-if-match.decorator';
import {
  CreatedVisitorDto,
  CreateVisitorDto,
  DuplicateCandidateDto,
  DuplicateQueryDto,
  MergedVisitorDto,
  MergeVisitorDto,
  UpdateVisitorDto,
  VisitorDto,
  VisitorErasureDto,
  VisitorPageDto,
  VisitorQueryDto,
} from './dto/visitors.dto';

const uuid = new ParseUUIDPipe({ version: '4' });

/** Every user reads visitors of their sites; keys need visitors:read (or visitors:write). */
const READ: AuthRule = { scopes: ['visitors:read', 'visitors:write'] };
/** Every user records and completes visitors at the desk; keys need visitors:write. */
const WRITE: AuthRule = { scopes: ['visitors:write'] };
/** Erasure is a data-protection decision: supervisors and admins only, never a key. */
const ERASE: AuthRule = { minRole: 'supervisor' };

@ApiTags('visitors')
@Controller('visitors')
export class VisitorsController {
  constructor(
    private readonly visitors: VisitorsService,
    private readonly merges: VisitorMergeService,
  ) {}

  /** Visitors of the caller's sites, most recently seen first; with `search` (or `q`), best match first. Merged visitors are left out. */
  @Auth(READ)
  @Get()
  @ApiOkResponse({ type: VisitorPageDto })
  @ApiProblems(400, 404)
  list(@CurrentPrincipal() principal: Principal, @Query() { q, search, ...query }: VisitorQueryDto): Promise<VisitorPageDto> {
    return this.visitors.list(principal, { ...query, search: search ?? q });
  }

  /** Existing visitors that may be the person about to be created (same phone, same e-mail, similar name). */
  @Auth(READ)
  @Get('duplicates')
  @ApiOkResponse({ type: [DuplicateCandidateDto] })
  @ApiProblems(400, 404)
  duplicates(@CurrentPrincipal() principal: Principal, @Query() query: DuplicateQueryDto): Promise<DuplicateCandidateDto[]> {
    return this.visitors.duplicates(principal, query);
  }

  /** A merged visitor is answered too, with `mergedIntoId` to follow. */
  @Auth(READ)
  @Get(':id')
  @ApiOkResponse({ type: VisitorDto })
  @ApiProblems(400, 404)
  get(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string): Promise<VisitorDto> {
    return this.visitors.get(principal, id);
  }

  /** Creates the visitor even when it looks like a duplicate; the candidates come back in `duplicates`. */
  @Auth(WRITE)
  @Post()
  @ApiCreatedResponse({ type: CreatedVisitorDto })
  @ApiProblems(400, 404)
  create(@CurrentPrincipal() principal: Principal, @Body() dto: CreateVisitorDto): Promise<CreatedVisitorDto> {
    return this.visitors.create(principal, dto);
  }

  @Auth(WRITE)
  @Patch(':id')
  @ApiIfMatch()
  @ApiOkResponse({ type: VisitorDto })
  @ApiProblems(400, 404, 409)
  update(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Body() dto: UpdateVisitorDto,
    @ExpectedVersion() version?: number,
  ): Promise<VisitorDto> {
    return this.visitors.update(principal, id, { ...dto, version: version ?? dto.version });
  }

  /**
   * Folds `sourceVisitorId` into this visitor in one transaction: its requests, calls, tickets and
   * appointments move here, blanks are filled from it, needs and consent purposes are united, and
   * it remains as a read-only tombstone (`mergedIntoId`). If-Match applies to this visitor.
   */
  @Auth(WRITE)
  @Post(':id/merge')
  @HttpCode(200)
  @ApiIfMatch()
  @ApiOkResponse({ type: MergedVisitorDto })
  @ApiProblems(400, 404, 409, 422)
  merge(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Body() dto: MergeVisitorDto,
    @ExpectedVersion() version?: number,
  ): Promise<MergedVisitorDto> {
    return this.merges.merge(principal, id, { ...dto, version: version ?? dto.version });
  }

  /**
   * GDPR erasure. Deleted outright when nothing refers to the visitor; otherwise its names, contact
   * details, address, notes and consent are wiped and the anonymous row keeps the history countable.
   * Visitors merged into it are erased with it.
   */
  @Auth(ERASE)
  @Delete(':id')
  @ApiIfMatch()
  @ApiOkResponse({ type: VisitorErasureDto })
  @ApiProblems(400, 404, 409)
  erase(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string, @ExpectedVersion() version?: number): Promise<VisitorErasureDto> {
    return this.visitors.erase(principal, id, version);
  }
}
