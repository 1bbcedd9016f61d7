import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Principal } from '@guichet/core/identity/principal';
import { AttachmentView, CommentView, OrderSummaryView, OrderView, RatingView } from '@guichet/core/service-orders/service-order-view';
import { ServiceOrdersService, SettingsView } from '@guichet/core/service-orders/service-orders.service';
import { ApiIfMatch } from '../common/api-if-match.decorator';
import { ApiProblems } from '../common/api-problems.decorator';
import { Auth, CurrentPrincipal } from '../common/auth.decorators';
import { ExpectedVersion } from '../common/expected-version';
import {
  ApproveDto,
  AttachmentDto,
  CommentDto,
  CreateOrderDto,
  OrderQueryDto,
  RatingDto,
  SettingsDto,
  TransitionDto,
  UpdateOrderDto,
} from './dto/service-orders.dto';

const uuid = new ParseUUIDPipe({ version: '4' });

/**
 * Service orders (prestations): supplies, room bookings, equipment, catering, maintenance,
 * cleaning. Lifecycle draft → submitted → accepted → in_progress → delivered/done → closed (or
 * rejected, cancelled) through POST :id/status; the provider's steps can be recorded by a user of
 * the site or by the provider's integration (API key with provisions:write).
 */
@ApiTags('service-orders')
@Controller('service-orders')
export class ServiceOrdersController {
  constructor(private readonly orders: ServiceOrdersService) {}

  @Auth({ scopes: ['provisions:read'] })
  @Get()
  @ApiProblems(400)
  list(@CurrentPrincipal() principal: Principal, @Query() query: OrderQueryDto): Promise<{ items: OrderSummaryView[]; total: number }> {
    return this.orders.list(principal, query);
  }

  /** Creates a draft; submit it with POST :id/status {status: "submitted"}. */
  @Auth({ scopes: ['provisions:write'] })
  @Post()
  @ApiProblems(400, 404, 422)
  create(@CurrentPrincipal() principal: Principal, @Body() dto: CreateOrderDto): Promise<OrderView> {
    return this.orders.create(principal, dto);
  }

  @Auth({ scopes: ['provisions:read'] })
  @Get(':id')
  @ApiProblems(400, 404)
  get(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string): Promise<OrderView> {
    return this.orders.get(principal, id);
  }

  /** Drafts only. */
  @Auth({ scopes: ['provisions:write'] })
  @Patch(':id')
  @ApiIfMatch()
  @ApiProblems(400, 404, 409, 422)
  update(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string, @Body() dto: UpdateOrderDto, @ExpectedVersion() version?: number): Promise<OrderView> {
    return this.orders.update(principal, id, dto, version);
  }

  /** One step of the lifecycle; 422 invalid_transition for an impossible one, 403 when the caller's side may not take it. */
  @Auth({ scopes: ['provisions:write'] })
  @Post(':id/status')
  @HttpCode(200)
  @ApiIfMatch()
  @ApiProblems(400, 404, 409, 422)
  transition(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string, @Body() dto: TransitionDto, @ExpectedVersion() version?: number): Promise<OrderView> {
    return this.orders.transition(principal, id, dto.status, dto.note ?? null, version);
  }

  /** A supervisor approves an order above the site's threshold; only then may the provider accept it. */
  @Auth({ minRole: 'supervisor' })
  @Post(':id/approve')
  @HttpCode(200)
  @ApiIfMatch()
  @ApiProblems(400, 404, 409, 422)
  approve(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string, @Body() dto: ApproveDto, @ExpectedVersion() version?: number): Promise<OrderView> {
    return this.orders.approve(principal, id, dto.note ?? null, version);
  }

  @Auth({ scopes: ['provisions:write'] })
  @Post(':id/comments')
  @ApiProblems(400, 404, 422)
  comment(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string, @Body() dto: CommentDto): Promise<CommentView> {
    return this.orders.comment(principal, id, dto);
  }

  @Auth({ scopes: ['provisions:write'] })
  @Post(':id/attachments')
  @ApiProblems(400, 404)
  attach(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string, @Body() dto: AttachmentDto): Promise<AttachmentView> {
    return this.orders.attach(principal, id, dto);
  }

  /** The requester (or a supervisor) rates a delivered/done order once. */
  @Auth()
  @Post(':id/rating')
  @ApiProblems(400, 404, 409, 422)
  rate(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string, @Body() dto: RatingDto): Promise<RatingView> {
    return this.orders.rate(principal, id, dto);
  }
}

/** The approval threshold of a site's orders (default 500.00 EUR). */
@ApiTags('service-orders')
@Controller('service-order-settings')
export class ServiceOrderSettingsController {
  constructor(private readonly orders: ServiceOrdersService) {}

  @Auth({ scopes: ['provisions:read'] })
  @Get(':siteId')
  @ApiProblems(400, 404)
  get(@CurrentPrincipal() principal: Principal, @Param('siteId', uuid) siteId: string): Promise<SettingsView> {
    return this.orders.settings(principal, siteId);
  }

  @Auth({ minRole: 'supervisor' })
  @Put(':siteId')
  @ApiIfMatch()
  @ApiProblems(400, 404, 409)
  put(@CurrentPrincipal() principal: Principal, @Param('siteId', uuid) siteId: string, @Body() dto: SettingsDto, @ExpectedVersion() version?: number): Promise<SettingsView> {
    return this.orders.putSettings(principal, siteId, dto, version);
  }
}
