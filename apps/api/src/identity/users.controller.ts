import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@guichet/core/identity/principal';
import { UsersService } from '@guichet/core/identity/users.service';
import { ApiProblems } from '../common/api-problems.decorator';
import { Auth, CurrentPrincipal } from '../common/auth.decorators';
import { ApiIfMatch } from '../common/api-if-match.decorator';
import { ExpectedVersion } from '../common/expected-version';
import { CreateUserDto, UpdateUserDto, UserDto, UserPageDto, UserQueryDto } from './dto/users.dto';

const uuid = new ParseUUIDPipe({ version: '4' });

@ApiTags('users')
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  /** The caller's own account. */
  @Auth()
  @Get('me')
  @ApiOkResponse({ type: UserDto })
  me(@CurrentPrincipal() principal: Principal): Promise<UserDto> {
    return this.users.get(principal, principal.id);
  }

  /** Users sharing a site with the caller. */
  @Auth({ minRole: 'supervisor' })
  @Get()
  @ApiOkResponse({ type: UserPageDto })
  @ApiProblems(400)
  list(@CurrentPrincipal() principal: Principal, @Query() query: UserQueryDto): Promise<UserPageDto> {
    return this.users.list(principal, query);
  }

  @Auth({ minRole: 'supervisor' })
  @Get(':id')
  @ApiOkResponse({ type: UserDto })
  @ApiProblems(400, 404)
  get(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string): Promise<UserDto> {
    return this.users.get(principal, id);
  }

  @Auth({ minRole: 'admin' })
  @Post()
  @ApiCreatedResponse({ type: UserDto })
  @ApiProblems(400, 404, 409, 422)
  create(@CurrentPrincipal() principal: Principal, @Body() dto: CreateUserDto): Promise<UserDto> {
    return this.users.create(principal, dto);
  }

  @Auth({ minRole: 'admin' })
  @Patch(':id')
  @ApiIfMatch()
  @ApiOkResponse({ type: UserDto })
  @ApiProblems(400, 404, 409, 422)
  update(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Body() dto: UpdateUserDto,
    @ExpectedVersion() version?: number,
  ): Promise<UserDto> {
    return this.users.update(principal, id, { ...dto, version: version ?? dto.version });
  }

  /** Deactivates the account and closes its sessions; its history stays attributed. */
  @Auth({ minRole: 'admin' })
  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse()
  @ApiProblems(400, 404, 422)
  remove(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string): Promise<void> {
    return this.users.deactivate(principal, id);
  }
}
