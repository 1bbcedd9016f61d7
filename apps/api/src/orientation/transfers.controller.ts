import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@guichet/core/identity/principal';
import { TransfersService } from '@guichet/core/orientation/transfers.service';
import { ApiProblems } from '../common/api-problems.decorator';
import { Auth, CurrentPrincipal } from '../common/auth.decorators';
import { ExpectedVersion } from '../common/expected-version';
import { ApiIfMatch } from '../common/api-if-match.decorator';
import { READ_REQUESTS, WRITE_REQUESTS } from '../requests/requests-access';
import {
  CreateTransferDto,
  IncomingTransferPageDto,
  IncomingTransferQueryDto,
  TransferCreatedDto,
  TransferDto,
} from './dto/transfer.dto';

const uuid = new ParseUUIDPipe({ version: '4' });

@ApiTags('orientation')
@Controller()
export class TransfersController {
  constructor(private readonly transfers: TransfersService) {}

  /**
   * Sends the person to a service or staff member of the site (status `transferred`) or to a
   * partner (status `oriented`, outcome `orientation`). An open request is taken in hand first.
   * The arrival time never moves; the receiving service's room gets `request.transferred`.
   */
  @Auth(WRITE_REQUESTS)
  @Post('requests/:id/transfers')
  @ApiIfMatch()
  @ApiCreatedResponse({ type: TransferCreatedDto })
  @ApiProblems(400, 404, 409, 422)
  create(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Body() dto: CreateTransferDto,
    @ExpectedVersion() version?: number,
  ): Promise<TransferCreatedDto> {
    return this.transfers.create(principal, id, dto, version);
  }

  /** Every transfer of the request, oldest first. */
  @Auth(READ_REQUESTS)
  @Get('requests/:id/transfers')
  @ApiOkResponse({ type: [TransferDto] })
  @ApiProblems(400, 404)
  list(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string): Promise<TransferDto[]> {
    return this.transfers.list(principal, id);
  }

  /** Transfers received by the service (directly or through its staff), newest first. */
  @Auth(READ_REQUESTS)
  @Get('services/:serviceId/incoming-transfers')
  @ApiOkResponse({ type: IncomingTransferPageDto })
  @ApiProblems(400, 404)
  incoming(
    @CurrentPrincipal() principal: Principal,
    @Param('serviceId', uuid) serviceId: string,
    @Query() query: IncomingTransferQueryDto,
  ): Promise<IncomingTransferPageDto> {
    return this.transfers.incoming(principal, serviceId, query);
  }
}
