import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@guichet/core/identity/principal';
import { BookingsService } from '@guichet/core/resources/bookings.service';
import { ApiIfMatch } from '../common/api-if-match.decorator';
import { ApiProblems } from '../common/api-problems.decorator';
import { Auth, AuthRule, CurrentPrincipal } from '../common/auth.decorators';
import { ExpectedVersion } from '../common/expected-version';
import { BookingDetailDto, BookingPageDto, BookingQueryDto, CancelBookingDto, CreateBookingDto, UpdateBookingDto } from './dto/bookings.dto';
import { READ_RESOURCES } from './resources.controller';

const uuid = new ParseUUIDPipe({ version: '4' });

/** Any user books; changing or cancelling is for the organiser, the author or a supervisor (403 otherwise). */
const WRITE_BOOKINGS: AuthRule = { scopes: ['bookings:write'] };

/**
 * Bookings of rooms and equipment. Two bookings of one resource never overlap (the database refuses
 * it, even for simultaneous requests): the loser gets 409 `booking_conflict` naming the resource.
 */
@ApiTags('bookings')
@Controller('bookings')
export class BookingsController {
  constructor(private readonly bookings: BookingsService) {}

  /** Books a room (with equipment and catering details) or an equipment item for [startsAt, endsAt). */
  @Auth(WRITE_BOOKINGS)
  @Post()
  @ApiCreatedResponse({ type: BookingDetailDto })
  @ApiProblems(400, 404, 409, 422)
  book(@CurrentPrincipal() principal: Principal, @Body() dto: CreateBookingDto): Promise<BookingDetailDto> {
    return this.bookings.book(principal, dto);
  }

  /** Bookings of the caller's sites, by start; room and equipment bookings alike. */
  @Auth(READ_RESOURCES)
  @Get()
  @ApiOkResponse({ type: BookingPageDto })
  @ApiProblems(400, 404)
  list(@CurrentPrincipal() principal: Principal, @Query() query: BookingQueryDto): Promise<BookingPageDto> {
    return this.bookings.list(principal, query);
  }

  /** A booking with its equipment and linked service orders (catering…). */
  @Auth(READ_RESOURCES)
  @Get(':id')
  @ApiOkResponse({ type: BookingDetailDto })
  @ApiProblems(400, 404)
  get(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string): Promise<BookingDetailDto> {
    return this.bookings.get(principal, id);
  }

  /** Changes details, moves the booking (its equipment moves along) or changes its equipment. */
  @Auth(WRITE_BOOKINGS)
  @Patch(':id')
  @ApiIfMatch()
  @ApiOkResponse({ type: BookingDetailDto })
  @ApiProblems(400, 403, 404, 409, 422)
  update(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Body() dto: UpdateBookingDto,
    @ExpectedVersion() version?: number,
  ): Promise<BookingDetailDto> {
    return this.bookings.update(principal, id, dto, version);
  }

  /** Cancels the booking; a room booking releases its equipment too. */
  @Auth(WRITE_BOOKINGS)
  @Post(':id/cancel')
  @HttpCode(200)
  @ApiIfMatch()
  @ApiOkResponse({ type: BookingDetailDto })
  @ApiProblems(400, 403, 404, 409, 422)
  cancel(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Body() dto: CancelBookingDto,
    @ExpectedVersion() version?: number,
  ): Promise<BookingDetailDto> {
    return this.bookings.cancel(principal, id, version, dto.reason);
  }
}
