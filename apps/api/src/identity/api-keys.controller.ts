import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiKeysService } from '@guichet/core/identity/api-keys.service';
import type { Principal } from '@guichet/core/identity/principal';
import { ApiProblems } from '../common/api-problems.decorator';
import { Auth, CurrentPrincipal } from '../common/auth.decorators';
import { ApiKeyDto, ApiKeyPageDto, ApiKeyQueryDto, CreateApiKeyDto, CreatedApiKeyDto } from './dto/api-keys.dto';

const uuid = new ParseUUIDPipe({ version: '4' });

@ApiTags('api-keys')
@Auth({ minRole: 'admin' })
@Controller('api-keys')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  /** Creates a key; the response carries the clear key, which is never shown again. */
  @Post()
  @ApiCreatedResponse({ type: CreatedApiKeyDto })
  @ApiProblems(400, 404)
  create(@CurrentPrincipal() principal: Principal, @Body() dto: CreateApiKeyDto): Promise<CreatedApiKeyDto> {
    return this.keys.create(principal, dto);
  }

  @Get()
  @ApiOkResponse({ type: ApiKeyPageDto })
  @ApiProblems(400)
  list(@CurrentPrincipal() principal: Principal, @Query() query: ApiKeyQueryDto): Promise<ApiKeyPageDto> {
    return this.keys.list(principal, query);
  }

  @Get(':id')
  @ApiOkResponse({ type: ApiKeyDto })
  @ApiProblems(400, 404)
  get(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string): Promise<ApiKeyDto> {
    return this.keys.get(principal, id);
  }

  /** Revokes the key: refused from the next request on. */
  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse()
  @ApiProblems(400, 404)
  revoke(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string): Promise<void> {
    return this.keys.revoke(principal, id);
  }
}
