import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { FlowConfigService } from '@guichet/core/flow/flow-config.service';
import { AccuracyRow, FlowSnapshotService } from '@guichet/core/flow/flow-snapshot.service';
import type { Principal } from '@guichet/core/identity/principal';
import { ApiProblems } from '../common/api-problems.decorator';
import { Auth, CurrentPrincipal } from '../common/auth.decorators';
import { ApiIfMatch } from '../common/api-if-match.decorator';
import { ExpectedVersion } from '../common/expected-version';
import { AccuracyQueryDto, CreateQueueDto, QueueDto, SiteFilterDto, UpdateQueueDto } from './dto/flow-config.dto';

const uuid = new ParseUUIDPipe({ version: '4' });

@ApiTags('queues')
@Controller('queues')
export class QueuesController {
  constructor(
    private readonly config: FlowConfigService,
    private readonly snapshots: FlowSnapshotService,
  ) {}

  @Auth({ scopes: ['tickets:read', 'kiosk', 'display'] })
  @Get()
  @ApiOkResponse({ type: [QueueDto] })
  @ApiProblems(400)
  list(@CurrentPrincipal() principal: Principal, @Query() query: SiteFilterDto): Promise<QueueDto[]> {
    return this.config.listQueues(principal, query.siteId);
  }

  @Auth({ scopes: ['tickets:read', 'kiosk', 'display'] })
  @Get(':id')
  @ApiOkResponse({ type: QueueDto })
  @ApiProblems(400, 404)
  get(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string): Promise<QueueDto> {
    return this.config.getQueue(principal, id);
  }

  @Auth({ minRole: 'supervisor' })
  @Post()
  @ApiCreatedResponse({ type: QueueDto })
  @ApiProblems(400, 404, 409)
  create(@CurrentPrincipal() principal: Principal, @Body() dto: CreateQueueDto): Promise<QueueDto> {
    return this.config.createQueue(principal, dto);
  }

  @Auth({ minRole: 'supervisor' })
  @Patch(':id')
  @ApiIfMatch()
  @ApiOkResponse({ type: QueueDto })
  @ApiProblems(400, 404, 409)
  update(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Body() dto: UpdateQueueDto,
    @ExpectedVersion() version?: number,
  ): Promise<QueueDto> {
    const { version: bodyVersion, ...patch } = dto;
    return this.config.updateQueue(principal, id, patch, version ?? bodyVersion);
  }

  /** Mean absolute error of the waits announced at issuance, per day (see README, estimated wait). */
  @Auth({ minRole: 'supervisor', scopes: ['tickets:read'] })
  @Get(':id/estimate-accuracy')
  @ApiOkResponse({ description: 'One row per business day' })
  @ApiProblems(400, 404)
  accuracy(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string, @Query() query: AccuracyQueryDto): Promise<AccuracyRow[]> {
    return this.snapshots.estimateAccuracy(principal, id, query.from, query.to);
  }
}
